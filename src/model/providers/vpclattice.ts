// VPC Lattice: resource gateways (one ENI per subnet), resource configurations, and the associations (DNS names)
// a resource endpoint gets for the configuration it binds to.
import type { ModelBuilder, StackState } from '../build.js';
import { flat, hex, Memo } from '../../shared/index.js';
import { LoadError } from '../intrinsics.js';
import type {
  Configuration,
  Definition,
  Endpoint,
  EndpointAssociation,
  ResourceEndpoint,
  ServiceNetworkPath,
  Subnet,
} from '../types.js';
import { addEni, groupsOrUnknown, securityGroup } from './eni.js';
import { deployed } from '../partners.js';
import type { Provider, ServiceProvider } from './provider.js';
import { bool, Props } from './values.js';

// ARNs and names kept flat: every endpoint and association of a large estate holds them (see `flat`).
const arnOf = (s: { region: string; account: string }, kind: string, id: string) =>
  flat(`arn:aws:vpc-lattice:${s.region}:${s.account}:${kind}/${id}`);

/** A configuration's target: an IP, an ARN or a DNS name; none when the template gives no definition. */
function definition(p: Props): Definition | undefined {
  if (p.raw('ResourceConfigurationDefinition') === undefined) return undefined;
  const d = p.child('ResourceConfigurationDefinition');
  if (d.raw('IpResource') !== undefined) return { ip: d.text('IpResource') };
  if (d.raw('ArnResource') !== undefined) return { arn: d.text('ArnResource') };
  if (d.raw('DnsResource') !== undefined) return { dns: d.child('DnsResource').text('DomainName') };
  throw new LoadError(`${d.where}: a definition needs IpResource, ArnResource or DnsResource`);
}

/**
 * How a VPC Lattice resource answers Ref (its ARN) and Fn::GetAtt Id and Arn: from an ID made of `prefix` and its
 * logical ID, in the ARN's `kind`.
 */
/** A resource's ID: a stand-in's keeps the one its owner deployed it with (the end of its ARN). */
function latticeId(s: StackState, prefix: string, logicalId: string): string {
  const arn = deployed(s, logicalId)?.arn;
  return arn ? idOf(arn) : s.physicalId(prefix, logicalId);
}

function identified(prefix: string, kind: string): Pick<Provider, 'ref' | 'attribute'> {
  const physicalId = (s: StackState, logicalId: string) => latticeId(s, prefix, logicalId);
  return {
    ref: (s, logicalId) => arnOf(s, kind, physicalId(s, logicalId)),
    attribute: (s, logicalId, name) =>
      name === 'Id' ? physicalId(s, logicalId) : name === 'Arn' ? arnOf(s, kind, physicalId(s, logicalId)) : undefined,
  };
}

const resources: Record<string, Provider> = {
  'AWS::VpcLattice::ResourceGateway': {
    ...identified('rgw', 'resourcegateway'),
    build(s, id) {
      const p = s.reader(id);
      const gwId = s.physicalId('rgw', id);
      const sgs = groupsOrUnknown(s, p.texts('SecurityGroupIds'), id);
      const eniIds = p
        .texts('SubnetIds')
        .map((subnet) => addEni(s, subnet, sgs, { kind: 'gateway', id: gwId }, `${id}/${subnet}`).id);
      s.builder.model.gateways.push({
        id: gwId,
        arn: arnOf(s, 'resourcegateway', gwId),
        name: p.text('Name'),
        account: s.account,
        vpcId: p.text('VpcIdentifier'),
        securityGroupIds: sgs,
        eniIds,
        ipAddressType: p.optText('IpAddressType') ?? 'IPV4',
        dnsResolution: p.raw('ResourceConfigDnsResolution') === 'IN_VPC' ? 'IN_VPC' : 'PUBLIC',
        source: s.source(id),
      });
    },
  },
  'AWS::VpcLattice::ServiceNetwork': {
    ...identified('sn', 'servicenetwork'),
    build(s, id) {
      const p = s.reader(id);
      const snId = s.physicalId('sn', id);
      const sharing = (p.raw('SharingConfig') ?? {}) as Record<string, unknown>;
      s.builder.model.serviceNetworks.push({
        id: snId,
        arn: arnOf(s, 'servicenetwork', snId),
        name: p.optText('Name') ?? snId,
        account: s.account,
        sharable: bool(sharing.enabled, true) /* AWS's default: sharable */,
        source: s.source(id),
      });
    },
  },
  'AWS::VpcLattice::ServiceNetworkResourceAssociation': {
    ...identified('snra', 'servicenetworkresourceassociation'),
    build(s, id) {
      const p = s.reader(id);
      s.builder.model.resourceAssociations.push({
        id: s.physicalId('snra', id),
        account: s.account,
        serviceNetwork: p.text('ServiceNetworkId'),
        configuration: p.text('ResourceConfigurationId'),
        privateDns: p.bool('PrivateDnsEnabled', false),
        source: s.source(id),
      });
    },
  },
  'AWS::VpcLattice::ServiceNetworkVpcAssociation': {
    ...identified('snva', 'servicenetworkvpcassociation'),
    build(s, id) {
      const p = s.reader(id);
      const sgs = groupsOrUnknown(s, p.texts('SecurityGroupIds'), id);
      for (const sg of sgs) securityGroup(s, sg);
      const dns = p.child('DnsOptions');
      s.builder.model.endpoints.push({
        id: s.physicalId('snva', id),
        account: s.account,
        vpcId: p.text('VpcIdentifier'),
        type: 'VpcAssociation',
        serviceNetwork: p.text('ServiceNetworkIdentifier'),
        securityGroupIds: sgs,
        eniIds: [],
        privateDns: p.bool('PrivateDnsEnabled', true),
        privateDnsPreference: dns.optText('PrivateDnsPreference') ?? 'VERIFIED_DOMAINS_ONLY',
        privateDnsSpecifiedDomains: dns.texts('PrivateDnsSpecifiedDomains'),
        associations: [],
        source: s.source(id),
      });
    },
  },
  'AWS::VpcLattice::ResourceConfiguration': {
    ...identified('rcfg', 'resourceconfiguration'),
    build(s, id) {
      const p = s.reader(id);
      const m = s.builder.model;
      const rcfgId = latticeId(s, 'rcfg', id);
      const type = p.text('ResourceConfigurationType') as Configuration['type'];
      const gatewayId = p.optText('ResourceGatewayId');
      const config: Configuration = {
        id: rcfgId,
        arn: arnOf(s, 'resourceconfiguration', rcfgId),
        name: p.text('Name'),
        account: s.account,
        type,
        gatewayId: gatewayId?.startsWith('arn:') ? gatewayId.split('/').pop() : gatewayId,
        groupId: p.optText('ResourceConfigurationGroupId'),
        definition: definition(p),
        protocol: p.optText('ProtocolType'),
        portRanges: p.texts('PortRanges'),
        customDomain: p.optText('CustomDomainName'),
        domainVerificationId: p.optText('DomainVerificationId'),
        groupDomain: p.optText('GroupDomain'),
        allowSharableServiceNetwork: p.bool('AllowAssociationToSharableServiceNetwork', false) /* API default */,
        amazonManaged: false,
        source: s.source(id),
      };
      m.configurations.push(config);
      if (type !== 'ARN' || !config.definition || !('arn' in config.definition)) return;
      // For an RDS ARN, AWS creates child configurations for the writer and reader names.
      const targetArn = config.definition.arn;
      const db = s.builder.lookup(m.databases, 'arn', (d) => d.arn, targetArn);
      if (!db) {
        s.builder.warnOnce(
          `${p.where}: ${targetArn} is not created by these templates, so its writer and reader names are unknown`,
        );
        return;
      }
      for (const [role, name] of [
        ['writer', db.writerName],
        ['reader', db.readerName],
      ] as const) {
        const childId = s.physicalId('rcfg', `${id}/${role}`);
        m.configurations.push({
          id: childId,
          arn: arnOf(s, 'resourceconfiguration', childId),
          name: `${config.name}-${role}`,
          account: s.account,
          type: 'CHILD',
          groupId: rcfgId,
          definition: { dns: name },
          portRanges: [String(db.port)],
          customDomain: name,
          allowSharableServiceNetwork: config.allowSharableServiceNetwork,
          amazonManaged: true,
        });
      }
    },
  },
};

const matches = (domain: string, pattern: string) =>
  pattern.startsWith('*.') ? domain.endsWith(pattern.slice(1)) : domain === pattern;

/** Whether the endpoint's private DNS preference creates a zone for a configuration's custom domain. */
export function privateDnsCovers(
  endpoint: Pick<Endpoint, 'privateDnsPreference' | 'privateDnsSpecifiedDomains'>,
  config: Configuration,
): boolean {
  if (config.amazonManaged) return true;
  const domain = config.customDomain!;
  const specified = endpoint.privateDnsSpecifiedDomains.some((d) => matches(domain, d));
  const verified = config.domainVerificationId !== undefined;
  switch (endpoint.privateDnsPreference) {
    case 'ALL_DOMAINS':
      return true;
    case 'SPECIFIED_DOMAINS_ONLY':
      return specified;
    case 'VERIFIED_DOMAINS_AND_SPECIFIED_DOMAINS':
      return verified || specified;
    default:
      return verified;
  }
}

/** The last part of an ARN, or the value itself: service-network and configuration references take either. */
export const idOf = (v: string) => (v.startsWith('arn:') ? v.split('/').pop()! : v);

/** The hash part of a configuration's names, by its ID: every endpoint of a configuration repeats it. */
const configurationHashes = new Memo<[string], string>();
const configurationHash = (id: string) => configurationHashes.get([id], () => hex(id, 7));

const rscName = (prefix: string, c: { id: string }, region: string) =>
  flat(`${prefix}.${c.id}.${configurationHash(c.id)}.vpc-lattice-rsc.${region}.on.aws`);

/**
 * The associations AWS gives a resource endpoint: one for a SINGLE configuration, one per child for a GROUP or an
 * ARN configuration. Each has a public name; private DNS adds the custom (or RDS) name where the preference allows.
 */
export function endpointAssociations(
  b: ModelBuilder,
  endpoint: ResourceEndpoint,
  region: string,
): Omit<EndpointAssociation, 'ips'>[] {
  const m = b.model;
  const parentArn = endpoint.configurationArn;
  const config = b.lookup(m.configurations, 'arn', (c) => c.arn, parentArn);
  const name = (c: { id: string }, child: boolean) =>
    rscName(`${endpoint.id}${child ? `-snra-${hex(`${endpoint.id}/${c.id}`, 17)}` : ''}`, c, region);
  if (!config) {
    b.warnOnce(`endpoint ${endpoint.id}: configuration ${parentArn} is not in these templates`);
    return [{ configurationArn: parentArn, parentArn, dnsName: name({ id: idOf(parentArn) }, false) }];
  }
  const targets =
    config.type === 'SINGLE' ? [config] : b.lookupAll(m.configurations, 'groupId', (c) => c.groupId, config.id);
  return targets.map((c) => ({
    configurationArn: c.arn,
    parentArn,
    dnsName: name(c, c !== config),
    privateDnsName: endpoint.privateDns && c.customDomain && privateDnsCovers(endpoint, c) ? c.customDomain : undefined,
  }));
}

/**
 * Private DNS on a service-network path: the resource association's setting decides (it overrides the endpoint's or
 * VPC association's); an RDS (ARN) configuration always gets it, except in the gateway's own VPC.
 */
export function networkPrivateDns(
  gatewayVpc: string | undefined,
  ep: Endpoint,
  enabled: boolean,
  c: Configuration,
): string | undefined {
  if (!c.customDomain) return undefined;
  if (c.amazonManaged) return gatewayVpc !== ep.vpcId ? c.customDomain : undefined;
  return enabled && privateDnsCovers(ep, c) ? c.customDomain : undefined;
}

/**
 * Service-network paths get an association for every configuration (or child) the network carries, once every stack
 * is built (resource associations may come in any stack). An endpoint's names are public and its addresses come from
 * its subnets; a VPC association's names resolve only in its VPC, to addresses from 129.224.0.0/17, one per zone.
 */
export function finishServiceNetworkPaths(b: ModelBuilder, region: (account: string) => string): void {
  const m = b.model;
  for (const ep of m.endpoints.filter((e): e is ServiceNetworkPath => e.type !== 'Resource')) {
    const network = idOf(ep.serviceNetwork);
    const carried = b.lookupAll(m.resourceAssociations, 'network', (a) => idOf(a.serviceNetwork), network);
    const association = ep.type === 'VpcAssociation';
    if (association) addAssociationEnis(b, ep);
    for (const snra of carried) {
      const parent = b.lookup(m.configurations, 'id', (c) => c.id, idOf(snra.configuration));
      if (!parent) {
        b.warnOnce(`resource association ${snra.id}: configuration ${snra.configuration} is not in these templates`);
        continue;
      }
      const targets =
        parent.type === 'SINGLE' ? [parent] : b.lookupAll(m.configurations, 'groupId', (c) => c.groupId, parent.id);
      const gatewayVpc = parent.gatewayId
        ? b.lookup(m.gateways, 'id', (g) => g.id, parent.gatewayId)?.vpcId
        : undefined;
      for (const c of targets) {
        ep.associations.push({
          configurationArn: c.arn,
          parentArn: parent.arn,
          resourceAssociationId: snra.id,
          dnsName: rscName(association ? snra.id : `${ep.id}-${snra.id}`, c, region(ep.account)),
          privateDnsName: networkPrivateDns(gatewayVpc, ep, snra.privateDns, c),
          ips: associationIps(b, ep),
        });
      }
    }
  }
}

/** A VPC association's addresses, one per zone of its VPC, as ENIs of the endpoint (like one ENI per zone). */
function addAssociationEnis(b: ModelBuilder, ep: Endpoint): void {
  for (const eni of associationEnis(
    ep,
    b.lookupAll(b.model.subnets, 'vpcId', (x) => x.vpcId, ep.vpcId),
  )) {
    b.model.enis.push(eni);
    ep.eniIds.push(eni.id);
  }
}

/**
 * The stand-in ENIs of a VPC association: one per zone of its VPC's subnets (a subnet whose zone is not known counts
 * as a zone of its own), addresses to be given; the template reader and doctor's live loader both make them.
 */
export function associationEnis(ep: Pick<Endpoint, 'id' | 'vpcId' | 'securityGroupIds'>, subnets: readonly Subnet[]) {
  const zones = new Map<string, Subnet>();
  for (const subnet of subnets) if (!zones.has(subnet.az ?? subnet.id)) zones.set(subnet.az ?? subnet.id, subnet);
  return [...zones]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([az, subnet]) => ({
      id: `eni-${hex(`${ep.id}/${az}`, 17)}`,
      subnetId: subnet.id,
      vpcId: ep.vpcId,
      az: subnet.az,
      azId: subnet.azId,
      ip: undefined as string | undefined,
      secondaryIps: [] as string[],
      securityGroupIds: ep.securityGroupIds,
      owner: { kind: 'endpoint' as const, id: ep.id },
    }));
}

/**
 * One address per ENI of the endpoint for one more configuration it reaches: a VPC association's from AWS's range
 * (its first becomes the ENI's own), an endpoint's from its subnet (secondary addresses).
 */
function associationIps(b: ModelBuilder, ep: Endpoint): string[] {
  const association = ep.type === 'VpcAssociation';
  return ep.eniIds
    .map((eniId) => {
      const eni = b.lookup(b.model.enis, 'id', (e) => e.id, eniId)! as {
        ip?: string;
        secondaryIps: string[];
        subnetId: string;
      };
      const ip = association ? b.allocateAssociationIp(ep.vpcId) : b.allocateIp(b.subnet(eni.subnetId));
      if (!ip) return '';
      if (association && !eni.ip) eni.ip = ip;
      else eni.secondaryIps.push(ip);
      return ip;
    })
    .filter(Boolean);
}

export const vpclattice: ServiceProvider = {
  service: 'AWS::VpcLattice',
  resources,
  limitations: [
    'VPC Lattice services, listeners, rules, target groups, service associations, auth policies and access-log subscriptions are counted as unmodelled',
    'An ARN resource configuration gets the writer and reader child configurations AWS makes only when it names a database these templates create',
  ],
  finish: finishServiceNetworkPaths,
};
