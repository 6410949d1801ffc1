// The `inspect` command: its usage, options and what it runs.
import { note, say, sayJson } from '../output.js';
import { INPUT_USAGE, JSON_OPT, OUT_OPT, PARAMETERS_OPT, FACTS_OPT, modelOf, type Command } from './common.js';
import { unmodelledLine, type InfraModel } from '../../model/index.js';

export const inspectCommand: Command = {
  usage: `lattice-share inspect ${INPUT_USAGE} [--out DIR] [--json]`,
  summary:
    'show what the templates would create: networks, addresses, gateways, configurations, shares, service networks, endpoints, DNS names, API callers',
  options: { parameters: PARAMETERS_OPT, facts: FACTS_OPT, out: OUT_OPT, json: JSON_OPT },
  async run(args, opts) {
    const { model: m } = await modelOf(args, opts);
    if (opts.json) {
      await sayJson(m);
      return 0;
    }
    const ips = new Map(m.enis.map((e) => [e.id, e.ip]));
    const ip = (id: string) => ips.get(id) ?? '?';
    for (const line of [...networkLines(m, ip), ...latticeLines(m), ...endpointLines(m, ip), ...callerLines(m)])
      say(line);
    const skipped = unmodelledLine(m.unmodelled);
    if (skipped) note(`lattice-share: ${skipped}`);
    for (const w of m.warnings) note(`lattice-share: warning: ${w}`);
    return 0;
  },
};

/** VPCs, instances and databases with their addresses. */
function networkLines(m: InfraModel, ip: (eniId: string) => string): string[] {
  return [
    ...m.vpcs.map((v) => `vpc ${v.id} ${v.cidr ?? '?'} account ${v.account}${v.created ? '' : ' (existing)'}`),
    ...m.instances.map((i) => `instance ${i.name} ${i.id} ${ip(i.eniId)}`),
    ...m.databases.map(
      (d) =>
        `database ${d.id} ${d.engine}:${d.port} writer ${d.writerName} ${d.eniIds.map(ip).join(' ') || '(existing, placement unknown)'}`,
    ),
    ...m.gateways.map((g) => `gateway ${g.name} ${g.id} ${g.eniIds.map(ip).join(' ')}`),
  ];
}

/** Configurations, shares, acceptances, service networks and their resource associations. */
function latticeLines(m: InfraModel): string[] {
  return [
    ...m.configurations.map(
      (c) =>
        `configuration ${c.name} ${c.type} ${c.id}${c.definition ? ` → ${Object.values(c.definition)[0]}` : ''}${c.portRanges.length ? ` ports ${c.portRanges.join(',')}` : ''}${c.outside ? ` (${c.outside.party}'s, account ${c.outside.account}: as the config describes it)` : ''}`,
    ),
    ...m.shares.map(
      (s) =>
        `share ${s.name} with ${s.principals.map((p) => p.id).join(', ')}${s.allowExternalPrincipals ? ' (external allowed)' : ''}`,
    ),
    ...m.acceptances.map((a) => `invitation accepted by ${a.account} for ${a.shareArn}`),
    ...m.serviceNetworks.map(
      (n) => `service network ${n.name} ${n.id} account ${n.account}${n.sharable ? ' (sharable)' : ''}`,
    ),
    ...m.resourceAssociations.map(
      (a) =>
        `resource association ${a.id} ${a.configuration} in ${a.serviceNetwork}${a.privateDns ? ' private DNS' : ''}`,
    ),
  ];
}

const ENDPOINT_KINDS = {
  Resource: 'endpoint',
  ServiceNetwork: 'service-network endpoint',
  VpcAssociation: 'service-network VPC association',
} as const;

/** Every endpoint with its addresses, then its DNS names (and the private DNS names), indented. */
function endpointLines(m: InfraModel, ip: (eniId: string) => string): string[] {
  return m.endpoints.flatMap((e) => [
    `${ENDPOINT_KINDS[e.type]} ${e.id} in ${e.vpcId} ${e.associations.flatMap((a) => a.ips).join(' ') || e.eniIds.map(ip).join(' ')} private DNS ${e.privateDns ? 'on' : 'off'}`,
    ...e.associations.map((a) => `  ${a.dnsName}${a.privateDnsName ? `\n  ${a.privateDnsName} (private DNS)` : ''}`),
  ]);
}

/** Route 53 records, EventBridge connections, API destinations and HTTP tasks. */
function callerLines(m: InfraModel): string[] {
  return [
    ...m.records.map(
      (r) =>
        `record ${r.name} → ${r.cname !== undefined ? `CNAME ${r.cname}` : r.addresses.join(' ')}${r.vpcIds ? ` (private zone of ${r.vpcIds.join(', ')})` : ''}`,
    ),
    ...m.connections.map(
      (c) =>
        `connection ${c.name} ${c.authorization}${c.configurationArn ? ` → ${c.configurationArn.split('/').pop()}` : ' (public)'}`,
    ),
    ...m.calls.map(
      (c) =>
        `${c.kind === 'api-destination' ? 'API destination' : 'HTTP task'} ${c.name}: ${c.method} ${c.url || '(computed at run time)'}`,
    ),
  ];
}
