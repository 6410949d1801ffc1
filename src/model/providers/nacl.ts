// EC2 network ACLs: a VPC's default ACL, ACLs a template creates, their entries and subnet associations. Apart from
// ec2.ts to keep each file readable; part of the EC2 provider.
// https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
import type { StackState } from '../build.js';
import { LoadError } from '../intrinsics.js';
import type { NetworkAcl, NetworkAclEntry } from '../types.js';
import { parseBlock } from '../cidr.js';
import { unknownIn } from '../unknown.js';
import type { Provider } from './provider.js';
import type { Props } from './values.js';

/** IANA protocol numbers as the model names them (the other numbers stay numbers). */
const PROTOCOLS: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '-1': '-1' };
const ALL_PORTS = { fromPort: 0, toPort: 65535 };

/**
 * The default ACL AWS gives a new VPC: rule 100 allows all traffic in and out; a subnet not associated with another
 * ACL uses it (https://docs.aws.amazon.com/vpc/latest/userguide/default-network-acl.html).
 */
/** An ACL entry's protocol as the model names it: EC2 and templates give IANA numbers. */
export const aclProtocol = (value: string): string => PROTOCOLS[value] ?? value;

export function addDefaultAcl(s: StackState, vpcLogicalId: string, vpcId: string): void {
  const source = s.source(vpcLogicalId);
  const entry = (egress: boolean): NetworkAclEntry => ({
    ruleNumber: 100,
    egress,
    protocol: '-1',
    action: 'allow',
    cidr: '0.0.0.0/0',
    ...ALL_PORTS,
    source,
  });
  s.builder.model.networkAcls.push({
    id: defaultAclId(s, vpcLogicalId),
    vpcId,
    account: s.account,
    isDefault: true,
    created: true,
    entries: [entry(false), entry(true)],
    subnetIds: [],
    source,
  });
}

export const defaultAclId = (s: StackState, vpcLogicalId: string): string =>
  s.physicalId('acl', `${vpcLogicalId}/default`);

/**
 * An ACL by ID; one only referenced (not created here, not a created VPC's default) has entries the model cannot know.
 */
function acl(s: StackState, id: string): NetworkAcl {
  const m = s.builder.model;
  let found = s.builder.lookup(m.networkAcls, 'id', (x) => x.id, id);
  if (!found) {
    found = { id, account: s.account, isDefault: false, created: false, entries: [], subnetIds: [] };
    m.networkAcls.push(found);
  }
  return found;
}

/** One entry, as AWS::EC2::NetworkAclEntry gives it; what AWS refuses to create is refused here too. */
function entryOf(s: StackState, logicalId: string): NetworkAclEntry {
  const p = s.reader(logicalId);
  const number = p.num('Protocol');
  if (!Number.isInteger(number) || number < -1 || number > 255)
    throw new LoadError(`${p.where}.Protocol: expected -1 or a protocol number from 0 to 255, got ${number}`);
  const protocol = aclProtocol(String(number));
  const action = p.text('RuleAction').toLowerCase();
  if (action !== 'allow' && action !== 'deny')
    throw new LoadError(`${p.where}.RuleAction: expected allow or deny, got ${JSON.stringify(action)}`);
  return {
    ruleNumber: p.num('RuleNumber'),
    egress: p.bool('Egress', false),
    protocol,
    action,
    cidr: cidrOf(p),
    ...(protocol === 'tcp' || protocol === 'udp' ? portsOf(p, protocol) : ALL_PORTS),
    source: s.source(logicalId),
  };
}

/** The entry's IPv4 range: a CIDR block, one known only at deploy, or none (an IPv6 entry). */
function cidrOf(p: Props): string | undefined {
  const cidr = p.optText('CidrBlock');
  if (cidr === undefined || unknownIn(cidr)) return cidr;
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr) || !parseBlock(cidr))
    throw new LoadError(`${p.where}.CidrBlock: ${JSON.stringify(cidr)} is not an IPv4 CIDR block (e.g. 10.0.0.0/16)`);
  return cidr;
}

/** A TCP or UDP entry's destination ports: AWS requires them, each from 0 to 65535, From no greater than To. */
function portsOf(p: Props, protocol: string): { fromPort: number; toPort: number } {
  if (p.raw('PortRange') === undefined)
    throw new LoadError(`${p.where}.PortRange: a ${protocol} entry needs a port range (From and To)`);
  const range = p.child('PortRange');
  const [fromPort, toPort] = [range.num('From'), range.num('To')];
  const port = (n: number) => Number.isInteger(n) && n >= 0 && n <= 65535;
  if (!port(fromPort) || !port(toPort) || fromPort > toPort)
    throw new LoadError(`${p.where}.PortRange: ${fromPort}-${toPort} is not a port range (0-65535, From ≤ To)`);
  return { fromPort, toPort };
}

export const naclResources: Record<string, Provider> = {
  'AWS::EC2::NetworkAcl': {
    ref: (s, id) => s.physicalId('acl', id),
    attribute: (s, id, name) => (name === 'Id' ? s.physicalId('acl', id) : undefined),
    build(s, id) {
      const p = s.reader(id);
      s.builder.model.networkAcls.push({
        id: s.physicalId('acl', id),
        vpcId: p.text('VpcId'),
        account: s.account,
        isDefault: false,
        created: true,
        entries: [],
        subnetIds: [],
        source: s.source(id),
      });
    },
  },
  'AWS::EC2::NetworkAclEntry': {
    ref: (s, id) => s.physicalId('aclentry', id),
    build(s, id) {
      acl(s, s.reader(id).text('NetworkAclId')).entries.push(entryOf(s, id));
    },
  },
  'AWS::EC2::SubnetNetworkAclAssociation': {
    ref: (s, id) => s.physicalId('aclassoc', id),
    attribute: (s, id, name) => (name === 'AssociationId' ? s.physicalId('aclassoc', id) : undefined),
    build(s, id) {
      const p = s.reader(id);
      const subnetId = p.text('SubnetId');
      const target = acl(s, p.text('NetworkAclId'));
      const other = s.builder.model.networkAcls.find((x) => x !== target && x.subnetIds.includes(subnetId));
      if (other)
        throw new LoadError(
          `${p.where}: subnet ${subnetId} is already associated with ${other.id}: a subnet has one network ACL at a time`,
        );
      target.subnetIds.push(subnetId);
    },
  },
};
