// The words a picture uses that the model does not give, in English and Japanese.
export type Lang = 'en' | 'ja';

/** How many accounts a group's box names before it says how many more there are. */
const NAMED_ACCOUNTS = 3;

const namedAccounts = (accounts: string[]) =>
  accounts.length > NAMED_ACCOUNTS
    ? `${accounts.slice(0, NAMED_ACCOUNTS).join(', ')} +${accounts.length - NAMED_ACCOUNTS}`
    : accounts.join(', ');

const WORDS = {
  en: {
    legend: 'legend',
    reachable: 'passes',
    blocked: 'blocks here',
    partial: 'some names pass, some stop here',
    unknown: 'templates cannot say',
    title: 'lattice-share: what the templates create',
    group: (accounts: string[], vpcs: number, drawn: string) =>
      `${vpcs} VPCs of this shape, in ${accounts.length} account${accounts.length === 1 ? '' : 's'}: ` +
      `${namedAccounts(accounts)}\ndrawn: ${drawn}`,
    example: 'e.g.',
    more: (count: number) => `… ${count} more`,
  },
  ja: {
    legend: '凡例',
    reachable: '通る',
    blocked: 'ここで止まる',
    partial: '通る名前と、ここで止まる名前がある',
    unknown: 'テンプレートからは分からない',
    title: 'lattice-share: テンプレートが作るもの',
    group: (accounts: string[], vpcs: number, drawn: string) =>
      `同じ形の VPC ${vpcs} 個 (${accounts.length} アカウント: ${namedAccounts(accounts)})\n代表: ${drawn}`,
    example: '例',
    more: (count: number) => `… ほか ${count} 件`,
  },
} as const;

export type Words = (typeof WORDS)[Lang];
export const wordsOf = (lang: Lang): Words => WORDS[lang];
