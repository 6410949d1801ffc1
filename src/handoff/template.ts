// The kit's CloudFormation template, as data: a partner's side of the connection, deployable in any account with no
// CDK bootstrap (no assets, no bootstrap-version rule, no CDK metadata). Parameters of AWS-specific types let the
// console offer the partner's own VPC, subnets and security groups; the owner's values are the defaults.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-supplied-parameter-types.html
import { INPUTS_METADATA, pascal } from '../app/names.js';
import { ACCEPT_INVITATION_CODE } from './accept-code.js';
import { ownerValues, type KitPlan, type KitResource, type OwnerValue } from './plan.js';

type Json = Record<string, unknown>;
const ref = (name: string) => ({ Ref: name });
const getAtt = (id: string, attribute: string) => ({ 'Fn::GetAtt': [id, attribute] });

/** How many client security groups the template admits: one chosen in a list, two more given by ID. */
export const CLIENT_GROUP_SLOTS = 3;
const clientParameter = (slot: number) => (slot === 1 ? 'ClientSecurityGroupId' : `ClientSecurityGroupId${slot}`);
const clientCondition = (slot: number) => `HasClientGroup${slot}`;
const ENDPOINT_GROUP = 'EndpointSecurityGroup';
const ACCEPTER_ROLE = 'InvitationAccepterRole';
const ACCEPTER_FUNCTION = 'InvitationAccepterFunction';

/** A configuration's endpoint logical ID. */
export const endpointId = (resource: string, part: string) => `${pascal(resource)}${pascal(part)}Endpoint`;
/** A share's acceptance logical ID. */
export const acceptanceId = (share: string) => `${pascal(share)}Invitation`;

const ARN_PATTERNS = {
  share: '^arn:aws[a-z-]*:ram:[a-z0-9-]+:[0-9]{12}:resource-share/[A-Za-z0-9-]+$',
  configuration: '^arn:aws[a-z-]*:vpc-lattice:[a-z0-9-]+:[0-9]{12}:resourceconfiguration/rcfg-[0-9a-z]+$',
};

export function kitTemplate(plan: KitPlan): Json {
  const accepting = plan.shares.some((s) => s.accept);
  const resources: Json = {
    [ENDPOINT_GROUP]: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: `lattice-share ${plan.app}: VPC Lattice endpoints to ${plan.resources.map((r) => r.name).join(', ')}; admits the client groups chosen at deploy`,
        VpcId: ref('VpcId'),
        Tags: [{ Key: 'Name', Value: `${plan.app}-lattice-endpoints` }],
      },
    },
    ...clientRules(plan),
    ...(accepting ? acceptance(plan) : {}),
    ...Object.fromEntries(plan.resources.flatMap((r) => endpoints(plan, r, accepting))),
  };
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: description(plan),
    Metadata: {
      'AWS::CloudFormation::Interface': consoleLayout(plan, accepting),
      // For lattice-share (check, up) reading the owner's and this template together: which owner output each
      // owner value is. CloudFormation ignores it.
      [INPUTS_METADATA]: ownerInputs(plan),
    },
    Parameters: parameters(plan, accepting),
    Conditions: conditions(accepting),
    Resources: resources,
    Outputs: outputs(plan),
  };
}

function description(plan: KitPlan): string {
  const owners = [...new Set(plan.shares.map((s) => s.ownerAccountId))].join(', ');
  return `lattice-share ${plan.app}: private connection from this account to ${plan.resources.map((r) => r.name).join(', ')}, shared by account ${owners} through VPC Lattice (resource VPC endpoints; no peering, no NLB). See README.md beside this template.`;
}

function zonesText(resource: KitResource): string {
  return resource.zones.map((z) => (z.id ? `${z.id} (${z.name} in the owner's account)` : z.name)).join(', ');
}

function ownerParameter(value: OwnerValue, description: string, pattern: string): Json {
  return {
    Type: 'String',
    Description: description,
    AllowedPattern: pattern,
    ConstraintDescription: 'the value the owner gave you (see README.md)',
    ...(value.value !== undefined ? { Default: value.value } : {}),
  };
}

function parameters(plan: KitPlan, accepting: boolean): Json {
  const zones = [...new Set(plan.resources.map(zonesText))].join('; ');
  const ids = plan.resources.some((r) => r.zones.some((z) => !z.id));
  const client = (slot: number): Json =>
    slot === 1
      ? {
          Type: 'AWS::EC2::SecurityGroup::Id',
          Description: 'The security group of the clients that may connect (members of it reach the endpoints)',
        }
      : {
          Type: 'String',
          Default: '',
          AllowedPattern: '^(sg-[0-9a-f]{8,17})?$',
          ConstraintDescription: 'a security group ID such as sg-0123456789abcdef0, or empty',
          Description: 'Optional: one more client security group, by ID',
        };
  return {
    VpcId: { Type: 'AWS::EC2::VPC::Id', Description: 'The VPC of your clients' },
    SubnetIds: {
      Type: 'List<AWS::EC2::Subnet::Id>',
      Description: `One subnet of that VPC in each zone the owner's gateway covers: ${zones}. ${ids ? 'Zone names differ between accounts: ask the owner for zone IDs.' : 'Match by zone ID: aws ec2 describe-availability-zones shows yours.'}`,
    },
    ...Object.fromEntries(
      Array.from({ length: CLIENT_GROUP_SLOTS }, (_, i) => [clientParameter(i + 1), client(i + 1)]),
    ),
    PrivateDns: {
      Type: 'String',
      AllowedValues: ['true', 'false'],
      Default: 'true',
      Description:
        "true: the resource's names resolve to the endpoints in this VPC; false: use the endpoints' own names",
    },
    ...(accepting
      ? {
          AcceptInvitation: {
            Type: 'String',
            AllowedValues: ['true', 'false'],
            Default: 'true',
            Description: 'true: this stack accepts the RAM invitation; false: you accepted it already (console or CLI)',
          },
        }
      : {}),
    ...ownerParameters(plan),
  };
}

function ownerParameters(plan: KitPlan): Json {
  const described = (v: OwnerValue): [string, string] => {
    const share = plan.shares.find((x) => x.arn === v);
    if (share) return [`the ARN of RAM share ${share.name}`, ARN_PATTERNS.share];
    for (const r of plan.resources) {
      const c = r.configurations.find((x) => x.arn === v);
      if (c)
        return [`the resource configuration of ${r.name}${c.part ? ` (${c.part})` : ''}`, ARN_PATTERNS.configuration];
      const n = r.names.find((x) => x.name === v);
      if (n) return [`the ${n.role} name of ${r.name}, which private DNS points at the endpoint`, '^[a-z0-9.-]+$'];
    }
    return ['a value of the owner', '.*'];
  };
  return Object.fromEntries(
    ownerValues(plan).map((v) => {
      const [what, pattern] = described(v);
      return [v.parameter, ownerParameter(v, `From the owner: ${what}`, pattern)];
    }),
  );
}

function ownerInputs(plan: KitPlan): Json {
  return Object.fromEntries(ownerValues(plan).map((v) => [v.parameter, { stack: v.stack, output: v.output }]));
}

function conditions(accepting: boolean): Json {
  return {
    PrivateDnsOn: { 'Fn::Equals': [ref('PrivateDns'), 'true'] },
    ...(accepting ? { AcceptHere: { 'Fn::Equals': [ref('AcceptInvitation'), 'true'] } } : {}),
    ...Object.fromEntries(
      Array.from({ length: CLIENT_GROUP_SLOTS - 1 }, (_, i) => [
        clientCondition(i + 2),
        { 'Fn::Not': [{ 'Fn::Equals': [ref(clientParameter(i + 2)), ''] }] },
      ]),
    ),
  };
}

/** The ranges clients connect on: "5432" or "8000-8010" as [from, to]. */
function ranges(plan: KitPlan): [number, number][] {
  const all = new Set(plan.resources.flatMap((r) => r.ports));
  return [...all].map((range) => {
    const [from = 0, to = from] = range.split('-').map(Number);
    return [from, to];
  });
}

/** Per client slot and port range: the endpoints admit the group, and the group may send to the endpoints. */
function clientRules(plan: KitPlan): Json {
  const rules: Json = {};
  for (let slot = 1; slot <= CLIENT_GROUP_SLOTS; slot++)
    for (const [from, to] of ranges(plan)) {
      const ports = from === to ? `${from}` : `${from}To${to}`;
      const condition = slot === 1 ? {} : { Condition: clientCondition(slot) };
      const rule = { IpProtocol: 'tcp', FromPort: from, ToPort: to };
      rules[`FromClients${slot}Port${ports}`] = {
        Type: 'AWS::EC2::SecurityGroupIngress',
        ...condition,
        Properties: {
          GroupId: getAtt(ENDPOINT_GROUP, 'GroupId'),
          SourceSecurityGroupId: ref(clientParameter(slot)),
          ...rule,
          Description: `from client group ${slot}`,
        },
      };
      rules[`ToEndpoints${slot}Port${ports}`] = {
        Type: 'AWS::EC2::SecurityGroupEgress',
        ...condition,
        Properties: {
          GroupId: ref(clientParameter(slot)),
          DestinationSecurityGroupId: getAtt(ENDPOINT_GROUP, 'GroupId'),
          ...rule,
          Description: `to the VPC Lattice endpoints of ${plan.app}`,
        },
      };
    }
  return rules;
}

/** The invitation acceptance: a small function with inline code, its role, and one custom resource per share. */
function acceptance(plan: KitPlan): Json {
  const when = { Condition: 'AcceptHere' };
  const owners = [...new Set(plan.shares.filter((s) => s.accept).map((s) => s.ownerAccountId))];
  const out: Json = {
    [ACCEPTER_ROLE]: {
      Type: 'AWS::IAM::Role',
      ...when,
      Properties: {
        Description: `Accepts the owner's RAM invitation for ${plan.app}: read invitations, accept only the owner's`,
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
        Policies: [{ PolicyName: 'accept-invitation', PolicyDocument: accepterPolicy(owners) }],
      },
    },
    [ACCEPTER_FUNCTION]: {
      Type: 'AWS::Lambda::Function',
      ...when,
      Properties: {
        Description: `Accepts the RAM invitation for ${plan.app}, retrying while it is not visible yet; changes nothing on delete`,
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Timeout: 600,
        Role: getAtt(ACCEPTER_ROLE, 'Arn'),
        Code: { ZipFile: ACCEPT_INVITATION_CODE },
      },
    },
  };
  for (const share of plan.shares.filter((s) => s.accept))
    out[acceptanceId(share.name)] = {
      Type: 'Custom::ResourceShareInvitationAcceptance',
      ...when,
      Properties: { ServiceToken: getAtt(ACCEPTER_FUNCTION, 'Arn'), ShareArn: ref(share.arn.parameter) },
    };
  return out;
}

function accepterPolicy(owners: string[]): Json {
  const sub = (text: string) => ({ 'Fn::Sub': text });
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'ram:GetResourceShareInvitations', Resource: '*' },
      {
        Effect: 'Allow',
        Action: 'ram:AcceptResourceShareInvitation',
        Resource: owners.map((owner) =>
          sub(`arn:\${AWS::Partition}:ram:\${AWS::Region}:${owner}:resource-share-invitation/*`),
        ),
      },
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: sub('arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/*'),
      },
    ],
  };
}

/** One resource VPC endpoint per configuration of the resource, after the acceptance of its share. */
function endpoints(plan: KitPlan, r: KitResource, accepting: boolean): [string, Json][] {
  const share = plan.shares.find((s) => s.name === r.share);
  const after =
    accepting && share?.accept
      ? { 'Fn::If': ['AcceptHere', ref(acceptanceId(share.name)), 'accepted-outside-this-stack'] }
      : 'not-needed';
  const domains = r.customDomains;
  const dnsOptions = domains.length
    ? {
        DnsOptions: {
          'Fn::If': [
            'PrivateDnsOn',
            {
              PrivateDnsPreference: 'VERIFIED_DOMAINS_AND_SPECIFIED_DOMAINS',
              PrivateDnsSpecifiedDomains: domains,
            },
            ref('AWS::NoValue'),
          ],
        },
      }
    : {};
  return r.configurations.map((c) => [
    endpointId(r.name, c.part),
    {
      Type: 'AWS::EC2::VPCEndpoint',
      Properties: {
        VpcEndpointType: 'Resource',
        VpcId: ref('VpcId'),
        SubnetIds: ref('SubnetIds'),
        SecurityGroupIds: [getAtt(ENDPOINT_GROUP, 'GroupId')],
        ResourceConfigurationArn: ref(c.arn.parameter),
        PrivateDnsEnabled: { 'Fn::If': ['PrivateDnsOn', true, false] },
        ...dnsOptions,
        // The tag names the acceptance, so the endpoint waits for it when this stack accepts.
        Tags: [
          { Key: 'Name', Value: `${plan.app}-${r.name}${c.part ? `-${c.part}` : ''}` },
          { Key: 'lattice-share:invitation', Value: after },
        ],
      },
    },
  ]);
}

function outputs(plan: KitPlan): Json {
  const out: Json = {
    EndpointSecurityGroupId: {
      Description: "The endpoints' security group (it admits the client groups you chose)",
      Value: getAtt(ENDPOINT_GROUP, 'GroupId'),
    },
  };
  for (const r of plan.resources) {
    for (const c of r.configurations)
      out[`${endpointId(r.name, c.part)}Id`] = {
        Description: `Endpoint to ${r.name}${c.part ? ` (${c.part})` : ''}; its own DNS name: aws ec2 describe-vpc-endpoint-associations --vpc-endpoint-ids <this ID>`,
        Value: ref(endpointId(r.name, c.part)),
      };
    for (const n of r.names) out[nameOutput(r, n.role)] = nameOutputOf(r, n);
  }
  return out;
}

/** A name's output: `OrdersDbWriterConnection` for a database, `ApiAddress` otherwise. */
export const nameOutput = (r: KitResource, role: string) =>
  `${pascal(r.name)}${pascal(role)}${r.database ? 'Connection' : 'Address'}`;

/** A name to use (with private DNS on), and for a database the connection string without its password. */
function nameOutputOf(r: KitResource, n: KitResource['names'][number]): Json {
  const host = typeof n.name === 'string' ? n.name : `\${${n.name.parameter}}`;
  const db = r.database;
  const value = db ? `${db.scheme}://${db.user}:<password>@${host}:${n.port}/${db.name}` : `${host}:${n.port}`;
  return {
    Condition: 'PrivateDnsOn',
    Description: db
      ? `${r.name} (${n.role}): connection string; the password comes from the owner, never in this stack`
      : `${r.name}${n.role ? ` (${n.role})` : ''}: the name and port to connect to`,
    Value: { 'Fn::Sub': value },
  };
}

/** The console's grouping and labels of the parameters. */
function consoleLayout(plan: KitPlan, accepting: boolean): Json {
  const owner = ownerValues(plan).map((v) => v.parameter);
  const clients = Array.from({ length: CLIENT_GROUP_SLOTS }, (_, i) => clientParameter(i + 1));
  return {
    ParameterGroups: [
      { Label: { default: 'Your network' }, Parameters: ['VpcId', 'SubnetIds', ...clients, 'PrivateDns'] },
      {
        Label: { default: 'From the owner (filled in; change only if the owner asks)' },
        Parameters: [...(accepting ? ['AcceptInvitation'] : []), ...owner],
      },
    ],
    ParameterLabels: {
      VpcId: { default: 'VPC' },
      SubnetIds: { default: 'Subnets (one per zone listed)' },
      ClientSecurityGroupId: { default: 'Client security group' },
    },
  };
}
