// The words a picture uses that the model does not give, in English and Japanese.
export type Lang = 'en' | 'ja';

const WORDS = {
  en: {
    legend: 'legend',
    reachable: 'passes',
    blocked: 'blocks here',
    partial: 'some names pass, some stop here',
    unknown: 'templates cannot say',
    unchecked: 'path (not checked)',
    title: 'lattice-share: what the templates create',
  },
  ja: {
    legend: '凡例',
    reachable: '通る',
    blocked: 'ここで止まる',
    partial: '通る名前と、ここで止まる名前がある',
    unknown: 'テンプレートからは分からない',
    unchecked: '経路 (未検査)',
    title: 'lattice-share: テンプレートが作るもの',
  },
} as const;

export type Words = (typeof WORDS)[Lang];
export const wordsOf = (lang: Lang): Words => WORDS[lang];
