// Route 53: hosted zones and A records. A record in a private zone resolves in the zone's VPCs; one in a zone the
// templates do not create is taken as public (it resolves in every VPC, as a public name pointing at private
// addresses).
import type { StackState } from '../build.js';
import type { Provider, ServiceProvider } from './provider.js';
import { optText, text, texts } from './values.js';

const zones = (s: StackState) => s.builder.stores.zoneVpcs;

const resources: Record<string, Provider> = {
  'AWS::Route53::HostedZone': {
    ref: (s, id) => `Z${s.physicalId('z', id, 20).slice(2).toUpperCase()}`,
    attribute: (s, id, name) => (name === 'Id' ? `Z${s.physicalId('z', id, 20).slice(2).toUpperCase()}` : undefined),
    build(s, id) {
      const p = s.props(id);
      const vpcs = ((p.VPCs as { VPCId?: unknown }[] | undefined) ?? []).map((v, i) =>
        text(v.VPCId, `${s.stack}/${id}.VPCs[${i}].VPCId`),
      );
      zones(s).set(`Z${s.physicalId('z', id, 20).slice(2).toUpperCase()}`, vpcs);
    },
  },
  'AWS::Route53::RecordSet': {
    build(s, id) {
      const p = s.props(id);
      const where = `${s.stack}/${id}`;
      const m = s.builder.model;
      if (p.Type !== 'A' || p.ResourceRecords === undefined) {
        m.unmodelled[`AWS::Route53::RecordSet (${String(p.Type)})`] =
          (m.unmodelled[`AWS::Route53::RecordSet (${String(p.Type)})`] ?? 0) + 1;
        return;
      }
      const zone = optText(p.HostedZoneId, `${where}.HostedZoneId`);
      const vpcs = zone ? zones(s).get(zone) : undefined;
      const name = text(p.Name, `${where}.Name`).replace(/\.$/, '');
      m.records.push({
        name,
        addresses: texts(p.ResourceRecords, `${where}.ResourceRecords`),
        ...(vpcs?.length ? { vpcIds: vpcs } : {}),
        source: s.source(id),
      });
    },
  },
};

export const route53: ServiceProvider = {
  service: 'AWS::Route53',
  resources,
  limitations: [
    'Only A records with ResourceRecords are modelled; other types, aliases and routing policies are counted as unmodelled',
  ],
};
