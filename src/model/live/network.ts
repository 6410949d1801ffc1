// EC2, as doctor reads it in one account and Region: VPCs with their DNS attributes, subnets with zone IDs, security
// groups and their rules, network ACLs, network interfaces (the managed ones too) and instances.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNetworkInterfaces.html (IncludeManagedResources)
import {
  DescribeInstancesCommand,
  DescribeNetworkAclsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
  type DescribeInstancesCommandOutput,
  type DescribeNetworkAclsCommandOutput,
  type DescribeNetworkInterfacesCommandOutput,
  type DescribeSecurityGroupRulesCommandOutput,
  type DescribeSecurityGroupsCommandOutput,
  type DescribeSubnetsCommandOutput,
  type DescribeVpcAttributeCommandOutput,
  type DescribeVpcsCommandOutput,
  type NetworkInterface,
  type SecurityGroupRule,
} from '@aws-sdk/client-ec2';
import { aclProtocol } from '../providers/nacl.js';
import type { NetworkAclEntry, Rule, SecurityGroup } from '../types.js';
import { ec2List, type Reading } from './reading.js';

/** Instances that are or may come back: not terminated or shutting down. */
const LIVE_INSTANCES = [{ Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] }];

/** Every part at once: none needs another to be read. */
export async function readNetwork(r: Reading): Promise<void> {
  await Promise.all(
    [readVpcs, readSubnets, readSecurityGroups, readNetworkAcls, readInterfaces, readInstances].map((read) => read(r)),
  );
}

async function readVpcs(r: Reading): Promise<void> {
  const vpcs = await ec2List<DescribeVpcsCommandOutput, NonNullable<DescribeVpcsCommandOutput['Vpcs']>[number]>(
    r,
    (NextToken) => new DescribeVpcsCommand({ NextToken, MaxResults: 1000 }),
    (p) => p.Vpcs,
  );
  await Promise.all((vpcs ?? []).map((vpc) => readVpc(r, vpc)));
}

async function readVpc(r: Reading, vpc: NonNullable<DescribeVpcsCommandOutput['Vpcs']>[number]): Promise<void> {
  const id = vpc.VpcId ?? '';
  const attribute = async (Attribute: 'enableDnsSupport' | 'enableDnsHostnames') =>
    r.calls.one<DescribeVpcAttributeCommandOutput>(
      r.target,
      'ec2',
      r.clients.ec2,
      new DescribeVpcAttributeCommand({ VpcId: id, Attribute }),
    );
  const [support, hostnames] = await Promise.all([attribute('enableDnsSupport'), attribute('enableDnsHostnames')]);
  r.model.vpcs.push({
    id,
    account: r.target.account,
    region: r.target.region,
    cidr: vpc.CidrBlock,
    // Unknown when the attribute could not be read: AWS's default for a VPC one creates is on.
    dnsSupport: support?.EnableDnsSupport?.Value ?? true,
    dnsHostnames: hostnames?.EnableDnsHostnames?.Value ?? false,
    created: true,
    source: r.source(id),
  });
}

async function readSubnets(r: Reading): Promise<void> {
  type Page = DescribeSubnetsCommandOutput;
  const subnets = await ec2List<Page, NonNullable<Page['Subnets']>[number]>(
    r,
    (NextToken) => new DescribeSubnetsCommand({ NextToken, MaxResults: 1000 }),
    (p) => p.Subnets,
  );
  for (const s of subnets ?? [])
    r.model.subnets.push({
      id: s.SubnetId ?? '',
      vpcId: s.VpcId,
      az: s.AvailabilityZone,
      azId: s.AvailabilityZoneId,
      cidr: s.CidrBlock,
      created: true,
      source: r.source(s.SubnetId ?? ''),
    });
}

/** A rule as the model holds it: all traffic (-1) spans every port. */
function ruleOf(x: SecurityGroupRule): Rule {
  const all = x.IpProtocol === '-1';
  const peer = x.ReferencedGroupInfo?.GroupId
    ? { securityGroupId: x.ReferencedGroupInfo.GroupId }
    : x.PrefixListId
      ? { prefixListId: x.PrefixListId }
      : { cidr: x.CidrIpv4 ?? x.CidrIpv6 ?? '' };
  return {
    protocol: all ? '-1' : (x.IpProtocol ?? '-1'),
    fromPort: all ? 0 : (x.FromPort ?? 0),
    toPort: all ? 65535 : (x.ToPort ?? 65535),
    peer,
    ...(x.Description ? { description: x.Description } : {}),
  };
}

async function readSecurityGroups(r: Reading): Promise<void> {
  type Groups = DescribeSecurityGroupsCommandOutput;
  type Rules = DescribeSecurityGroupRulesCommandOutput;
  const groups = await ec2List<Groups, NonNullable<Groups['SecurityGroups']>[number]>(
    r,
    (NextToken) => new DescribeSecurityGroupsCommand({ NextToken, MaxResults: 1000 }),
    (p) => p.SecurityGroups,
  );
  // One paginated call for every rule of the Region, not one per group.
  const rules = await ec2List<Rules, SecurityGroupRule>(
    r,
    (NextToken) => new DescribeSecurityGroupRulesCommand({ NextToken, MaxResults: 1000 }),
    (p) => p.SecurityGroupRules,
  );
  const byGroup = new Map<string, SecurityGroup>();
  // Without the rules, a group's rules are unknown (as a group a template only names): check says UNKNOWN.
  const rulesKnown = rules !== undefined;
  for (const g of groups ?? []) {
    const group: SecurityGroup = {
      id: g.GroupId ?? '',
      vpcId: g.VpcId,
      account: g.OwnerId ?? r.target.account,
      description: g.Description ?? '',
      ingress: [],
      egress: [],
      created: rulesKnown,
      source: r.source(g.GroupId ?? ''),
    };
    byGroup.set(group.id, group);
    r.model.securityGroups.push(group);
  }
  for (const x of rules ?? []) byGroup.get(x.GroupId ?? '')?.[x.IsEgress ? 'egress' : 'ingress'].push(ruleOf(x));
}

async function readNetworkAcls(r: Reading): Promise<void> {
  type Page = DescribeNetworkAclsCommandOutput;
  const acls = await ec2List<Page, NonNullable<Page['NetworkAcls']>[number]>(
    r,
    (NextToken) => new DescribeNetworkAclsCommand({ NextToken, MaxResults: 1000 }),
    (p) => p.NetworkAcls,
  );
  for (const acl of acls ?? []) {
    const entries: NetworkAclEntry[] = (acl.Entries ?? [])
      // The `*` rules (32767 for IPv4, 32768 for IPv6): check denies what no entry allows.
      .filter((e) => (e.RuleNumber ?? 0) < 32767)
      .map((e) => ({
        ruleNumber: e.RuleNumber ?? 0,
        egress: !!e.Egress,
        protocol: aclProtocol(e.Protocol ?? '-1'),
        action: e.RuleAction === 'deny' ? 'deny' : 'allow',
        ...(e.CidrBlock ? { cidr: e.CidrBlock } : {}),
        fromPort: e.PortRange?.From ?? 0,
        toPort: e.PortRange?.To ?? 65535,
      }));
    r.model.networkAcls.push({
      id: acl.NetworkAclId ?? '',
      vpcId: acl.VpcId,
      account: acl.OwnerId ?? r.target.account,
      isDefault: !!acl.IsDefault,
      created: true,
      entries,
      subnetIds: (acl.Associations ?? []).map((a) => a.SubnetId ?? '').filter(Boolean),
      source: r.source(acl.NetworkAclId ?? ''),
    });
  }
}

async function readInterfaces(r: Reading): Promise<void> {
  type Page = DescribeNetworkInterfacesCommandOutput;
  // Managed interfaces (a resource gateway's, a database's) are listed only when asked for.
  const enis = await ec2List<Page, NetworkInterface>(
    r,
    (NextToken) => new DescribeNetworkInterfacesCommand({ NextToken, MaxResults: 1000, IncludeManagedResources: true }),
    (p) => p.NetworkInterfaces,
  );
  for (const eni of enis ?? []) r.interfaces.push(eni);
}

async function readInstances(r: Reading): Promise<void> {
  type Page = DescribeInstancesCommandOutput;
  const reservations = await ec2List<Page, NonNullable<Page['Reservations']>[number]>(
    r,
    (NextToken) => new DescribeInstancesCommand({ NextToken, MaxResults: 1000, Filters: LIVE_INSTANCES }),
    (p) => p.Reservations,
  );
  for (const instance of (reservations ?? []).flatMap((x) => x.Instances ?? [])) r.instances.push(instance);
}
