// A network ACL added to a template: created, associated with one subnet, with the entries given. For tests that
// need a subnet's ACL to decide (check's variants, the twin's agreement).
interface Template {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}

export interface AclEntry {
  readonly rule: number;
  readonly egress?: boolean;
  readonly action?: 'allow' | 'deny';
  /** IANA number: 6 (TCP, the default) or -1 (all). */
  readonly protocol?: number;
  readonly cidr?: string;
  /** Destination ports, for TCP. */
  readonly ports?: readonly [number, number];
}

/**
 * Adds an ACL named `name` on the subnet whose logical ID starts with `subnetPrefix`, if the template has that subnet;
 * returns whether it did.
 */
export function addAcl(t: Template, name: string, subnetPrefix: string, entries: readonly AclEntry[]): boolean {
  const subnet = Object.entries(t.Resources).find(
    ([id, r]) => id.startsWith(subnetPrefix) && r.Type === 'AWS::EC2::Subnet',
  );
  if (!subnet) return false;
  t.Resources[name] = { Type: 'AWS::EC2::NetworkAcl', Properties: { VpcId: subnet[1].Properties?.VpcId } };
  t.Resources[`${name}Association`] = {
    Type: 'AWS::EC2::SubnetNetworkAclAssociation',
    Properties: { SubnetId: { Ref: subnet[0] }, NetworkAclId: { Ref: name } },
  };
  entries.forEach((entry, i) => {
    const protocol = entry.protocol ?? 6;
    t.Resources[`${name}Entry${i}`] = {
      Type: 'AWS::EC2::NetworkAclEntry',
      Properties: {
        NetworkAclId: { Ref: name },
        RuleNumber: entry.rule,
        Protocol: protocol,
        RuleAction: entry.action ?? 'allow',
        Egress: entry.egress ?? false,
        CidrBlock: entry.cidr ?? '0.0.0.0/0',
        ...(protocol === 6 ? { PortRange: { From: entry.ports?.[0] ?? 0, To: entry.ports?.[1] ?? 65535 } } : {}),
      },
    };
  });
  return true;
}
