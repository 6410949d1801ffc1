// The topologies the agreement test generates (bases with random breakages), for every test that holds two
// implementations to the same verdicts: check against the twin (test/twin/agreement.test.ts), and check on the
// templates against check on what doctor reads back (test/live.test.ts).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { synthesizeIsolated } from '../../src/app/index.js';
import { addAcl, type AclEntry } from './acl.js';
import { example } from './synth.js';
import { editAssembly } from './twin.js';

// A second base: a DNS-type configuration, a consumer inside the organization, and a consumer VPC whose CIDR
// equals the owner's (so the database's own name lands on a consumer address).
export const DNS_BASE = `version: 1
region: us-east-1
organization: { id: o-abc123def4, managementAccount: "111111111111" }
accounts:
  owner: { id: "111111111111", zoneIds: { us-east-1a: use1-az1, us-east-1b: use1-az2, us-east-1c: use1-az3 } }
  team:
    id: "333333333333"
    inOrganization: true
    zoneIds: { us-east-1a: use1-az2, us-east-1b: use1-az1, us-east-1c: use1-az3 }
networks:
  owner-vpc: { account: owner, cidr: 10.0.0.0/16, azs: 2 }
  team-vpc: { account: team, cidr: 10.0.0.0/16, azs: 2 }
resources:
  orders-db:
    type: aurora-postgresql
    network: owner-vpc
    expose: dns
    create: { databaseName: orders, username: orders_admin }
shares:
  to-team: { resources: [orders-db], with: [team] }
workloads:
  api: { network: team-vpc }
  batch: { network: team-vpc }
consumers:
  team-api:
    network: team-vpc
    resource: orders-db
    privateDns: true
    clients: { workloads: [api] }
`;

export type Mutation =
  | { kind: 'removeRule' | 'rulePort' | 'privateDns' | 'dnsOff'; index: number }
  | {
      kind:
        | 'dbPort'
        | 'unshare'
        | 'dropAcceptance'
        | 'swapGroups'
        | 'azSplit'
        | 'externalOff'
        | 'configPort'
        | 'dropAssociation'
        | 'notSharable'
        | 'plainHttp'
        | 'servesHttp';
    }
  | { kind: 'target'; index: number }
  | { kind: 'nacl'; index: number; shape: number }
  | { kind: 'defaultGroup'; index: number }
  | { kind: 'zoneIds'; index: number };
export interface Case {
  readonly base: number;
  readonly mutations: Mutation[];
}

const ALL: AclEntry = { rule: 100, protocol: -1 };
const ALL_OUT: AclEntry = { ...ALL, egress: true };
/**
 * Network ACLs the generator puts on a subnet (the last shape: entries added to a VPC's default ACL instead): a deny
 * before an allow, stateless replies cut or cut short, an ACL with no entries, one admitting only its VPC.
 */
export const ACL_SHAPES: readonly (readonly AclEntry[])[] = [
  [{ rule: 90, action: 'deny', ports: [5432, 5432] }, ALL, ALL_OUT],
  [ALL, { rule: 50, egress: true, action: 'deny', cidr: '10.0.0.0/8', ports: [5432, 5432] }, ALL_OUT],
  [
    { rule: 100, ports: [1024, 65535] },
    { rule: 100, egress: true, ports: [5432, 5433] },
  ],
  [{ rule: 100, ports: [32768, 65535] }, ALL_OUT],
  [],
  [
    { ...ALL, cidr: '10.0.0.0/16' },
    { ...ALL_OUT, cidr: '10.0.0.0/16' },
  ],
  [
    { rule: 100, ports: [0, 65535] },
    { rule: 100, egress: true, ports: [443, 443] },
  ],
];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('removeRule', 'rulePort', 'privateDns', 'dnsOff', 'target', 'defaultGroup', 'zoneIds'),
    index: fc.nat(50),
  }) as fc.Arbitrary<Mutation>,
  fc.record({
    kind: fc.constant('nacl'),
    index: fc.nat(50),
    shape: fc.nat(ACL_SHAPES.length),
  }) as fc.Arbitrary<Mutation>,
  fc.record({
    kind: fc.constantFrom(
      'dbPort',
      'unshare',
      'dropAcceptance',
      'swapGroups',
      'azSplit',
      'externalOff',
      'configPort',
      'dropAssociation',
      'notSharable',
      'plainHttp',
      'servesHttp',
    ),
  }) as fc.Arbitrary<Mutation>,
);
// Bases: the seed (resource endpoints), the DNS base below, the service-network example (an endpoint and a VPC
// association), and the private API (EventBridge and Step Functions calls).
export const caseArb: fc.Arbitrary<Case> = fc.record({
  base: fc.nat(3),
  mutations: fc.array(mutation, { maxLength: 3 }),
});

/** Cases that once disagreed (or nearly): run first, always. */
export const REGRESSIONS: Case[] = [
  { base: 0, mutations: [] },
  { base: 1, mutations: [] },
  { base: 1, mutations: [{ kind: 'privateDns', index: 0 }] },
  { base: 0, mutations: [{ kind: 'dbPort' }, { kind: 'privateDns', index: 1 }] },
  { base: 2, mutations: [] },
  { base: 3, mutations: [] },
  {
    base: 0,
    mutations: [
      { kind: 'nacl', index: 3, shape: 0 },
      { kind: 'nacl', index: 0, shape: 2 },
    ],
  },
  {
    base: 2,
    mutations: [
      { kind: 'nacl', index: 1, shape: ACL_SHAPES.length },
      { kind: 'defaultGroup', index: 0 },
    ],
  },
];

type Template = Parameters<Parameters<typeof editAssembly>[1]>[1];

/** Applies mutations to a copy of a base assembly. Picks by index among the resources of a kind, in a stable order. */
export function apply(baseDir: string, c: Case): string {
  const templates = new Map<string, Template>();
  for (const f of readdirSync(baseDir)
    .filter((x) => x.endsWith('.template.json'))
    .sort())
    templates.set(f, JSON.parse(readFileSync(join(baseDir, f), 'utf8')));
  const all = [...templates.values()].flatMap((t) => Object.entries(t.Resources).map(([id, r]) => ({ t, id, r })));
  const ofType = (type: string) => all.filter((x) => x.r.Type === type);
  const pick = <T>(list: T[], i: number) => (list.length ? list[i % list.length] : undefined);
  const rules = () =>
    all.filter((x) => x.r.Type === 'AWS::EC2::SecurityGroupIngress' || x.r.Type === 'AWS::EC2::SecurityGroupEgress');
  for (const m of c.mutations) {
    switch (m.kind) {
      case 'removeRule': {
        const x = pick(rules(), m.index);
        if (x) delete x.t.Resources[x.id];
        break;
      }
      case 'rulePort': {
        const x = pick(rules(), m.index);
        if (x) Object.assign(x.r.Properties!, { FromPort: 5433, ToPort: 5433 });
        break;
      }
      case 'privateDns': {
        const x = pick(
          [
            ...ofType('AWS::EC2::VPCEndpoint'),
            ...ofType('AWS::VpcLattice::ServiceNetworkVpcAssociation'),
            ...ofType('AWS::VpcLattice::ServiceNetworkResourceAssociation'),
          ],
          m.index,
        );
        if (x) x.r.Properties!.PrivateDnsEnabled = !x.r.Properties!.PrivateDnsEnabled;
        break;
      }
      case 'dropAssociation':
        for (const x of ofType('AWS::VpcLattice::ServiceNetworkResourceAssociation')) delete x.t.Resources[x.id];
        break;
      case 'notSharable':
        for (const x of ofType('AWS::VpcLattice::ResourceConfiguration'))
          x.r.Properties!.AllowAssociationToSharableServiceNetwork = false;
        break;
      case 'plainHttp':
        for (const x of ofType('AWS::Events::ApiDestination'))
          x.r.Properties!.InvocationEndpoint = String(x.r.Properties!.InvocationEndpoint).replace('https:', 'http:');
        break;
      case 'servesHttp':
        for (const x of ofType('AWS::EC2::Instance'))
          for (const tag of (x.r.Properties!.Tags as { Key: string; Value: string }[] | undefined) ?? [])
            if (tag.Key === 'lattice-share:serves') tag.Value = 'http:443';
        break;
      case 'dnsOff': {
        const x = pick(ofType('AWS::EC2::VPC'), m.index);
        if (x) x.r.Properties!.EnableDnsSupport = false;
        break;
      }
      case 'dbPort':
        for (const x of ofType('AWS::RDS::DBCluster')) x.r.Properties!.Port = 5433;
        break;
      case 'unshare':
        for (const x of ofType('AWS::RAM::ResourceShare')) x.r.Properties!.Principals = ['999999999999'];
        break;
      case 'externalOff':
        for (const x of ofType('AWS::RAM::ResourceShare')) x.r.Properties!.AllowExternalPrincipals = false;
        break;
      case 'dropAcceptance':
        for (const x of ofType('Custom::AWS').filter((y) => /Invitation/.test(y.id))) delete x.t.Resources[x.id];
        for (const x of all) if (x.r.DependsOn) x.r.DependsOn = x.r.DependsOn.filter((d) => !/Invitation/.test(d));
        break;
      case 'swapGroups': {
        const instances = ofType('AWS::EC2::Instance');
        if (instances.length > 1) {
          const [a, b] = [instances[0]!.r.Properties!, instances[1]!.r.Properties!];
          [a.SecurityGroupIds, b.SecurityGroupIds] = [b.SecurityGroupIds, a.SecurityGroupIds];
        }
        break;
      }
      case 'azSplit': {
        for (const x of ofType('AWS::VpcLattice::ResourceGateway'))
          x.r.Properties!.SubnetIds = (x.r.Properties!.SubnetIds as unknown[]).slice(0, 1);
        for (const x of ofType('AWS::EC2::VPCEndpoint'))
          x.r.Properties!.SubnetIds = (x.r.Properties!.SubnetIds as unknown[]).slice(-1);
        break;
      }
      case 'nacl': {
        const subnet = pick(ofType('AWS::EC2::Subnet'), m.index);
        if (!subnet) break;
        // Associations made by earlier mutations too: a subnet has one ACL.
        const associated = Object.values(subnet.t.Resources).some(
          (r) =>
            r.Type === 'AWS::EC2::SubnetNetworkAclAssociation' &&
            (r.Properties?.SubnetId as { Ref?: string })?.Ref === subnet.id,
        );
        if (associated) break;
        const shape = ACL_SHAPES[m.shape];
        if (shape) addAcl(subnet.t, `GenAcl${m.index}x${m.shape}`, subnet.id, shape);
        else denyOnDefaultAcl(subnet.t, subnet.r.Properties?.VpcId, `GenDefaultAclDeny${m.index}`);
        break;
      }
      case 'zoneIds':
        zoneIdsOf(baseDir, templates, m.index);
        break;
      case 'defaultGroup': {
        const x = pick([...ofType('AWS::EC2::Instance'), ...ofType('AWS::EC2::VPCEndpoint')], m.index);
        const props = x?.r.Properties;
        if (props && props.VpcEndpointType !== 'ServiceNetwork') delete props.SecurityGroupIds;
        break;
      }
      case 'configPort':
        for (const x of ofType('AWS::VpcLattice::ResourceConfiguration'))
          if (x.r.Properties!.PortRanges) x.r.Properties!.PortRanges = ['5433'];
        break;
      case 'target': {
        // Names swapped: a DNS target pointing at the reader name, an unknown name, or an address.
        for (const x of ofType('AWS::VpcLattice::ResourceConfiguration')) {
          const d = x.r.Properties!.ResourceConfigurationDefinition as
            { DnsResource?: { DomainName: unknown } } | undefined;
          if (!d?.DnsResource) continue;
          const cluster = ofType('AWS::RDS::DBCluster')[0]?.id;
          d.DnsResource.DomainName = [
            cluster ? { 'Fn::GetAtt': [cluster, 'ReadEndpoint.Address'] } : 'api.nowhere.example.com',
            'orders.nowhere.example.com',
            null,
          ][m.index % 3];
          if (d.DnsResource.DomainName === null)
            x.r.Properties!.ResourceConfigurationDefinition = { IpResource: '10.0.0.5' };
        }
        break;
      }
    }
  }
  return editAssembly(baseDir, (stack, t) => {
    Object.assign(t, templates.get(`${stack}.template.json`));
  });
}

/**
 * One account's zone IDs changed in every template of it: names mapped to other physical zones (rotated by `index`),
 * or no IDs at all (then zones of two accounts cannot be compared: check says UNKNOWN).
 */
function zoneIdsOf(baseDir: string, templates: Map<string, Template>, index: number): void {
  const manifest = JSON.parse(readFileSync(join(baseDir, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { environment?: string; properties?: { templateFile?: string } }>;
  };
  const accountOf = new Map(
    Object.values(manifest.artifacts).map((a) => [a.properties?.templateFile, a.environment?.split('/')[2]]),
  );
  const accounts = [...new Set(accountOf.values())].filter(Boolean).sort();
  const chosen = accounts[index % Math.max(accounts.length, 1)];
  for (const [file, t] of templates) {
    const meta = (t as { Metadata?: Record<string, AccountMeta | undefined> }).Metadata?.['lattice-share:account'];
    const zones = meta?.zoneIds;
    if (!meta || !zones || accountOf.get(file) !== chosen) continue;
    const names = Object.keys(zones).sort();
    const shift = index % (names.length + 1);
    if (shift === names.length) delete meta.zoneIds;
    else
      meta.zoneIds = Object.fromEntries(
        names.map((name, i) => [name, zones[names[(i + shift) % names.length] ?? ''] ?? '']),
      );
  }
}
interface AccountMeta {
  zoneIds?: Record<string, string>;
}

/** An entry added to a VPC's default ACL (through its DefaultNetworkAcl attribute): deny TCP 5432 in, rule 50. */
function denyOnDefaultAcl(t: Template, vpc: unknown, name: string): void {
  const ref = vpc as { Ref?: string };
  if (!ref?.Ref) return;
  t.Resources[name] = {
    Type: 'AWS::EC2::NetworkAclEntry',
    Properties: {
      NetworkAclId: { 'Fn::GetAtt': [ref.Ref, 'DefaultNetworkAcl'] },
      RuleNumber: 50,
      Protocol: 6,
      RuleAction: 'deny',
      Egress: false,
      CidrBlock: '0.0.0.0/0',
      PortRange: { From: 5432, To: 5432 },
    },
  };
}

/** The bases' assemblies, synthesized into `work`: the seed, the DNS base, the service network, the private API. */
export async function synthesizeBases(work: string): Promise<string[]> {
  writeFileSync(join(work, 'dns.yaml'), DNS_BASE);
  const bases: string[] = [];
  for (const [i, config] of [
    example('seed'),
    join(work, 'dns.yaml'),
    example('service-network'),
    example('private-api'),
  ].entries()) {
    const dir = join(work, `base${i}`);
    const r = await synthesizeIsolated(config, dir);
    assert.ok(r.ok, r.errors);
    bases.push(dir);
  }
  return bases;
}
