// Where a live resource comes from: doctor names the "stack" of what it read after the account and Region it read
// (`live:111111111111/us-east-1`), so that readers of the model can say which account a fix is made in.

/** The stack name of what doctor read in an account and Region. */
export const liveStack = (target: { readonly account: string; readonly region: string }): string =>
  `live:${target.account}/${target.region}`;

/** The account and Region of a live stack name; undefined for a template's stack. */
export function liveOrigin(stack: string | undefined): { account: string; region: string } | undefined {
  const [account, region] = /^live:(\d{12})\/([\w-]+)$/.exec(stack ?? '')?.slice(1) ?? [];
  return account && region ? { account, region } : undefined;
}
