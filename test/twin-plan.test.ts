// The twin's plan, without root: names, addresses and the nftables a security group becomes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Eni, InfraModel, SecurityGroup, Vpc } from '../src/model/index.js';
import { namespacePrefix, planTwin, renderNftables } from '../src/twin/index.js';
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
      /chain inbound \{\n.*prerouting priority -300; policy accept;\n.*iifname != "eth0" accept\n.*ip saddr \{ 10\.0\.0\.0\/24, 10\.0\.0\.2 \} accept\n.*ip saddr 10\.0\.0\.0\/16 tcp dport 5432 drop comment "rule 100"\n.*ip saddr 10\.0\.0\.0\/16 tcp dport 0-65535 accept comment "rule 200"\n.*drop comment "rule \*"/,
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
