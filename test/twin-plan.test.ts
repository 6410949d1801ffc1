// The twin's plan, without root: names, addresses and the nftables a security group becomes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import dnsPacket from 'dns-packet';
import type { Configuration, DnsRecord, Eni, Gateway, InfraModel, SecurityGroup, Vpc } from '../src/model/index.js';
import { follow, zoneOf, type Zone } from '../src/twin/dns.js';
import { namespacePrefix, planTwin, renderNftables } from '../src/twin/index.js';
import { answer, DEFAULT_TTL } from '../src/twin/resolver.js';
import { targetOf } from '../src/twin/routes.js';
import { emptyModel } from './support/model.js';

const eni = (id: string, vpcId: string, ip: string, sgs: string[]): Eni => ({
  id,
  subnetId: `subnet-${vpcId}`,
  vpcId,
  az: 'us-east-1a',
  ip,
  secondaryIps: [],
  securityGroupIds: sgs,
  owner: { kind: 'instance', id: `i-${id}` },
});
const sg = (id: string, vpcId: string, rules: Partial<SecurityGroup>): SecurityGroup => ({
  id,
  vpcId,
  account: '1',
  description: id,
  ingress: [],
  egress: [],
  created: true,
  ...rules,
});

const vpc = (id: string): Vpc => ({
  id,
  account: '1',
  region: 'us-east-1',
  cidr: '10.0.0.0/16',
  dnsSupport: true,
  dnsHostnames: true,
  created: true,
});

function model(): InfraModel {
  return {
    ...emptyModel(),
    vpcs: [vpc('vpc-a'), vpc('vpc-b')],
    enis: [
      eni('server', 'vpc-a', '10.0.0.4', ['sg-server']),
      eni('client', 'vpc-a', '10.0.0.5', ['sg-client']),
      eni('lookalike', 'vpc-b', '10.0.0.9', ['sg-client']),
      eni('lost', 'vpc-c', '10.9.0.1', []),
    ],
    securityGroups: [
      sg('sg-server', 'vpc-a', {
        ingress: [
          { protocol: 'tcp', fromPort: 5432, toPort: 5432, peer: { securityGroupId: 'sg-client' } },
          { protocol: '-1', fromPort: 0, toPort: 65535, peer: { cidr: '192.168.0.0/24' } },
        ],
        egress: [
          { protocol: 'udp', fromPort: 1000, toPort: 2000, peer: { cidr: '10.0.0.0/16' } },
          { protocol: 'tcp', fromPort: 443, toPort: 443, peer: { prefixListId: 'pl-1' } },
        ],
      }),
      sg('sg-client', 'vpc-a', {}),
    ],
  };
}

describe('twin plan', () => {
  it('security-group references expand to members in the same VPC only; prefix lists match nothing', () => {
    const m = model();
    const nft = renderNftables(m.enis[0]!, m, m.enis, '10.0.0.2');
    assert.match(nft, /ip saddr \{ 10\.0\.0\.5\/32 \} tcp dport 5432 accept/);
    assert.doesNotMatch(nft, /10\.0\.0\.9/, 'a member of the group in another VPC is not reachable by reference');
    assert.match(nft, /ip saddr \{ 192\.168\.0\.0\/24 \} accept/);
    assert.match(nft, /ip daddr \{ 10\.0\.0\.0\/16 \} udp dport 1000-2000 accept/);
    assert.doesNotMatch(nft, /443/);
    assert.match(nft, /policy drop;\n {4}ct state established,related accept/);
    assert.match(nft, /ip daddr 10\.0\.0\.2 udp dport 53 accept/, 'the VPC resolver is not subject to security groups');
  });
  it("a subnet's network ACL: stateless, in rule-number order, its own range and the resolver exempt", () => {
    const m = model();
    const entry = (ruleNumber: number, egress: boolean, action: 'allow' | 'deny', fromPort = 0, toPort = 65535) => ({
      ruleNumber,
      egress,
      protocol: 'tcp',
      action,
      cidr: '10.0.0.0/16',
      fromPort,
      toPort,
    });
    const subnet = { id: 'subnet-vpc-a', vpcId: 'vpc-a', cidr: '10.0.0.0/24', az: 'us-east-1a', created: true };
    const acl = { id: 'acl-1', vpcId: 'vpc-a', account: '1', isDefault: false, created: true, subnetIds: [subnet.id] };
    const entries = [entry(200, false, 'allow'), entry(100, false, 'deny', 5432, 5432), entry(100, true, 'allow')];
    const nodes = planTwin('t1', { ...m, subnets: [subnet], networkAcls: [{ ...acl, entries }] }).nodes;
    const nft = nodes.find((n) => n.label === 'i-server')?.nftables ?? '';
    assert.match(
      nft,
      /chain inbound \{\n.*prerouting priority -300; policy accept;\n.*iifname != "eth0" accept\n.*ip saddr 10\.0\.0\.0\/24 accept\n.*ip saddr 10\.0\.0\.2 accept\n.*ip saddr 10\.0\.0\.0\/16 tcp dport 5432 drop comment "rule 100"\n.*ip saddr 10\.0\.0\.0\/16 tcp dport 0-65535 accept comment "rule 200"\n.*drop comment "rule \*"/,
    );
    assert.doesNotMatch(
      nft.split('twin_nacl')[1] ?? '',
      /ct state/,
      'no connection tracking: replies meet the entries too',
    );
    const open = planTwin('t1', { ...m, subnets: [subnet] }).nodes;
    assert.doesNotMatch(open[0]?.nftables ?? '', /twin_nacl/, 'a subnet whose ACL is not known gets none');
  });
  it('each VPC is its own segment with its resolver at base + 2; ENIs without a known VPC are reported, not guessed', () => {
    const p = planTwin('t1', model());
    assert.deepEqual(
      p.segments.map((s) => s.resolver),
      ['10.0.0.2', '10.0.0.2'],
    );
    assert.equal(p.nodes.length, 3);
    assert.deepEqual(p.skipped, ['lost (instance i-lost): no address or VPC known']);
    for (const n of p.nodes) {
      assert.ok(n.namespace.startsWith(namespacePrefix('t1')));
      assert.ok(n.port.length <= 15, 'interface names fit in 15 characters');
      assert.equal(n.prefix, 16);
    }
    assert.notEqual(namespacePrefix('t1'), namespacePrefix('t2'), 'twins side by side do not share names');
    assert.deepEqual(planTwin('t1', model()), p, 'deterministic');
  });
});

describe("the twin's DNS: zones, CNAME chains and the gateway's ResourceConfigDnsResolution", () => {
  const WRITER = 'orders.cluster-abc.us-east-1.rds.amazonaws.com';
  const record = (name: string, target: string | string[], vpcIds?: string[]): DnsRecord => ({
    name,
    ...(typeof target === 'string' ? { addresses: [], cname: target } : { addresses: target }),
    ...(vpcIds ? { vpcIds } : {}),
    source: { stack: 'S', logicalId: name },
  });
  /** vpc-a holds the cluster (its writer at 10.0.0.4) and a private zone; vpc-b sees public names only. */
  const dnsModel = (records: DnsRecord[]): InfraModel => ({
    ...model(),
    databases: [
      {
        id: 'orders',
        arn: 'arn:aws:rds:us-east-1:1:cluster:orders',
        account: '1',
        engine: 'aurora-postgresql',
        port: 5432,
        writerName: WRITER,
        readerName: WRITER,
        vpcId: 'vpc-a',
        securityGroupIds: [],
        eniIds: ['server'],
        publiclyAccessible: false,
        created: true,
      },
    ],
    records,
  });
  const gateway = (dnsResolution: Gateway['dnsResolution']): Gateway => ({
    id: 'rgw-1',
    arn: 'arn:rgw-1',
    name: 'gw',
    account: '1',
    vpcId: 'vpc-a',
    securityGroupIds: [],
    eniIds: [],
    ipAddressType: 'IPV4',
    dnsResolution,
    source: { stack: 'S', logicalId: 'Gw' },
  });
  const config = (dns: string): Configuration => ({
    id: 'rcfg-1',
    arn: 'arn:rcfg-1',
    name: 'orders-db',
    account: '1',
    type: 'SINGLE',
    gatewayId: 'rgw-1',
    definition: { dns },
    portRanges: ['5432'],
    allowSharableServiceNetwork: false,
    amazonManaged: false,
  });

  it("a private CNAME is in its VPC's zone only; public names everywhere; the public zone has no private name", () => {
    const m = dnsModel([
      record('DB.internal.example.com.', `${WRITER}.`, ['vpc-a']),
      record('api.example.com', ['10.0.0.5']),
    ]);
    const [a, b] = planTwin('t1', m).segments;
    assert.deepEqual(a?.aliases, { 'db.internal.example.com': WRITER });
    assert.deepEqual(b?.aliases, {});
    assert.deepEqual(a?.records, { [WRITER]: ['10.0.0.4'], 'api.example.com': ['10.0.0.5'] });
    assert.deepEqual(b?.records, a?.records);
    assert.deepEqual(zoneOf(m, undefined), { records: a?.records, aliases: {}, ttls: { [WRITER]: 5 } });
    assert.deepEqual(follow(a ?? zoneOf(m, 'vpc-a'), 'db.internal.example.com'), {
      names: ['db.internal.example.com', WRITER],
      addresses: ['10.0.0.4'],
    });
  });

  it('a chain of 8 CNAMEs resolves; 9, a loop or a dangling end do not', () => {
    const chain = (n: number, end: string): Zone => ({
      records: { [WRITER]: ['10.0.0.4'] },
      aliases: Object.fromEntries(Array.from({ length: n }, (_, i) => [`c${i}`, i + 1 < n ? `c${i + 1}` : end])),
    });
    assert.deepEqual(follow(chain(8, WRITER), 'C0')?.addresses, ['10.0.0.4']);
    assert.equal(follow(chain(8, WRITER), 'c0')?.names.length, 9);
    assert.equal(follow(chain(9, WRITER), 'c0'), undefined);
    assert.equal(follow(chain(3, 'c0'), 'c0'), undefined);
    assert.deepEqual(follow(chain(2, 'gone'), 'c0'), { names: ['c0', 'c1', 'gone'] });
    assert.deepEqual(follow(chain(0, WRITER), 'constructor'), { names: ['constructor'] }, 'no inherited keys');
  });

  it("a DNS target resolves as the gateway resolves it: public DNS (PUBLIC) or its VPC's resolver (IN_VPC)", () => {
    const m = dnsModel([record('db.internal.example.com', WRITER, ['vpc-a']), record('pub.example.com', WRITER)]);
    const { segments } = planTwin('t1', m);
    const resolvers = { segments, publicZone: zoneOf(m, undefined) };
    assert.equal(targetOf(config('db.internal.example.com'), gateway('PUBLIC'), resolvers), undefined);
    assert.equal(targetOf(config('db.internal.example.com'), gateway('IN_VPC'), resolvers)?.join(), '10.0.0.4');
    assert.equal(targetOf(config('pub.example.com'), gateway('PUBLIC'), resolvers)?.join(), '10.0.0.4');
    assert.equal(targetOf(config(WRITER.toUpperCase()), gateway('PUBLIC'), resolvers)?.join(), '10.0.0.4');
    assert.equal(targetOf(config('nowhere.example.com'), gateway('IN_VPC'), resolvers), undefined);
  });

  /** A query for `name` of `type`, id 0x1234, recursion desired, written by dns-packet as dig would. */
  const query = (name: string, type: 'A' | 'AAAA' | 'TXT') =>
    dnsPacket.encode({
      type: 'query',
      id: 0x1234,
      flags: dnsPacket.RECURSION_DESIRED,
      questions: [{ type, name, class: 'IN' }],
    });
  /** The reply's code, flags and answers ("owner TTL TYPE data"), read back by dns-packet. */
  const parse = (reply: Buffer | undefined) => {
    assert.ok(reply);
    const r = dnsPacket.decode(reply) as dnsPacket.DecodedPacket & { rcode: string };
    const answers = (r.answers ?? []).map(
      (x) => `${x.name} ${'ttl' in x ? x.ttl : '?'} ${x.type} ${'data' in x ? String(x.data) : '?'}`,
    );
    return { id: r.id, rcode: r.rcode, ra: r.flag_ra, rd: r.flag_rd, answers };
  };
  it("the resolver's reply: each CNAME of the chain, then the addresses, with their TTLs; NXDOMAIN, SERVFAIL", () => {
    const zone: Zone = {
      records: { [WRITER]: ['10.0.0.4', '10.0.1.4'] },
      aliases: { 'db.internal': 'mid.internal', 'mid.internal': WRITER, loop: 'loop', dangling: 'gone.internal' },
      ttls: { [WRITER]: 5, 'db.internal': 300 },
    };
    const ask = (name: string, type: 'A' | 'AAAA' | 'TXT' = 'A') => parse(answer(query(name, type), zone));
    assert.deepEqual(ask('DB.internal'), {
      id: 0x1234,
      rcode: 'NOERROR',
      ra: true,
      rd: true,
      answers: [
        'DB.internal 300 CNAME mid.internal',
        `mid.internal ${DEFAULT_TTL} CNAME ${WRITER}`,
        `${WRITER} 5 A 10.0.0.4`,
        `${WRITER} 5 A 10.0.1.4`,
      ],
    });
    assert.deepEqual(ask(WRITER).answers, [`${WRITER} 5 A 10.0.0.4`, `${WRITER} 5 A 10.0.1.4`]);
    // IPv4 only: a name that exists has no AAAA (NOERROR, nothing), and a CNAME chain is still given.
    assert.deepEqual(ask(WRITER, 'AAAA'), { id: 0x1234, rcode: 'NOERROR', ra: true, rd: true, answers: [] });
    assert.deepEqual(ask('db.internal', 'AAAA').answers, [
      'db.internal 300 CNAME mid.internal',
      `mid.internal ${DEFAULT_TTL} CNAME ${WRITER}`,
    ]);
    assert.deepEqual(ask(WRITER, 'TXT').answers, []);
    assert.equal(ask('dangling').rcode, 'NXDOMAIN');
    assert.deepEqual(ask('dangling').answers, [`dangling ${DEFAULT_TTL} CNAME gone.internal`]);
    assert.deepEqual(ask('loop'), { id: 0x1234, rcode: 'SERVFAIL', ra: true, rd: true, answers: [] });
    assert.deepEqual(ask('nowhere.internal').rcode, 'NXDOMAIN');
    assert.equal(answer(Buffer.alloc(5), zone), undefined, 'not a DNS message');
    const response = dnsPacket.encode({ type: 'response', id: 1, questions: [{ type: 'A', name: WRITER }] });
    assert.equal(answer(response, zone), undefined, 'a response is not answered');
  });
});
