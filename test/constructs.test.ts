// The L2 constructs on their own, as a CDK user would write them: defaults, connections, importers, validation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import {
  GatewayIpAddressType,
  PrivateDnsPreference,
  ResourceConfiguration,
  ResourceConfigurationGroup,
  ResourceEndpoint,
  ResourceGateway,
  ResourceShare,
  ResourceShareInvitationAccepter,
  ResourceTarget,
  SharePrincipal,
} from '../src/constructs/index.js';

function stack(): { app: App; stack: Stack; vpc: ec2.Vpc } {
  const app = new App();
  const s = new Stack(app, 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
  const vpc = new ec2.Vpc(s, 'Vpc', {
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    natGateways: 0,
    restrictDefaultSecurityGroup: false,
    subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  return { app, stack: s, vpc };
}

/** An Aurora PostgreSQL cluster `Db` of one writer in the VPC's isolated subnets, with `extra` props. */
const auroraCluster = (scope: Stack, vpc: ec2.Vpc, extra: Partial<rds.DatabaseClusterProps> = {}) =>
  new rds.DatabaseCluster(scope, 'Db', {
    engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_6 }),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    writer: rds.ClusterInstance.provisioned('w'),
    ...extra,
  });

const sgIdOf = (t: Template, description: RegExp) => {
  const sgs = t.findResources('AWS::EC2::SecurityGroup');
  return Object.keys(sgs).find((k) => description.test(sgs[k]!.Properties.GroupDescription))!;
};

describe('ResourceGateway', () => {
  it('defaults: IPv4, one subnet per zone, its own security group with no rules at all', () => {
    const { stack: s, vpc } = stack();
    const gw = new ResourceGateway(s, 'Gw', { vpc });
    const t = Template.fromStack(s);
    const sg = sgIdOf(t, /Resource gateway/);
    t.hasResourceProperties('AWS::VpcLattice::ResourceGateway', {
      IpAddressType: 'IPV4',
      Ipv4AddressesPerEni: Match.absent(),
      ResourceConfigDnsResolution: Match.absent(),
      SubnetIds: [{ Ref: Match.stringLikeRegexp('privateSubnet1') }, { Ref: Match.stringLikeRegexp('privateSubnet2') }],
      SecurityGroupIds: [{ 'Fn::GetAtt': [sg, 'GroupId'] }],
      Name: Match.stringLikeRegexp('^[a-z0-9-]{3,40}$'),
    });
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: Match.absent(),
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32' })],
    });
    assert.equal(gw.subnets.length, 2);
  });
  it('generated names follow the Lattice pattern even for long paths', () => {
    const { stack: s, vpc } = stack();
    new ResourceGateway(s, 'AVeryLongConstructIdThatGoesOnAndOnForQuiteSomeCharacters', { vpc });
    const props = Object.values(Template.fromStack(s).findResources('AWS::VpcLattice::ResourceGateway'))[0]!.Properties;
    assert.match(props.Name, /^(?!rgw-)(?![-])(?!.*[-]$)(?!.*[-]{2})[a-z0-9-]{3,40}$/);
  });
  it('rejects bad props with the construct path', () => {
    const { stack: s, vpc } = stack();
    assert.throws(
      () => new ResourceGateway(s, 'Gw', { vpc, ipv4AddressesPerEni: 63 }),
      /^LatticeValidationError: Test\/Gw: ipv4AddressesPerEni must be a whole number from 1 to 62 \[LSC-RGW1\]$/,
    );
    assert.throws(
      () => new ResourceGateway(s, 'Gw6', { vpc, ipAddressType: GatewayIpAddressType.IPV6, ipv4AddressesPerEni: 4 }),
      /Test\/Gw6: ipv4AddressesPerEni does not apply to an IPV6 gateway \[LSC-RGW2\]/,
    );
    assert.throws(
      () => new ResourceGateway(s, 'Gw2', { vpc, resourceGatewayName: 'rgw-mine' }),
      /Test\/Gw2: .*not starting with "rgw-" \[LSC-RGW4\]/,
    );
    const sgs = Array.from({ length: 6 }, (_, i) => new ec2.SecurityGroup(s, `Sg${i}`, { vpc }));
    assert.throws(
      () => new ResourceGateway(s, 'Gw3', { vpc, securityGroups: sgs }),
      /Test\/Gw3: a resource gateway takes at most 5 security groups \[LSC-RGW3\]/,
    );
    assert.throws(
      () => new ResourceGateway(s, 'Gw4', { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }),
      /no 'Public' subnet groups/,
    );
  });
  it('imports by ID with the ARN formatted for its stack', () => {
    const { stack: s } = stack();
    const gw = ResourceGateway.fromResourceGatewayAttributes(s, 'Imported', {
      resourceGatewayId: 'rgw-0123456789abcdef0',
    });
    assert.equal(
      s.resolve(gw.resourceGatewayArn)['Fn::Join'][1].slice(-1)[0],
      ':vpc-lattice:us-east-1:111111111111:resourcegateway/rgw-0123456789abcdef0',
    );
  });
});

describe('ResourceConfiguration', () => {
  it('an RDS cluster target: ARN type, no protocol or ports, and the gateway allowed in through connections', () => {
    const { stack: s, vpc } = stack();
    const cluster = auroraCluster(s, vpc, { port: 5432 });
    const gw = new ResourceGateway(s, 'Gw', { vpc });
    const rc = new ResourceConfiguration(s, 'Rc', { gateway: gw, target: ResourceTarget.rdsCluster(cluster) });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::VpcLattice::ResourceConfiguration', {
      ResourceConfigurationType: 'ARN',
      ProtocolType: Match.absent(),
      PortRanges: Match.absent(),
      AllowAssociationToSharableServiceNetwork: false,
      ResourceGatewayId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Gw'), 'Id'] },
      ResourceConfigurationDefinition: { ArnResource: Match.anyValue() },
    });
    const gwSg = sgIdOf(t, /Resource gateway/);
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      SourceSecurityGroupId: { 'Fn::GetAtt': [gwSg, 'GroupId'] },
      IpProtocol: 'tcp',
    });
    t.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: { 'Fn::GetAtt': [gwSg, 'GroupId'] },
      IpProtocol: 'tcp',
    });
    assert.equal(rc.type, 'ARN');
  });
  it('allowGatewayToTarget: false leaves the security groups alone', () => {
    const { stack: s, vpc } = stack();
    const cluster = auroraCluster(s, vpc);
    new ResourceConfiguration(s, 'Rc', {
      gateway: new ResourceGateway(s, 'Gw', { vpc }),
      target: ResourceTarget.rdsCluster(cluster),
      allowGatewayToTarget: false,
    });
    Template.fromStack(s).resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
  });
  it('DNS and IP targets: SINGLE, TCP, ports, the CloudFormation string and object shapes', () => {
    const { stack: s, vpc } = stack();
    const gateway = new ResourceGateway(s, 'Gw', { vpc });
    new ResourceConfiguration(s, 'Dns', {
      gateway,
      target: ResourceTarget.dns('db.internal.example.com'),
      portRanges: ['5432'],
      customDomainName: 'db.example.com',
    });
    new ResourceConfiguration(s, 'Ip', {
      gateway,
      target: ResourceTarget.ip('10.0.5.10'),
      portRanges: ['8000-8010', '9000'],
    });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::VpcLattice::ResourceConfiguration', {
      ResourceConfigurationType: 'SINGLE',
      ProtocolType: 'TCP',
      PortRanges: ['5432'],
      CustomDomainName: 'db.example.com',
      ResourceConfigurationDefinition: {
        DnsResource: { DomainName: 'db.internal.example.com', IpAddressType: 'IPV4' },
      },
    });
    t.hasResourceProperties('AWS::VpcLattice::ResourceConfiguration', {
      PortRanges: ['8000-8010', '9000'],
      ResourceConfigurationDefinition: { IpResource: '10.0.5.10' },
    });
  });
  it('rejects what AWS rejects, naming the construct path and the rule', () => {
    const { stack: s, vpc } = stack();
    const gateway = new ResourceGateway(s, 'Gw', { vpc });
    const cases: [() => unknown, RegExp][] = [
      [
        () =>
          new ResourceConfiguration(s, 'A', {
            gateway,
            target: ResourceTarget.arn('arn:aws:rds:us-east-1:111111111111:cluster:x'),
            portRanges: ['5432'],
          }),
        /Test\/A: an ARN \(RDS\) target takes no portRanges.*\[LSC-RC1\]/,
      ],
      [
        () => new ResourceConfiguration(s, 'B', { gateway, target: ResourceTarget.dns('x.example.com') }),
        /Test\/B: portRanges is required.*\[LSC-RC2\]/,
      ],
      [
        () =>
          new ResourceConfiguration(s, 'C', { gateway, target: ResourceTarget.ip('10.0.0.1'), portRanges: ['0-10'] }),
        /Test\/C: .*\[LSC-RC3\]/,
      ],
      [
        () =>
          new ResourceConfiguration(s, 'D', {
            gateway,
            target: ResourceTarget.arn('arn:aws:rds:us-east-1:111111111111:cluster:x'),
            customDomainName: 'a.example.com',
          }),
        /Test\/D: .*\[LSC-RC4\]/,
      ],
      [
        () =>
          new ResourceConfiguration(s, 'D5', {
            gateway,
            target: ResourceTarget.dns('db.internal.example.com'),
            portRanges: ['5432'],
            domainVerificationId: 'dv-0123456789abcdef0',
          }),
        /Test\/D5: domainVerificationId needs customDomainName \[LSC-RC5\]/,
      ],
      [
        () => new ResourceConfiguration(s, 'E', { gateway, target: ResourceTarget.arn('arn:aws:s3:::bucket') }),
        /Test\/E: an ARN target must be an RDS database.*\[LSC-RC7\]/,
      ],
      [
        () =>
          new ResourceConfiguration(s, 'F', {
            gateway,
            target: ResourceTarget.ip('10.0.0.1'),
            portRanges: ['80'],
            resourceConfigurationName: 'Bad_Name',
          }),
        /\[LSC-RC6\]/,
      ],
    ];
    for (const [f, re] of cases) assert.throws(f, re);
  });
  it('imports from an ARN, exposing the rcfg- ID that service-network associations need', () => {
    const { stack: s } = stack();
    const rc = ResourceConfiguration.fromResourceConfigurationAttributes(s, 'I', {
      resourceConfigurationArn:
        'arn:aws:vpc-lattice:us-east-1:222222222222:resourceconfiguration/rcfg-0123456789abcdef0',
    });
    assert.equal(rc.resourceConfigurationId, 'rcfg-0123456789abcdef0');
    assert.throws(
      () =>
        ResourceConfiguration.fromResourceConfigurationAttributes(s, 'J', {
          resourceConfigurationArn: 'arn:aws:vpc-lattice:us-east-1:222222222222:resourcegateway/rgw-1',
        }),
      /Test: .*is not a resource configuration ARN/,
    );
  });
});

describe('ResourceConfigurationGroup', () => {
  it('a GROUP with CHILD members that inherit the gateway; children refer to the group by ID', () => {
    const { stack: s, vpc } = stack();
    const group = new ResourceConfigurationGroup(s, 'G', {
      gateway: new ResourceGateway(s, 'Gw', { vpc }),
      portRanges: ['443'],
      groupDomain: 'example.com',
    });
    group.addMember('Api', { target: ResourceTarget.ip('10.0.1.5'), customDomainName: 'api.example.com' });
    group.addMember('Web', { target: ResourceTarget.dns('web.internal.example.com'), portRanges: ['8443'] });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::VpcLattice::ResourceConfiguration', {
      ResourceConfigurationType: 'GROUP',
      ProtocolType: 'TCP',
      PortRanges: ['443'],
      GroupDomain: 'example.com',
      ResourceConfigurationDefinition: Match.absent(),
    });
    const groupId = Object.keys(
      t.findResources('AWS::VpcLattice::ResourceConfiguration', { Properties: { ResourceConfigurationType: 'GROUP' } }),
    )[0];
    const children = Object.values(
      t.findResources('AWS::VpcLattice::ResourceConfiguration', { Properties: { ResourceConfigurationType: 'CHILD' } }),
    );
    assert.equal(children.length, 2);
    for (const c of children) {
      assert.deepEqual(c.Properties.ResourceConfigurationGroupId, { 'Fn::GetAtt': [groupId, 'Id'] });
      assert.equal(c.Properties.ResourceGatewayId, undefined);
      assert.equal(c.Properties.ProtocolType, undefined);
    }
    assert.equal(group.members.length, 2);
  });
  it('rejects ARN members, foreign member domains, and an empty group at synth', () => {
    const { app, stack: s, vpc } = stack();
    const group = new ResourceConfigurationGroup(s, 'G', {
      gateway: new ResourceGateway(s, 'Gw', { vpc }),
      portRanges: ['443'],
      groupDomain: 'example.com',
    });
    assert.throws(
      () => group.addMember('A', { target: ResourceTarget.arn('arn:aws:rds:us-east-1:111111111111:cluster:x') }),
      /Test\/G: member A: .*\[LSC-RC9\]/,
    );
    assert.throws(
      () => group.addMember('B', { target: ResourceTarget.ip('10.0.0.9'), customDomainName: 'b.example.org' }),
      /Test\/G: member B: .*\[LSC-RC10\]/,
    );
    assert.throws(() => app.synth(), /Test\/G.*needs at least one member.*\[LSC-RC8\]/s);
  });
});

describe('ResourceShare', () => {
  it('shares with accounts, an OU and an organization; external principals off unless asked', () => {
    const { stack: s, vpc } = stack();
    const rc = new ResourceConfiguration(s, 'Rc', {
      gateway: new ResourceGateway(s, 'Gw', { vpc }),
      target: ResourceTarget.ip('10.0.0.5'),
      portRanges: ['443'],
    });
    const share = new ResourceShare(s, 'Share', {
      resourceConfigurations: [rc],
      principals: [
        SharePrincipal.account('222222222222'),
        SharePrincipal.organizationalUnit('arn:aws:organizations::100000000000:ou/o-abc123def4/ou-ab12-cdef3456'),
      ],
    });
    share.addPrincipal(SharePrincipal.organization('arn:aws:organizations::100000000000:organization/o-abc123def4'));
    Template.fromStack(s).hasResourceProperties('AWS::RAM::ResourceShare', {
      AllowExternalPrincipals: false,
      ResourceArns: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Rc'), 'Arn'] }],
      Principals: [
        '222222222222',
        'arn:aws:organizations::100000000000:ou/o-abc123def4/ou-ab12-cdef3456',
        'arn:aws:organizations::100000000000:organization/o-abc123def4',
      ],
      PermissionArns: Match.absent(),
    });
  });
  it('rejects malformed principals, sharing with itself, and an empty share', () => {
    const { app, stack: s } = stack();
    assert.throws(() => SharePrincipal.account('12345'), /not a 12-digit AWS account ID \[LSC-RS4\]/);
    assert.throws(() => SharePrincipal.organizationalUnit('ou-ab12-cdef3456'), /not an OU ARN \[LSC-RS5\]/);
    assert.throws(() => SharePrincipal.organization('o-abc'), /not an organization ARN \[LSC-RS6\]/);
    const share = new ResourceShare(s, 'Share');
    assert.throws(
      () => share.addPrincipal(SharePrincipal.account('111111111111')),
      /Test\/Share: .*sharing with yourself.*\[LSC-RS3\]/,
    );
    assert.throws(() => app.synth(), /Test\/Share.*\[LSC-RS1\].*|\[LSC-RS2\]/s);
  });
});

describe('ResourceEndpoint', () => {
  const arn = 'arn:aws:vpc-lattice:us-east-1:222222222222:resourceconfiguration/rcfg-0123456789abcdef0';
  it('defaults: type Resource, private DNS on, IPv4, a security group that admits nobody until told', () => {
    const { stack: s, vpc } = stack();
    new ResourceEndpoint(s, 'Ep', {
      vpc,
      resourceConfiguration: ResourceConfiguration.fromResourceConfigurationAttributes(s, 'Rc', {
        resourceConfigurationArn: arn,
      }),
    });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Resource',
      ResourceConfigurationArn: arn,
      PrivateDnsEnabled: true,
      IpAddressType: 'ipv4',
      DnsOptions: Match.absent(),
      ServiceName: Match.absent(),
    });
    t.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    t.resourceCountIs('Custom::AWS', 0);
  });
  it('connections: allowDefaultPortFrom(client) adds the endpoint ingress and the client egress', () => {
    const { stack: s, vpc } = stack();
    const ep = new ResourceEndpoint(s, 'Ep', {
      vpc,
      port: ec2.Port.tcp(5432),
      resourceConfiguration: ResourceConfiguration.fromResourceConfigurationAttributes(s, 'Rc', {
        resourceConfigurationArn: arn,
      }),
    });
    const client = new ec2.SecurityGroup(s, 'Client', { vpc, allowAllOutbound: false, description: 'client' });
    ep.connections.allowDefaultPortFrom(client);
    const t = Template.fromStack(s);
    const epSg = sgIdOf(t, /Resource endpoint/);
    const clientSg = sgIdOf(t, /^client$/);
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [epSg, 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [clientSg, 'GroupId'] },
      FromPort: 5432,
      ToPort: 5432,
    });
    t.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: { 'Fn::GetAtt': [clientSg, 'GroupId'] },
      DestinationSecurityGroupId: { 'Fn::GetAtt': [epSg, 'GroupId'] },
      FromPort: 5432,
    });
  });
  it('dnsName reads the association name at deploy time with DescribeVpcEndpointAssociations', () => {
    const { stack: s, vpc } = stack();
    const ep = new ResourceEndpoint(s, 'Ep', {
      vpc,
      resourceConfiguration: ResourceConfiguration.fromResourceConfigurationAttributes(s, 'Rc', {
        resourceConfigurationArn: arn,
      }),
    });
    assert.match(s.resolve(ep.dnsName)['Fn::GetAtt'][1], /VpcEndpointAssociations\.0\.DnsEntry\.DnsName/);
    void ep.dnsName; // read twice: one lookup
    const t = Template.fromStack(s);
    t.resourceCountIs('Custom::AWS', 1);
    const call = JSON.stringify(Object.values(t.findResources('Custom::AWS'))[0]!.Properties.Create);
    assert.match(call, /"action\\":\\"DescribeVpcEndpointAssociations\\"/);
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'ec2:DescribeVpcEndpointAssociations' })] },
    });
  });
  it('DNS options for custom domains, and their rules', () => {
    const { stack: s, vpc } = stack();
    const resourceConfiguration = ResourceConfiguration.fromResourceConfigurationAttributes(s, 'Rc', {
      resourceConfigurationArn: arn,
    });
    new ResourceEndpoint(s, 'Ep', {
      vpc,
      resourceConfiguration,
      privateDnsPreference: PrivateDnsPreference.SPECIFIED_DOMAINS_ONLY,
      privateDnsSpecifiedDomains: ['*.example.com'],
    });
    Template.fromStack(s).hasResourceProperties('AWS::EC2::VPCEndpoint', {
      DnsOptions: { PrivateDnsPreference: 'SPECIFIED_DOMAINS_ONLY', PrivateDnsSpecifiedDomains: ['*.example.com'] },
    });
    assert.throws(
      () =>
        new ResourceEndpoint(s, 'B', {
          vpc,
          resourceConfiguration,
          privateDnsEnabled: false,
          privateDnsPreference: PrivateDnsPreference.ALL_DOMAINS,
        }),
      /Test\/B: .*\[LSC-RE1\]/,
    );
    assert.throws(
      () => new ResourceEndpoint(s, 'C', { vpc, resourceConfiguration, privateDnsSpecifiedDomains: ['a.example.com'] }),
      /Test\/C: .*\[LSC-RE2\]/,
    );
    assert.throws(
      () =>
        new ResourceEndpoint(s, 'D', {
          vpc,
          resourceConfiguration,
          privateDnsPreference: PrivateDnsPreference.SPECIFIED_DOMAINS_ONLY,
        }),
      /Test\/D: .*\[LSC-RE3\]/,
    );
  });
});

describe('ResourceShareInvitationAccepter', () => {
  it('finds the invitation by share ARN, accepts it idempotently, and endpoints can wait for it', () => {
    const { stack: s, vpc } = stack();
    const shareArn = 'arn:aws:ram:us-east-1:111111111111:resource-share/abcd';
    const accepter = new ResourceShareInvitationAccepter(s, 'Accept', { resourceShareArn: shareArn });
    const ep = new ResourceEndpoint(s, 'Ep', {
      vpc,
      resourceConfiguration: ResourceConfiguration.fromResourceConfigurationAttributes(s, 'Rc', {
        resourceConfigurationArn:
          'arn:aws:vpc-lattice:us-east-1:111111111111:resourceconfiguration/rcfg-0123456789abcdef0',
      }),
    });
    ep.node.addDependency(accepter);
    const t = Template.fromStack(s);
    const calls = Object.entries(t.findResources('Custom::AWS')).map(
      ([id, r]) => [id, JSON.stringify(r.Properties.Create)] as const,
    );
    const find = calls.find(([, c]) => c.includes('GetResourceShareInvitations'))!;
    const accept = calls.find(([, c]) => c.includes('AcceptResourceShareInvitation'))!;
    assert.ok(find[1].includes(shareArn));
    assert.match(
      JSON.stringify(t.toJSON().Resources[accept[0]].Properties.Create),
      /ResourceShareInvitationAlreadyAccepted/,
    );
    const endpoint = Object.values(t.findResources('AWS::EC2::VPCEndpoint'))[0]!;
    assert.ok(endpoint.DependsOn.includes(accept[0]) && endpoint.DependsOn.includes(find[0]));
  });
});
