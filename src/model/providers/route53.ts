// Route 53: hosted zones, A records and CNAME records. A record in a private zone resolves in the zone's VPCs; one in
// a zone the templates do not create is taken as public (it resolves in every VPC, as a public name pointing at
// private addresses). A CNAME keeps its target as a name: resolvers follow it.
import type { StackState } from '../build.js';
import { LoadError } from '../intrinsics.js';
import type { Provider, ServiceProvider } from './provider.js';
import { text } from './values.js';

const zones = (s: StackState) => s.builder.stores.zoneVpcs;

const resources: Record<string, Provider> = {
  'AWS::Route53::HostedZone': {
    ref: (s, id) => `Z${s.physicalId('z', id, 20).slice(2).toUpperCase()}`,
    attribute: (s, id, name) => (name === 'Id' ? `Z${s.physicalId('z', id, 20).slice(2).toUpperCase()}` : undefined),
    build(s, id) {
      const p = s.reader(id);
      const vpcs = ((p.raw('VPCs') as { VPCId?: unknown }[] | undefined) ?? []).map((v, i) =>
        text(v.VPCId, `${s.stack}/${id}.VPCs[${i}].VPCId`),
      );
      zones(s).set(`Z${s.physicalId('z', id, 20).slice(2).toUpperCase()}`, vpcs);
    },
  },
  'AWS::Route53::RecordSet': {
    build(s, id) {
      const p = s.reader(id);
      const m = s.builder.model;
      const type = p.raw('Type');
      if ((type !== 'A' && type !== 'CNAME') || p.raw('ResourceRecords') === undefined) {
        s.builder.countUnmodelled(`AWS::Route53::RecordSet (${String(type)})`);
        return;
      }
      const zone = p.optText('HostedZoneId');
      const vpcs = zone ? zones(s).get(zone) : undefined;
      const name = p.text('Name').replace(/\.$/, '');
      const values = p.texts('ResourceRecords');
      if (type === 'CNAME' && values.length !== 1)
        throw new LoadError(`${p.where}.ResourceRecords: a CNAME record takes one name, got ${values.length}`);
      m.records.push({
        name,
        ...(type === 'CNAME' ? { addresses: [], cname: values[0]?.replace(/\.$/, '') } : { addresses: values }),
        ...(vpcs?.length ? { vpcIds: vpcs } : {}),
        ...ttlOf(p.raw('TTL')),
        source: s.source(id),
      });
    },
  },
};

/** A record set's TTL when the template gives a number of seconds (CloudFormation takes it as a string). */
const ttlOf = (raw: unknown): { ttl?: number } => {
  const seconds = typeof raw === 'string' || typeof raw === 'number' ? Number(raw) : NaN;
  return Number.isInteger(seconds) && seconds >= 0 ? { ttl: seconds } : {};
};

export const route53: ServiceProvider = {
  service: 'AWS::Route53',
  resources,
  limitations: [
    'Only A and CNAME records with ResourceRecords are modelled (a CNAME is followed, up to 8 in a chain: a limit of the model, AWS documents none); other types, aliases and routing policies are counted as unmodelled',
    "A record's zone is read from HostedZoneId: one given by HostedZoneName is taken as public",
  ],
};
