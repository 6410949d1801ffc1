// The kit's README.md: what the partner reads, in English.
import type { ReadmeFacts } from './facts.js';

const fence = (text: string) => ['```sh', text, '```'].join('\n');

function intro(f: ReadmeFacts): string[] {
  return [
    `# Private connection to ${f.resources.map((r) => r.name).join(', ')}`,
    '',
    `For ${f.party} (AWS account ${f.plan.account.id}, Region ${f.plan.region}), from AWS account ${f.owners}, which`,
    `shares ${f.resources.length === 1 ? 'this resource' : 'these resources'} with you through Amazon VPC Lattice. No VPC peering, no`,
    'routes, no load balancer: your VPC may even use the same addresses as the owner. This folder holds:',
    '',
    '- `template.yaml`: the CloudFormation stack to create in your account (upload it as it is; no CDK, no S3 bucket);',
    '- `kit.json`: the same facts for scripts;',
    `- \`${f.otherReadme}\`: this text in Japanese.`,
    '',
    '| resource | what | ports | zones of the owner (ID, name in the owner account) |',
    '|---|---|---|---|',
    ...f.resources.map((r) => `| ${r.name} | ${r.what} | ${r.ports} | ${r.zones} |`),
  ];
}

function creates(f: ReadmeFacts): string[] {
  return [
    '',
    '## What the stack creates, and what it costs you',
    '',
    `- ${f.endpointOutputs.length} resource VPC endpoint(s) in the VPC and subnets you choose: one network interface per subnet.`,
    '- One security group for the endpoints, admitting only the client security group(s) you choose, on the ports',
    '  above; and on each client group an outbound rule to the endpoints (harmless if it already allows all outbound).',
    ...(f.accept
      ? [
          '- With `AcceptInvitation=true` (the default): a small Lambda function with inline code, its IAM role (it may',
          "  read RAM invitations and accept only the owner's) and a custom resource that accepts the invitation, retrying",
          '  while it is not visible yet. Set `AcceptInvitation=false` if you accept in the RAM console instead.',
        ]
      : []),
    '',
    'Costs in your account: each resource endpoint is billed per hour and per GB processed (AWS PrivateLink pricing).',
    "The owner's resource gateway is billed per GB to the owner by default. Who pays the gateway's charges can be",
    'changed per endpoint (EC2 `ModifyVpcEndpointPayerResponsibility`): agree it with the owner; this stack does',
    'not change it.',
  ];
}

function invitation(f: ReadmeFacts): string[] {
  if (!f.accept) return [];
  const when = f.deadline
    ? `**before ${f.deadline}** (${f.hours} hours after the owner shared)`
    : `within **${f.hours} hours** of the owner sharing (ask the owner when that was)`;
  return [
    '',
    '## The invitation, and its deadline',
    '',
    `The owner's RAM share sends your account an invitation. Accept it ${when}: RAM drops an invitation for a VPC`,
    'Lattice resource configuration after 12 hours. Either let the stack accept it (the default), or accept first:',
    '',
    fence(
      f.shareArns
        .map(
          (s) =>
            `aws ram get-resource-share-invitations --region ${f.plan.region} --resource-share-arns ${s.arn}\n` +
            `aws ram accept-resource-share-invitation --region ${f.plan.region} --resource-share-invitation-arn <resourceShareInvitationArn from above>`,
        )
        .join('\n'),
    ),
    '',
    'If the deadline passed (the stack fails with "the invitation is EXPIRED", or no invitation shows), ask the owner',
    'to share again; they run `lattice-share reinvite <config> --account ' +
      f.plan.account.name +
      ' --apply`, which keeps the same',
    'share ARN, so this template needs no change. Then delete the failed stack and create it again.',
  ];
}

function steps(f: ReadmeFacts): string[] {
  return [
    '',
    '## Steps',
    '',
    'In the console: CloudFormation → Create stack → With new resources → Upload a template file → `template.yaml`.',
    'Under "Your network" pick the VPC of your clients, one subnet in each zone listed above (match zones by ID: the',
    'same name is a different zone in another account), and the security group your clients use (up to two more by',
    'ID; each group once: the same group twice makes two equal rules, which EC2 refuses). Leave the values',
    '"From the owner" as they are, acknowledge that the stack creates IAM resources, and create it.',
    '',
    'With the AWS CLI:',
    '',
    fence(f.deployCommand),
    '',
    'Verify from a client in the chosen security group (the names resolve only inside your VPC):',
    '',
    fence(
      f.connect.length
        ? f.connect.map((c) => c.command).join('\n')
        : `aws ec2 describe-vpc-endpoint-associations --region ${f.plan.region} --vpc-endpoint-ids <endpoint ID from the outputs>\nnc -vz <DnsEntry.DnsName from above> <port>`,
    ),
    '',
    "The stack's outputs list the endpoints, the names to use and, for a database, a connection string without its",
    'password: the owner gives you credentials through your usual channel for secrets, never in this kit.',
  ];
}

function closing(f: ReadmeFacts): string[] {
  return [
    '',
    '## What to send back',
    '',
    'Nothing is required: the owner sees your endpoints from their side. For support, send the stack outputs',
    `${f.endpointOutputs.map((o) => `\`${o}\``).join(', ')}.`,
    '',
    '## Removing it',
    '',
    fence(`aws cloudformation delete-stack --region ${f.plan.region} --stack-name ${f.stackName}`),
    '',
    "Deleting the stack removes the endpoints and rules. It does not leave the owner's share: the owner removes your",
    'account from it.',
    ...(f.pending.length
      ? [
          '',
          `**Not filled in yet:** ${f.pending.join(', ')}. The owner writes these once their stacks are deployed; ask for`,
          'a kit made after deployment.',
        ]
      : []),
    '',
  ];
}

export function readmeEn(f: ReadmeFacts): string {
  return [...intro(f), ...creates(f), ...invitation(f), ...steps(f), ...closing(f)].join('\n');
}
