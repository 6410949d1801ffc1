// DNS names as the model's readers compare them, and how far they follow CNAME records. The limit is the model's
// assumption, not an AWS figure (Route 53 documents none): check and the twin follow the same chains, so they agree.

/** The longest CNAME chain followed; a longer one, or one that loops, does not resolve. */
export const MAX_CNAMES = 8;

/** A name as DNS compares it: lower case, without the root's trailing dot. */
export function dnsKey(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}
