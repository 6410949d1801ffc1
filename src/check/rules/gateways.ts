// Resource gateways: the room their subnets leave for the gateway's ENIs.
import type { Eni } from '../../model/index.js';
import type { LintRule } from './rule.js';

export const gatewayRules: LintRule[] = [
  {
    id: 'LS-RGW1',
    severities: ['error', 'warning'],
    summary: 'a gateway subnet of /28 or smaller (error) or smaller than /26 (warning): each gateway ENI takes a /28',
    why: 'each resource gateway ENI takes a /28 prefix of its subnet, and more as configurations grow',
    *check(f) {
      for (const g of f.m.gateways) {
        for (const e of g.eniIds.map((id) => f.enis.get(id)).filter((x): x is Eni => !!x)) {
          const cidr = f.subnets.get(e.subnetId)?.cidr;
          const bits = Number(cidr?.split('/')[1]);
          if (!cidr || bits <= 26) continue;
          const fix = 'give the gateway subnets of /26 or larger';
          const resource = f.ref(g.source, g.id);
          if (bits >= 28)
            yield {
              message: `gateway ${g.name} uses subnet ${e.subnetId} (${cidr}): each gateway ENI takes a /28 prefix, which a /28 subnet (with AWS's reserved addresses) cannot spare`,
              fix,
              resource,
            };
          else
            yield {
              severity: 'warning',
              message: `gateway ${g.name} uses subnet ${e.subnetId} (${cidr}): each gateway ENI takes a /28, and more as configurations grow`,
              fix,
              resource,
            };
        }
      }
    },
  },
];
