// Placing what was read raw: each network interface with its owner (an instance by its attachment, an endpoint by its
// list, a database or a resource gateway by where it is and its groups: no API links those two to their interfaces),
// then instances, databases, gateways and endpoints that name them.
import type { NetworkInterface, VpcEndpoint, VpcEndpointAssociation } from '@aws-sdk/client-ec2';
import type { ResourceGatewaySummary } from '@aws-sdk/client-vpc-lattice';
import { SERVES_TAG, WORKLOAD_TAG } from '../../assembly/index.js';
import type { DBCluster, DBInstance } from '@aws-sdk/client-rds';
import type { Database, Eni, EniOwner, Endpoint } from '../types.js';
import { payerOf } from './payer.js';
import type { Reading } from './reading.js';
import type { RdsFacts } from './services.js';

/** How RDS describes the interfaces of its instances. */
const RDS_INTERFACE = 'RDSNetworkInterface';

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

const groupsOf = (n: NetworkInterface) => (n.Groups ?? []).map((g) => g.GroupId ?? '');

function eniOf(n: NetworkInterface, owner: EniOwner): Eni {
  const addresses = (n.PrivateIpAddresses ?? []).map((a) => a.PrivateIpAddress ?? '').filter(Boolean);
  const ip = n.PrivateIpAddress ?? addresses[0];
  return {
    id: n.NetworkInterfaceId ?? '',
    subnetId: n.SubnetId ?? '',
    vpcId: n.VpcId,
    az: n.AvailabilityZone,
    azId: n.AvailabilityZoneId,
    ...(ip ? { ip } : {}),
    secondaryIps: addresses.filter((a) => a !== ip),
    securityGroupIds: groupsOf(n),
    owner,
  };
}

export function place(r: Reading, rds: RdsFacts, gateways: ResourceGatewaySummary[], rows: VpcEndpointAssociation[]) {
  const owners = new Map<string, EniOwner>();
  for (const n of r.interfaces)
    if (n.Attachment?.InstanceId)
      owners.set(n.NetworkInterfaceId ?? '', { kind: 'instance', id: n.Attachment.InstanceId });
  for (const e of r.vpcEndpoints)
    for (const id of e.NetworkInterfaceIds ?? []) owners.set(id, { kind: 'endpoint', id: e.VpcEndpointId ?? '' });
  placeDatabases(r, rds, owners);
  placeGateways(r, gateways, owners);
  for (const n of r.interfaces) {
    const owner = owners.get(n.NetworkInterfaceId ?? '');
    if (owner) r.model.enis.push(eniOf(n, owner));
  }
  placeInstances(r);
  placeEndpoints(r, rows);
}

/** A cluster's instances (writer first) take the RDS interfaces with the cluster's groups in their subnets. */
function placeDatabases(r: Reading, rds: RdsFacts, owners: Map<string, EniOwner>): void {
  const free = r.interfaces.filter((n) => n.Description === RDS_INTERFACE && !owners.has(n.NetworkInterfaceId ?? ''));
  for (const c of rds.clusters) {
    const groups = (c.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId ?? '');
    const members = [...(c.DBClusterMembers ?? [])].sort(
      (a, b) => Number(!!b.IsClusterWriter) - Number(!!a.IsClusterWriter),
    );
    const instances = members.map((m) => rds.instances.find((i) => i.DBInstanceIdentifier === m.DBInstanceIdentifier));
    const subnets = new Set(instances.flatMap((i) => i?.DBSubnetGroup?.Subnets?.map((s) => s.SubnetIdentifier) ?? []));
    const found = new Map<string, EniOwner>();
    for (const m of members) {
      const n = free.find(
        (x) =>
          !owners.has(x.NetworkInterfaceId ?? '') &&
          !found.has(x.NetworkInterfaceId ?? '') &&
          sameSet(groupsOf(x), groups) &&
          subnets.has(x.SubnetId),
      );
      if (n)
        found.set(n.NetworkInterfaceId ?? '', {
          kind: 'database',
          id: m.DBInstanceIdentifier ?? '',
          cluster: c.DBClusterIdentifier ?? '',
        });
    }
    // Placed only when every instance's interface was found; otherwise where it answers is not known, and the
    // interfaces found are left to no one.
    const placed = members.length > 0 && found.size === members.length;
    if (placed) for (const [id, owner] of found) owners.set(id, owner);
    r.model.databases.push(databaseOf(r, c, instances, placed ? [...found.keys()] : []));
  }
}

function databaseOf(r: Reading, c: DBCluster, instances: (DBInstance | undefined)[], eniIds: string[]): Database {
  const id = c.DBClusterIdentifier ?? '';
  return {
    id,
    arn: c.DBClusterArn ?? '',
    account: r.target.account,
    engine: c.Engine ?? '',
    port: c.Port ?? 0,
    writerName: c.Endpoint ?? '',
    readerName: c.ReaderEndpoint ?? '',
    ...(c.MasterUsername ? { masterUser: c.MasterUsername } : {}),
    ...(c.DatabaseName ? { databaseName: c.DatabaseName } : {}),
    vpcId: instances.find((i) => i?.DBSubnetGroup?.VpcId)?.DBSubnetGroup?.VpcId,
    securityGroupIds: (c.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId ?? ''),
    eniIds,
    publiclyAccessible: !!c.PubliclyAccessible,
    created: eniIds.length > 0,
    source: r.source(id),
  };
}

/** A gateway's interfaces: the managed ones in its subnets with exactly its groups. */
function placeGateways(r: Reading, gateways: ResourceGatewaySummary[], owners: Map<string, EniOwner>): void {
  for (const g of gateways) {
    const groups = g.securityGroupIds ?? [];
    const mine = r.interfaces.filter(
      (n) =>
        n.RequesterManaged &&
        !owners.has(n.NetworkInterfaceId ?? '') &&
        (g.subnetIds ?? []).includes(n.SubnetId ?? '') &&
        sameSet(groupsOf(n), groups),
    );
    for (const n of mine) owners.set(n.NetworkInterfaceId ?? '', { kind: 'gateway', id: g.id ?? '' });
    if (!mine.length)
      r.model.warnings.push(`gateway ${g.id}: no managed interface in its subnets with its groups was listed`);
    r.model.gateways.push({
      id: g.id ?? '',
      arn: g.arn ?? '',
      name: g.name ?? '',
      account: r.target.account,
      vpcId: g.vpcIdentifier ?? '',
      securityGroupIds: groups,
      eniIds: mine.map((n) => n.NetworkInterfaceId ?? ''),
      ipAddressType: g.ipAddressType ?? 'IPV4',
      dnsResolution: g.resourceConfigDnsResolution === 'IN_VPC' ? 'IN_VPC' : 'PUBLIC',
      source: r.source(g.id ?? ''),
    });
  }
}

function placeInstances(r: Reading): void {
  for (const i of r.instances) {
    const tag = (key: string) => i.Tags?.find((t) => t.Key === key)?.Value;
    const id = i.InstanceId ?? '';
    const primary =
      (i.NetworkInterfaces ?? []).find((n) => n.Attachment?.DeviceIndex === 0) ?? i.NetworkInterfaces?.[0];
    r.model.instances.push({
      id,
      name: tag(WORKLOAD_TAG) ?? tag('Name') ?? id,
      account: r.target.account,
      eniId: primary?.NetworkInterfaceId ?? '',
      source: r.source(id),
    });
    const serves = /^(https?):(\d{1,5})$/.exec(tag(SERVES_TAG) ?? '');
    if (serves)
      r.model.services.push({ instanceId: id, protocol: serves[1] as 'https' | 'http', port: Number(serves[2]) });
  }
}

/** What every endpoint has, as EC2 describes it. */
function endpointHead(r: Reading, e: VpcEndpoint) {
  const id = e.VpcEndpointId ?? '';
  return {
    id,
    account: e.OwnerId ?? r.target.account,
    vpcId: e.VpcId ?? '',
    securityGroupIds: (e.Groups ?? []).map((g) => g.GroupId ?? ''),
    eniIds: e.NetworkInterfaceIds ?? [],
    privateDns: !!e.PrivateDnsEnabled,
    privateDnsPreference: e.DnsOptions?.PrivateDnsPreference ?? 'VERIFIED_DOMAINS_ONLY',
    privateDnsSpecifiedDomains: e.DnsOptions?.PrivateDnsSpecifiedDomains ?? [],
    ...deployedOf(e),
    source: r.source(id),
  };
}

/** What AWS says of the endpoint as deployed: its state, why it failed, who pays its resource-gateway charges. */
function deployedOf(e: VpcEndpoint) {
  const error = e.LastError?.Message ? `${e.LastError.Code ?? ''} ${e.LastError.Message}`.trim() : undefined;
  return {
    ...(e.State ? { state: e.State } : {}),
    ...(error ? { lastError: error } : {}),
    ...payerOf(e.PayerResponsibilities?.map((x) => [x.Scope, x.PayerResponsibilityType])),
  };
}

/**
 * Each endpoint with its associations. The k-th association is taken to answer on the k-th address of every
 * interface: AWS documents no order, and check's verdicts do not depend on which association has which address.
 */
function placeEndpoints(r: Reading, rows: VpcEndpointAssociation[]): void {
  for (const e of r.vpcEndpoints) {
    const head = endpointHead(r, e);
    const enis = head.eniIds.map((n) => r.model.enis.find((x) => x.id === n));
    const parent = e.ResourceConfigurationArn ?? '';
    const resource = e.VpcEndpointType === 'Resource';
    const associations = rows
      .filter((row) => row.VpcEndpointId === head.id)
      .map((row, k) => ({
        configurationArn: row.AssociatedResourceArn ?? '',
        parentArn: resource ? parent : (row.ResourceConfigurationGroupArn ?? row.AssociatedResourceArn ?? ''),
        dnsName: row.DnsEntry?.DnsName ?? '',
        ...(row.PrivateDnsEntry?.DnsName ? { privateDnsName: row.PrivateDnsEntry.DnsName } : {}),
        ips: enis.map((x) => (k === 0 ? x?.ip : x?.secondaryIps[k - 1]) ?? '').filter(Boolean),
      }));
    const endpoint: Endpoint = resource
      ? { ...head, type: 'Resource', configurationArn: parent, associations }
      : { ...head, type: 'ServiceNetwork', serviceNetwork: e.ServiceNetworkArn ?? '', associations };
    r.model.endpoints.push(endpoint);
  }
}
