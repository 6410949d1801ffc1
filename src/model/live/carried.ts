// What service networks carry, placed once every account is read (a network, its configurations and the VPCs
// associated with it may be in three accounts): the resource associations, and each VPC association's stand-in
// interfaces and names. https://docs.aws.amazon.com/vpc-lattice/latest/ug/service-network-associations.html
import type { ServiceNetworkResourceAssociationSummary as Row } from '@aws-sdk/client-vpc-lattice';
import { ASSOCIATION_RANGE, intToIp, ipToInt } from '../../shared/index.js';
import { liveStack } from '../origin.js';
import { associationEnis, idOf, networkPrivateDns } from '../providers/vpclattice.js';
import type { Configuration, EndpointAssociation, InfraModel, ServiceNetworkPath } from '../types.js';
import type { Gathered } from './networks.js';
import { accountOf, type Mutable } from './reading.js';

/**
 * The rows of one resource association: the configuration put into the network, and (for a group or an ARN
 * configuration) its children, each with its own names. The association's own row is the one whose configuration is
 * not a child; a configuration no read account owns counts as the association's own.
 */
function byAssociation(rows: readonly Row[], configs: Map<string, Configuration>) {
  const groups = new Map<string, Group>();
  for (const row of rows) {
    const group = groups.get(row.id ?? '') ?? { leaves: [] };
    groups.set(row.id ?? '', group);
    const child = configs.get(row.resourceConfigurationArn ?? '')?.type === 'CHILD';
    if (!child && !group.own) group.own = row;
    else group.leaves.push(row);
  }
  // A SINGLE configuration is its own leaf.
  for (const group of groups.values()) if (!group.leaves.length && group.own) group.leaves.push(group.own);
  return groups;
}

export function placeCarried(model: Mutable<InfraModel>, gathered: Gathered): void {
  const configs = new Map(model.configurations.map((c) => [c.arn, c]));
  // Associations EventBridge and Step Functions manage for their connections are not the templates' to make.
  const groups = byAssociation(
    gathered.carried.filter((row) => !row.isManagedAssociation),
    configs,
  );
  for (const [id, { own }] of groups) {
    if (!own || model.resourceAssociations.some((a) => a.id === id)) continue;
    const account = accountOf(own.arn) ?? '';
    model.resourceAssociations.push({
      id,
      account,
      serviceNetwork: own.serviceNetworkId ?? '',
      configuration: own.resourceConfigurationId ?? idOf(own.resourceConfigurationArn ?? ''),
      privateDns: !!own.privateDnsEnabled,
      ...(own.status ? { state: own.status } : {}),
      ...(own.failureCode ? { lastError: own.failureCode } : {}),
      source: { stack: liveStack({ account, region: own.arn?.split(':')[3] ?? '' }), logicalId: id },
    });
  }
  const paths = model.endpoints.filter((e): e is Mutable<ServiceNetworkPath> => e.type !== 'Resource');
  for (const ep of paths)
    if (ep.type === 'VpcAssociation') placeVpcAssociation(model, ep, [...groups.values()], configs);
    else nameAssociations(ep, [...groups.values()]);
}

/** A service-network endpoint's rows name their configuration and its parent: the association is the parent's. */
function nameAssociations(ep: Mutable<ServiceNetworkPath>, groups: Group[]): void {
  const network = idOf(ep.serviceNetwork);
  ep.associations = ep.associations.map((a) => {
    const own = groups.find(
      (g) => g.own?.serviceNetworkId === network && g.own.resourceConfigurationArn === a.parentArn,
    )?.own;
    return own?.id ? { ...a, resourceAssociationId: own.id } : a;
  });
}

type Group = { own?: Row; leaves: Row[] };

/** A VPC association's stand-in interfaces, and one association for each configuration its network carries. */
function placeVpcAssociation(
  model: Mutable<InfraModel>,
  ep: Mutable<ServiceNetworkPath>,
  groups: Group[],
  configs: Map<string, Configuration>,
): void {
  const enis = associationEnis(
    ep,
    model.subnets.filter((s) => s.vpcId === ep.vpcId),
  );
  model.enis.push(...enis);
  ep.eniIds = enis.map((e) => e.id);
  const next = nextAddress();
  // One more address on every interface for each configuration reached: the first becomes the interface's own.
  const addresses = () =>
    enis.map((eni) => {
      const ip = next();
      if (!eni.ip) eni.ip = ip;
      else eni.secondaryIps.push(ip);
      return ip;
    });
  const network = idOf(ep.serviceNetwork);
  for (const { own, leaves } of groups) {
    if (!own || own.serviceNetworkId !== network) continue;
    const parent = configs.get(own.resourceConfigurationArn ?? '');
    const gatewayVpc = model.gateways.find((g) => g.id === parent?.gatewayId)?.vpcId;
    for (const leaf of leaves) ep.associations.push(associationOf(ep, own, leaf, configs, gatewayVpc, addresses()));
  }
}

/** One configuration the network carries, as the VPC association reaches it: AWS's names, and the addresses. */
function associationOf(
  ep: Mutable<ServiceNetworkPath>,
  own: Row,
  leaf: Row,
  configs: Map<string, Configuration>,
  gatewayVpc: string | undefined,
  ips: string[],
): EndpointAssociation {
  const config = configs.get(leaf.resourceConfigurationArn ?? '');
  // A configuration no read account owns: the name AWS gives it in the network, when private DNS is on.
  const privateDnsName = config
    ? networkPrivateDns(gatewayVpc, ep, !!own.privateDnsEnabled, config)
    : own.privateDnsEnabled
      ? leaf.privateDnsEntry?.domainName
      : undefined;
  return {
    configurationArn: leaf.resourceConfigurationArn ?? '',
    parentArn: own.resourceConfigurationArn ?? '',
    resourceAssociationId: own.id ?? '',
    dnsName: leaf.dnsEntry?.domainName ?? '',
    ...(privateDnsName ? { privateDnsName } : {}),
    ips,
  };
}

/** The next address of AWS's association range in a VPC (one association per VPC): from .4, as the template reader. */
function nextAddress(): () => string {
  const base = ipToInt(ASSOCIATION_RANGE.split('/')[0] ?? '');
  let host = 4;
  return () => intToIp(base + host++);
}
