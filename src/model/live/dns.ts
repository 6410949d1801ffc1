// Route 53, as doctor reads it for one account: its hosted zones, the VPCs of each private one, and their A and CNAME
// records (what the template reader models). The zones VPC Lattice keeps for private DNS are the service's, not the
// account's (ListHostedZones does not list them); the endpoints' associations already say what they hold.
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListResourceRecordSets.html
import {
  GetHostedZoneCommand,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  type GetHostedZoneCommandOutput,
  type HostedZone,
  type ListHostedZonesCommandOutput,
  type ListResourceRecordSetsCommandOutput,
  type ResourceRecordSet,
  type RRType,
} from '@aws-sdk/client-route-53';
import type { DnsRecord } from '../types.js';
import type { Reading } from './reading.js';

const bare = (name: string) => name.replace(/\.$/, '');

export async function readRecords(r: Reading): Promise<void> {
  const zones = await r.calls.all<ListHostedZonesCommandOutput, HostedZone>(r.target, 'route53', r.clients.route53, {
    next: (p) => (p.IsTruncated ? p.NextMarker : undefined),
    make: (Marker) => new ListHostedZonesCommand({ Marker }),
    items: (p) => p.HostedZones,
  });
  await Promise.all((zones ?? []).map((zone) => readZone(r, zone)));
}

async function readZone(r: Reading, zone: HostedZone): Promise<void> {
  const id = zone.Id?.split('/').pop();
  if (!id) return;
  const [vpcIds, records] = await Promise.all([
    zone.Config?.PrivateZone ? zoneVpcs(r, id) : Promise.resolve(undefined),
    zoneRecords(r, id),
  ]);
  for (const set of records ?? []) {
    const record = recordOf(r, id, set, vpcIds);
    if (record) r.model.records.push(record);
  }
}

/** An A or CNAME record set with values as the model holds it; other types are not modelled. */
function recordOf(r: Reading, zoneId: string, set: ResourceRecordSet, vpcIds?: string[]): DnsRecord | undefined {
  const values = (set.ResourceRecords ?? []).map((x) => x.Value ?? '').filter(Boolean);
  if ((set.Type !== 'A' && set.Type !== 'CNAME') || !values.length || !set.Name) return undefined;
  return {
    name: bare(set.Name),
    ...(set.Type === 'CNAME' ? { addresses: [], cname: bare(values[0] ?? '') } : { addresses: values }),
    ...(vpcIds ? { vpcIds } : {}),
    ...(set.TTL === undefined ? {} : { ttl: set.TTL }),
    source: r.source(`${zoneId}/${bare(set.Name)}/${set.Type}`),
  };
}

/** A private zone's VPCs (GetHostedZone); an empty list when it could not be read, so it resolves nowhere known. */
async function zoneVpcs(r: Reading, id: string): Promise<string[]> {
  const got = await r.calls.one<GetHostedZoneCommandOutput>(
    r.target,
    'route53',
    r.clients.route53,
    new GetHostedZoneCommand({ Id: id }),
  );
  return (got?.VPCs ?? []).map((v) => v.VPCId ?? '').filter(Boolean);
}

/** Every record of a zone: a page ends at a name, type and identifier, where the next one starts. */
function zoneRecords(r: Reading, id: string): Promise<ResourceRecordSet[] | undefined> {
  type Page = ListResourceRecordSetsCommandOutput;
  return r.calls.all<Page, ResourceRecordSet>(r.target, 'route53', r.clients.route53, {
    next: (p) =>
      p.IsTruncated ? JSON.stringify([p.NextRecordName, p.NextRecordType, p.NextRecordIdentifier]) : undefined,
    make: (token) => {
      const [name, type, identifier] = (token ? JSON.parse(token) : []) as [string?, RRType?, string?];
      return new ListResourceRecordSetsCommand({
        HostedZoneId: id,
        StartRecordName: name,
        StartRecordType: type,
        StartRecordIdentifier: identifier,
      });
    },
    items: (p) => p.ResourceRecordSets,
  });
}
