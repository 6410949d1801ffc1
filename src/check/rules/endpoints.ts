// Resource endpoints: where they are, the zones they share with their gateway, and the private DNS they take.
import { zoneKey, type Configuration, type Endpoint, type Gateway, type Paid } from '../../model/index.js';
import { copyWith } from '../../shared/index.js';
import { stateIsFault } from '../deployed.js';
import type { Ref } from '../types.js';
import { where, type Facts } from '../facts.js';
import type { LintRule } from './rule.js';

/** Each resource endpoint whose configuration and gateway the templates hold (a rule that reports makes its f.ref). */
export function* resourceEndpoints(f: Facts): Iterable<{ ep: Endpoint; config: Configuration; gateway: Gateway }> {
  for (const ep of f.m.endpoints) {
    if (ep.type !== 'Resource' || !ep.configurationArn) continue;
    const config = f.configurations.get(ep.configurationArn);
    const gateway = config?.gatewayId ? f.gateways.get(config.gatewayId) : undefined;
    if (config && gateway) yield { ep, config, gateway };
  }
}

export const endpointRules: LintRule[] = [
  {
    id: 'LS-RE1',
    severities: ['error'],
    summary: "a resource endpoint in the gateway's own VPC",
    why: "an endpoint in the resource gateway's own VPC carries nothing and gets no private DNS",
    *check(f) {
      for (const { ep, gateway } of resourceEndpoints(f)) {
        if (gateway.vpcId !== ep.vpcId) continue;
        yield {
          message: `endpoint ${ep.id} is in VPC ${ep.vpcId}, the gateway ${gateway.name}'s own VPC: it carries nothing (and gets no private DNS)`,
          fix: 'reach the resource directly in its VPC, or put the endpoint in another VPC',
          resource: f.ref(ep.source, ep.id),
        };
      }
    },
  },
  {
    id: 'LS-RE2',
    severities: ['error'],
    summary: 'a gateway and an endpoint with no availability zone in common',
    why: 'Lattice carries a connection only from an endpoint zone the gateway also has',
    *check(f) {
      for (const { ep, gateway } of resourceEndpoints(f)) {
        const own = ep.eniIds.map((id) => f.enis.get(id));
        const gw = gateway.eniIds.map((id) => f.enis.get(id));
        // Zones compared by ID, or by name in one account; names of two accounts say nothing (the az hop is UNKNOWN).
        const key = zoneKey([own, gw], ep.account === gateway.account);
        if (!key) continue;
        const zones = new Set(own.map((eni) => eni && key(eni)));
        const gwZones = gw.map((eni) => eni && key(eni));
        if (zones.has(undefined) || gwZones.includes(undefined) || gwZones.some((z) => zones.has(z))) continue;
        yield {
          message: `endpoint ${ep.id} (${[...zones].join(', ')}) and gateway ${gateway.name} (${gwZones.join(', ')}) have no availability zone in common`,
          fix: `give the gateway a subnet in ${[...zones][0]}, or the endpoint one in ${gwZones[0]}`,
          resource: f.ref(ep.source, ep.id),
        };
      }
    },
  },
  {
    id: 'LS-RE3',
    severities: ['error'],
    summary: 'private DNS on an endpoint whose VPC lacks `EnableDnsSupport` or `EnableDnsHostnames`',
    why: 'AWS refuses private DNS on an endpoint in a VPC without DNS support and DNS host names',
    *check(f) {
      for (const ep of f.m.endpoints) {
        const vpc = f.vpcs.get(ep.vpcId);
        if (!ep.privateDns || !vpc || (vpc.dnsSupport && vpc.dnsHostnames)) continue;
        const off = !vpc.dnsSupport ? 'EnableDnsSupport' : 'EnableDnsHostnames';
        yield {
          message: `${ep.type === 'VpcAssociation' ? 'association' : 'endpoint'} ${ep.id} has private DNS on, but ${vpc.id} has ${off} false: AWS rejects it`,
          fix: `set EnableDnsSupport and EnableDnsHostnames to true on ${where(vpc.source, vpc.id)}`,
          resource: f.ref(ep.source, ep.id),
        };
      }
    },
  },
  {
    id: 'LS-RE4',
    severities: ['error'],
    summary:
      'a deployed endpoint or service-network VPC association that is not available (doctor): pending acceptance, failed or deleting',
    why: 'AWS carries traffic only through an endpoint or association that is available (active); LastError says why one failed',
    *check(f) {
      for (const ep of f.m.endpoints) {
        // Pending or in progress is one on its way: only the states that carry nothing for good are errors.
        if (!stateIsFault(ep.state)) continue;
        const association = ep.type === 'VpcAssociation';
        yield {
          message: `${association ? 'service-network VPC association' : 'endpoint'} ${ep.id} is ${ep.state}${ep.lastError ? `: ${ep.lastError}` : ''}`,
          fix: association
            ? `aws vpc-lattice get-service-network-vpc-association --service-network-vpc-association-identifier ${ep.id} says why; once the cause is fixed, delete it and create it again`
            : `aws ec2 describe-vpc-endpoints --vpc-endpoint-ids ${ep.id} says why (LastError); once the cause is fixed, delete it and create it again`,
          resource: f.ref(ep.source, ep.id),
        };
      }
    },
  },
  {
    id: 'LS-RE5',
    severities: ['warning'],
    summary:
      "an endpoint of an account outside the organization whose resource-gateway charges the gateway's account pays (doctor)",
    why: "a partner's traffic through your gateway is billed to you unless the charges are moved to the endpoint's account",
    *check(f) {
      for (const paid of paidByGateway(f)) {
        yield {
          message: `endpoint ${paid.id} of account ${paid.account} (outside the organization) uses ${paid.config}, and account ${paid.gatewayAccount} (the gateway's) pays its resource-gateway charges`,
          fix: `agree with account ${paid.account} who pays: AWS moves the charges with ModifyVpcEndpointPayerResponsibility (--vpc-endpoint-id ${paid.id} --scope resource-gateway-charges --payer-responsibility vpc-endpoint-account)`,
          resource: paid.at,
        };
      }
    },
  },
];

/** Endpoints (read, or seen by the owner) of accounts known to be outside the organization, paid by the owner. */
function paidByGateway(f: Facts) {
  const outside = (account: string) => f.m.stacks.find((x) => x.account === account)?.inOrganization === false;
  const read = new Set(f.m.endpoints.map((e) => e.id));
  const found: { id: string; account: string; config: string; gatewayAccount: string; at?: Ref }[] = [];
  // Each endpoint is tested before anything is made for it: an estate has thousands, a finding is rare.
  const add = (e: Paid & { id: string; account: string; configurationArn: string }, at: () => Ref | undefined) => {
    const gatewayAccount = e.configurationArn.split(':')[4] ?? '';
    if (e.payer !== 'resource-gateway-account' || e.account === gatewayAccount || !outside(e.account)) return;
    found.push({ id: e.id, account: e.account, config: e.configurationArn, gatewayAccount, at: at() });
  };
  for (const e of f.m.endpoints) if (e.type === 'Resource') add(e, () => f.ref(e.source, e.id));
  for (const x of f.m.seenEndpoints ?? []) {
    if (read.has(x.endpointId)) continue;
    const c = f.configurations.get(x.configurationArn);
    add(copyWith(x, { id: x.endpointId }), () => f.ref(c?.source, c?.id));
  }
  return found;
}
