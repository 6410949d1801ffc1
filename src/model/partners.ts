// Resources another account shares with ours, which our templates know only by configuration ARN (PARTNER_METADATA).
// For check: the configuration as its owner described it (`outside`: ports, names; no gateway, share or target), so
// that our side is followed and the owner's is said to be theirs. For the twin only: a stand-in stack for the owner's
// side (a VPC, a gateway, an Aurora cluster answering to the owner's names, the configuration and a share, with the
// owner's ARNs), so the system runs end to end, saying it is a stand-in.
import {
  PARTNER_METADATA,
  SERVES_TAG,
  STAND_IN_METADATA,
  type AssemblyStack,
  type PartnerFacts,
  type StandInFacts,
} from '../assembly/index.js';
import { hex } from '../shared/index.js';
import type { ModelBuilder, StackState } from './build.js';
import type { Configuration, OutsideSide } from './types.js';

/** A stand-in stack's facts (STAND_IN_METADATA), if it is one. */
export const standInOf = (stack: AssemblyStack): StandInFacts | undefined =>
  stack.template.Metadata?.[STAND_IN_METADATA] as StandInFacts | undefined;

/** The ARN or names a stand-in's resource has once its owner deployed it, if the stack is a stand-in. */
export const deployed = (s: StackState, logicalId: string): StandInFacts['deployed'][string] | undefined =>
  standInOf(s.assembly)?.deployed[logicalId];

const partnersOf = (stack: AssemblyStack): PartnerFacts[] =>
  (stack.template.Metadata?.[PARTNER_METADATA] as PartnerFacts[] | undefined) ?? [];

const idOf = (arn: string) => arn.split('/').pop() ?? arn;

/** Adds the configurations a stack's PARTNER_METADATA describes that no template made (a stand-in makes them). */
export function addOutsideConfigurations(b: ModelBuilder, stack: AssemblyStack): void {
  for (const facts of partnersOf(stack)) {
    if (b.model.configurations.some((c) => c.arn === facts.configurationArn)) continue;
    const outside: OutsideSide = {
      party: facts.party,
      account: facts.account,
      resource: facts.name,
      ...(facts.shareArn ? { shareArn: facts.shareArn } : {}),
    };
    const parent: Configuration = {
      id: idOf(facts.configurationArn),
      arn: facts.configurationArn,
      name: facts.name,
      account: facts.account,
      type: facts.expose === 'arn' ? 'ARN' : 'SINGLE',
      portRanges: facts.ports,
      ...(facts.expose === 'dns' && facts.names[0] ? { customDomain: facts.names[0].name } : {}),
      allowSharableServiceNetwork: false,
      amazonManaged: false,
      outside,
    };
    b.model.configurations.push(parent);
    if (facts.expose !== 'arn') continue;
    // An ARN configuration's children, as AWS makes them: one per name of the cluster, answering to that name.
    for (const { role, name, port } of facts.names) {
      const id = `rcfg-${hex(`${facts.configurationArn}/${role}`, 17)}`;
      b.model.configurations.push({
        id,
        arn: facts.configurationArn.replace(/[^/]+$/, id),
        name: `${facts.name}-${role}`,
        account: facts.account,
        type: 'CHILD',
        groupId: parent.id,
        definition: { dns: name },
        portRanges: [String(port)],
        customDomain: name,
        allowSharableServiceNetwork: false,
        amazonManaged: true,
        outside,
      });
    }
  }
}

/**
 * The stand-in stacks for the owners' sides of what our stacks reach by ARN only: one per configuration, in the owner's
 * account, shared with the accounts whose stacks reach it: an Aurora cluster for a database, an HTTP server on the
 * first port for a TCP service (it accepts connections; what the owner's service speaks is not known).
 */
export function standInStacks(stacks: AssemblyStack[]): AssemblyStack[] {
  const byArn = new Map<string, { facts: PartnerFacts; region: string; accounts: Set<string> }>();
  for (const stack of stacks)
    for (const facts of partnersOf(stack)) {
      const entry = byArn.get(facts.configurationArn) ?? { facts, region: stack.region, accounts: new Set() };
      entry.accounts.add(stack.account);
      byArn.set(facts.configurationArn, entry);
    }
  return [...byArn.values()].map(({ facts, region, accounts }) => ({
    name: `stand-in-${facts.name}`,
    account: facts.account,
    region,
    dependsOn: [],
    templateFile: '(a stand-in made by lattice-share)',
    inputs: {},
    template: standInTemplate(facts, [...accounts]),
  }));
}

/** A stand-in's share that the config names no invitation for: the accounts it reaches take it as given. */
export function acceptStandInShare(b: ModelBuilder, stack: AssemblyStack): void {
  const standIn = standInOf(stack);
  const shareArn = standIn?.deployed.Share?.arn;
  if (!standIn?.acceptedBy || !shareArn) return;
  for (const account of standIn.acceptedBy)
    b.model.acceptances.push({
      account,
      shareArn,
      source: { stack: stack.name, logicalId: 'Share' },
      inferredFrom: `the stand-in for ${standIn.party}: the config names no share to accept`,
    });
}

function standInTemplate(facts: PartnerFacts, principals: string[]): AssemblyStack['template'] {
  const port = Number(facts.ports[0]?.split('-')[0] ?? 5432);
  const writer = facts.names.find((n) => n.role === 'writer')?.name;
  const reader = facts.names.find((n) => n.role === 'reader')?.name;
  const standIn: StandInFacts = {
    party: facts.party,
    resource: facts.name,
    deployed: {
      Configuration: { arn: facts.configurationArn },
      Share: {
        arn:
          facts.shareArn ??
          `${facts.configurationArn.replace(/:vpc-lattice:(.*):resourceconfiguration\/.*$/, ':ram:$1:resource-share/')}stand-in-${hex(facts.configurationArn, 12)}`,
      },
      Cluster: { ...(writer ? { writer } : {}), ...(reader ? { reader } : {}) },
    },
    ...(facts.shareArn ? {} : { acceptedBy: principals }),
  };
  const subnets = facts.zones.map((zone, i) => [
    `Subnet${i + 1}`,
    {
      Type: 'AWS::EC2::Subnet',
      Properties: {
        VpcId: { Ref: 'Vpc' },
        CidrBlock: `172.31.${i}.0/24`,
        ...(zone.id ? { AvailabilityZoneId: zone.id } : { AvailabilityZone: zone.name }),
      },
    },
  ]);
  const subnetIds = subnets.map(([id]) => ({ Ref: id }));
  return {
    Description: `lattice-share stand-in for ${facts.party}'s side of ${facts.name}: made for the twin, not theirs`,
    Metadata: { [STAND_IN_METADATA]: standIn },
    Resources: {
      Vpc: {
        Type: 'AWS::EC2::VPC',
        Properties: { CidrBlock: '172.31.0.0/16', EnableDnsSupport: true, EnableDnsHostnames: true },
      },
      ...Object.fromEntries(subnets),
      ...standInParts(facts, port, subnetIds, principals),
    },
  } as AssemblyStack['template'];
}

const instance = (facts: PartnerFacts) => ({
  Type: 'AWS::RDS::DBInstance',
  Properties: { DBClusterIdentifier: { Ref: 'Cluster' }, Engine: facts.protocol, DBInstanceClass: 'db.t4g.medium' },
});

/** The owner side's groups and gateway: the gateway may send anywhere, the database admits the gateway. */
function standInGateway(facts: PartnerFacts, port: number, subnetIds: object[]) {
  const vpc = { Ref: 'Vpc' };
  return {
    GatewayGroup: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: 'stand-in gateway',
        VpcId: vpc,
        SecurityGroupEgress: [{ IpProtocol: '-1', CidrIp: '0.0.0.0/0' }],
      },
    },
    DatabaseGroup: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: 'stand-in database',
        VpcId: vpc,
        SecurityGroupIngress: [
          { IpProtocol: 'tcp', FromPort: port, ToPort: port, SourceSecurityGroupId: { Ref: 'GatewayGroup' } },
        ],
      },
    },
    Gateway: {
      Type: 'AWS::VpcLattice::ResourceGateway',
      Properties: {
        Name: `stand-in-${facts.name}`,
        VpcIdentifier: vpc,
        SubnetIds: subnetIds,
        SecurityGroupIds: [{ Ref: 'GatewayGroup' }],
      },
    },
  };
}

/** What the gateway reaches: an Aurora cluster (writer, and a reader when the owner named one), or a TCP server. */
function standInTarget(facts: PartnerFacts, subnetIds: object[], reader: boolean) {
  if (facts.protocol === 'tcp')
    return {
      Server: {
        Type: 'AWS::EC2::Instance',
        Properties: {
          ImageId: 'ami-0000000000000000',
          InstanceType: 't3.micro',
          SubnetId: subnetIds[0],
          SecurityGroupIds: [{ Ref: 'DatabaseGroup' }],
          // The twin runs an HTTP server there: it accepts TCP on the port, as the owner's service would.
          Tags: [{ Key: SERVES_TAG, Value: `http:${facts.ports[0]?.split('-')[0] ?? ''}` }],
        },
      },
    };
  return {
    SubnetGroup: {
      Type: 'AWS::RDS::DBSubnetGroup',
      Properties: { DBSubnetGroupDescription: 'stand-in', SubnetIds: subnetIds },
    },
    Cluster: {
      Type: 'AWS::RDS::DBCluster',
      Properties: {
        Engine: facts.protocol,
        Port: Number(facts.ports[0]),
        MasterUsername: 'app',
        DatabaseName: 'app',
        DBSubnetGroupName: { Ref: 'SubnetGroup' },
        VpcSecurityGroupIds: [{ Ref: 'DatabaseGroup' }],
      },
    },
    Writer: instance(facts),
    ...(reader ? { Reader: instance(facts) } : {}),
  };
}

/** The configuration's definition: the cluster by ARN or by its name, or the TCP server's address. */
function standInDefinition(facts: PartnerFacts): object {
  if (facts.protocol === 'tcp') return { IpResource: { 'Fn::GetAtt': ['Server', 'PrivateIp'] } };
  return facts.expose === 'arn'
    ? { ArnResource: { 'Fn::GetAtt': ['Cluster', 'DBClusterArn'] } }
    : { DnsResource: { DomainName: { 'Fn::GetAtt': ['Cluster', 'Endpoint.Address'] }, IpAddressType: 'IPV4' } };
}

function standInParts(facts: PartnerFacts, port: number, subnetIds: object[], principals: string[]) {
  return {
    ...standInGateway(facts, port, subnetIds),
    ...standInTarget(
      facts,
      subnetIds,
      facts.names.some((n) => n.role === 'reader'),
    ),
    Configuration: {
      Type: 'AWS::VpcLattice::ResourceConfiguration',
      Properties: {
        Name: facts.name,
        ResourceConfigurationType: facts.expose === 'arn' && facts.protocol !== 'tcp' ? 'ARN' : 'SINGLE',
        ResourceGatewayId: { Ref: 'Gateway' },
        PortRanges: facts.ports,
        ResourceConfigurationDefinition: standInDefinition(facts),
        ...(facts.expose === 'dns' && facts.names[0] ? { CustomDomainName: facts.names[0].name } : {}),
      },
    },
    Share: {
      Type: 'AWS::RAM::ResourceShare',
      Properties: {
        Name: `stand-in-${facts.name}`,
        ResourceArns: [{ 'Fn::GetAtt': ['Configuration', 'Arn'] }],
        Principals: principals,
        AllowExternalPrincipals: true,
      },
    },
  };
}
