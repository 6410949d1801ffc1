// The `inspect` command: its usage, options and what it runs.
import { note, say } from '../output.js';
import { loadModel } from '../../model/index.js';
import { JSON_OPT, OUT_OPT, assemblyOf, oneArg, unmodelledLine, type Command } from './common.js';
import type { InfraModel } from '../../model/index.js';

export const inspectCommand: Command = {
  usage: 'lattice-share inspect <config | assembly dir> [--out DIR] [--json]',
  summary:
    'show what the templates would create: networks, addresses, gateways, configurations, shares, service networks, endpoints, DNS names, API callers',
  options: { out: OUT_OPT, json: JSON_OPT },
  async run(args, opts) {
    const assembly = await assemblyOf(oneArg(args, 'config file or assembly directory'), opts, false);
    let m: InfraModel;
    try {
      m = loadModel(assembly.dir);
    } finally {
      assembly.cleanup();
    }
    if (opts.json) {
      say(JSON.stringify(m, null, 2));
      return 0;
    }
    const ip = (id: string) => m.enis.find((e) => e.id === id)?.ip ?? '?';
    for (const v of m.vpcs) say(`vpc ${v.id} ${v.cidr ?? '?'} account ${v.account}${v.created ? '' : ' (existing)'}`);
    for (const i of m.instances) say(`instance ${i.name} ${i.id} ${ip(i.eniId)}`);
    for (const d of m.databases)
      say(
        `database ${d.id} ${d.engine}:${d.port} writer ${d.writerName} ${d.eniIds.map(ip).join(' ') || '(existing, placement unknown)'}`,
      );
    for (const g of m.gateways) say(`gateway ${g.name} ${g.id} ${g.eniIds.map(ip).join(' ')}`);
    for (const c of m.configurations)
      say(
        `configuration ${c.name} ${c.type} ${c.id}${c.definition ? ` → ${Object.values(c.definition)[0]}` : ''}${c.portRanges.length ? ` ports ${c.portRanges.join(',')}` : ''}`,
      );
    for (const s of m.shares)
      say(
        `share ${s.name} with ${s.principals.map((p) => p.id).join(', ')}${s.allowExternalPrincipals ? ' (external allowed)' : ''}`,
      );
    for (const a of m.acceptances) say(`invitation accepted by ${a.account} for ${a.shareArn}`);
    for (const n of m.serviceNetworks)
      say(`service network ${n.name} ${n.id} account ${n.account}${n.sharable ? ' (sharable)' : ''}`);
    for (const a of m.resourceAssociations)
      say(
        `resource association ${a.id} ${a.configuration} in ${a.serviceNetwork}${a.privateDns ? ' private DNS' : ''}`,
      );
    const kinds = {
      Resource: 'endpoint',
      ServiceNetwork: 'service-network endpoint',
      VpcAssociation: 'service-network VPC association',
    } as const;
    for (const e of m.endpoints) {
      say(
        `${kinds[e.type]} ${e.id} in ${e.vpcId} ${e.associations.flatMap((a) => a.ips).join(' ') || e.eniIds.map(ip).join(' ')} private DNS ${e.privateDns ? 'on' : 'off'}`,
      );
      for (const a of e.associations)
        say(`  ${a.dnsName}${a.privateDnsName ? `\n  ${a.privateDnsName} (private DNS)` : ''}`);
    }
    for (const r of m.records)
      say(`record ${r.name} → ${r.addresses.join(' ')}${r.vpcIds ? ` (private zone of ${r.vpcIds.join(', ')})` : ''}`);
    for (const c of m.connections)
      say(
        `connection ${c.name} ${c.authorization}${c.configurationArn ? ` → ${c.configurationArn.split('/').pop()}` : ' (public)'}`,
      );
    for (const c of m.calls)
      say(
        `${c.kind === 'api-destination' ? 'API destination' : 'HTTP task'} ${c.name}: ${c.method} ${c.url || '(computed at run time)'}`,
      );
    const skipped = unmodelledLine(m);
    if (skipped) note(`lattice-share: ${skipped}`);
    for (const w of m.warnings) note(`lattice-share: warning: ${w}`);
    return 0;
  },
};
