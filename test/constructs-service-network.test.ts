// Service-network constructs and the private-API connection, as a CDK user would write them; templates checked
// against the CloudFormation specification.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, SecretValue, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import {
  PrivateApiConnection,
  type IResourceConfiguration,
  ResourceConfiguration,
  ServiceNetwork,
  ServiceNetworkEndpoint,
  ServiceNetworkResourceAssociation,
  ServiceNetworkVpcAssociation,
} from '../src/constructs/index.js';
import { checkTemplate, specDatabase } from './support/cfn-spec.js';

const CONFIG_ARN = 'arn:aws:vpc-lattice:us-east-1:111111111111:resourceconfiguration/rcfg-0123456789abcdef0';

function stack() {
  const app = new App();
  const s = new Stack(app, 'Consumer', { env: { account: '222222222222', region: 'us-east-1' } });
  const vpc = new ec2.Vpc(s, 'Vpc', {
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    natGateways: 0,
    restrictDefaultSecurityGroup: false,
    subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  const config = ResourceConfiguration.fromResourceConfigurationAttributes(s, 'Shared', {
    resourceConfigurationArn: CONFIG_ARN,
  });
  return { s, vpc, config };
}

async function specProblems(s: Stack): Promise<string[]> {
  return checkTemplate(await specDatabase(), Template.fromStack(s).toJSON());
}

describe('service networks', () => {
  it('a network, a resource association by configuration ID, an endpoint and a VPC association with their own groups', async () => {
    const { s, vpc, config } = stack();
    const sn = new ServiceNetwork(s, 'Network');
    new ServiceNetworkResourceAssociation(s, 'Orders', {
      serviceNetwork: sn,
      resourceConfiguration: config,
      privateDnsEnabled: true,
    });
    const endpoint = new ServiceNetworkEndpoint(s, 'Endpoint', { vpc, serviceNetwork: sn });
    const assoc = new ServiceNetworkVpcAssociation(s, 'Association', { vpc, serviceNetwork: sn });
    const client = new ec2.SecurityGroup(s, 'Client', { vpc, allowAllOutbound: false });
    endpoint.connections.allowFrom(client, ec2.Port.tcp(5432));
    assoc.allowClient(client, ec2.Port.tcp(5432));
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::VpcLattice::ServiceNetwork', {
      AuthType: 'NONE',
      SharingConfig: { enabled: false },
      Name: Match.stringLikeRegexp('^[a-z0-9-]{3,40}$'),
    });
    t.hasResourceProperties('AWS::VpcLattice::ServiceNetworkResourceAssociation', {
      ResourceConfigurationId: 'rcfg-0123456789abcdef0',
      PrivateDnsEnabled: true,
      ServiceNetworkId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Network'), 'Id'] },
    });
    t.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'ServiceNetwork',
      ServiceNetworkArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Network'), 'Arn'] },
      PrivateDnsEnabled: true,
      SubnetIds: [{ Ref: Match.stringLikeRegexp('privateSubnet1') }, { Ref: Match.stringLikeRegexp('privateSubnet2') }],
    });
    t.hasResourceProperties('AWS::VpcLattice::ServiceNetworkVpcAssociation', {
      PrivateDnsEnabled: true,
      SecurityGroupIds: [Match.anyValue()],
      ServiceNetworkIdentifier: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Network'), 'Arn'] },
    });
    t.resourceCountIs('AWS::EC2::SecurityGroupIngress', 2);
    // The association's addresses are no ENI a group reference names: its clients get egress to the range.
    const egress =
      Object.values(
        t.findResources('AWS::EC2::SecurityGroup', {
          Properties: { GroupDescription: Match.stringLikeRegexp('Client') },
        }),
      )[0]?.Properties.SecurityGroupEgress ??
      Object.values(t.findResources('AWS::EC2::SecurityGroupEgress')).map((r) => r.Properties);
    assert.ok(
      (egress as { CidrIp?: string; FromPort?: number }[]).some(
        (r) => r.CidrIp === ServiceNetworkVpcAssociation.ADDRESS_RANGE && r.FromPort === 5432,
      ),
      JSON.stringify(egress),
    );
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 5432,
      ToPort: 5432,
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Client'), 'GroupId'] },
    });
    assert.deepEqual(await specProblems(s), []);
  });

  it("imports a network by ID (a central account's, shared by RAM) and rejects what is not one", () => {
    const { s } = stack();
    const sn = ServiceNetwork.fromServiceNetworkAttributes(s, 'Central', { serviceNetworkId: 'sn-0123456789abcdef0' });
    assert.match(s.resolve(sn.serviceNetworkArn)['Fn::Join'][1].join(''), /servicenetwork\/sn-0123456789abcdef0$/);
    assert.throws(
      () => ServiceNetwork.fromServiceNetworkAttributes(s, 'Bad', { serviceNetworkId: CONFIG_ARN }),
      /Consumer\/Bad: .*not a service network ID.*\[LSC-SN2\]/,
    );
    assert.throws(
      () => new ServiceNetwork(s, 'Named', { name: '-bad-' }),
      /Consumer\/Named: name must be .*\[LSC-SN1\]/,
    );
    const byArn = ServiceNetwork.fromServiceNetworkAttributes(s, 'ByArn', {
      serviceNetworkArn: 'arn:aws:vpc-lattice:us-east-1:333333333333:servicenetwork/sn-0123456789abcdef0',
    });
    assert.equal(byArn.serviceNetworkId, 'sn-0123456789abcdef0', "the ID is the ARN's last part");
    assert.throws(
      () => ServiceNetwork.fromServiceNetworkAttributes(s, 'None', {}),
      /Consumer\/None: give serviceNetworkId or serviceNetworkArn \[LSC-SN3\]/,
    );
  });

  it("a resource association refuses a configuration's ARN where its ID goes", () => {
    const { s } = stack();
    const sn = new ServiceNetwork(s, 'Network');
    // A hand-written IResourceConfiguration can hand over its ARN as the ID; CloudFormation would refuse it.
    const byArn = {
      resourceConfigurationArn: CONFIG_ARN,
      resourceConfigurationId: CONFIG_ARN,
    } as IResourceConfiguration;
    assert.throws(
      () => new ServiceNetworkResourceAssociation(s, 'ByArn', { serviceNetwork: sn, resourceConfiguration: byArn }),
      /Consumer\/ByArn: .*takes the configuration's ID \(rcfg-…\), not its ARN \[LSC-SNRA1\]/,
    );
  });

  it('a VPC association takes at most five security groups', () => {
    const { s, vpc } = stack();
    const sn = new ServiceNetwork(s, 'Network');
    const groups = Array.from({ length: 6 }, (_, i) => new ec2.SecurityGroup(s, `G${i}`, { vpc }));
    assert.throws(
      () => new ServiceNetworkVpcAssociation(s, 'Too', { vpc, serviceNetwork: sn, securityGroups: groups }),
      /Consumer\/Too: .*at most 5 security groups.*\[LSC-SNVA1\]/,
    );
  });
});

describe('PrivateApiConnection', () => {
  it('points its invocations at the configuration; API destinations, rules and Step Functions HTTP tasks take it', async () => {
    const { s, config } = stack();
    const connection = new PrivateApiConnection(s, 'Api', {
      resourceConfiguration: config,
      authorization: { apiKey: { name: 'x-api-key', value: SecretValue.secretsManager('orders-api-key') } },
    });
    const destination = new events.ApiDestination(s, 'Destination', {
      connection,
      endpoint: 'https://orders.example.com/events',
      httpMethod: events.HttpMethod.POST,
    });
    new events.Rule(s, 'Rule', {
      eventPattern: { source: ['orders'] },
      targets: [new targets.ApiDestination(destination)],
    });
    new sfn.StateMachine(s, 'Flow', {
      definitionBody: sfn.DefinitionBody.fromChainable(
        new tasks.HttpInvoke(s, 'Call', {
          apiRoot: 'https://orders.example.com',
          apiEndpoint: sfn.TaskInput.fromText('orders'),
          method: sfn.TaskInput.fromText('GET'),
          connection,
        }),
      ),
    });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::Events::Connection', {
      AuthorizationType: 'API_KEY',
      InvocationConnectivityParameters: { ResourceParameters: { ResourceConfigurationArn: CONFIG_ARN } },
      AuthParameters: {
        ApiKeyAuthParameters: {
          ApiKeyName: 'x-api-key',
          ApiKeyValue: '{{resolve:secretsmanager:orders-api-key:SecretString:::}}',
        },
      },
    });
    t.hasResourceProperties('AWS::Events::ApiDestination', {
      ConnectionArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Api'), 'Arn'] },
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'states:InvokeHTTPEndpoint' })]) },
    });
    assert.doesNotMatch(JSON.stringify(t.toJSON()), /"ApiKeyValue":"(?!\{\{resolve)/, 'no secret in the template');
    assert.deepEqual(await specProblems(s), []);
  });

  it('rejects a secret that is not a SecretValue', () => {
    const { s, config } = stack();
    assert.throws(
      () =>
        new PrivateApiConnection(s, 'Plain', {
          resourceConfiguration: config,
          authorization: { basic: { username: 'u', password: 'hunter2' as unknown as SecretValue } },
        }),
      /Consumer\/Plain: .*SecretValue.*\[PAC1\]/,
    );
  });
});
