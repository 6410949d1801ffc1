// check on the seed and on broken variants of it: each names the hop or lint rule that decides, and a fix.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { check as checkModel, renderReport, type CheckReport, type Flow } from '../src/check/index.js';
import { Facts } from '../src/check/facts.js';
import { REASONS, type ReasonCode } from '../src/check/reasons.js';
import { RULES } from '../src/check/rules/index.js';
import { loadModel, unknownValue, type InfraModel } from '../src/model/index.js';
import { downAddresses } from '../src/model/queries.js';
import { example, exampleModel, synth, type Synthesized } from './support/synth.js';
import { editAssembly } from './support/twin.js';
import { DATABASE_PATH_HOPS } from './support/hops.js';
import { addAcl, type AclEntry } from './support/acl.js';
import { faultedModel } from '../src/twin/faults.js';

type Template = Parameters<Parameters<typeof editAssembly>[1]>[1];
type Edit = (stack: string, t: Template) => void;

/** The reason codes of every block and unknown hop of every report below: the last test requires each code. */
const reasons = new Set<ReasonCode>();
/** check, asserting that every hop that blocks or cannot say carries a reason code, and recording the codes. */
function check(...args: Parameters<typeof checkModel>): CheckReport {
  const report = checkModel(...args);
  const hops = report.flows.flatMap((f) => f.attempts.flatMap((a) => a.hops));
  for (const hop of hops.filter((h) => h.status !== 'pass')) {
    assert.ok(hop.reason && hop.reason in REASONS, `${hop.hop} ${hop.status} has a reason code: ${hop.detail}`);
    reasons.add(hop.reason);
  }
  return report;
}

let seed: Synthesized;
let model: InfraModel;
exampleModel({ before, after }, 'seed', (synthesized, loaded) => {
  seed = synthesized;
  model = loaded;
});

function variant(edit: Edit, expect: string[] = []): CheckReport {
  const dir = editAssembly(seed.dir, edit);
  try {
    return check(loadModel(dir), { expect });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const OWNER = 'LatticeShare-owner-owner';
const PARTNER = '222222222222';
const CONSUMER = 'LatticeShare-partner-consumer';
const res = (t: Template, prefix: string) => Object.entries(t.Resources).filter(([id]) => id.startsWith(prefix));
const one = (t: Template, prefix: string) => {
  const r = res(t, prefix);
  assert.equal(r.length, 1, `one resource ${prefix}…`);
  return r[0]![1];
};
const props = (t: Template, prefix: string) => one(t, prefix).Properties!;
const physical = (logicalPrefix: string) =>
  [...model.vpcs, ...model.subnets, ...model.securityGroups].find((x) => x.source?.logicalId.startsWith(logicalPrefix))!
    .id;
const writerName = () => model.databases[0]!.writerName;

function flow(r: CheckReport, client: string, name: (f: Flow) => boolean, port?: number): Flow {
  const f = r.flows.find((x) => x.client.label === client && name(x) && (port === undefined || x.port === port));
  assert.ok(f, `a flow from ${client}; have ${r.flows.map((x) => `${x.client.label} ${x.name}:${x.port}`).join(', ')}`);
  return f;
}
const writer = (f: Flow) => f.name === writerName();
/** The lint IDs some variant below was asserted to fail: the last test requires every rule of the registry. */
const failed = new Set<string>();
const finding = (r: CheckReport, id: string) => {
  const f = r.findings.find((x) => x.id === id);
  assert.ok(f, `finding ${id}; have ${r.findings.map((x) => x.id).join(', ') || 'none'}`);
  failed.add(id);
  return f;
};
/** A flow stopped at `hop`, with a detail and a fix saying what they should. */
function blockedAt(f: Flow, hop: string, detail: RegExp, fix: RegExp): void {
  assert.equal(f.disposition, 'BLOCKED', `${f.client.label} → ${f.name}: ${f.disposition}`);
  assert.equal(f.decidedBy?.hop, hop, `decided by ${f.decidedBy?.hop}: ${f.decidedBy?.detail}`);
  assert.match(f.decidedBy!.detail, detail);
  assert.match(f.decidedBy!.fix ?? '', fix);
}
/** Every standalone rule open to all TCP ports: isolates the hop a variant is about. */
const openPorts: Edit = (_s, t) => {
  for (const r of Object.values(t.Resources)) {
    if (r.Type === 'AWS::EC2::SecurityGroupIngress' || r.Type === 'AWS::EC2::SecurityGroupEgress')
      Object.assign(r.Properties!, { FromPort: 0, ToPort: 65535 });
  }
};
/** The configuration as a SINGLE one with a DNS target. */
const single =
  (dns: unknown, ports: string[]): Edit =>
  (stack, t) => {
    if (stack !== OWNER) return;
    Object.assign(props(t, 'OrdersDbConfiguration'), {
      ResourceConfigurationType: 'SINGLE',
      ProtocolType: 'TCP',
      PortRanges: ports,
      ResourceConfigurationDefinition: { DnsResource: { DomainName: dns, IpAddressType: 'IPV4' } },
    });
  };

describe('check on the seed', () => {
  it('finds every declared path reachable, no error, exit ok', () => {
    const r = check(model);
    assert.equal(r.ok, true, JSON.stringify(r.expectations));
    assert.equal(r.expectations.length, 2);
    assert.equal(r.summary.errors, 0, JSON.stringify(r.findings));
    const expected = r.flows.filter((f) => f.expected);
    assert.equal(expected.length, 6, 'app: 2 endpoint names + 2 private DNS names; legacy: 2 endpoint names');
    assert.ok(expected.every((f) => f.disposition === 'REACHABLE'));
    const app = flow(r, 'app', writer);
    assert.equal(app.nameKind, 'private-dns');
    assert.deepEqual(
      app.attempts[0]!.hops.map((h) => h.hop),
      [...DATABASE_PATH_HOPS],
    );
  });

  it('explains the original Aurora name with private DNS off: an owner-VPC address the consumer cannot reach', () => {
    const f = flow(check(model), 'legacy', writer);
    const owner = model.vpcs.find((v) => v.cidr === '10.0.0.0/16')!.id;
    blockedAt(
      f,
      'route',
      new RegExp(
        `10\\.0\\.0\\.\\d+ is outside vpc-\\w+ \\(10\\.2\\.0\\.0/16\\), the address of DB instance .* in ${owner}: .* has no route to it`,
      ),
      /use the endpoint's name vpce-\w+-snra-\w+\.rcfg-.*on\.aws, or turn on private DNS .*PrivateDnsEnabled: true/,
    );
  });

  it("a workload outside the client group is refused by the endpoint's group (and has no egress)", () => {
    const f = flow(check(model), 'other', writer);
    assert.equal(f.disposition, 'BLOCKED');
    assert.equal(f.expected, false);
    assert.ok(f.attempts[0]!.hops.some((h) => h.hop === 'endpoint-ingress' && h.status === 'block'));
  });
});

describe('broken variants of the seed: the hop, the rule and the fix', () => {
  it('dns: the consumer VPC has DNS resolution off (and private DNS needs it: LS-RE3)', () => {
    const r = variant((s, t) => {
      if (s === CONSUMER) props(t, 'AppVpc8').EnableDnsSupport = false;
    });
    blockedAt(
      flow(r, 'app', writer),
      'dns',
      /EnableDnsSupport false/,
      /EnableDnsSupport: true on vpc-\w+ \(LatticeShare-partner-consumer\/AppVpc/,
    );
    assert.match(finding(r, 'LS-RE3').fix, /EnableDnsSupport and EnableDnsHostnames/);
  });

  it('dns: private DNS turned off, the writer name resolves to the owner VPC', () => {
    const r = variant((s, t) => {
      if (s === CONSUMER) props(t, 'PartnerAppEndpoint2').PrivateDnsEnabled = false;
    });
    blockedAt(flow(r, 'app', writer), 'route', /outside vpc-\w+ \(10\.1\.0\.0\/16\)/, /turn on private DNS/);
    assert.equal(r.ok, false, 'the declared private-DNS paths are gone: not ok');
  });

  it('client-egress: the client group lost its egress rule to the endpoint', () => {
    // As CDK writes a group with no egress: its "no traffic" placeholder (deleting the only rule would restore AWS's
    // allow-all).
    const r = variant((s, t) => {
      if (s !== CONSUMER) return;
      for (const [id] of res(t, 'AppSecurityGroupto')) delete t.Resources[id];
      props(t, 'AppSecurityGroupC').SecurityGroupEgress = [
        {
          CidrIp: '255.255.255.255/32',
          Description: 'Disallow all traffic',
          FromPort: 252,
          IpProtocol: 'icmp',
          ToPort: 86,
        },
      ];
    });
    blockedAt(
      flow(r, 'app', writer),
      'client-egress',
      /no egress rule of sg-\w+ \(LatticeShare-partner-consumer\/AppSecurityGroup\w+\) allows tcp 5432 to 10\.1\.\d+\.\d+/,
      /an egress rule: tcp 5432 to/,
    );
    assert.equal(r.ok, false);
  });

  it('endpoint-ingress: the endpoint group lost its rule from the client group', () => {
    const r = variant((s, t) => {
      if (s === CONSUMER) for (const [id] of res(t, 'PartnerAppEndpointSecurityGroupfrom')) delete t.Resources[id];
    });
    blockedAt(
      flow(r, 'app', writer),
      'endpoint-ingress',
      /no ingress rule of sg-\w+ \(LatticeShare-partner-consumer\/PartnerAppEndpointSecurityGroup/,
      /an ingress rule: tcp 5432 from 10\.1\.0\.4/,
    );
  });

  it('share: the configuration is shared with another account (LS-RAM1)', () => {
    const r = variant((s, t) => {
      if (s === OWNER) props(t, 'OrdersToPartnerShare').Principals = ['333333333333'];
    });
    blockedAt(
      flow(r, 'app', writer),
      'share',
      /not shared with account 222222222222/,
      /add 222222222222 to Principals of orders-to-partner/,
    );
    assert.match(finding(r, 'LS-RAM1').message, /not shared with account 222222222222/);
  });

  it('share: the consumer outside the organization never accepts the invitation (LS-RAM2)', () => {
    const r = variant((s, t) => {
      if (s !== CONSUMER) return;
      for (const [id] of res(t, 'OrdersToPartnerInvitation')) delete t.Resources[id];
      for (const x of Object.values(t.Resources))
        if (x.DependsOn) x.DependsOn = x.DependsOn.filter((d) => !d.startsWith('OrdersToPartnerInvitation'));
    });
    blockedAt(
      flow(r, 'legacy', (f) => f.nameKind === 'endpoint'),
      'share',
      /has not accepted the invitation/,
      /accept the RAM invitation in account 222222222222/,
    );
    assert.match(finding(r, 'LS-RAM2').fix, /ResourceShareInvitationAccepter/);
  });

  it('share: external principals not allowed for an account outside the organization (LS-RAM3)', () => {
    const r = variant((s, t) => {
      if (s === OWNER) props(t, 'OrdersToPartnerShare').AllowExternalPrincipals = false;
    });
    blockedAt(flow(r, 'app', writer), 'share', /does not allow external principals/, /AllowExternalPrincipals: true/);
    finding(r, 'LS-RAM3');
  });

  it("port-range: a port outside the configuration's ranges, with every group open", () => {
    const r = variant(openPorts, ['app -> orders-db:5433']);
    blockedAt(
      flow(r, 'app', writer, 5433),
      'port-range',
      /port 5433 is outside the port ranges of orders-db-writer \(5432\)/,
      /connect on 5432/,
    );
    assert.equal(r.expectations.find((x) => x.expectation === 'app -> orders-db:5433')?.result, 'fails');
  });

  it('az: gateway and endpoint in no common zone (LS-RE2)', () => {
    const r = variant((s, t) => {
      if (s === OWNER)
        props(t, 'OwnerVpcGateway5').SubnetIds = [{ Ref: res(t, 'OwnerVpcprivateSubnet1Subnet')[0]![0] }];
      if (s === CONSUMER)
        props(t, 'PartnerAppEndpoint2').SubnetIds = [{ Ref: res(t, 'AppVpcprivateSubnet2Subnet')[0]![0] }];
    });
    blockedAt(
      flow(r, 'app', writer),
      'az',
      /in us-east-1b \(use1-az2\) and gateway owner-vpc-gw in us-east-1a \(use1-az1\): no zone in common/,
      /give gateway owner-vpc-gw a subnet in us-east-1b/,
    );
    finding(r, 'LS-RE2');
  });

  it('target-dns: a configuration whose DNS target does not resolve where the gateway resolves it', () => {
    const r = variant(single('orders.nowhere.example.com', ['5432']));
    blockedAt(
      flow(r, 'legacy', (f) => f.nameKind === 'endpoint'),
      'target-dns',
      /orders\.nowhere\.example\.com does not resolve with public DNS \(resource gateway [\w-]+: ResourceConfigDnsResolution PUBLIC, the default\)$/,
      /^point (orders-db|rcfg-\w+).* at a name that resolves publicly \(for a name in a private hosted zone of vpc-\w+, set ResourceConfigDnsResolution: IN_VPC on rgw-/,
    );
  });

  it('gateway-egress: the gateway may send to another port only', () => {
    const r = variant((s, t) => {
      if (s === OWNER) Object.assign(props(t, 'OwnerVpcGatewaySecurityGroupto'), { FromPort: 5433, ToPort: 5433 });
    });
    blockedAt(
      flow(r, 'app', writer),
      'gateway-egress',
      /no egress rule of sg-\w+ \(LatticeShare-owner-owner\/OwnerVpcGatewaySecurityGroup\w+\) allows tcp 5432 to 10\.0\.0\.\d+/,
      /an egress rule: tcp 5432 to 10\.0\.0\.\d+/,
    );
  });

  it('target-ingress: the database group lost its rule from the gateway', () => {
    const r = variant((s, t) => {
      if (s === OWNER) for (const [id] of res(t, 'OrdersDbSecurityGroupfrom')) delete t.Resources[id];
    });
    blockedAt(
      flow(r, 'app', writer),
      'target-ingress',
      /no ingress rule of sg-\w+ \(LatticeShare-owner-owner\/OrdersDbSecurityGroup/,
      /an ingress rule: tcp 5432 from the gateway 10\.0\.\d+\.\d+/,
    );
  });

  it('listener: a configuration serving a port the database does not listen on', () => {
    const edit: Edit = (s, t) => {
      openPorts(s, t);
      single({ 'Fn::GetAtt': ['OrdersDb889E652A', 'Endpoint.Address'] }, ['6432'])(s, t);
    };
    const r = variant(edit, ['legacy -> orders-db:6432']);
    // A client connects on the database's own port, which the configuration does not carry (LS-RC8)...
    const endpointName = (f: Flow) => f.nameKind === 'endpoint';
    blockedAt(
      flow(r, 'legacy', endpointName, 5432),
      'port-range',
      /port 5432 is outside the port ranges/,
      /connect on 6432, or add 5432 to PortRanges/,
    );
    assert.ok(finding(r, 'LS-RC8'));
    // ...and on the port it carries, nothing listens.
    blockedAt(
      flow(r, 'legacy', endpointName, 6432),
      'listener',
      /listens on 5432, not 6432/,
      /connect on port 5432, or make the configuration's port ranges 5432/,
    );
  });

  it("endpoint in the gateway's own VPC (LS-RE1)", () => {
    const r = variant((s, t) => {
      if (s !== CONSUMER) return;
      Object.assign(props(t, 'PartnerAppEndpoint2'), {
        VpcId: physical('OwnerVpc851831A7'),
        SubnetIds: [physical('OwnerVpcprivateSubnet1'), physical('OwnerVpcprivateSubnet2')],
      });
    });
    assert.match(finding(r, 'LS-RE1').message, /the gateway owner-vpc-gw's own VPC/);
    assert.equal(r.ok, false);
  });
});

/** The seed with an ACL on one subnet (the app's, the endpoint's second, the database's). */
const withAcl = (subnet: string, entries: AclEntry[]) =>
  variant((_s, t) => void addAcl(t as Parameters<typeof addAcl>[0], 'TestAcl', subnet, entries));
const ALL_OUT: AclEntry = { rule: 100, egress: true, protocol: -1 };
const ALL_IN: AclEntry = { rule: 100, protocol: -1 };
/** The writer flow's attempt to an address (the endpoint ENI in the app's subnet, or the one in the other). */
const attempt = (r: CheckReport, address: RegExp) => {
  const a = flow(r, 'app', writer).attempts.find((x) => address.test(x.address ?? ''));
  assert.ok(a, `an attempt to ${address}`);
  return a;
};
const findHop = (r: CheckReport, address: RegExp, hop: string) => attempt(r, address).hops.find((h) => h.hop === hop);
const hopOf = (r: CheckReport, address: RegExp, hop: string) => {
  const found = findHop(r, address, hop);
  assert.ok(found, `a ${hop} hop to ${address}`);
  return found;
};
const OTHER_SUBNET = /^10\.1\.1\./;
const SAME_SUBNET = /^10\.1\.0\./;

const CLUSTER = { 'Fn::GetAtt': ['OrdersDb889E652A', 'Endpoint.Address'] };
type DnsEntry = { name: string; type: 'A' | 'CNAME'; value: unknown; zone?: 'private' | 'public' };
/** The owner's configuration targets `target`; records in a private zone of the owner VPC or in a public one. */
const dnsVariant =
  (target: string, records: DnsEntry[], resolution?: 'IN_VPC'): Edit =>
  (stack, t) => {
    single(target, ['5432'])(stack, t);
    if (stack !== OWNER) return;
    if (resolution) props(t, 'OwnerVpcGateway5').ResourceConfigDnsResolution = resolution;
    t.Resources.InternalZone = {
      Type: 'AWS::Route53::HostedZone',
      Properties: {
        Name: 'internal.example.com',
        VPCs: [{ VPCId: { Ref: 'OwnerVpc851831A7' }, VPCRegion: 'us-east-1' }],
      },
    };
    records.forEach((r, i) => {
      t.Resources[`TestRecord${i}`] = {
        Type: 'AWS::Route53::RecordSet',
        Properties: {
          HostedZoneId: r.zone === 'public' ? 'Z0PUBLICZONE' : { Ref: 'InternalZone' },
          Name: r.name,
          Type: r.type,
          TTL: '60',
          ResourceRecords: [r.value],
        },
      };
    });
  };
const legacy = (r: CheckReport) => flow(r, 'legacy', (f) => f.nameKind === 'endpoint');
const targetHop = (f: Flow) => f.attempts[0]?.hops.find((h) => h.hop === 'target-dns');
const privateCname: DnsEntry = { name: 'orders.internal.example.com', type: 'CNAME', value: CLUSTER };

describe("target-dns: the gateway's ResourceConfigDnsResolution (PUBLIC, the default, or IN_VPC)", () => {
  it("a record set's TTL is read (the twin's resolver answers with it)", () => {
    const dir = editAssembly(seed.dir, dnsVariant('orders.internal.example.com', [privateCname]));
    try {
      assert.deepEqual(
        loadModel(dir).records.map((r) => [r.name, r.ttl]),
        [['orders.internal.example.com', 60]],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('PUBLIC (the default): a name only in a private hosted zone does not resolve; the fix is IN_VPC, on the gateway', () => {
    const f = legacy(variant(dnsVariant('orders.internal.example.com', [privateCname])));
    blockedAt(
      f,
      'target-dns',
      /^orders\.internal\.example\.com does not resolve with public DNS \(resource gateway owner-vpc-gw: ResourceConfigDnsResolution PUBLIC, the default\); it resolves only in vpc-\w+ \(orders\.internal\.example\.com is a CNAME for .*\.rds\.amazonaws\.com \(a Route 53 record of LatticeShare-owner-owner\/TestRecord0 \(private zone\)\); the writer name of cluster/,
      /^set ResourceConfigDnsResolution: IN_VPC on rgw-\w+ \(LatticeShare-owner-owner\/OwnerVpcGateway5BEDC632\)/,
    );
    assert.equal(f.decidedBy?.reason, 'TARGET_NOT_RESOLVED');
    assert.equal(f.decidedBy?.rule?.logicalId, 'OwnerVpcGateway5BEDC632');
  });

  it("IN_VPC: the private zone's CNAME is followed to the cluster's (public) writer name, in the gateway's VPC", () => {
    const f = legacy(variant(dnsVariant('orders.internal.example.com', [privateCname], 'IN_VPC')));
    assert.equal(f.disposition, 'REACHABLE', f.decidedBy?.detail);
    assert.match(
      targetHop(f)?.detail ?? '',
      /^orders\.internal\.example\.com resolves in the owner VPC vpc-\w+ \(resource gateway owner-vpc-gw: ResourceConfigDnsResolution IN_VPC\) to 10\.0\.\d+\.\d+ \(orders\.internal\.example\.com is a CNAME for /,
    );
    const plain = legacy(variant(single(CLUSTER, ['5432'])));
    assert.match(targetHop(plain)?.detail ?? '', /resolves with public DNS .* \(the writer name of cluster/);
  });

  it('IN_VPC: a name in no zone does not resolve there either; the fix points the configuration elsewhere', () => {
    const f = legacy(variant(dnsVariant('orders.nowhere.example.com', [privateCname], 'IN_VPC')));
    blockedAt(
      f,
      'target-dns',
      /^orders\.nowhere\.example\.com does not resolve in the owner VPC vpc-\w+ \(resource gateway owner-vpc-gw: ResourceConfigDnsResolution IN_VPC\)$/,
      /^point (orders-db|rcfg-\w+).* at a name that resolves there$/,
    );
  });
});

describe("CNAME records: followed up to 8, in the gateway's resolver and the client's", () => {
  it('CNAMEs of a public zone resolve with PUBLIC, up to 8 in a chain; a loop, a longer chain or a dangling one does not', () => {
    const chain = (length: number, end: unknown): DnsEntry[] =>
      Array.from({ length }, (_, i) => ({
        name: `c${i}.example.com`,
        type: 'CNAME' as const,
        value: i + 1 < length ? `c${i + 1}.example.com.` : end,
        zone: 'public' as const,
      }));
    const eight = legacy(variant(dnsVariant('c0.example.com', chain(8, CLUSTER))));
    assert.equal(eight.disposition, 'REACHABLE', eight.decidedBy?.detail);
    assert.match(
      targetHop(eight)?.detail ?? '',
      /c0\.example\.com is a CNAME for c1\.example\.com .*c7\.example\.com is a CNAME for /,
    );
    const cases: [DnsEntry[], RegExp][] = [
      [
        chain(9, CLUSTER),
        /: its CNAME chain is longer than 8: c0\.example\.com → c1\.example\.com → c2\.example\.com → …/,
      ],
      [
        chain(3, 'c0.example.com'),
        /: its CNAME chain loops: c0\.example\.com → c1\.example\.com → c2\.example\.com → c0\.example\.com$/,
      ],
      [
        chain(2, 'gone.example.com'),
        /: its CNAME chain ends at gone\.example\.com, which does not resolve \(c0\.example\.com is a CNAME/,
      ],
    ];
    for (const [records, detail] of cases) {
      const f = legacy(variant(dnsVariant('c0.example.com', records)));
      assert.equal(f.disposition, 'BLOCKED');
      assert.equal(f.decidedBy?.hop, 'target-dns');
      assert.match(f.decidedBy?.detail ?? '', detail);
    }
  });

  it("a client's own lookup follows CNAMEs too: a private-zone CNAME to the endpoint's name, in the client's VPC", () => {
    const m = loadModel(seed.dir);
    const endpoint = m.endpoints.find((e) => e.vpcId === flow(check(m), 'legacy', () => true).client.vpcId);
    const name = endpoint?.associations[0]?.dnsName;
    if (!endpoint || !name) return assert.fail('an endpoint in the legacy VPC');
    m.records.push({
      name: 'db.legacy.internal',
      addresses: [],
      cname: `${name}.`,
      vpcIds: [endpoint.vpcId],
      source: { stack: CONSUMER, logicalId: 'Alias' },
    });
    const answer = new Facts(m).resolve(endpoint.vpcId, 'DB.legacy.internal');
    assert.deepEqual(answer?.addresses, endpoint.associations[0]?.ips);
    assert.match(
      answer?.why ?? '',
      /^db\.legacy\.internal is a CNAME for vpce-.* \(a Route 53 record of .*\/Alias \(private zone\)\); the name of an association of endpoint/,
    );
    assert.equal(new Facts(m).resolve(m.vpcs[0]?.id ?? '', 'db.legacy.internal'), undefined, 'private to its VPC');
  });
});

describe('network ACLs: where a connection enters or leaves a subnet, both directions, in rule order', () => {
  it('endpoint-nacl: a deny numbered before the allow stops the request, in the other subnet only', () => {
    const r = withAcl('AppVpcprivateSubnet2', [{ rule: 90, action: 'deny', ports: [5432, 5432] }, ALL_IN, ALL_OUT]);
    assert.equal(flow(r, 'app', writer).disposition, 'PARTIAL');
    const hop = hopOf(r, OTHER_SUBNET, 'endpoint-nacl');
    assert.equal(hop.status, 'block');
    assert.equal(hop.reason, 'NACL_DENIES');
    assert.match(hop.detail, /rule 90 of acl-\w+ of subnet-\w+ denies inbound tcp 5432 from 10\.1\.0\.\d+/);
    assert.match(hop.fix ?? '', /an inbound entry allowing tcp 5432 from 10\.1\.0\.\d+\/32, numbered below 90/);
    assert.equal(hop.rule?.logicalId, 'TestAclEntry0');
    // Within the app's own subnet no edge is crossed: no ACL hop.
    assert.equal(attempt(r, SAME_SUBNET).disposition, 'REACHABLE');
    assert.equal(findHop(r, SAME_SUBNET, 'endpoint-nacl'), undefined);
  });

  it("client-nacl: stateless replies: none let back in, or only part of the client's ephemeral range", () => {
    const none = withAcl('AppVpcprivateSubnet1', [{ rule: 100, ports: [22, 22] }, ALL_OUT]);
    const denied = hopOf(none, OTHER_SUBNET, 'client-nacl');
    assert.equal(denied.reason, 'NACL_DENIES_REPLIES');
    assert.match(denied.detail, /the '\*' rule of acl-\w+ .* denies inbound tcp 1025-65535 from 10\.1\.1\.\d+/);
    const part = withAcl('AppVpcprivateSubnet1', [{ rule: 100, ports: [32768, 65535] }, ALL_OUT]);
    const partial = hopOf(part, OTHER_SUBNET, 'client-nacl');
    assert.equal(partial.status, 'unknown');
    assert.equal(partial.reason, 'NACL_REPLY_PORTS_PARTIAL');
    assert.match(partial.detail, /allows only 32768-65535 of inbound tcp 1025-65535/);
  });

  it('client-nacl passes with the entries that decide, each way; a custom ACL with no entries denies all', () => {
    const r = withAcl('AppVpcprivateSubnet1', [
      { rule: 100, ports: [1024, 65535] },
      { rule: 100, egress: true, ports: [5432, 5432], cidr: '10.1.0.0/16' },
    ]);
    const hop = hopOf(r, OTHER_SUBNET, 'client-nacl');
    assert.equal(hop.status, 'pass');
    assert.match(hop.detail, /rule 100 allows outbound tcp 5432 to 10\.1\.1\.\d+; rule 100 allows inbound/);
    assert.equal(flow(r, 'app', writer).disposition, 'REACHABLE');
    const empty = withAcl('AppVpcprivateSubnet1', []);
    assert.equal(hopOf(empty, OTHER_SUBNET, 'client-nacl').reason, 'NACL_DENIES');
    assert.equal(attempt(empty, SAME_SUBNET).disposition, 'REACHABLE');
  });
});

describe('network ACLs: the owner side, and ACLs the templates only reference', () => {
  it("target-nacl and gateway-nacl: the database's subnet admits only its own range, the gateway's other ENI is outside", () => {
    const r = withAcl('OwnerVpcprivateSubnet1', [{ rule: 100, ports: [5432, 5432], cidr: '10.0.0.0/24' }, ALL_OUT]);
    const hop = hopOf(r, OTHER_SUBNET, 'target-nacl');
    assert.equal(hop.reason, 'NACL_DENIES');
    assert.match(hop.detail, /the '\*' rule of .* denies inbound tcp 5432 from 10\.0\.1\.\d+/);
    assert.equal(attempt(r, SAME_SUBNET).disposition, 'REACHABLE');
    const gateway = withAcl('OwnerVpcprivateSubnet2', [ALL_IN, { rule: 100, egress: true, ports: [443, 443] }]);
    assert.equal(hopOf(gateway, OTHER_SUBNET, 'gateway-nacl').reason, 'NACL_DENIES');
  });

  it('LS-NACL1: an entry repeating a rule number of its direction is refused by AWS; the first of the number counts', () => {
    const r = withAcl('AppVpcprivateSubnet2', [ALL_IN, { rule: 100, action: 'deny', ports: [5432, 5432] }, ALL_OUT]);
    assert.match(finding(r, 'LS-NACL1').message, /inbound rule 100 of acl-\w+ repeats a rule number/);
    assert.equal(attempt(r, OTHER_SUBNET).disposition, 'REACHABLE', 'the refused deny carries nothing');
  });

  it('an association with an ACL the templates only reference: UNKNOWN, which ACL it is said', () => {
    const r = variant((_s, t) => {
      const subnet = Object.keys(t.Resources).find((id) => id.startsWith('AppVpcprivateSubnet2Subnet'));
      if (!subnet || t.Resources[subnet]?.Type !== 'AWS::EC2::Subnet') return;
      t.Resources.ExistingAcl = {
        Type: 'AWS::EC2::SubnetNetworkAclAssociation',
        Properties: { SubnetId: { Ref: subnet }, NetworkAclId: 'acl-0123456789abcdef0' },
      };
    });
    const hop = hopOf(r, OTHER_SUBNET, 'endpoint-nacl');
    assert.equal(hop.status, 'unknown');
    assert.equal(hop.reason, 'NACL_UNKNOWN');
    assert.match(hop.detail, /\(acl-0123456789abcdef0\) is not in the templates/);
  });
});

describe('lint rules on variants of the seed', () => {
  const cases: [string, string, Edit, RegExp][] = [
    [
      'LS-RC1',
      'ARN type on something other than RDS',
      (s, t) => {
        if (s === OWNER)
          props(t, 'OrdersDbConfiguration').ResourceConfigurationDefinition = {
            ArnResource: 'arn:aws:ec2:us-east-1:111111111111:instance/i-0123456789abcdef0',
          };
      },
      /use ARN type for Amazon RDS only/,
    ],
    [
      'LS-RC2',
      'ARN type on a publicly accessible database',
      (s, t) => {
        if (s === OWNER) props(t, 'OrdersDbwriter').PubliclyAccessible = true;
      },
      /PubliclyAccessible: false/,
    ],
    [
      'LS-RC3',
      'IP target outside the private ranges',
      (s, t) => {
        if (s === OWNER)
          Object.assign(props(t, 'OrdersDbConfiguration'), {
            ResourceConfigurationType: 'SINGLE',
            ProtocolType: 'TCP',
            PortRanges: ['5432'],
            ResourceConfigurationDefinition: { IpResource: '8.8.8.8' },
          });
      },
      /10\.0\.0\.0\/8, 100\.64\.0\.0\/10, 172\.16\.0\.0\/12, 192\.168\.0\.0\/16/,
    ],
    [
      'LS-RC4',
      'no protocol on a SINGLE',
      (s, t) => {
        if (s === OWNER)
          Object.assign(props(t, 'OrdersDbConfiguration'), {
            ResourceConfigurationType: 'SINGLE',
            PortRanges: ['5432'],
            ResourceConfigurationDefinition: { IpResource: '10.0.0.5' },
          });
      },
      /ProtocolType: TCP/,
    ],
    [
      'LS-RC5',
      'no port ranges on a SINGLE',
      (s, t) => {
        if (s === OWNER)
          Object.assign(props(t, 'OrdersDbConfiguration'), {
            ResourceConfigurationType: 'SINGLE',
            ProtocolType: 'TCP',
            ResourceConfigurationDefinition: { IpResource: '10.0.0.5' },
          });
      },
      /set PortRanges/,
    ],
    [
      'LS-RC6',
      'custom domain on a GROUP',
      (s, t) => {
        if (s === OWNER)
          Object.assign(props(t, 'OrdersDbConfiguration'), {
            ResourceConfigurationType: 'GROUP',
            ProtocolType: 'TCP',
            PortRanges: ['5432'],
            CustomDomainName: 'db.example.com',
            ResourceConfigurationDefinition: undefined,
          });
      },
      /GroupDomain/,
    ],
    [
      'LS-RC7',
      'AllowAssociationToSharableServiceNetwork left true',
      (s, t) => {
        if (s === OWNER) props(t, 'OrdersDbConfiguration').AllowAssociationToSharableServiceNetwork = true;
      },
      /AllowAssociationToSharableServiceNetwork: false/,
    ],
    [
      'LS-RC8',
      "port ranges that leave out the database's port",
      (s, t) => {
        if (s === OWNER) props(t, 'OrdersDbConfiguration').PortRanges = ['5433-5440'];
      },
      /add 5432 to PortRanges of orders-db/,
    ],
    [
      'LS-SG1',
      'a security group reference across VPCs and accounts',
      (s, t) => {
        if (s === CONSUMER)
          props(t, 'PartnerAppEndpointSecurityGroupfrom').SourceSecurityGroupId = physical(
            'OwnerVpcGatewaySecurityGroupF',
          );
      },
      /CIDR/,
    ],
    [
      'LS-SG2',
      "inbound rules on the gateway's group",
      (s, t) => {
        if (s === OWNER)
          props(t, 'OwnerVpcGatewaySecurityGroupF').SecurityGroupIngress = [
            { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, CidrIp: '10.1.0.0/16' },
          ];
      },
      /remove them/,
    ],
    [
      'LS-SG3',
      'database ingress by the whole VPC CIDR',
      (s, t) => {
        if (s === OWNER) {
          const p = props(t, 'OrdersDbSecurityGroupfrom');
          delete p.SourceSecurityGroupId;
          p.CidrIp = '10.0.0.0/16';
        }
      },
      /allow ingress from the gateway's security group sg-\w+ instead/,
    ],
    [
      'LS-RAM4',
      'a share that lists a CHILD configuration',
      (s, t) => {
        if (s === OWNER) props(t, 'OrdersDbConfiguration').ResourceConfigurationType = 'CHILD';
      },
      /share its GROUP instead/,
    ],
    [
      'LS-RGW1',
      'gateway subnets too small',
      (s, t) => {
        if (s === OWNER) props(t, 'OwnerVpcprivateSubnet1Subnet').CidrBlock = '10.0.0.0/28';
      },
      /subnets of \/26 or larger/,
    ],
  ];
  for (const [id, what, edit, fix] of cases) {
    it(`${id}: ${what}`, () => {
      const r = variant(edit);
      const f = finding(r, id);
      assert.match(f.fix, fix);
      assert.ok(f.resource?.stack && f.resource.logicalId, 'names the template resource');
      assert.match(f.resource.template ?? '', /^LatticeShare-\w+-\w+\.template\.json$/, 'and its template file');
      if (f.severity === 'error') assert.equal(r.ok, false);
    });
  }
});

describe('service networks and API calls: lint rules and paths', () => {
  let sn: Synthesized;
  let api: Synthesized;
  before(() => {
    sn = synth({ file: example('service-network') });
    api = synth({ file: example('private-api') });
  });
  after(() => {
    sn?.cleanup();
    api?.cleanup();
  });
  const edited = (base: Synthesized, edit: Edit) => {
    const dir = editAssembly(base.dir, edit);
    try {
      return check(loadModel(dir));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const ofType = (t: Template, type: string) => Object.values(t.Resources).filter((r) => r.Type === type);

  it('the examples: no finding; a sharable network that holds a configuration makes AllowAssociation… true no warning (LS-RC7)', () => {
    for (const s of [sn, api]) {
      const r = check(loadModel(s.dir));
      assert.deepEqual(r.findings, []);
      assert.equal(r.ok, true);
    }
  });

  it("LS-SN1: a resource association given the configuration's ARN", () => {
    const r = edited(sn, (stack, t) => {
      if (!stack.endsWith('-network')) return;
      for (const x of ofType(t, 'AWS::VpcLattice::ServiceNetworkResourceAssociation'))
        x.Properties!.ResourceConfigurationId = { Ref: 'OrdersDbConfigurationArn' };
    });
    assert.match(finding(r, 'LS-SN1').fix, /pass the ID \(rcfg-…\)/);
    assert.equal(r.ok, false);
  });

  it('LS-SN2 and the share hop: a sharable network with a configuration that does not allow it', () => {
    const r = edited(sn, (stack, t) => {
      if (stack.endsWith('-owner'))
        for (const x of ofType(t, 'AWS::VpcLattice::ResourceConfiguration'))
          x.Properties!.AllowAssociationToSharableServiceNetwork = false;
    });
    assert.match(finding(r, 'LS-SN2').fix, /AllowAssociationToSharableServiceNetwork: true/);
    const f = r.flows.find((x) => x.client.label === 'b-app' && x.expected)!;
    blockedAt(
      f,
      'share',
      /service network shared is sharable, and configuration orders-db does not allow/,
      /SharingConfig\.enabled: false/,
    );
  });

  it('LS-SN3: a resource endpoint and a service-network endpoint with private DNS for one configuration in one VPC', () => {
    const both = synth({
      yaml: `version: 1
region: us-east-1
accounts: { owner: { id: "111111111111" } }
networks:
  owner-vpc: { account: owner, cidr: 10.0.0.0/16, azs: 2 }
  app-vpc: { account: owner, cidr: 10.1.0.0/16, azs: 2 }
resources:
  orders-db: { type: aurora-postgresql, network: owner-vpc, create: {} }
serviceNetworks:
  shared: { account: owner, resources: [orders-db] }
workloads:
  app: { network: app-vpc }
consumers:
  direct: { network: app-vpc, resource: orders-db, privateDns: false, clients: { workloads: [app] } }
  via-network: { network: app-vpc, serviceNetwork: shared, clients: { workloads: [app] } }
`,
    });
    try {
      assert.deepEqual(
        check(loadModel(both.dir)).findings.filter((f) => f.id === 'LS-SN3'),
        [],
        'private DNS on one path only is fine',
      );
      const r = edited(both, (stack, t) => {
        for (const x of ofType(t, 'AWS::EC2::VPCEndpoint'))
          if (x.Properties!.VpcEndpointType === 'Resource') x.Properties!.PrivateDnsEnabled = true;
      });
      assert.match(finding(r, 'LS-SN3').message, /both with private DNS for configuration orders-db/);
    } finally {
      both.cleanup();
    }
  });

  it('LS-SN4: a stack that uses a service network before the stack that makes it', () => {
    const m = loadModel(sn.dir);
    const network = m.stacks.findIndex((s) => s.name.endsWith('-network'));
    const [moved] = m.stacks.splice(network, 1);
    m.stacks.push(moved!);
    const r = check(m);
    assert.match(finding(r, 'LS-SN4').fix, /make LatticeShare-team-a-consumer depend on LatticeShare-network-network/);
  });

  it("a network that owns the consumer account's own path: a VPC association with a custom domain named for private DNS", () => {
    const own = synth({
      yaml: `version: 1
region: us-east-1
accounts:
  owner: { id: "111111111111", zoneIds: { us-east-1a: use1-az1, us-east-1b: use1-az2, us-east-1c: use1-az3 } }
  team: { id: "222222222222", zoneIds: { us-east-1a: use1-az3, us-east-1b: use1-az1, us-east-1c: use1-az2 } }
networks:
  owner-vpc: { account: owner, cidr: 10.0.0.0/16, azs: 2 }
  team-vpc: { account: team, cidr: 10.0.0.0/16, azs: 2 }
resources:
  cache: { type: tcp, network: owner-vpc, target: { ip: 10.0.9.9 }, ports: ["6379"], customDomain: cache.internal.example.com }
shares:
  to-team: { resources: [cache], with: [team] }
serviceNetworks:
  team-net: { account: team, resources: [cache] }
workloads:
  app: { network: team-vpc }
consumers:
  app-assoc: { network: team-vpc, serviceNetwork: team-net, via: association, clients: { workloads: [app] } }
`,
    });
    try {
      const r = check(loadModel(own.dir));
      const f = r.flows.find((x) => x.client.label === 'app' && x.name === 'cache.internal.example.com')!;
      assert.equal(
        f.nameKind,
        'private-dns',
        'the unverified custom domain gets private DNS because the association names it',
      );
      assert.equal(f.expected, true);
      // The target address exists in no ENI of the templates: the path ends at the target, after the association.
      blockedAt(f, 'target-dns', /no ENI in vpc-\w+ has the target address 10\.0\.9\.9/, /inside the gateway's VPC/);
      assert.match(f.attempts[0]!.hops[1]!.detail, /^129\.224\.0\.\d+ is service-network association snva-/);
    } finally {
      own.cleanup();
    }
  });

  it('LS-SFN1, LS-SFN2 and the scheme hop: an HTTP task to http://, or to a private name', () => {
    const task =
      (from: string, to: string): Edit =>
      (stack, t) => {
        for (const x of ofType(t, 'AWS::StepFunctions::StateMachine')) {
          const join = (x.Properties!.DefinitionString as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
          for (let i = 0; i < join.length; i++)
            if (typeof join[i] === 'string') join[i] = (join[i] as string).replace(from, to);
        }
      };
    const http = edited(api, task("'https://api.orders.example.com'", "'http://api.orders.example.com'"));
    assert.match(finding(http, 'LS-SFN1').message, /Step Functions HTTP tasks take HTTPS endpoints only/);
    const internal = edited(api, task('api.orders.example.com', 'api.orders.internal'));
    assert.match(
      finding(internal, 'LS-SFN2').message,
      /only by a public domain name with a publicly trusted certificate/,
    );
    const f = internal.flows.find((x) => x.nameKind === 'api' && x.client.vpcId === 'states.amazonaws.com')!;
    blockedAt(f, 'scheme', /api\.orders\.internal is not a public domain name/, /public CA/);
  });

  it('LS-EB1: an API destination to http://', () => {
    const r = edited(api, (_s, t) => {
      for (const x of ofType(t, 'AWS::Events::ApiDestination'))
        x.Properties!.InvocationEndpoint = 'http://api.orders.example.com/orders';
    });
    assert.match(finding(r, 'LS-EB1').message, /EventBridge API destinations take HTTPS endpoints only/);
    assert.match(finding(r, 'LS-EB1').fix, /call https:\/\/api\.orders\.example\.com\/orders/);
    assert.equal(r.ok, false);
  });

  it('LS-EB2 and LS-SFN3: an endpoint that is not a URL; an HTTP task whose endpoint is computed at run time', () => {
    const r = edited(api, (_s, t) => {
      for (const x of ofType(t, 'AWS::Events::ApiDestination'))
        x.Properties!.InvocationEndpoint = 'api.orders.example.com/orders';
      for (const x of ofType(t, 'AWS::StepFunctions::StateMachine')) {
        const join = (x.Properties!.DefinitionString as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
        for (let i = 0; i < join.length; i++)
          if (typeof join[i] === 'string') join[i] = (join[i] as string).replace(/States\.Format\([^)]*\)/, '$.url');
      }
    });
    assert.match(finding(r, 'LS-EB2').message, /calls api\.orders\.example\.com\/orders, which is not a URL/);
    assert.equal(finding(r, 'LS-SFN3').severity, 'info');
    const task = r.flows.find((x) => x.nameKind === 'api' && x.client.vpcId === 'states.amazonaws.com')!;
    assert.equal(task.disposition, 'UNKNOWN', 'check cannot follow a URL known only at run time');
  });

  it('LS-EB3 and the share hop: an API destination on a connection the templates do not create', () => {
    const r = edited(api, (_s, t) => {
      for (const x of ofType(t, 'AWS::Events::ApiDestination'))
        x.Properties!.ConnectionArn = 'arn:aws:events:us-east-1:222222222222:connection/elsewhere/0000';
    });
    assert.match(finding(r, 'LS-EB3').fix, /AWS::Events::Connection/);
    const f = r.flows.find((x) => x.nameKind === 'api' && x.client.vpcId === 'events.amazonaws.com')!;
    blockedAt(f, 'share', /connection arn:aws:events:.*elsewhere.* is not in the templates/, /AWS::Events::Connection/);
  });
});

describe("a VPC association naming another account's network", () => {
  it('LS-SN5 and the share hop: by ID, which AWS refuses across accounts (the app writes the ARN)', () => {
    const sn = synth({ file: example('service-network') });
    try {
      const dir = editAssembly(sn.dir, (stack, t) => {
        if (!stack.includes('team-b')) return;
        for (const r of Object.values(t.Resources))
          if (r.Type === 'AWS::VpcLattice::ServiceNetworkVpcAssociation')
            r.Properties!.ServiceNetworkIdentifier = {
              'Fn::Select': [1, { 'Fn::Split': ['/', r.Properties!.ServiceNetworkIdentifier] }],
            };
      });
      try {
        const r = check(loadModel(dir));
        assert.match(finding(r, 'LS-SN5').fix, /ServiceNetworkIdentifier to the network's ARN \(arn:aws:vpc-lattice:/);
        blockedAt(
          r.flows.find((x) => x.client.label === 'b-app' && x.expected)!,
          'share',
          /by ID: AWS refuses the association/,
          /ServiceNetworkIdentifier/,
        );
        assert.equal(
          r.flows.filter((x) => x.client.label === 'a-app' && x.expected).every((x) => x.disposition === 'REACHABLE'),
          true,
          'team-a names it by ARN',
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    } finally {
      sn.cleanup();
    }
  });
});

describe('what a newcomer reads', () => {
  it('the default output lists every fix a blocked path needs, not only the first', () => {
    const text = renderReport(check(model));
    const other = text.slice(text.indexOf('\nother ('));
    const first = other.split('\n').slice(0, 8).join('\n');
    assert.match(first, /at client-egress: no egress rule .*\n {6}fix: add to sg-\w+ .* an egress rule/);
    assert.match(first, /and at endpoint-ingress: no ingress rule .*\n {6}fix: add to sg-\w+ .* an ingress rule/);
  });

  it('an OU share reaches an account the config places in that OU: many-consumers holds under --strict', () => {
    const many = synth({ file: example('many-consumers') });
    try {
      const m = loadModel(many.dir);
      assert.equal(m.stacks.find((s) => s.account === '555555555555')?.organizationalUnit, 'ou-9z8y-reporting01');
      const r = check(m, { strict: true });
      assert.equal(r.ok, true, renderReport(r));
      const reporting = r.flows.filter((f) => f.client.label === 'reporting-app');
      assert.ok(reporting.length && reporting.every((f) => f.disposition === 'REACHABLE'), renderReport(r));
      const share = reporting[0]!.attempts[0]!.hops.find((h) => h.hop === 'share')!;
      assert.match(share.detail, /to organizational unit ou-9z8y-reporting01, and account 555555555555 is in it/);
    } finally {
      many.cleanup();
    }
  });
});

describe('reason codes: the conditions no template variant above reaches, made on the model', () => {
  type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };
  type Model = Mutable<InfraModel>;
  const bases = new Map<string, Synthesized>();
  before(() => {
    for (const name of ['service-network', 'private-api', 'existing-db'])
      bases.set(name, synth({ file: example(name) }));
  });
  after(() => {
    for (const base of bases.values()) base.cleanup();
  });
  /** check on a copy of an example's model changed by `edit`; the reasons of its hops that do not pass. */
  const reasonsOf = (example: string, edit: (m: Model) => void = () => {}): Set<string> => {
    const base = example === 'seed' ? model : loadModel(bases.get(example)!.dir);
    const copy = structuredClone(base) as Model;
    edit(copy);
    const r = check(copy as InfraModel);
    const hops = [...r.flows.flatMap((f) => f.attempts), ...r.flows.map((f) => f.decidedBy)];
    return new Set(
      hops.flatMap((x) => (x && 'hops' in x ? x.hops : x ? [x] : [])).flatMap((h) => (h.reason ? [h.reason] : [])),
    );
  };
  const appVpc = (m: Model) =>
    m.endpoints.find((e) =>
      m.instances.some((i) => i.name === 'app' && m.enis.find((n) => n.id === i.eniId)?.vpcId === e.vpcId),
    )!;
  const appEni = (m: Model) => m.enis.find((n) => n.id === m.instances.find((i) => i.name === 'app')!.eniId)!;
  const cases: [string, string, (m: Model) => void][] = [
    [
      'NOT_A_LISTENER',
      'seed',
      (m) => {
        const gatewayIp = m.enis.find((e) => e.owner.kind === 'gateway')?.ip ?? '';
        for (const c of m.configurations) if (c.definition && 'dns' in c.definition) c.definition = { ip: gatewayIp };
      },
    ],
    [
      'NO_ENI_AT_ADDRESS',
      'seed',
      (m) => appVpc(m).associations.forEach((a) => (a.ips = a.ips.map(() => '10.1.250.250'))),
    ],
    [
      'ADDRESS_UNKNOWN',
      'seed',
      (m) => {
        const endpoint = appVpc(m);
        endpoint.associations.forEach((a) => (a.ips = a.ips.map(() => '10.1.250.250')));
        m.vpcs.find((v) => v.id === endpoint.vpcId)!.created = false;
      },
    ],
    ['ZONE_IDS_UNKNOWN', 'seed', (m) => m.enis.forEach((eni) => delete eni.azId)],
    [
      'VALUE_UNKNOWN',
      'seed',
      (m) => appVpc(m).associations.forEach((a) => (a.parentArn = unknownValue('owner/Lookup.ConfigurationArn'))),
    ],
    [
      'NACL_PEER_PARTIAL',
      'seed',
      (m) => {
        delete appEni(m).ip;
        const endpoint = appVpc(m);
        const subnetId = m.enis.find((n) => n.id === endpoint.eniIds[1])?.subnetId ?? '';
        const entry = (egress: boolean) => ({
          ruleNumber: 100,
          egress,
          protocol: 'tcp',
          action: 'allow' as const,
          cidr: '10.1.0.0/24',
          fromPort: 0,
          toPort: 65535,
        });
        const acl = { id: 'acl-0a', vpcId: endpoint.vpcId, account: endpoint.account, isDefault: false, created: true };
        m.networkAcls.push({ ...acl, entries: [entry(false), entry(true)], subnetIds: [subnetId] });
      },
    ],
    [
      'PEER_ADDRESS_UNKNOWN',
      'seed',
      (m) => {
        delete appEni(m).ip;
        for (const id of appVpc(m).securityGroupIds)
          for (const rule of m.securityGroups.find((g) => g.id === id)!.ingress) rule.peer = { cidr: '10.1.0.0/24' };
      },
    ],
    [
      'PREFIX_LIST_NOT_MODELLED',
      'seed',
      (m) => {
        for (const id of appEni(m).securityGroupIds)
          for (const rule of m.securityGroups.find((g) => g.id === id)!.egress)
            rule.peer = { prefixListId: 'pl-0123abcd' };
      },
    ],
    [
      'GROUP_RULES_UNKNOWN',
      'seed',
      (m) => appEni(m).securityGroupIds.forEach((id) => (m.securityGroups.find((g) => g.id === id)!.created = false)),
    ],
    [
      'CONFIGURATION_MISSING',
      'seed',
      (m) =>
        appVpc(m).associations.forEach(
          (a) =>
            (a.parentArn = 'arn:aws:vpc-lattice:us-east-1:111111111111:resourceconfiguration/rcfg-0000000000000000'),
        ),
    ],
    [
      'GATEWAY_MISSING',
      'seed',
      (m) => m.configurations.forEach((c) => c.gatewayId && (c.gatewayId = 'rgw-00000000000000000')),
    ],
    ['ZONES_UNKNOWN', 'seed', (m) => m.enis.filter((e) => e.owner.kind === 'gateway').forEach((e) => delete e.az)],
    ['NO_TARGET', 'seed', (m) => m.configurations.forEach((c) => c.type === 'CHILD' && delete c.definition)],
    [
      'MEMBERSHIP_UNKNOWN',
      'seed',
      (m) => {
        for (const share of m.shares)
          share.principals = [
            {
              kind: 'organization',
              arn: 'arn:aws:organizations::111111111111:organization/o-abcdef1234',
              id: 'o-abcdef1234',
            },
          ];
        for (const stack of m.stacks) delete stack.inOrganization;
      },
    ],
    [
      'SERVICE_NETWORK_MISSING',
      'service-network',
      (m) =>
        m.endpoints.forEach(
          (e) =>
            e.type !== 'Resource' &&
            (e.serviceNetwork = 'arn:aws:vpc-lattice:us-east-1:111111111111:servicenetwork/sn-0000000000000000'),
        ),
    ],
    ['CONNECTION_NOT_PRIVATE', 'private-api', (m) => m.connections.forEach((c) => delete c.configurationArn)],
    ['GATEWAY_ENI_UNKNOWN', 'private-api', (m) => m.gateways.forEach((g) => (g.eniIds = []))],
    ['LISTENER_UNKNOWN', 'private-api', (m) => (m.services = [])],
    ['NOT_SERVED', 'private-api', (m) => m.services.forEach((s) => (s.port = 8443))],
    ['PLAIN_HTTP', 'private-api', (m) => m.services.forEach((s) => (s.protocol = 'http'))],
    [
      'CERTIFICATE_MISMATCH',
      'private-api',
      (m) => m.calls.forEach((c) => (c.url = c.url.replace('api.orders', 'billing.orders'))),
    ],
  ];
  for (const [reason, base, edit] of cases)
    it(`${reason}: from a changed ${base} model, and not from the unchanged one`, () => {
      assert.equal(reasonsOf(base).has(reason), false, `the unchanged ${base} has no ${reason}`);
      assert.ok(reasonsOf(base, edit).has(reason), `${reason} among ${[...reasonsOf(base, edit)].join(', ')}`);
    });

  it('an existing cluster in existing VPCs: its groups, its address and what has it are unknown', () => {
    const found = reasonsOf('existing-db');
    for (const reason of ['GROUP_RULES_UNKNOWN', 'TARGET_ADDRESS_UNKNOWN', 'TARGET_UNKNOWN'] as const)
      assert.ok(found.has(reason), `${reason} among ${[...found].join(', ')}`);
  });
});

describe('accounts another party runs', () => {
  it('LS-RAM5: a partner outside the organization must accept within 12 hours; the warning names whom to tell', () => {
    const config = readFileSync(example('seed'), 'utf8').replace(
      '  partner:\n    id: "222222222222"',
      '  partner:\n    operatedBy: { party: Example Partner Inc., contact: ops@partner.example }\n    id: "222222222222"',
    );
    const partner = synth({ yaml: config });
    try {
      const r = check(loadModel(partner.dir));
      const warned = finding(r, 'LS-RAM5');
      assert.equal(warned.severity, 'warning');
      assert.match(
        warned.message,
        /account 222222222222 is run by Example Partner Inc\., outside the organization: .* expires 12 hours/,
      );
      assert.match(warned.fix, /tell Example Partner Inc\. \(ops@partner\.example\) to accept within 12 hours/);
      assert.equal(r.ok, true, 'a warning, not an error');
    } finally {
      partner.cleanup();
    }
  });
});

describe('a resource another account shares with ours', () => {
  it("OWNER_SIDE_OUTSIDE: our side is followed, the owner's is theirs (examples/from-partner)", () => {
    const fromPartner = synth({ file: example('from-partner') });
    try {
      const r = check(loadModel(fromPartner.dir));
      const app = r.flows.filter((f) => f.client.label === 'app');
      assert.ok(app.length && app.every((f) => f.decidedBy?.reason === 'OWNER_SIDE_OUTSIDE'));
      assert.equal(r.ok, true);
    } finally {
      fromPartner.cleanup();
    }
  });
});

describe('an endpoint a deployed system says is not available (doctor)', () => {
  it('LS-RE4: an endpoint AWS says failed is an error, with its LastError, and its flows stop there', () => {
    const m = structuredClone(model);
    const ep = m.endpoints[0] as { state?: string; lastError?: string; id: string };
    ep.state = 'failed';
    ep.lastError = 'InvalidParameter The resource configuration is not shared with this account';
    const r = check(m);
    const found = finding(r, 'LS-RE4');
    assert.match(found.message, /is failed: InvalidParameter The resource configuration is not shared/);
    const through = r.flows.filter((f) => f.client.label === 'app');
    assert.ok(through.length);
    for (const f of through)
      blockedAt(f, 'share', new RegExp(`endpoint ${ep.id} is failed \\(InvalidParameter`), /describe-vpc-endpoints/);
    ep.state = 'pendingAcceptance';
    const waiting = check(m).flows.find((f) => f.client.label === 'app')?.decidedBy;
    assert.equal(waiting?.reason, 'ENDPOINT_NOT_AVAILABLE');
    assert.match(waiting?.fix ?? '', /waits to be accepted/);
    ep.state = 'Available';
    assert.ok(check(m).flows.every((f) => f.decidedBy?.reason !== 'ENDPOINT_NOT_AVAILABLE'));
  });
});

describe('what only a deployed system says (doctor)', () => {
  it("LS-RE5: a partner's endpoint whose resource-gateway charges the owner pays, and not once the partner pays", () => {
    const m = structuredClone(model);
    const ep = m.endpoints[0] as { payer?: string; id: string; account: string };
    ep.payer = 'resource-gateway-account';
    const found = finding(check(m), 'LS-RE5');
    assert.match(
      found.message,
      new RegExp(`endpoint ${ep.id} of account ${ep.account} \\(outside the organization\\)`),
    );
    assert.match(found.fix ?? '', /--scope resource-gateway-charges --payer-responsibility vpc-endpoint-account/);
    ep.payer = 'vpc-endpoint-account';
    assert.ok(!check(m).findings.some((x) => x.id === 'LS-RE5'));
  });
  it('LS-RAM6: a principal RAM failed to associate is an error, with its status message', () => {
    const m = structuredClone(model) as InfraModel & { shares: { failedPrincipals?: unknown[] }[] };
    const share = m.shares[0];
    if (share) share.failedPrincipals = [{ principal: '999999999999', message: 'The account is closed' }];
    const found = finding(check(m), 'LS-RAM6');
    assert.match(found.message, /RAM failed to associate 999999999999 with share .*: The account is closed/);
    assert.match(found.fix ?? '', /aws ram associate-resource-share --resource-share-arn .* --principals 999999999999/);
  });
  it('LS-RC9: a configuration AWS says failed is an error, with its failure reason', () => {
    const m = structuredClone(model);
    const c = m.configurations[0] as { state?: string; lastError?: string; id: string };
    c.state = 'CREATE_FAILED';
    c.lastError = 'the resource gateway has no subnet in the zone of the target';
    const found = finding(check(m), 'LS-RC9');
    assert.match(found.message, new RegExp(`\\(${c.id}\\) is CREATE_FAILED: the resource gateway has no subnet`));
    assert.match(found.fix ?? '', /get-resource-configuration --resource-configuration-identifier rcfg-/);
    c.state = 'ACTIVE';
    assert.ok(!check(m).findings.some((x) => x.id === 'LS-RC9'));
  });
  it('LS-SN6 and LS-RE4: a failed resource association and a deleting VPC association (examples/service-network)', () => {
    const sn = synth({ file: example('service-network') });
    try {
      const m = structuredClone(loadModel(sn.dir));
      const association = m.resourceAssociations[0] as { state?: string; lastError?: string; id: string };
      association.state = 'CREATE_FAILED';
      association.lastError = 'AccessDenied';
      const vpcAssociation = m.endpoints.find((e) => e.type === 'VpcAssociation') as { state?: string; id: string };
      vpcAssociation.state = 'DELETE_IN_PROGRESS';
      const r = check(m);
      assert.match(finding(r, 'LS-SN6').message, new RegExp(`${association.id} .* is CREATE_FAILED: AccessDenied`));
      const re4 = finding(r, 'LS-RE4');
      assert.match(
        re4.message,
        new RegExp(`service-network VPC association ${vpcAssociation.id} is DELETE_IN_PROGRESS`),
      );
      assert.match(re4.fix ?? '', /get-service-network-vpc-association/);
      vpcAssociation.state = 'ACTIVE';
      association.state = 'ACTIVE';
      assert.ok(!check(m).findings.some((x) => x.id === 'LS-SN6' || x.id === 'LS-RE4'));
    } finally {
      sn.cleanup();
    }
  });
});

describe('what only a deployed system says of its invitations (doctor)', () => {
  it('a PENDING invitation says when RAM drops it and the one call that accepts it', () => {
    const m = structuredClone(model) as InfraModel & { invitations?: unknown[] };
    const share = m.shares[0];
    m.acceptances.length = 0;
    const arn = 'arn:aws:ram:us-east-1:111111111111:resource-share-invitation/0a1b2c3d';
    m.invitations = [
      {
        arn,
        account: '222222222222',
        shareArn: share?.arn ?? '',
        status: 'PENDING',
        sentAt: '2026-12-06T05:00:00.000Z',
      },
    ];
    const hop = check(m).flows.find((f) => f.client.label === 'app')?.decidedBy;
    assert.match(hop?.detail ?? '', /is PENDING; RAM drops it at 2026-12-06T17:00:00\.000Z/);
    assert.match(
      hop?.fix ?? '',
      new RegExp(`aws ram accept-resource-share-invitation --region us-east-1 --resource-share-invitation-arn ${arn}`),
    );
  });
});

/** app's flows on the database's port in a model with faults. */
const decided = (m: InfraModel, client = 'app') =>
  check(m).flows.filter((f) => f.client.label === client && f.port === 5432);
/** The model with these ENIs down, as a zone-down fault marks them. */
const down = (m: InfraModel, ...ids: string[]) => ({
  ...m,
  enis: m.enis.map((e) => (ids.includes(e.id) ? { ...e, down: true } : e)),
});
const enisOf = (kind: string) => model.enis.filter((e) => e.owner.kind === kind);

describe("a twin's zones down (check --twin checks the model as its faults left it)", () => {
  it("zone-down of the endpoint's second zone: its names answer with the first zone only, and still reach", () => {
    const flows = decided(faultedModel(model, [{ kind: 'zone-down', zone: 'use1-az2' }]));
    assert.ok(flows.length);
    for (const f of flows) {
      assert.equal(f.disposition, 'REACHABLE', `${f.name}: ${f.decidedBy?.detail}`);
      assert.deepEqual(
        f.attempts.map((a) => a.address),
        f.attempts.map((a) => a.address).filter((ip) => ip?.startsWith('10.1.0.')),
      );
    }
  });

  it('a gateway leaves out the addresses down in its own VPC only: private addresses repeat across VPCs', () => {
    const [writer] = enisOf('database');
    const [client] = enisOf('instance');
    assert.ok(writer?.ip && writer.vpcId && client?.vpcId && client.vpcId !== writer.vpcId);
    // A consumer's ENI that has the writer's address, in its own VPC, in a zone that is down.
    const twin = { ...client, id: 'eni-0samip', ip: writer.ip, down: true };
    const m = { ...model, enis: [...model.enis, twin] };
    assert.deepEqual([...downAddresses(m, writer.vpcId)], [], "the owner's VPC has nothing down");
    assert.deepEqual([...downAddresses(m, client.vpcId)], [writer.ip]);
    const unplaced = { ...twin, id: 'eni-0nowhere', ip: '10.9.9.9', vpcId: undefined };
    const withUnplaced = { ...m, enis: [...m.enis, unplaced] };
    assert.deepEqual(
      [...downAddresses(withUnplaced, writer.vpcId)],
      ['10.9.9.9'],
      'an ENI of no known VPC may be here',
    );
    assert.deepEqual([...downAddresses(withUnplaced, client.vpcId)].sort(), [writer.ip, '10.9.9.9'].sort());
  });

  it("an endpoint's names keep an address that a down ENI in another VPC also has", () => {
    const addressesOf = (m: InfraModel) => decided(m).map((f) => f.attempts.map((a) => a.address).join(' '));
    const [endpointEni] = enisOf('endpoint').filter((e) => e.vpcId === enisOf('instance')[0]?.vpcId);
    const [elsewhere] = enisOf('database');
    assert.ok(endpointEni?.ip && elsewhere && elsewhere.vpcId !== endpointEni.vpcId);
    // The owner's database ENI given the endpoint ENI's address, in a zone that is down.
    const clash = { ...elsewhere, id: 'eni-0clash', ip: endpointEni.ip, down: true };
    const withClash = { ...model, enis: [...model.enis, clash] };
    assert.deepEqual(addressesOf(withClash), addressesOf(model));
    assert.ok(addressesOf(model).some((addresses) => addresses.includes(endpointEni.ip ?? '?')));
  });

  it('ZONE_DOWN: a client whose own zone is down reaches nothing, not even its resolver', () => {
    const flows = decided(faultedModel(model, [{ kind: 'zone-down', zone: 'use1-az1' }]));
    assert.ok(flows.length && flows.every((f) => f.decidedBy?.hop === 'dns' && f.decidedBy.reason === 'ZONE_DOWN'));
  });

  it('ZONE_DOWN: every endpoint ENI down (the route), every gateway ENI down (the az), the target down', () => {
    const endpointEnis = enisOf('endpoint').filter((e) => e.vpcId === enisOf('instance')[0]?.vpcId);
    const at = (m: InfraModel) => new Set(decided(m).map((f) => `${f.decidedBy?.hop} ${f.decidedBy?.reason}`));
    assert.deepEqual(at(down(model, ...endpointEnis.map((e) => e.id))), new Set(['route ZONE_DOWN']));
    assert.deepEqual(at(down(model, ...enisOf('gateway').map((e) => e.id))), new Set(['az ZONE_DOWN']));
    assert.deepEqual(at(down(model, ...enisOf('database').map((e) => e.id))), new Set(['target-dns ZONE_DOWN']));
    // One gateway zone down: the endpoint's ENI in that zone is carried by the gateway's ENI in the other.
    const oneZone = decided(down(model, enisOf('gateway')[0]?.id ?? ''));
    assert.ok(oneZone.every((f) => f.disposition === 'REACHABLE'));
  });
});

describe("a twin's failover, revoke and expire", () => {
  it("INSTANCE_STOPPED: after a failover, the stopped writer's address refuses; the writer name follows", () => {
    const [writer] = enisOf('database');
    assert.ok(writer?.ip);
    const reader = { ...writer, id: 'eni-0reader', ip: '10.0.1.9', az: 'us-east-1b', azId: 'use1-az2' };
    const [cluster] = model.databases;
    const withReader: InfraModel = {
      ...model,
      enis: [...model.enis, reader],
      databases: model.databases.map((d) => ({ ...d, eniIds: [...d.eniIds, reader.id] })),
      // The writer's configuration by its address, as a user who pinned the writer's IP would have it.
      configurations: model.configurations.map((c) =>
        c.name === 'orders-db-writer' ? { ...c, definition: { ip: writer.ip ?? '' } } : c,
      ),
    };
    const failover = { kind: 'failover', cluster: cluster?.id ?? '', writer: reader.id, stopped: writer.id } as const;
    const after = faultedModel(withReader, [failover]);
    assert.deepEqual(after.databases[0]?.eniIds, [reader.id]);
    const reasonsOf = new Set(decided(after).map((f) => f.decidedBy?.reason));
    assert.ok(reasonsOf.has('INSTANCE_STOPPED'), [...reasonsOf].join());
    assert.ok(
      decided(after).some((f) => f.disposition === 'REACHABLE'),
      'the reader name reaches the new writer',
    );
  });

  it('revoke and expire: the share no longer reaches the account, the invitation is gone', () => {
    const share = model.shares[0]?.arn ?? '';
    const revoked = decided(faultedModel(model, [{ kind: 'revoke', share, account: PARTNER, existing: 'keep' }]));
    assert.ok(revoked.length && revoked.every((f) => f.decidedBy?.reason === 'NOT_SHARED'));
    const expired = decided(faultedModel(model, [{ kind: 'expire', share, account: PARTNER }]));
    assert.ok(expired.length && expired.every((f) => f.decidedBy?.reason === 'INVITATION_NOT_ACCEPTED'));
  });
});

describe("doctor's accounts it could not read", () => {
  it('ACCOUNT_UNREAD: an invitation doctor could not read is unknown, not refused', () => {
    const m = structuredClone(model) as InfraModel & { unread?: unknown[] };
    m.acceptances.length = 0;
    m.unread = [
      { account: '222222222222', what: 'invitations', call: 'ram:GetResourceShareInvitations', message: 'denied' },
    ];
    const flows = check(m).flows.filter((f) => f.client.label === 'app');
    assert.ok(flows.length && flows.every((f) => f.decidedBy?.reason === 'ACCOUNT_UNREAD'));
    assert.match(flows[0]?.decidedBy?.fix ?? '', /--profile 222222222222=PROFILE/);
  });
});

describe('the rule registry', () => {
  it('every lint rule has a variant above that fails it', () => {
    assert.deepEqual(
      RULES.map((rule) => rule.id).filter((id) => !failed.has(id)),
      [],
      'rules without a failing variant in this file',
    );
  });

  it('every reason code of a blocked or unknown hop is produced by a variant above', () => {
    assert.deepEqual(
      Object.keys(REASONS).filter((code) => !reasons.has(code as ReasonCode)),
      [],
      'reason codes no variant in this file produced',
    );
  });
});
