// The order resources are built in, by type: what others look up is built first.

/**
 * Build order by type: what others look up is built first; unlisted types come last (see `rankOf`). A Map (see BY_TYPE
 * in providers/index.ts): hundreds of thousands of resources ask.
 */
const RANK = new Map<string, number>(
  Object.entries({
    'AWS::EC2::VPC': 0,
    'AWS::EC2::Subnet': 1,
    'AWS::EC2::SecurityGroup': 2,
    'AWS::SecretsManager::Secret': 2,
    'AWS::RDS::DBSubnetGroup': 2,
    'AWS::EC2::SecurityGroupIngress': 3,
    'AWS::EC2::SecurityGroupEgress': 3,
    'AWS::EC2::NetworkAcl': 2,
    'AWS::EC2::NetworkAclEntry': 3,
    'AWS::EC2::SubnetNetworkAclAssociation': 3,
    'AWS::RDS::DBCluster': 4,
    'AWS::RDS::DBInstance': 5,
    'AWS::EC2::Instance': 5,
    'AWS::EC2::NetworkInterface': 6,
    'AWS::VpcLattice::ResourceGateway': 5,
    'AWS::VpcLattice::ResourceConfiguration': 6,
    'AWS::Route53::HostedZone': 6,
    'AWS::Route53::RecordSet': 7,
    'AWS::VpcLattice::ServiceNetwork': 6,
    'AWS::VpcLattice::ServiceNetworkResourceAssociation': 7,
    'AWS::RAM::ResourceShare': 7,
    'AWS::EC2::VPCEndpoint': 8,
    'AWS::VpcLattice::ServiceNetworkVpcAssociation': 8,
    'AWS::Events::Connection': 8,
    'AWS::Events::ApiDestination': 9,
    'AWS::StepFunctions::StateMachine': 10,
  }),
);

/** A type's place in the build order: RANK's, or 9 for a type RANK does not list. */
export const rankOf = (type: string): number => RANK.get(type) ?? 9;
