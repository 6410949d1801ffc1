// EC2: VPCs, subnets, security groups and their rules, instances, and VPC endpoints of type Resource.
import { SERVES_TAG, WORKLOAD_TAG } from '../../assembly/index.js';
import { copyWith } from '../../shared/index.js';
import { LoadError } from '../intrinsics.js';
import { unknownIn } from '../unknown.js';
import type { EndpointAssociation, Peer, ResourceEndpoint, Rule, Source } from '../types.js';
import { addEni, groupsOrDefault, groupsOrUnknown, securityGroup } from './eni.js';
import { addDefaultAcl, defaultAclId, naclResources } from './nacl.js';
import type { Provider, ServiceProvider } from './provider.js';
import { endpointAssociations } from './vpclattice.js';
import type { StackState } from '../build.js';
import { Props } from './values.js';

const DEFAULT_EGRESS = 'AWS default: all outbound, until an egress rule is added';

/** The rule AWS gives a new security group that names no egress rule (described as DEFAULT_EGRESS). */
const defaultEgress = (source: Source): Rule => ({
  protocol: '-1',
  fromPort: 0,
  toPort: 65535,
  peer: { cidr: '0.0.0.0/0' },
  description: DEFAULT_EGRESS,
  source,
});

const PROTOCOLS: Record<string, string> = {
  '6': 'tcp',
  '17': 'udp',
  '1': 'icmp',
  '-1': '-1',
  tcp: 'tcp',
  udp: 'udp',
  icmp: 'icmp',
  all: '-1',
};

/** A security-group rule, inline in a group or a resource of its own, read with its template location. */
function rule(p: Props, direction: 'ingress' | 'egress', source?: { stack: string; logicalId: string }): Rule {
  const protocol = PROTOCOLS[String(p.raw('IpProtocol')).toLowerCase()];
  if (!protocol) throw new LoadError(`${p.where}: IpProtocol ${JSON.stringify(p.raw('IpProtocol'))} is not modelled`);
  const all = protocol === '-1';
  const peer = peerOf(p, direction);
  if (!peer) throw new LoadError(`${p.where}: a ${direction} rule needs a CIDR, a security group or a prefix list`);
  return {
    protocol,
    fromPort: all ? 0 : p.num('FromPort'),
    toPort: all ? 65535 : p.num('ToPort'),
    peer,
    description: p.optText('Description'),
    source,
  };
}

/** A rule's peer: an IPv4 or IPv6 CIDR, a security group or a prefix list, the first the rule names. */
function peerOf(p: Props, direction: 'ingress' | 'egress'): Peer | undefined {
  const [group, prefixList] =
    direction === 'ingress'
      ? ['SourceSecurityGroupId', 'SourcePrefixListId']
      : ['DestinationSecurityGroupId', 'DestinationPrefixListId'];
  if (p.raw('CidrIp') !== undefined) return { cidr: p.text('CidrIp') };
  if (p.raw('CidrIpv6') !== undefined) return { cidr: p.text('CidrIpv6') };
  if (p.raw(group) !== undefined) return { securityGroupId: p.text(group) };
  if (p.raw(prefixList) !== undefined) return { prefixListId: p.text(prefixList) };
  return undefined;
}

/** A VPC's or subnet's range; one known only at deploy leaves it without one (its ENIs get no address). */
function knownCidr(s: StackState, p: Props, id: string): string | undefined {
  const cidr = p.text('CidrBlock');
  if (!unknownIn(cidr)) return cidr;
  s.builder.warnOnce(`${s.stack}/${id}: CidrBlock is ${cidr}, known only at deploy: its addresses are not known`);
  return undefined;
}

/** Inline rules of a group (`SecurityGroupIngress` or `SecurityGroupEgress`), each with its place in the list. */
const inlineRules = (p: Props, name: string): Props[] =>
  ((p.raw(name) as Record<string, unknown>[] | undefined) ?? []).map((r, i) => Props.of(r, `${p.where}.${name}[${i}]`));

/** An instance's primary network interface: where it is, its groups, its address, and the seed of its ENI's ID. */
interface PrimaryInterface {
  readonly subnetId: string;
  readonly groups: string[];
  readonly ip?: string;
  /** The logical ID its ENI is named after: the instance's, or the AWS::EC2::NetworkInterface's it attaches. */
  readonly seed: string;
}

/**
 * An instance's primary interface: from its own SubnetId and SecurityGroupIds, or from the device 0 of its
 * NetworkInterfaces (inline with SubnetId and GroupSet, or an AWS::EC2::NetworkInterface of the same template by ID).
 * Undefined, with a warning, for an interface that exists outside the templates.
 */
function primaryInterface(s: StackState, id: string, p: Props): PrimaryInterface | undefined {
  const devices = (p.raw('NetworkInterfaces') as Record<string, unknown>[] | undefined) ?? [];
  const index = devices.findIndex((d) => String(d?.DeviceIndex) === '0');
  const primary = devices[index];
  if (!primary)
    return {
      subnetId: p.text('SubnetId'),
      groups: p.texts('SecurityGroupIds'),
      ip: p.optText('PrivateIpAddress'),
      seed: id,
    };
  const device = Props.of(primary, `${p.where}.NetworkInterfaces[${index}]`);
  const attached = device.optText('NetworkInterfaceId');
  if (attached === undefined) return interfaceOf(device, id);
  const own = Object.keys(s.resources).find(
    (lid) => s.resource(lid)?.Type === 'AWS::EC2::NetworkInterface' && s.physicalId('eni', lid) === attached,
  );
  if (!own) {
    s.builder.warnOnce(
      `${device.where}: network interface ${attached} is not in these templates: instance ${id} is left out`,
    );
    return undefined;
  }
  return interfaceOf(s.reader(own), own);
}

const interfaceOf = (p: Props, seed: string): PrimaryInterface => ({
  subnetId: p.text('SubnetId'),
  groups: p.texts('GroupSet'),
  ip: p.optText('PrivateIpAddress'),
  seed,
});

const resources: Record<string, Provider> = {
  'AWS::EC2::VPC': {
    ref: (s, id) => s.physicalId('vpc', id),
    attribute: (s, id, name) =>
      (
        ({
          VpcId: s.physicalId('vpc', id),
          CidrBlock: s.property(id, 'CidrBlock'),
          DefaultSecurityGroup: s.physicalId('sg', `${id}/default`),
          DefaultNetworkAcl: defaultAclId(s, id),
        }) as Record<string, unknown>
      )[name],
    build(s, id) {
      const p = s.reader(id);
      const vpcId = s.physicalId('vpc', id);
      const defaultGroup = s.physicalId('sg', `${id}/default`);
      s.builder.stores.defaultGroups.set(vpcId, defaultGroup);
      s.builder.stores.defaultGroupVpcs.set(defaultGroup, vpcId);
      addDefaultAcl(s, id, vpcId);
      s.builder.model.vpcs.push({
        id: vpcId,
        account: s.account,
        region: s.region,
        cidr: knownCidr(s, p, id),
        dnsSupport: p.bool('EnableDnsSupport', true),
        dnsHostnames: p.bool('EnableDnsHostnames', false),
        created: true,
        source: s.source(id),
      });
    },
  },
  'AWS::EC2::Subnet': {
    ref: (s, id) => s.physicalId('subnet', id),
    attribute: (s, id, name) =>
      (
        ({
          SubnetId: s.physicalId('subnet', id),
          VpcId: s.property(id, 'VpcId'),
          AvailabilityZone: s.property(id, 'AvailabilityZone'),
          CidrBlock: s.property(id, 'CidrBlock'),
        }) as Record<string, unknown>
      )[name],
    build(s, id) {
      const p = s.reader(id);
      const [az, azId] = [p.optText('AvailabilityZone'), p.optText('AvailabilityZoneId')];
      s.builder.model.subnets.push({
        id: s.physicalId('subnet', id),
        vpcId: p.text('VpcId'),
        az: az ?? azId,
        azId: azId ?? (az ? s.builder.stores.zoneIds.get(s.account)?.[az] : undefined),
        cidr: knownCidr(s, p, id),
        created: true,
        source: s.source(id),
      });
    },
  },
  'AWS::EC2::SecurityGroup': {
    ref: (s, id) => s.physicalId('sg', id),
    attribute(s, id, name) {
      // Its properties first, as ever: a group whose properties need its own attributes is a cycle CloudFormation
      // refuses. Then the one asked for (rules of a large estate ask for GroupId a hundred thousand times).
      const props = s.props(id);
      return name === 'GroupId' ? s.physicalId('sg', id) : name === 'VpcId' ? props.VpcId : undefined;
    },
    build(s, id) {
      const p = s.reader(id);
      const ingress = inlineRules(p, 'SecurityGroupIngress').map((r) => rule(r, 'ingress', s.source(id)));
      // Without SecurityGroupEgress, AWS gives a new group one rule: all traffic to anywhere, until an egress
      // rule is added (CloudFormation then removes the default; aws-cdk relies on this, aws-cdk#987).
      const egress =
        p.raw('SecurityGroupEgress') === undefined
          ? [defaultEgress(s.source(id))]
          : inlineRules(p, 'SecurityGroupEgress').map((r) => rule(r, 'egress', s.source(id)));
      s.builder.model.securityGroups.push({
        id: s.physicalId('sg', id),
        vpcId: p.optText('VpcId'),
        account: s.account,
        description: p.optText('GroupDescription') ?? id,
        ingress,
        egress,
        created: true,
        source: s.source(id),
      });
    },
  },
  'AWS::EC2::SecurityGroupIngress': {
    build(s, id) {
      const p = s.reader(id);
      securityGroup(s, p.text('GroupId')).ingress.push(rule(p, 'ingress', s.source(id)));
    },
  },
  'AWS::EC2::SecurityGroupEgress': {
    build(s, id) {
      const p = s.reader(id);
      const sg = securityGroup(s, p.text('GroupId'));
      const i = sg.egress.findIndex((r) => r.description === DEFAULT_EGRESS);
      if (i >= 0) sg.egress.splice(i, 1);
      sg.egress.push(rule(p, 'egress', s.source(id)));
    },
  },
  'AWS::EC2::Instance': {
    ref: (s, id) => s.physicalId('i', id),
    attribute: (s, id, name) => {
      const eni = s.builder.lookup(
        s.builder.model.enis,
        'instance',
        (e) => (e.owner.kind === 'instance' ? e.owner.id : undefined),
        s.physicalId('i', id),
      );
      return (
        { PrivateIp: eni?.ip, AvailabilityZone: eni?.az, InstanceId: s.physicalId('i', id) } as Record<string, unknown>
      )[name];
    },
    build(s, id) {
      const p = s.reader(id);
      const instanceId = s.physicalId('i', id);
      const primary = primaryInterface(s, id, p);
      if (!primary) return;
      const vpcId = s.builder.subnet(primary.subnetId).vpcId;
      const eni = addEni(
        s,
        primary.subnetId,
        groupsOrDefault(s, primary.groups, vpcId),
        { kind: 'instance', id: instanceId },
        primary.seed,
        primary.ip,
      );
      const nameTag = p.tag('Name');
      s.builder.model.instances.push({
        id: instanceId,
        account: s.account,
        eniId: eni.id,
        source: s.source(id),
        name: p.tag(WORKLOAD_TAG) ?? nameTag?.split('/').pop() ?? id,
      });
      // What the instance serves, when its tag says ("https:443"): the twin runs it, check knows the listener.
      const serves = /^(https?):(\d{1,5})$/.exec(p.tag(SERVES_TAG) ?? '');
      if (serves)
        s.builder.model.services.push({ instanceId, protocol: serves[1] as 'https' | 'http', port: Number(serves[2]) });
    },
  },
  'AWS::EC2::NetworkInterface': {
    ref: (s, id) => s.physicalId('eni', id),
    attribute: (s, id, name) => {
      const eni = s.builder.lookup(s.builder.model.enis, 'id', (e) => e.id, s.physicalId('eni', id));
      return ({ Id: s.physicalId('eni', id), PrimaryPrivateIpAddress: eni?.ip } as Record<string, unknown>)[name];
    },
    build(s, id) {
      // Built with the instance whose device 0 it is; on its own it carries no workload the model knows.
      if (s.builder.lookup(s.builder.model.enis, 'id', (e) => e.id, s.physicalId('eni', id))) return;
      const type = "AWS::EC2::NetworkInterface (not an instance's primary interface)";
      s.builder.countUnmodelled(type);
    },
  },
  'AWS::EC2::VPCEndpoint': {
    ref: (s, id) => s.physicalId('vpce', id),
    attribute: (s, id, name) => (({ Id: s.physicalId('vpce', id) }) as Record<string, unknown>)[name],
    build(s, id) {
      const p = s.reader(id);
      const m = s.builder.model;
      const type =
        p.raw('VpcEndpointType') === 'Resource'
          ? ('Resource' as const)
          : p.raw('VpcEndpointType') === 'ServiceNetwork'
            ? ('ServiceNetwork' as const)
            : undefined;
      if (!type) {
        const t = `AWS::EC2::VPCEndpoint (${String(p.raw('VpcEndpointType') ?? 'Gateway')})`;
        s.builder.countUnmodelled(t);
        return;
      }
      const endpointId = s.physicalId('vpce', id);
      // A resource endpoint created without groups gets its VPC's default group ([RE] in aws-facts).
      const given = p.texts('SecurityGroupIds');
      const sgs = type === 'Resource' ? groupsOrDefault(s, given, p.text('VpcId')) : groupsOrUnknown(s, given, id);
      const eniIds = p
        .texts('SubnetIds')
        .map((subnet) => addEni(s, subnet, sgs, { kind: 'endpoint', id: endpointId }, `${id}/${subnet}`).id);
      const dns = p.child('DnsOptions');
      const head = { id: endpointId, account: s.account, vpcId: p.text('VpcId') };
      const groups = { securityGroupIds: sgs, eniIds };
      const tail = {
        privateDns: p.bool('PrivateDnsEnabled', false),
        privateDnsPreference: dns.optText('PrivateDnsPreference') ?? 'VERIFIED_DOMAINS_ONLY',
        privateDnsSpecifiedDomains: dns.texts('PrivateDnsSpecifiedDomains'),
        associations: [] as EndpointAssociation[],
        source: s.source(id),
      };
      // The head copied, the rest spread after a field of its own (not a spread first: see copyWith).
      // A service-network endpoint's associations come once every stack is built (the VPC Lattice provider's finish).
      if (type === 'ServiceNetwork') {
        const serviceNetwork = p.text('ServiceNetworkArn');
        m.endpoints.push(copyWith(head, { type, ...groups, serviceNetwork, ...tail }));
        return;
      }
      const configurationArn = p.text('ResourceConfigurationArn');
      const endpoint = copyWith(head, { type, ...groups, configurationArn, ...tail });
      endpoint.associations.push(...addressedAssociations(s, endpoint));
      m.endpoints.push(endpoint);
    },
  },
};

/** A resource endpoint's associations, each with its own address on every endpoint ENI (the first its primary). */
function addressedAssociations(s: StackState, endpoint: ResourceEndpoint): ResourceEndpoint['associations'] {
  const enis = s.builder.model.enis;
  return endpointAssociations(s.builder, endpoint, s.region).map((a, i) =>
    copyWith(a, {
      ips: endpoint.eniIds
        .map((eniId) => {
          const eni = s.builder.lookup(enis, 'id', (e) => e.id, eniId)!;
          if (i === 0) return eni.ip ?? '';
          const extra = s.builder.allocateIp(s.builder.subnet(eni.subnetId)) ?? '';
          if (extra) eni.secondaryIps.push(extra);
          return extra;
        })
        .filter(Boolean),
    }),
  );
}

export const ec2: ServiceProvider = {
  service: 'AWS::EC2',
  resources: { ...resources, ...naclResources },
  limitations: [
    `Route tables, internet, NAT and transit gateways and peering are not read: an address is reached only inside its own VPC (and, with a service-network VPC association, the association's range)`,
    'Network ACLs: IPv4 entries for TCP and all protocols are evaluated; IPv6 entries match nothing; a subnet of a VPC the templates do not create, or associated with an ACL they only reference, has an ACL whose entries are unknown',
    'Security-group rules with an IPv6 CIDR are read but match no address: the model is IPv4',
    'Prefix lists in security-group rules are not resolved: check answers UNKNOWN, the twin matches nothing',
    'Instances: only the primary interface (SubnetId and SecurityGroupIds, or device 0 of NetworkInterfaces), its private address and the lattice-share tags are read; AMI, type, user data and secondary interfaces are not',
    'VPC endpoints of type Interface, Gateway or GatewayLoadBalancer are counted as unmodelled',
    'Instances, resource endpoints and databases created without groups get the VPC default group (members reach each other, all outbound); a resource gateway or service-network endpoint without groups gets a group whose rules are unknown (AWS does not document its default)',
  ],
};
