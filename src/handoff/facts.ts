// The kit's facts as its READMEs tell them: one place computes the names, commands and values both languages use.
import { INVITATION_HOURS, type KitPlan, type KitResource } from './plan.js';
import { endpointId } from './template.js';

export interface ReadmeFacts {
  readonly plan: KitPlan;
  readonly party: string;
  readonly stackName: string;
  readonly owners: string;
  readonly resources: {
    readonly name: string;
    readonly what: string;
    readonly ports: string;
    readonly zones: string;
  }[];
  /** Names to connect to with private DNS, each with its client command; a placeholder where the owner knows it. */
  readonly connect: {
    readonly label: string;
    readonly host: string;
    readonly port: number;
    readonly command: string;
  }[];
  readonly accept: boolean;
  readonly shareArns: { readonly name: string; readonly arn: string }[];
  readonly deadline?: string;
  readonly hours: number;
  readonly endpointOutputs: string[];
  readonly deployCommand: string;
  readonly pending: string[];
  /** The file the README in the other language is in. */
  readonly otherReadme: string;
}

const orPlaceholder = (value: { value?: string; parameter: string }) => value.value ?? `<${value.parameter}>`;

function what(r: KitResource): string {
  if (r.engine) return r.engine === 'aurora-mysql' ? 'Aurora MySQL' : 'Aurora PostgreSQL';
  return r.kind === 'group' ? 'TCP services (a group)' : 'a TCP service';
}

function connectCommand(r: KitResource, host: string, port: number): string {
  const db = r.database;
  if (db?.scheme === 'postgresql')
    return `psql "postgresql://${db.user}@${host}:${port}/${db.name}?sslmode=require" -c 'select 1'`;
  if (db?.scheme === 'mysql')
    return `mysql -h ${host} -P ${port} -u ${db.user} -p --ssl-mode=REQUIRED -e 'select 1' ${db.name}`;
  return `nc -vz ${host} ${port}`;
}

function connections(plan: KitPlan): ReadmeFacts['connect'] {
  return plan.resources.flatMap((r) =>
    r.names.map((n) => {
      const host = typeof n.name === 'string' ? n.name : orPlaceholder(n.name);
      return {
        label: `${r.name}${n.role ? ` (${n.role})` : ''}`,
        host,
        port: n.port,
        command: connectCommand(r, host, n.port),
      };
    }),
  );
}

export function readmeFacts(plan: KitPlan, otherReadme: string): ReadmeFacts {
  const stackName = `${plan.app}-lattice-${plan.account.name}`;
  const accept = plan.shares.some((s) => s.accept);
  return {
    plan,
    party: plan.account.operatedBy?.party ?? `account ${plan.account.name}`,
    stackName,
    owners: [...new Set(plan.shares.map((s) => s.ownerAccountId))].join(', '),
    resources: plan.resources.map((r) => ({
      name: r.name,
      what: what(r),
      ports: r.ports.join(', '),
      zones: r.zones.map((z) => (z.id ? `${z.id} (${z.name})` : z.name)).join(', '),
    })),
    connect: connections(plan),
    accept,
    shareArns: plan.shares.filter((s) => s.accept).map((s) => ({ name: s.name, arn: orPlaceholder(s.arn) })),
    ...(plan.deadline ? { deadline: plan.deadline } : {}),
    hours: INVITATION_HOURS,
    endpointOutputs: plan.resources.flatMap((r) => r.configurations.map((c) => `${endpointId(r.name, c.part)}Id`)),
    deployCommand: [
      `aws cloudformation deploy --region ${plan.region} --stack-name ${stackName} \\`,
      '  --template-file template.yaml --capabilities CAPABILITY_IAM \\',
      '  --parameter-overrides VpcId=vpc-… SubnetIds=subnet-…,subnet-… ClientSecurityGroupId=sg-…',
    ].join('\n'),
    pending: plan.pending,
    otherReadme,
  };
}
