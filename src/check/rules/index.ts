// The lint rule registry and its runner. A rule that throws becomes one error finding; the other rules still run.
import { errorText } from '../../shared/index.js';
import type { Facts } from '../facts.js';
import type { Finding } from '../types.js';
import { callerRules } from './callers.js';
import { configurationRules } from './configurations.js';
import { endpointRules } from './endpoints.js';
import { gatewayRules } from './gateways.js';
import type { LintRule } from './rule.js';
import { networkAclRules } from './network-acls.js';
import { securityGroupRules } from './security-groups.js';
import { serviceNetworkRules } from './service-networks.js';
import { shareRules } from './shares.js';

export type { LintRule, Violation } from './rule.js';

/** Every lint rule, in the order of docs/check.md's table. */
export const RULES: readonly LintRule[] = [
  ...configurationRules,
  ...shareRules,
  ...endpointRules,
  ...serviceNetworkRules,
  ...callerRules,
  ...gatewayRules,
  ...securityGroupRules,
  ...networkAclRules,
];

export function lint(facts: Facts, rules: readonly LintRule[] = RULES): Finding[] {
  const out: Finding[] = [];
  for (const rule of rules) {
    try {
      for (const v of rule.check(facts)) {
        const { severity = rule.severities[0], message, fix, resource } = v;
        out.push({ id: rule.id, severity, message, fix, ...(resource ? { resource } : {}) });
      }
    } catch (e) {
      out.push({
        id: rule.id,
        severity: 'error',
        message: `rule ${rule.id} could not read these templates: ${errorText(e)}`,
        fix: 'report it to lattice-share with the templates (the other rules ran)',
      });
    }
  }
  return out;
}
