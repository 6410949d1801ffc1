// The model's physical IDs: `prefix-` and hex characters, stable for a stack and logical ID (what AWS would assign is
// not known before deploy; these stand in for it, the same on every load).
import { flat, hex } from '../shared/index.js';

/** A stack's physical IDs, made once each: a large estate asks for hundreds of thousands of them. */
export class PhysicalIds {
  /** IDs made, by prefix, length and logical ID (no key list or closure per lookup). */
  private readonly made = new Map<string, Map<number, Map<string, string>>>();

  constructor(
    private readonly account: string,
    private readonly region: string,
    private readonly stack: string,
  ) {}

  /** The ID of a logical ID under a prefix (`sg`, `eni`, …), with `length` hex characters, kept flat. */
  of(prefix: string, logicalId: string, length: number): string {
    let byLength = this.made.get(prefix);
    if (!byLength) this.made.set(prefix, (byLength = new Map()));
    let byLogicalId = byLength.get(length);
    if (!byLogicalId) byLength.set(length, (byLogicalId = new Map()));
    let id = byLogicalId.get(logicalId);
    if (id === undefined) {
      id = flat(`${prefix}-${hex(`${this.account}/${this.region}/${this.stack}/${logicalId}/${prefix}`, length)}`);
      byLogicalId.set(logicalId, id);
    }
    return id;
  }
}

const typePrefixes = new Map<string, string>();

/** The prefix of a placeholder ID for a type the model does not represent: `AWS::IAM::Role` → `role`. */
export function typePrefix(type: string): string {
  let prefix = typePrefixes.get(type);
  if (prefix === undefined) typePrefixes.set(type, (prefix = type.split('::').pop()!.toLowerCase()));
  return prefix;
}
