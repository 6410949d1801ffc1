// Every fix check prints, applied to the templates as it says, makes its hop pass. Each broken variant of the seed's
// plain-CloudFormation system below is checked; each blocking hop's fix is applied by the interpreter for its reason
// code (one per code, reading the fix's own words and the resource its hop names), and check runs again: that hop of
// that flow no longer blocks for that reason. A fix with no interpreter fails the test, so a new fix comes with one.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import type { AssemblyStack, Template } from '../src/assembly/index.js';
import { parseTemplate } from '../src/assembly/templates.js';
import { check, type CheckReport, type Hop } from '../src/check/index.js';
import { buildModel, type InfraModel } from '../src/model/index.js';
import { CORPUS } from './support/corpus.js';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;
/** The templates of a variant by stack name, and the invitations a facts file says were accepted. */
interface System {
  readonly templates: Record<string, Template>;
  readonly accepted: { account: string; share: string }[];
}

const read = (file: string): Template => parseTemplate(readFileSync(join(CORPUS, file), 'utf8'), basename(file));
const OWNER = '111111111111';
const PARTNER = '222222222222';
const ZONES = { [OWNER]: { zones: { 'us-east-1a': 'use1-az4', 'us-east-1b': 'use1-az6' } } };

/** The seed's system in one account (seed-plain), or across two (seed-partner). */
function system(partner: boolean): System {
  const owner = read(partner ? 'seed-partner/owner.yaml' : 'seed-plain/owner.yaml');
  const app = read(partner ? 'seed-partner/partner.yaml' : 'seed-plain/consumer.json');
  return { templates: { owner, app }, accepted: [] };
}

function modelOfSystem(s: System): InfraModel {
  const partner = !!s.templates.app?.Parameters?.ShareArn;
  const account = partner ? PARTNER : OWNER;
  const stack = (name: string, acct: string, inputs: AssemblyStack['inputs'], parameters = {}): AssemblyStack => ({
    name,
    account: acct,
    region: 'us-east-1',
    dependsOn: [],
    templateFile: `${name}.json`,
    inputs,
    parameters,
    template: structuredClone(s.templates[name] ?? { Resources: {} }),
  });
  const fromOwner = (output: string) => ({ stack: 'owner', output });
  const stacks = [
    stack('owner', OWNER, {}, { ConsumerAccount: account }),
    stack('app', account, {
      ConfigurationArn: fromOwner('ConfigurationArn'),
      ...(partner ? { ShareArn: fromOwner('ShareArn') } : {}),
    }),
  ];
  const zones = { ...ZONES, [PARTNER]: { zones: { 'us-east-1a': 'use1-az6', 'us-east-1b': 'use1-az4' } } };
  const facts = { version: 1 as const, file: 'facts.yaml', accounts: zones, invitationsAccepted: s.accepted };
  return buildModel(stacks, { facts });
}
const checkSystem = (s: System): CheckReport => check(modelOfSystem(s));

const resources = (s: System, stack: string): Resources => (s.templates[stack]?.Resources ?? {}) as Resources;
const props = (s: System, stack: string, id: string) => {
  const r = resources(s, stack)[id];
  assert.ok(r?.Properties, `${stack}/${id} exists`);
  return r.Properties;
};
const typeOf = (s: System, stack: string, id: string) => resources(s, stack)[id]?.Type;
/** The stack and logical ID a fix names as "(Stack/Logical)". */
const placeIn = (fix: string, after: RegExp): [string, string] => {
  const m = new RegExp(`${after.source}\\S* \\((\\w[\\w-]*)/(\\w+)\\)`).exec(fix);
  assert.ok(m, `a place after ${after} in: ${fix}`);
  return [m[1] ?? '', m[2] ?? ''];
};
let added = 0;
const add = (s: System, stack: string, type: string, properties: Record<string, unknown>) => {
  resources(s, stack)[`Fix${added++}`] = { Type: type, Properties: properties };
};

/** Applies a fix as its words say, one interpreter per reason code. */
const APPLY: Record<string, (s: System, hop: Hop) => void> = {
  NO_EGRESS_RULE: (s, hop) => securityGroupRule(s, hop),
  NO_INGRESS_RULE: (s, hop) => securityGroupRule(s, hop),
  PORT_OUTSIDE_RANGES(s, hop) {
    const port = /add (\d+) to PortRanges/.exec(hop.fix ?? '')?.[1];
    const [stack, id] = placeIn(hop.fix ?? '', /PortRanges of /);
    const p = props(s, stack, id);
    p.PortRanges = [...((p.PortRanges as string[] | undefined) ?? []), port];
  },
  NACL_DENIES: (s, hop) => aclEntry(s, hop),
  NACL_DENIES_REPLIES: (s, hop) => aclEntry(s, hop),
  DNS_SUPPORT_DISABLED(s, hop) {
    const [stack, id] = placeIn(hop.fix ?? '', /on /);
    props(s, stack, id).EnableDnsSupport = true;
  },
  NO_ROUTE: (s, hop) => originalName(s, hop),
  NAME_NOT_RESOLVED: (s, hop) => originalName(s, hop),
  NO_COMMON_ZONE(s, hop) {
    const zone = /a subnet in (us-east-1\w)/.exec(hop.fix ?? '')?.[1];
    const [stack, id] = [hop.rule?.stack ?? '', hop.rule?.logicalId ?? ''];
    const m = modelOfSystem(s);
    const gateway = m.gateways.find((g) => g.source.logicalId === id);
    const subnet = m.subnets.find((x) => x.vpcId === gateway?.vpcId && x.az === zone && x.source?.stack === stack);
    assert.ok(subnet?.source, `the gateway's VPC has a subnet in ${zone}`);
    (props(s, stack, id).SubnetIds as unknown[]).push({ Ref: subnet.source.logicalId });
  },
  NOT_SHARED(s, hop) {
    const account = /add (\d{12}) to Principals/.exec(hop.fix ?? '')?.[1];
    const [stack, id] = placeIn(hop.fix ?? '', /Principals of /);
    (props(s, stack, id).Principals as unknown[]).push(account);
  },
  EXTERNAL_PRINCIPALS_NOT_ALLOWED(s, hop) {
    const [stack, id] = placeIn(hop.fix ?? '', /AllowExternalPrincipals: true on /);
    props(s, stack, id).AllowExternalPrincipals = true;
  },
  INVITATION_NOT_ACCEPTED(s, hop) {
    // Accepted outside the templates, as the fix says; a facts file tells check so.
    const account = /in account (\d{12})/.exec(hop.fix ?? '')?.[1] ?? '';
    s.accepted.push({ account, share: hop.rule?.id ?? '' });
  },
};

/** "add to sg-… (Stack/Logical) an egress rule: tcp 5432 to 10.1.0.5 (…)": that rule, to that address. */
function securityGroupRule(s: System, hop: Hop): void {
  const fix = hop.fix ?? '';
  const m = /an (egress|ingress) rule: tcp (\d+) (?:to|from) (?:the gateway )?([\d.]+(?:\/\d+)?)/.exec(fix);
  assert.ok(m, `a rule in: ${fix}`);
  const [stack, group] = placeIn(fix, /add to /);
  const egress = m[1] === 'egress';
  add(s, stack, egress ? 'AWS::EC2::SecurityGroupEgress' : 'AWS::EC2::SecurityGroupIngress', {
    GroupId: { 'Fn::GetAtt': [group, 'GroupId'] },
    IpProtocol: 'tcp',
    FromPort: Number(m[2]),
    ToPort: Number(m[2]),
    CidrIp: m[3]?.includes('/') ? m[3] : `${m[3]}/32`,
  });
}

/** "add to acl-… (Stack/Logical) an inbound entry allowing tcp A-B from C, numbered below N". */
function aclEntry(s: System, hop: Hop): void {
  const fix = hop.fix ?? '';
  const m =
    /an (inbound|outbound) entry allowing tcp (\d+)(?:-(\d+))? (?:to|from) (\S+?)(?:, numbered below (\d+))?$/.exec(
      fix,
    );
  assert.ok(m, `an entry in: ${fix}`);
  const [stack, id] = placeIn(fix, /add to /);
  // The ACL itself, or the VPC whose default ACL it is.
  const acl = typeOf(s, stack, id) === 'AWS::EC2::VPC' ? { 'Fn::GetAtt': [id, 'DefaultNetworkAcl'] } : { Ref: id };
  add(s, stack, 'AWS::EC2::NetworkAclEntry', {
    NetworkAclId: acl,
    RuleNumber: m[5] ? Number(m[5]) - 1 : 32000,
    Protocol: 6,
    RuleAction: 'allow',
    Egress: m[1] === 'outbound',
    CidrBlock: m[4],
    PortRange: { From: Number(m[2]), To: Number(m[3] ?? m[2]) },
  });
}

/** A name of the resource that does not work from the client's VPC: the fix after "or". */
function originalName(s: System, hop: Hop): void {
  const fix = hop.fix ?? '';
  if (/through an ARN configuration/.test(fix)) {
    const [stack, id] = placeIn(fix, /in place of /);
    const cluster = Object.entries(resources(s, stack)).find(([, r]) => r.Type === 'AWS::RDS::DBCluster')?.[0];
    const p = props(s, stack, id);
    for (const key of ['PortRanges', 'ProtocolType']) delete p[key];
    Object.assign(p, {
      ResourceConfigurationType: 'ARN',
      ResourceConfigurationDefinition: { ArnResource: { 'Fn::GetAtt': [cluster, 'DBClusterArn'] } },
    });
  }
  if (/turn on private DNS|let private DNS/.test(fix)) {
    const [stack, id] = placeIn(fix, /private DNS (?:for|of) /);
    const p = props(s, stack, id);
    p.PrivateDnsEnabled = true;
    if (/PrivateDnsPreference: ALL_DOMAINS/.test(fix)) p.DnsOptions = { PrivateDnsPreference: 'ALL_DOMAINS' };
  }
  assert.match(fix, /ARN configuration|private DNS/, `an interpreter for the name fix: ${fix}`);
}

/** Broken variants of the seed's plain system: what each breaks. */
const VARIANTS: [string, boolean, (s: System) => void][] = [
  ["the app's group lost its egress to the endpoint", false, (s) => ports(s, 'app', 'AppSecurityGroup', 5433)],
  ["the endpoint's group lost its rule from the app", false, (s) => void delete resources(s, 'app').EndpointFromApp],
  ["the gateway's group sends to another port", false, (s) => ports(s, 'owner', 'GatewaySecurityGroup', 5433)],
  [
    "the database's group lost its rule from the gateway",
    false,
    (s) => void delete resources(s, 'owner').DatabaseFromGateway,
  ],
  ["the app's VPC has DNS support off", false, (s) => (props(s, 'app', 'AppVpc').EnableDnsSupport = false)],
  ["the endpoint's private DNS is off", false, (s) => (props(s, 'app', 'OrdersEndpoint').PrivateDnsEnabled = false)],
  ['a DNS configuration for the cluster with ranges that miss its port', false, dnsConfiguration],
  [
    'the same, with private DNS off',
    false,
    (s) => {
      dnsConfiguration(s);
      props(s, 'app', 'OrdersEndpoint').PrivateDnsEnabled = false;
    },
  ],
  ["the app's subnet has an ACL written like a security group", false, appAcl],
  ['the gateway and the endpoint in one zone each, not the same one', false, oneZoneEach],
  ['the share names another account', true, (s) => (props(s, 'owner', 'OrdersShare').Principals = ['333333333333'])],
  [
    'the share does not allow external principals',
    true,
    (s) => (props(s, 'owner', 'OrdersShare').AllowExternalPrincipals = false),
  ],
  ['the partner never accepts the invitation', true, (s) => void delete resources(s, 'app').AcceptShare],
];

function ports(s: System, stack: string, group: string, port: number): void {
  const p = props(s, stack, group);
  for (const rule of (p.SecurityGroupEgress as Record<string, unknown>[] | undefined) ?? [])
    Object.assign(rule, { FromPort: port, ToPort: port });
}
function dnsConfiguration(s: System): void {
  Object.assign(props(s, 'owner', 'OrdersConfiguration'), {
    ResourceConfigurationType: 'SINGLE',
    ProtocolType: 'TCP',
    PortRanges: ['6000'],
    ResourceConfigurationDefinition: {
      DnsResource: { DomainName: { 'Fn::GetAtt': ['OrdersCluster', 'Endpoint.Address'] } },
    },
  });
}
function appAcl(s: System): void {
  props(s, 'app', 'OrdersEndpoint').SubnetIds = [{ Ref: 'AppSubnetB' }];
  const r = resources(s, 'app');
  r.AppAcl = { Type: 'AWS::EC2::NetworkAcl', Properties: { VpcId: { Ref: 'AppVpc' } } };
  r.AppAclA = {
    Type: 'AWS::EC2::SubnetNetworkAclAssociation',
    Properties: { SubnetId: { Ref: 'AppSubnetA' }, NetworkAclId: { Ref: 'AppAcl' } },
  };
  const entry = (egress: boolean, action: string, from: number, to: number) => ({
    Type: 'AWS::EC2::NetworkAclEntry',
    Properties: {
      NetworkAclId: { Ref: 'AppAcl' },
      RuleNumber: 100,
      Protocol: 6,
      RuleAction: action,
      Egress: egress,
      CidrBlock: '10.1.0.0/16',
      PortRange: { From: from, To: to },
    },
  });
  r.AppAclIn = entry(false, 'allow', 22, 22);
  r.AppAclOut = entry(true, 'deny', 5432, 5432);
}
function oneZoneEach(s: System): void {
  props(s, 'owner', 'Gateway').SubnetIds = [{ Ref: 'SubnetA' }];
  props(s, 'app', 'OrdersEndpoint').SubnetIds = [{ Ref: 'AppSubnetB' }];
}

/** A blocking hop with the flow and the address it blocks. */
interface Blocked {
  readonly flow: string;
  readonly address?: string;
  readonly hop: Hop;
}
/** The blocking hops of a report, one per distinct fix. */
function blockingHops(r: CheckReport): Blocked[] {
  const out = new Map<string, Blocked>();
  for (const f of r.flows)
    for (const a of f.attempts)
      for (const hop of a.hops.filter((h) => h.status === 'block' && h.fix))
        out.set(`${hop.hop}|${hop.fix}`, { flow: `${f.client.label}|${f.name}|${f.port}`, address: a.address, hop });
  return [...out.values()];
}
/** The hop of that flow after the fix: at the same address, or at any when the name now resolves elsewhere. */
function hopsAfter(r: CheckReport, { flow, address, hop }: Blocked): Hop[] {
  const attempts = r.flows.filter((f) => `${f.client.label}|${f.name}|${f.port}` === flow).flatMap((f) => f.attempts);
  const same = attempts.filter((a) => a.address === address);
  return (same.length ? same : attempts).flatMap((a) => a.hops.filter((h) => h.hop === hop.hop));
}

describe('every fix check prints, applied as it says, makes its hop pass', () => {
  for (const [what, partner, breakIt] of VARIANTS)
    it(what, () => {
      const broken = system(partner);
      breakIt(broken);
      const found = blockingHops(checkSystem(broken));
      assert.ok(found.length > 0, 'the variant blocks somewhere');
      for (const blocked of found) {
        const { flow, hop } = blocked;
        const apply = APPLY[hop.reason ?? ''];
        assert.ok(apply, `an interpreter for ${hop.reason} (${hop.hop}: ${hop.fix})`);
        const fixed: System = { templates: structuredClone(broken.templates), accepted: [...broken.accepted] };
        apply(fixed, hop);
        const after = hopsAfter(checkSystem(fixed), blocked);
        const still = after.find((h) => h.status === 'block' && h.reason === hop.reason);
        assert.equal(still, undefined, `${flow}: after "${hop.fix}", ${hop.hop} still blocks: ${still?.detail}`);
      }
    });
});
