// Network ACL rules: entries AWS refuses to create. Such an entry carries no traffic: check and the twin evaluate only
// the first entry of a rule number in each direction (https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html).
import type { Facts } from '../facts.js';
import type { LintRule } from './rule.js';

export const networkAclRules: readonly LintRule[] = [
  {
    id: 'LS-NACL1',
    severities: ['error'],
    summary: 'a network ACL entry whose rule number is outside 1-32766 or repeats one of the same direction',
    why: 'AWS refuses such an entry (rule numbers are unique per direction, from 1 to 32766): the stack fails',
    *check(f: Facts) {
      for (const acl of f.m.networkAcls) {
        const seen = new Set<string>();
        for (const entry of acl.entries) {
          const key = `${entry.egress}|${entry.ruleNumber}`;
          const repeated = seen.has(key);
          seen.add(key);
          const outside = !Number.isInteger(entry.ruleNumber) || entry.ruleNumber < 1 || entry.ruleNumber > 32766;
          if (!repeated && !outside) continue;
          const direction = entry.egress ? 'outbound' : 'inbound';
          yield {
            message: `${direction} rule ${entry.ruleNumber} of ${acl.id} ${outside ? 'is outside 1-32766' : 'repeats a rule number of the same direction'}: AWS refuses the entry`,
            fix: `give the entry a rule number from 1 to 32766 that no other ${direction} entry of ${acl.id} has`,
            resource: f.ref(entry.source, acl.id),
          };
        }
      }
    },
  },
];
