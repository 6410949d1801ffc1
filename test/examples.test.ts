// Each example synthesizes with cdk-nag's AwsSolutions pack passing, matches the CloudFormation specification,
// and has the resources and least-privilege rules the design asks for.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Match } from 'aws-cdk-lib/assertions';
import { checkTemplate, specDatabase } from './support/cfn-spec.js';
import { example, ofType, synth, type Synthesized } from './support/synth.js';

const EXAMPLES = ['seed', 'existing-db', 'many-consumers', 'service-network', 'private-api'];
const results = new Map<string, Synthesized>();

before(() => {
  for (const name of EXAMPLES) results.set(name, synth({ file: example(name) }, { nag: true, validate: true }));
});
after(() => {
  for (const r of results.values()) r.cleanup();
});

describe('every example', () => {
  for (const name of EXAMPLES) {
    it(`${name}: every resource matches the CloudFormation specification`, async () => {
      const spec = await specDatabase();
      const r = results.get(name)!;
      assert.ok(r.templates.size >= 2);
      for (const [stack, t] of r.templates) assert.deepEqual(checkTemplate(spec, t), [], `${stack} has spec problems`);
    });
    it(`${name}: the CDK's built-in CloudFormation validation finds nothing`, () => {
      const report = JSON.parse(readFileSync(join(results.get(name)!.dir, 'validation-report.json'), 'utf8')) as {
        pluginReports: { pluginName: string; conclusion: string; violations: unknown[] }[];
      };
      const validate = report.pluginReports.filter((r) => r.pluginName === 'CloudFormation Validate');
      // It gives no report at all for some apps (existing-db's, here); the seed's it must validate.
      if (name === 'seed') assert.equal(validate.length, 1, 'the seed is validated');
      for (const r of validate) assert.deepEqual([r.conclusion, r.violations.length], ['success', 0]);
    });
    it(`${name}: no security-group rule opens to 0.0.0.0/0 or to a whole VPC CIDR`, () => {
      const r = results.get(name)!;
      const cidrs = new Set(r.topology.networks.map((n) => n.cidr));
      for (const [stack, t] of r.templates) {
        const rules = [
          ...ofType(t, 'AWS::EC2::SecurityGroupIngress').map(([, x]) => x.Properties!),
          ...ofType(t, 'AWS::EC2::SecurityGroupEgress').map(([, x]) => x.Properties!),
          ...ofType(t, 'AWS::EC2::SecurityGroup').flatMap(([, x]) => [
            ...((x.Properties!.SecurityGroupIngress as object[]) ?? []),
            ...((x.Properties!.SecurityGroupEgress as object[]) ?? []),
          ]),
        ] as { CidrIp?: string; CidrIpv6?: string; Description?: string }[];
        for (const rule of rules) {
          if (rule.CidrIp === '255.255.255.255/32') continue; // CDK's "no outbound" placeholder
          assert.notEqual(rule.CidrIp, '0.0.0.0/0', `${stack}: rule to 0.0.0.0/0`);
          assert.notEqual(rule.CidrIpv6, '::/0', `${stack}: rule to ::/0`);
          assert.ok(!cidrs.has(rule.CidrIp ?? ''), `${stack}: rule to a whole VPC CIDR ${rule.CidrIp}`);
        }
      }
    });
  }
});

describe('the spec check itself', () => {
  it('reports a misspelled, a misplaced and a missing property', async () => {
    const spec = await specDatabase();
    const good = results.get('seed')!.templates.get('LatticeShare-owner-owner')!;
    const bad = structuredClone(good);
    const [id] = ofType(bad, 'AWS::VpcLattice::ResourceConfiguration')[0]!;
    const props = bad.Resources[id]!.Properties!;
    props.AllowAssociationToShareableServiceNetwork = false; // the API spelling, not CloudFormation's
    props.ResourceConfigurationDefinition = {
      ArnResource: { 'Fn::GetAtt': ['X', 'Arn'] },
      DnsResource: { Name: 'db.example.com' },
    };
    delete props.ResourceConfigurationType;
    const problems = checkTemplate(spec, bad);
    assert.ok(
      problems.some((p) => p.includes('AllowAssociationToShareableServiceNetwork: no such property')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.includes('DnsResource.Name: no such property')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.includes('missing required property ResourceConfigurationType')),
      problems.join('\n'),
    );
  });
});

describe('seed', () => {
  const owner = () => results.get('seed')!.template('LatticeShare-owner-owner');
  const consumer = () => results.get('seed')!.template('LatticeShare-partner-consumer');
  const gatewaySg = () =>
    Object.keys(
      owner().findResources('AWS::EC2::SecurityGroup', {
        Properties: { GroupDescription: Match.stringLikeRegexp('Resource gateway') },
      }),
    )[0]!;
  const dbSg = () =>
    Object.keys(
      owner().findResources('AWS::EC2::SecurityGroup', {
        Properties: { GroupDescription: Match.stringLikeRegexp('^Database') },
      }),
    )[0]!;

  it('owner: a resource gateway in two subnets, an ARN configuration for the cluster, a RAM share to the partner', () => {
    const t = owner();
    t.resourceCountIs('AWS::RDS::DBCluster', 1);
    t.hasResourceProperties('AWS::VpcLattice::ResourceGateway', { IpAddressType: 'IPV4' });
    const gw = t.findResources('AWS::VpcLattice::ResourceGateway');
    assert.equal((Object.values(gw)[0]!.Properties.SubnetIds as unknown[]).length, 2);
    const cluster = Object.keys(t.findResources('AWS::RDS::DBCluster'))[0]!;
    t.hasResourceProperties('AWS::VpcLattice::ResourceConfiguration', {
      ResourceConfigurationType: 'ARN',
      ResourceConfigurationDefinition: { ArnResource: { 'Fn::Join': ['', Match.arrayWith([{ Ref: cluster }])] } },
      AllowAssociationToSharableServiceNetwork: false,
      ProtocolType: Match.absent(),
      PortRanges: Match.absent(),
    });
    t.hasResourceProperties('AWS::RAM::ResourceShare', { Principals: ['222222222222'], AllowExternalPrincipals: true });
  });

  it('owner: database ingress only from the gateway, gateway egress only to the database, on 5432, no gateway ingress', () => {
    const t = owner();
    const ingress = t.findResources('AWS::EC2::SecurityGroupIngress');
    const toDb = Object.values(ingress).filter((r) => JSON.stringify(r.Properties.GroupId).includes(dbSg()));
    assert.equal(toDb.length, 1);
    assert.deepEqual(toDb[0]!.Properties.SourceSecurityGroupId, { 'Fn::GetAtt': [gatewaySg(), 'GroupId'] });
    assert.equal(toDb[0]!.Properties.IpProtocol, 'tcp');
    t.hasResourceProperties('AWS::RDS::DBCluster', { Port: 5432 });
    const egress = Object.values(t.findResources('AWS::EC2::SecurityGroupEgress')).filter((r) =>
      JSON.stringify(r.Properties.GroupId).includes(gatewaySg()),
    );
    assert.equal(egress.length, 1);
    assert.deepEqual(egress[0]!.Properties.DestinationSecurityGroupId, { 'Fn::GetAtt': [dbSg(), 'GroupId'] });
    assert.equal(
      Object.values(ingress).filter((r) => JSON.stringify(r.Properties.GroupId).includes(gatewaySg())).length,
      0,
    );
    const gwSg = t.findResources('AWS::EC2::SecurityGroup')[gatewaySg()]!;
    assert.equal(gwSg.Properties.SecurityGroupIngress, undefined);
  });

  it('consumer: Resource endpoints (private DNS on and off), the invitation accepted before them', () => {
    const t = consumer();
    t.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Resource',
      PrivateDnsEnabled: true,
      ResourceConfigurationArn: { Ref: 'OrdersDbConfigurationArn' },
    });
    t.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Resource', PrivateDnsEnabled: false });
    const calls = Object.entries(t.findResources('Custom::AWS')).map(
      ([id, r]) => [id, JSON.stringify(r.Properties.Create)] as const,
    );
    const accept = calls.find(([, c]) => c.includes('AcceptResourceShareInvitation'));
    assert.ok(
      calls.find(([, c]) => c.includes('GetResourceShareInvitations') && c.includes('OrdersToPartnerShareArn')),
      'looks the invitation up by the share ARN',
    );
    assert.ok(accept, 'accepts the invitation');
    for (const [, e] of Object.entries(t.findResources('AWS::EC2::VPCEndpoint'))) {
      assert.ok((e.DependsOn as string[]).includes(accept[0]), 'endpoint waits for the accepted invitation');
    }
    assert.deepEqual(
      Object.keys(t.toJSON().Parameters)
        .filter((p) => p !== 'BootstrapVersion' && !p.startsWith('SsmParameter'))
        .sort(),
      ['OrdersDbConfigurationArn', 'OrdersDbReaderEndpoint', 'OrdersDbWriterEndpoint', 'OrdersToPartnerShareArn'],
    );
  });

  it('consumer: endpoint ingress only from the client, client egress only to the endpoint, on 5432', () => {
    const t = consumer();
    const sgs = t.findResources('AWS::EC2::SecurityGroup');
    const id = (re: RegExp) => Object.keys(sgs).find((k) => re.test(sgs[k]!.Properties.GroupDescription))!;
    const [endpoint, app, other] = [id(/PartnerAppEndpoint/), id(/Workload app:/), id(/Workload other:/)];
    const ingress = Object.values(t.findResources('AWS::EC2::SecurityGroupIngress')).filter((r) =>
      JSON.stringify(r.Properties.GroupId).includes(endpoint),
    );
    assert.deepEqual(
      ingress.map((r) => [r.Properties.SourceSecurityGroupId, r.Properties.FromPort, r.Properties.ToPort]),
      [[{ 'Fn::GetAtt': [app, 'GroupId'] }, 5432, 5432]],
    );
    const egress = Object.values(t.findResources('AWS::EC2::SecurityGroupEgress'));
    const fromApp = egress.filter((r) => JSON.stringify(r.Properties.GroupId).includes(app));
    assert.deepEqual(
      fromApp.map((r) => [r.Properties.DestinationSecurityGroupId, r.Properties.FromPort]),
      [[{ 'Fn::GetAtt': [endpoint, 'GroupId'] }, 5432]],
    );
    assert.equal(
      egress.filter((r) => JSON.stringify(r.Properties.GroupId).includes(other)).length,
      0,
      'the non-client has no way out',
    );
  });

  it('consumer outputs: DNS names and a connection string, never a secret', () => {
    const outputs = consumer().toJSON().Outputs as Record<string, { Value: unknown }>;
    assert.ok(outputs.PartnerAppDnsName && outputs.PartnerAppWriterName && outputs.PartnerAppReaderName);
    const cs = JSON.stringify(outputs.PartnerAppConnectionString!.Value);
    assert.match(cs, /postgresql:\/\/orders_admin@/);
    assert.match(cs, /sslmode=verify-full/);
    const consumerJson = JSON.stringify(results.get('seed')!.templates.get('LatticeShare-partner-consumer'));
    assert.ok(!/secretsmanager|MasterUserPassword/i.test(consumerJson), 'the consumer stack never touches the secret');
  });

  it('owner: the master password is generated in Secrets Manager and only referenced, never written or output', () => {
    const owner = results.get('seed')!.templates.get('LatticeShare-owner-owner')!;
    const [, cluster] = ofType(owner, 'AWS::RDS::DBCluster')[0]!;
    assert.match(JSON.stringify(cluster.Properties!.MasterUserPassword), /\{\{resolve:secretsmanager:/);
    const [, secret] = ofType(owner, 'AWS::SecretsManager::Secret')[0]!;
    assert.ok(secret.Properties!.GenerateSecretString as object, 'generated by AWS at deploy time');
    assert.ok(!/secretsmanager|Secret/.test(JSON.stringify(owner.Outputs)), 'no output refers to the secret');
  });
});

describe('existing-db', () => {
  it('owner: imports the cluster (nothing created), opens its security group to the gateway, shares with the OU', () => {
    const t = results.get('existing-db')!.template('Billing-data-owner');
    t.resourceCountIs('AWS::RDS::DBCluster', 0);
    t.resourceCountIs('AWS::EC2::VPC', 0);
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: 'sg-0a1b2c3d4e5f60711',
      FromPort: 5432,
      ToPort: 5432,
    });
    t.hasResourceProperties('AWS::VpcLattice::ResourceGateway', {
      VpcIdentifier: 'vpc-0a1b2c3d4e5f60718',
      SubnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
    });
    t.hasResourceProperties('AWS::VpcLattice::ResourceConfiguration', {
      ResourceConfigurationType: 'ARN',
      ResourceConfigurationDefinition: {
        ArnResource: {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds:eu-west-1:111111111111:cluster:billing']],
        },
      },
    });
    t.hasResourceProperties('AWS::VpcLattice::ResourceConfiguration', {
      ResourceConfigurationType: 'SINGLE',
      ProtocolType: 'TCP',
      PortRanges: ['8443'],
      ResourceConfigurationDefinition: { IpResource: '10.20.1.50' },
    });
    t.hasResourceProperties('AWS::RAM::ResourceShare', {
      Principals: ['arn:aws:organizations::100000000000:ou/o-abc123def4/ou-ab12-cdef3456'],
      AllowExternalPrincipals: false,
    });
  });
  it('consumer: no invitation to accept inside the organization; existing client security group wired both ways', () => {
    const t = results.get('existing-db')!.template('Billing-web-consumer');
    const calls = JSON.stringify(t.findResources('Custom::AWS'));
    assert.doesNotMatch(calls, /AcceptResourceShareInvitation/);
    t.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { GroupId: 'sg-0f1e2d3c4b5a69701', FromPort: 8443 });
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      SourceSecurityGroupId: 'sg-0f1e2d3c4b5a69701',
      FromPort: 5432,
    });
  });
});

describe('many-consumers', () => {
  it('one share with three accounts and an OU; writer and reader DNS configurations with custom domains', () => {
    const r = results.get('many-consumers')!;
    assert.equal(r.templates.size, 5);
    const t = r.template('Orders-owner-owner');
    t.hasResourceProperties('AWS::RAM::ResourceShare', {
      Principals: [
        '222222222222',
        '333333333333',
        '444444444444',
        'arn:aws:organizations::100000000000:ou/o-9z8y7x6w5v/ou-9z8y-reporting01',
      ],
      AllowExternalPrincipals: true,
    });
    t.hasResourceProperties('AWS::VpcLattice::ResourceConfiguration', {
      ResourceConfigurationType: 'SINGLE',
      CustomDomainName: 'orders.db.example.com',
      PortRanges: ['5432'],
      ProtocolType: 'TCP',
    });
    t.hasResourceProperties('AWS::VpcLattice::ResourceConfiguration', {
      ResourceConfigurationType: 'SINGLE',
      CustomDomainName: 'orders-ro.db.example.com',
    });
    t.resourceCountIs('AWS::RDS::DBInstance', 2);
  });
  it('only the partners outside the organization accept an invitation; private DNS names the custom domains', () => {
    const r = results.get('many-consumers')!;
    for (const [stack, accepts] of [
      ['Orders-partner-a-consumer', true],
      ['Orders-partner-b-consumer', true],
      ['Orders-analytics-consumer', false],
      ['Orders-reporting-consumer', false],
    ] as const) {
      const t = r.template(stack);
      assert.equal(
        JSON.stringify(t.findResources('Custom::AWS')).includes('AcceptResourceShareInvitation'),
        accepts,
        stack,
      );
      t.resourceCountIs('AWS::EC2::VPCEndpoint', 2);
      t.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        DnsOptions: {
          PrivateDnsPreference: 'VERIFIED_DOMAINS_AND_SPECIFIED_DOMAINS',
          PrivateDnsSpecifiedDomains: ['orders.db.example.com', 'orders-ro.db.example.com'],
        },
      });
      const outputs = t.toJSON().Outputs as Record<string, { Value: unknown }>;
      const id = Object.keys(outputs).find((k) => k.endsWith('ConnectionString'))!;
      assert.equal(
        outputs[id]!.Value,
        'postgresql://orders_admin@orders.db.example.com:5432/orders?sslmode=require',
        'custom domain; the RDS certificate does not name it',
      );
      assert.equal(outputs[id.replace('ConnectionString', 'ReaderName')]!.Value, 'orders-ro.db.example.com');
    }
  });
});
