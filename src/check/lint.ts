// Lint: what AWS rejects at deploy time or silently ignores, each rule with a stable ID (listed in docs/check.md).
import type { Configuration, Eni, Rule, SecurityGroup } from '../model/index.js';
import { covers, publicName, where, type Facts } from './facts.js';
import type { Finding, Severity } from './types.js';

const PRIVATE = ['10.0.0.0/8', '100.64.0.0/10', '172.16.0.0/12', '192.168.0.0/16'];
const RDS_ARN = /^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:(cluster|db):/;

export function lint(f: Facts): Finding[] {
  const out: Finding[] = [];
  const add = (id: string, severity: Severity, message: string, fix: string, r?: Finding['resource']) =>
    out.push({ id, severity, message, fix, ...(r ? { resource: r } : {}) });
  const m = f.m;

  // Configurations a sharable service network holds: for them AllowAssociationToSharableServiceNetwork is needed.
  const inSharable = new Set(
    m.resourceAssociations
      .filter((a) => f.serviceNetwork(a.serviceNetwork)?.sharable)
      .map((a) => a.configuration.split('/').pop()!),
  );
  for (const c of m.configurations.filter((x) => !x.amazonManaged)) {
    const at = f.ref(c.source, c.id);
    const d = c.definition;
    if (c.type === 'ARN') {
      if (!d || !('arn' in d) || !RDS_ARN.test(d.arn))
        add(
          'LS-RC1',
          'error',
          `configuration ${c.name} is ARN type, but its target ${d && 'arn' in d ? d.arn : '(none)'} is not an RDS database`,
          'use ARN type for Amazon RDS only; use SINGLE with a DNS or IP target for anything else',
          at,
        );
      else if (m.databases.find((x) => x.arn === d.arn)?.publiclyAccessible)
        add(
          'LS-RC2',
          'error',
          `configuration ${c.name} is ARN type on a publicly accessible database: AWS rejects it`,
          'set PubliclyAccessible: false on the DB instances, or use a SINGLE configuration',
          at,
        );
    }
    if (d && 'ip' in d && !d.ip.includes(':') && !PRIVATE.some((p) => covers(p, `${d.ip}/32`))) {
      add(
        'LS-RC3',
        'error',
        `configuration ${c.name} targets ${d.ip}, which is not a private address: AWS rejects it`,
        `use an address from ${PRIVATE.join(', ')}`,
        at,
      );
    }
    if ((c.type === 'SINGLE' || c.type === 'GROUP') && c.protocol !== 'TCP') {
      add(
        'LS-RC4',
        'error',
        `configuration ${c.name} (${c.type}) has ${c.protocol ? `protocol ${c.protocol}` : 'no ProtocolType'}: only TCP is supported`,
        'set ProtocolType: TCP',
        at,
      );
    }
    const parent = c.groupId ? f.configurationsById.get(c.groupId) : undefined;
    if (
      (c.type === 'SINGLE' || c.type === 'GROUP' || c.type === 'CHILD') &&
      !c.portRanges.length &&
      !parent?.portRanges.length
    ) {
      add(
        'LS-RC5',
        'error',
        `configuration ${c.name} (${c.type}) has no PortRanges: clients could use no port`,
        'set PortRanges, e.g. ["5432"]',
        at,
      );
    }
    if (c.type === 'GROUP' && c.customDomain)
      add(
        'LS-RC6',
        'error',
        `configuration ${c.name} is a GROUP with CustomDomainName ${c.customDomain}: groups take GroupDomain, members take custom domains`,
        'move the name to GroupDomain, and give each CHILD its own CustomDomainName under it',
        at,
      );
    if (c.type !== 'CHILD' && c.allowSharableServiceNetwork && !inSharable.has(c.id)) {
      add(
        'LS-RC7',
        'warning',
        `configuration ${c.name} allows association to sharable service networks, and no service network in these templates needs it: a consumer could re-share it`,
        'set AllowAssociationToSharableServiceNetwork: false',
        at,
      );
    }
  }

  for (const s of m.shares) {
    for (const arn of s.resourceArns) {
      const c = f.configurations.get(arn);
      if (c?.type === 'CHILD')
        add(
          'LS-RAM4',
          'error',
          `share ${s.name} lists CHILD configuration ${c.name}: a child cannot be shared by itself`,
          'share its GROUP instead',
          f.ref(s.source, s.arn),
        );
    }
  }

  /** Whether RAM gives a configuration or a service network (owned by `owner`) to `account`, where `user` needs it. */
  const ram = (
    shared: { arn: string; name: string; account: string; what: string; at?: Finding['resource'] },
    account: string,
    user: string,
    at: Finding['resource'],
  ) => {
    if (shared.account === account) return;
    const shares = f.sharesByResource.get(shared.arn) ?? [];
    const inOrg = f.stackOfAccount(account)?.inOrganization;
    const byAccount = shares.find((s) => s.principals.some((p) => p.kind === 'account' && p.id === account));
    const byOrg = shares.some((s) => s.principals.some((p) => p.kind !== 'account'));
    if (!byAccount && !(byOrg && inOrg !== false)) {
      add(
        'LS-RAM1',
        'error',
        `${shared.what} ${shared.name} (account ${shared.account}) is not shared with account ${account}, where ${user} uses it`,
        `add ${account} to the Principals of a RAM share listing ${shared.arn}`,
        shares[0] ? f.ref(shares[0].source, shares[0].arn) : shared.at,
      );
    } else if (byAccount && inOrg === false && !byAccount.allowExternalPrincipals) {
      add(
        'LS-RAM3',
        'error',
        `share ${byAccount.name} names account ${account}, outside the organization, but does not allow external principals`,
        'set AllowExternalPrincipals: true, or move the account into the organization',
        f.ref(byAccount.source, byAccount.arn),
      );
    } else if (
      byAccount &&
      !byOrg &&
      inOrg !== true &&
      !m.acceptances.some((a) => a.account === account && a.shareArn === byAccount.arn)
    ) {
      add(
        'LS-RAM2',
        'error',
        `account ${account} is ${inOrg === false ? 'outside the organization' : 'not known to be in the organization'} and nothing accepts the invitation to share ${byAccount.name}`,
        `accept the invitation in ${account} before ${user} is created (ResourceShareInvitationAccepter)`,
        at,
      );
    }
  };
  const configShared = (c: Configuration) => ({
    arn: c.arn,
    name: c.name,
    account: c.account,
    what: 'configuration',
    at: f.ref(c.source, c.id),
  });

  for (const ep of m.endpoints) {
    const at = f.ref(ep.source, ep.id);
    const vpc = f.vpcs.get(ep.vpcId);
    if (ep.privateDns && vpc && (!vpc.dnsSupport || !vpc.dnsHostnames)) {
      add(
        'LS-RE3',
        'error',
        `${ep.type === 'VpcAssociation' ? 'association' : 'endpoint'} ${ep.id} has private DNS on, but ${vpc.id} has ${!vpc.dnsSupport ? 'EnableDnsSupport' : 'EnableDnsHostnames'} false: AWS rejects it`,
        `set EnableDnsSupport and EnableDnsHostnames to true on ${where(vpc.source, vpc.id)}`,
        at,
      );
    }
    if (ep.type !== 'Resource') {
      const sn = f.serviceNetwork(ep.serviceNetwork!);
      if (sn && ep.type === 'VpcAssociation' && !ep.serviceNetwork!.startsWith('arn:') && sn.account !== ep.account) {
        add(
          'LS-SN5',
          'error',
          `association ${ep.id} names service network ${sn.name} of account ${sn.account} by ID: AWS takes an ARN for another account's network`,
          `set ServiceNetworkIdentifier to the network's ARN (${sn.arn})`,
          at,
        );
      }
      if (sn)
        ram(
          { arn: sn.arn, name: sn.name, account: sn.account, what: 'service network', at: f.ref(sn.source, sn.id) },
          ep.account,
          `${ep.type === 'VpcAssociation' ? 'association' : 'endpoint'} ${ep.id}`,
          at,
        );
      continue;
    }
    const config = f.configurations.get(ep.configurationArn!);
    const gateway = config?.gatewayId ? f.gateways.get(config.gatewayId) : undefined;
    if (!config || !gateway) continue;
    if (gateway.vpcId === ep.vpcId)
      add(
        'LS-RE1',
        'error',
        `endpoint ${ep.id} is in VPC ${ep.vpcId}, the gateway ${gateway.name}'s own VPC: it carries nothing (and gets no private DNS)`,
        'reach the resource directly in its VPC, or put the endpoint in another VPC',
        at,
      );
    const zones = new Set(ep.eniIds.map((id) => f.enis.get(id)?.az));
    const gwZones = gateway.eniIds.map((id) => f.enis.get(id)?.az);
    if (!zones.has(undefined) && !gwZones.includes(undefined) && !gwZones.some((z) => zones.has(z))) {
      add(
        'LS-RE2',
        'error',
        `endpoint ${ep.id} (${[...zones].join(', ')}) and gateway ${gateway.name} (${gwZones.join(', ')}) have no availability zone in common`,
        `give the gateway a subnet in ${[...zones][0]}, or the endpoint one in ${gwZones[0]}`,
        at,
      );
    }
    ram(configShared(config), ep.account, `endpoint ${ep.id}`, at);
    // A VPC cannot take the same configuration's private DNS from a resource endpoint and a service-network endpoint.
    if (ep.privateDns) {
      const clash = (f.endpointsByVpc.get(ep.vpcId) ?? []).find(
        (o) =>
          o.type === 'ServiceNetwork' && o.associations.some((a) => a.parentArn === config.arn && a.privateDnsName),
      );
      if (clash)
        add(
          'LS-SN3',
          'error',
          `VPC ${ep.vpcId} has resource endpoint ${ep.id} and service-network endpoint ${clash.id}, both with private DNS for configuration ${config.name}: AWS allows only one`,
          `turn private DNS off on one of them (${where(clash.source, clash.id)}), or drop the resource endpoint`,
          at,
        );
    }
  }

  // Service networks: what their resource associations take, what a sharable network admits, and the order stacks go.
  const order = new Map(m.stacks.map((x, i) => [x.name, i]));
  for (const a of m.resourceAssociations) {
    const at = f.ref(a.source, a.id);
    if (a.configuration.startsWith('arn:'))
      add(
        'LS-SN1',
        'error',
        `resource association ${a.id} gives ResourceConfigurationId an ARN (${a.configuration}): AWS takes the configuration's ID`,
        'pass the ID (rcfg-…): Fn::GetAtt <configuration>.Id, or Fn::Select [1, Fn::Split ["/", <arn>]]',
        at,
      );
    const sn = f.serviceNetwork(a.serviceNetwork);
    const config = f.configurationsById.get(a.configuration.split('/').pop()!);
    if (sn && config && sn.sharable && !config.allowSharableServiceNetwork) {
      add(
        'LS-SN2',
        'error',
        `configuration ${config.name} joins sharable service network ${sn.name} but does not allow association to sharable service networks: AWS refuses the association`,
        `set AllowAssociationToSharableServiceNetwork: true on ${where(config.source, config.id)}, or SharingConfig.enabled: false on ${where(sn.source, sn.id)}`,
        at,
      );
    }
    if (config) ram(configShared(config), a.account, `resource association ${a.id}`, at);
  }
  for (const user of [...m.resourceAssociations, ...m.endpoints.filter((e) => e.type !== 'Resource')]) {
    const sn = user.serviceNetwork ? f.serviceNetwork(user.serviceNetwork) : undefined;
    if (!sn || sn.source.stack === user.source?.stack) continue;
    if ((order.get(user.source!.stack) ?? 0) < (order.get(sn.source.stack) ?? 0)) {
      add(
        'LS-SN4',
        'warning',
        `stack ${user.source!.stack} uses service network ${sn.name} of stack ${sn.source.stack} but comes before it: the network would not exist yet, and deleting it first fails while associations remain`,
        `make ${user.source!.stack} depend on ${sn.source.stack} (deploy after it, destroy before it)`,
        f.ref(user.source, user.id),
      );
    }
  }

  // EventBridge and Step Functions call private APIs over HTTPS only; Step Functions only by public domain names.
  for (const call of m.calls) {
    const at = f.ref(call.source);
    const conn = m.connections.find((c) => c.arn === call.connectionArn);
    const what = call.kind === 'api-destination' ? `API destination ${call.name}` : `HTTP task ${call.name}`;
    if (!call.url) {
      if (call.kind === 'http-task')
        add(
          'LS-SFN3',
          'info',
          `${what} computes its ApiEndpoint at run time: check cannot follow it`,
          'give ApiEndpoint as text to have it checked',
          at,
        );
      continue;
    }
    let url: URL | undefined;
    try {
      url = new URL(call.url);
    } catch {
      add('LS-EB2', 'error', `${what} calls ${call.url}, which is not a URL`, 'use https://<domain>/<path>', at);
      continue;
    }
    if (url.protocol !== 'https:')
      add(
        call.kind === 'api-destination' ? 'LS-EB1' : 'LS-SFN1',
        'error',
        `${what} calls ${call.url}: ${call.kind === 'api-destination' ? 'EventBridge API destinations' : 'Step Functions HTTP tasks'} take HTTPS endpoints only`,
        `serve the API over HTTPS and call https://${url.host}${url.pathname}`,
        at,
      );
    if (call.kind === 'http-task' && conn?.configurationArn && !publicName(url.hostname)) {
      add(
        'LS-SFN2',
        'error',
        `${what} calls the private API ${url.hostname}: Step Functions reaches private APIs only by a public domain name with a publicly trusted certificate`,
        'give the API a name in a public domain (its record may point at private addresses) with a certificate from a public CA, e.g. ACM',
        at,
      );
    }
    if (!conn)
      add(
        'LS-EB3',
        'error',
        `${what} uses connection ${call.connectionArn || '(none)'}, which the templates do not create`,
        'point it at an AWS::Events::Connection',
        at,
      );
  }

  for (const g of m.gateways) {
    const at = f.ref(g.source, g.id);
    for (const sg of g.securityGroupIds.map((id) => f.groups.get(id)).filter((x): x is SecurityGroup => !!x?.created)) {
      if (sg.ingress.length)
        add(
          'LS-SG2',
          'warning',
          `security group ${sg.id} of gateway ${g.name} has ${sg.ingress.length} inbound rule(s): they have no effect, the gateway only sends`,
          "remove them; the gateway's egress rules and the target's ingress rules decide",
          f.ref(sg.source, sg.id),
        );
    }
    for (const e of g.eniIds.map((id) => f.enis.get(id)).filter((x): x is Eni => !!x)) {
      const cidr = f.subnets.get(e.subnetId)?.cidr;
      const bits = Number(cidr?.split('/')[1]);
      if (cidr && bits >= 28)
        add(
          'LS-RGW1',
          'error',
          `gateway ${g.name} uses subnet ${e.subnetId} (${cidr}): each gateway ENI takes a /28 prefix, which a /28 subnet (with AWS's reserved addresses) cannot spare`,
          'give the gateway subnets of /26 or larger',
          at,
        );
      else if (cidr && bits > 26)
        add(
          'LS-RGW1',
          'warning',
          `gateway ${g.name} uses subnet ${e.subnetId} (${cidr}): each gateway ENI takes a /28, and more as configurations grow`,
          'give the gateway subnets of /26 or larger',
          at,
        );
    }
    // The target's ingress by a whole VPC CIDR admits every workload of the VPC, not only the gateway.
    const vpc = f.vpcs.get(g.vpcId);
    const targets = new Set<string>();
    for (const c of m.configurations.filter(
      (x) => x.gatewayId === g.id || (x.groupId && f.configurationsById.get(x.groupId)?.gatewayId === g.id),
    )) {
      const d = c.definition;
      const ip = d && 'dns' in d ? f.resolve(g.vpcId, d.dns)?.addresses[0] : d && 'ip' in d ? d.ip : undefined;
      const eni = ip ? f.eniAt(g.vpcId, ip) : undefined;
      for (const sg of eni?.securityGroupIds ?? []) targets.add(sg);
    }
    for (const sg of [...targets].map((id) => f.groups.get(id)).filter((x): x is SecurityGroup => !!x?.created)) {
      for (const r of sg.ingress.filter((x) => 'cidr' in x.peer && vpc?.cidr && covers(x.peer.cidr, vpc.cidr))) {
        add(
          'LS-SG3',
          'warning',
          `${sg.id} admits ${(r.peer as { cidr: string }).cidr} (all of ${g.vpcId}) on ${r.fromPort}-${r.toPort}, where only gateway ${g.name} needs it`,
          `allow ingress from the gateway's security group ${g.securityGroupIds[0] ?? ''} instead`,
          f.ref(r.source ?? sg.source, sg.id),
        );
      }
    }
  }

  // Security group references reach only groups of the same VPC (no peering here).
  for (const sg of m.securityGroups.filter((x) => x.created && x.vpcId)) {
    const check = (r: Rule, dir: string) => {
      if (!('securityGroupId' in r.peer)) return;
      const other = f.groups.get(r.peer.securityGroupId);
      if (!other?.vpcId || (other.vpcId === sg.vpcId && other.account === sg.account)) return;
      add(
        'LS-SG1',
        'error',
        `${dir} rule of ${sg.id} references ${other.id} in ${other.vpcId === sg.vpcId ? `account ${other.account}` : `another VPC (${other.vpcId})`}: references resolve only in the same VPC`,
        "use the peer's addresses (CIDR) instead, or a reference within one VPC",
        f.ref(r.source ?? sg.source, sg.id),
      );
    };
    for (const r of sg.ingress) check(r, 'ingress');
    for (const r of sg.egress) check(r, 'egress');
  }
  return out;
}
