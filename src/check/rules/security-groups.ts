// Security groups: references reach only groups of the same VPC and account (no peering here); a gateway's group
// only sends; a target's group should admit the gateway, not its whole VPC.

const created = (x: SecurityGroup | undefined): x is SecurityGroup => !!x?.created;
import type { Rule, SecurityGroup } from '../../model/index.js';
import { covers, type Facts } from '../facts.js';
import type { LintRule, Violation } from './rule.js';

function reference(f: Facts, sg: SecurityGroup, r: Rule, direction: string): Violation | undefined {
  if (!('securityGroupId' in r.peer)) return undefined;
  const other = f.groups.get(r.peer.securityGroupId);
  if (!other?.vpcId || (other.vpcId === sg.vpcId && other.account === sg.account)) return undefined;
  const where = other.vpcId === sg.vpcId ? `account ${other.account}` : `another VPC (${other.vpcId})`;
  return {
    message: `${direction} rule of ${sg.id} references ${other.id} in ${where}: references resolve only in the same VPC`,
    fix: "use the peer's addresses (CIDR) instead, or a reference within one VPC",
    resource: f.ref(r.source ?? sg.source, sg.id),
  };
}

export const securityGroupRules: LintRule[] = [
  {
    id: 'LS-SG1',
    severities: ['error'],
    summary: 'a security-group rule referencing a group in another VPC or account',
    why: 'a security-group reference resolves only within one VPC (without peering)',
    *check(f) {
      for (const sg of f.m.securityGroups) {
        if (!sg.created || !sg.vpcId) continue;
        for (const [rules, direction] of [
          [sg.ingress, 'ingress'],
          [sg.egress, 'egress'],
        ] as const) {
          for (const r of rules) {
            const v = reference(f, sg, r, direction);
            if (v) yield v;
          }
        }
      }
    },
  },
  {
    id: 'LS-SG2',
    severities: ['warning'],
    summary: "inbound rules on a gateway's security group (no effect: the gateway only sends)",
    why: "a resource gateway only sends: its egress and the target's ingress decide, its ingress does nothing",
    *check(f) {
      for (const g of f.m.gateways) {
        for (const sg of g.securityGroupIds.map((id) => f.groups.get(id)).filter(created)) {
          if (!sg.ingress.length) continue;
          yield {
            message: `security group ${sg.id} of gateway ${g.name} has ${sg.ingress.length} inbound rule(s): they have no effect, the gateway only sends`,
            fix: "remove them; the gateway's egress rules and the target's ingress rules decide",
            resource: f.ref(sg.source, sg.id),
          };
        }
      }
    },
  },
  {
    id: 'LS-SG3',
    severities: ['warning'],
    summary: "the target's ingress by its whole VPC CIDR where the gateway's group would do",
    why: "ingress by the VPC's CIDR admits every workload of the VPC, not only the gateway",
    *check(f) {
      for (const g of f.m.gateways) {
        const vpcCidr = f.vpcs.get(g.vpcId)?.cidr;
        for (const sg of targetGroups(f, g.id, g.vpcId)) {
          for (const r of sg.ingress) {
            if (!('cidr' in r.peer) || !vpcCidr || !covers(r.peer.cidr, vpcCidr)) continue;
            yield {
              message: `${sg.id} admits ${r.peer.cidr} (all of ${g.vpcId}) on ${r.fromPort}-${r.toPort}, where only gateway ${g.name} needs it`,
              fix: `allow ingress from the gateway's security group ${g.securityGroupIds[0] ?? ''} instead`,
              resource: f.ref(r.source ?? sg.source, sg.id),
            };
          }
        }
      }
    },
  },
];

/** The security groups the templates create on the targets of a gateway's configurations (and their children). */
function targetGroups(f: Facts, gatewayId: string, vpcId: string): SecurityGroup[] {
  const ids = new Set<string>();
  for (const c of f.configurationsOfGateway(gatewayId)) {
    const d = c.definition;
    const ip = d && 'dns' in d ? f.resolve(vpcId, d.dns)?.addresses[0] : d && 'ip' in d ? d.ip : undefined;
    const eni = ip ? f.eniAt(vpcId, ip) : undefined;
    for (const sg of eni?.securityGroupIds ?? []) ids.add(sg);
  }
  return [...ids].map((id) => f.groups.get(id)).filter(created);
}
