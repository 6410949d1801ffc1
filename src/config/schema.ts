// The shape of lattice-share.yaml, checked key by key. Cross-references are checked in resolve.ts.
import { z } from 'zod';
import { cidrBounds, intToIp } from '../shared/index.js';
import { ZONE_NAME, zoneIdsSchema } from '../shared/zones.js';

const NAME = /^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$/;
const name = (what: string) =>
  z.string().regex(NAME, {
    message: `${what} names use a-z, 0-9 and "-", start with a letter, end with a letter or digit, at most 32 characters`,
  });
/** Names that become VPC Lattice names too (configurations, service networks): 3 or more characters, no "--". */
const latticeName = (what: string) =>
  z.string().regex(/^[a-z](?!.*--)[a-z0-9-]{1,30}[a-z0-9]$/, {
    message: `${what} names become VPC Lattice names: 3-32 characters of a-z, 0-9 and single "-", starting with a letter, ending with a letter or digit`,
  });
const ref = (what: string) => z.string({ invalid_type_error: `expected the name of a ${what}` });

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const CIDR4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const DOMAIN = /^(?=.{3,255}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i;
const PORT_RANGE = /^(\d{1,5})(-(\d{1,5}))?$/;

const octetsOk = (parts: string[]) => parts.every((p) => Number(p) <= 255);
/** The range's own network address: the CIDR with its host bits cleared. */
const networkOf = (cidr: string): string => `${intToIp(cidrBounds(cidr)[0])}/${cidr.split('/')[1]}`;
const cidr = z.string().superRefine((s, ctx) => {
  const m = CIDR4.exec(s);
  if (!m || !octetsOk(m.slice(1, 5)) || Number(m[5]) < 16 || Number(m[5]) > 28) {
    ctx.addIssue({ code: 'custom', message: 'expected an IPv4 CIDR from /16 to /28, e.g. 10.0.0.0/16' });
    return;
  }
  // AWS refuses a range whose address has host bits set ("10.0.0.1/16"): it is not the start of a block.
  const network = networkOf(s);
  if (network !== s)
    ctx.addIssue({
      code: 'custom',
      message: `write ${network}: ${s} has host bits set, and AWS takes only the first address of the range`,
    });
});
const ipv4 = z.string().refine((s) => {
  const m = IPV4.exec(s);
  return !!m && octetsOk(m.slice(1, 5));
}, 'expected an IPv4 address, e.g. 10.0.5.10');
const domain = z.string().regex(DOMAIN, 'expected a DNS name, e.g. db.internal.example.com');
const portRange = z
  .union([z.number().int(), z.string()])
  .transform((v) => String(v))
  .refine((s) => {
    const m = PORT_RANGE.exec(s);
    if (!m) return false;
    const lo = Number(m[1]);
    const hi = m[3] === undefined ? lo : Number(m[3]);
    return lo >= 1 && hi <= 65535 && lo <= hi;
  }, 'expected a port (5432) or a range ("8000-8010") within 1-65535');
const port = z.number().int().min(1).max(65535);

const account = z
  .object({
    id: z
      .string({ invalid_type_error: 'account IDs are strings: quote them, e.g. id: "111111111111"' })
      .regex(ACCOUNT_ID, 'expected a 12-digit AWS account ID, quoted: "111111111111"'),
    inOrganization: z.boolean().default(false),
    organizationalUnit: z
      .string()
      .regex(/^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/, 'expected an OU ID such as ou-ab12-cdef3456')
      .optional(),
    /** Run by another party (a partner company): lattice-share never deploys there; its stacks are handed over. */
    operatedBy: z
      .object({
        party: z.string().min(1, 'name the party that runs the account').max(100),
        contact: z.string().max(200).optional(),
      })
      .strict()
      .optional(),
    /** Zone name → zone ID in this account (DescribeAvailabilityZones): check compares zones across accounts by ID. */
    zoneIds: zoneIdsSchema.optional(),
  })
  .strict();

// One shape for new and imported networks: `vpcId` decides which rules apply (see resolve/networks.ts).
const network = z
  .object({
    account: ref('account'),
    cidr,
    azs: z.number().int().min(1).max(6).optional(),
    availabilityZones: z
      .array(z.string().regex(ZONE_NAME, 'expected an availability zone such as us-east-1a'))
      .min(1)
      .optional(),
    subnetMask: z.number().int().min(20).max(28).optional(),
    vpcId: z
      .string()
      .regex(/^vpc-[0-9a-f]{8,17}$/, 'expected a VPC ID such as vpc-0123456789abcdef0')
      .optional(),
    subnets: z
      .array(
        z
          .object({
            id: z.string().regex(/^subnet-[0-9a-f]{8,17}$/, 'expected a subnet ID such as subnet-0123456789abcdef0'),
            az: z.string().regex(ZONE_NAME, 'expected an availability zone such as us-east-1a'),
            cidr,
          })
          .strict(),
      )
      .min(1, 'list at least one subnet')
      .optional(),
    dnsSupport: z.boolean().optional(),
  })
  .strict();

const importedDatabase = z
  .object({
    arn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:cluster:[a-z][a-z0-9-]*$/,
        'expected an RDS cluster ARN: arn:aws:rds:<region>:<account>:cluster:<id>',
      ),
    writerEndpoint: domain,
    readerEndpoint: domain.optional(),
    securityGroupIds: z
      .array(z.string().regex(/^sg-[0-9a-f]{8,17}$/, 'expected a security group ID such as sg-0123456789abcdef0'))
      .min(1),
  })
  .strict();

const createdDatabase = z
  .object({
    engineVersion: z
      .string()
      .regex(/^\d+\.\d+(\.\d+)?$/, 'expected an engine version such as "16.6"')
      .optional(),
    instanceType: z
      .string()
      .regex(/^[a-z0-9]+\.[a-z0-9]+$/, 'expected an instance type such as t4g.medium')
      .default('t4g.medium'),
    readers: z.number().int().min(0).max(15).default(0),
    databaseName: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,62}$/, 'expected a database name: a-z, 0-9, _')
      .default('app'),
    username: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,15}$/, 'expected a user name: a-z, 0-9, _, up to 16 characters')
      .default('app_admin'),
    deletionProtection: z.boolean().default(true),
  })
  .strict();

/**
 * A resource another account owns and shares with us: known by its configuration ARN, with what its owner told us.
 * https://docs.aws.amazon.com/vpc-lattice/latest/ug/resource-configuration.html
 */
const sharedBy = z
  .object({
    account: ref('account'),
    configurationArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:vpc-lattice:[a-z0-9-]+:\d{12}:resourceconfiguration\/rcfg-[0-9a-z]{1,32}$/,
        'expected a resource configuration ARN: arn:aws:vpc-lattice:<region>:<account>:resourceconfiguration/rcfg-…',
      ),
    /** Given when our account accepts an invitation (outside the owner's organization). */
    shareArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:ram:[a-z0-9-]+:\d{12}:resource-share\/[A-Za-z0-9-]{1,64}$/,
        'expected a RAM share ARN: arn:aws:ram:<region>:<account>:resource-share/…',
      )
      .optional(),
    /** An ARN-type database's own names (the cluster's writer and reader endpoints), as the owner told us. */
    names: z.object({ writer: domain, reader: domain.optional() }).strict().optional(),
  })
  .strict();

const database = z
  .object({
    type: z.enum(['aurora-postgresql', 'aurora-mysql']),
    network: ref('network').optional(),
    sharedBy: sharedBy.optional(),
    expose: z.enum(['arn', 'dns']).default('arn'),
    port: port.optional(),
    create: createdDatabase.optional(),
    import: importedDatabase.optional(),
    customDomains: z.object({ writer: domain, reader: domain.optional() }).strict().optional(),
  })
  .strict();

const target = z.object({ dns: domain.optional(), ip: ipv4.optional() }).strict();

const tcp = z
  .object({
    type: z.literal('tcp'),
    network: ref('network').optional(),
    sharedBy: sharedBy.optional(),
    target: target.optional(),
    ports: z.array(portRange).min(1, 'list at least one port or port range'),
    customDomain: domain.optional(),
    securityGroupIds: z
      .array(z.string().regex(/^sg-[0-9a-f]{8,17}$/, 'expected a security group ID such as sg-0123456789abcdef0'))
      .optional(),
  })
  .strict();

const group = z
  .object({
    type: z.literal('group'),
    network: ref('network'),
    ports: z.array(portRange).min(1, 'list at least one port or port range'),
    groupDomain: domain.optional(),
    securityGroupIds: z
      .array(z.string().regex(/^sg-[0-9a-f]{8,17}$/, 'expected a security group ID such as sg-0123456789abcdef0'))
      .optional(),
    members: z
      .record(
        name('member'),
        z.object({ target, customDomain: domain.optional(), ports: z.array(portRange).min(1).optional() }).strict(),
      )
      .refine((m) => Object.keys(m).length > 0, 'a group needs at least one member'),
  })
  .strict();

const SG_IDS = z.array(
  z.string().regex(/^sg-[0-9a-f]{8,17}$/, 'expected a security group ID such as sg-0123456789abcdef0'),
);

const https = z
  .object({
    type: z.literal('https'),
    network: ref('network'),
    /** The API's name: what callers put in the URL and what its certificate carries. */
    domain,
    port: port.default(443),
    customDomain: domain.optional(),
    /** A demo API server (an EC2 instance) with a record for `domain` in a public hosted zone. */
    server: z
      .object({
        instanceType: z
          .string()
          .regex(/^[a-z0-9]+\.[a-z0-9]+$/, 'expected an instance type such as t4g.small')
          .default('t4g.small'),
        hostedZoneId: z
          .string()
          .regex(/^Z[A-Z0-9]{1,31}$/, 'expected a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ'),
      })
      .strict()
      .optional(),
    securityGroupIds: SG_IDS.optional(),
  })
  .strict();

const RESOURCE_TYPES = ['aurora-postgresql', 'aurora-mysql', 'tcp', 'group', 'https'] as const;
const resource = z.discriminatedUnion(
  'type',
  [
    database.extend({ type: z.literal('aurora-postgresql') }),
    database.extend({ type: z.literal('aurora-mysql') }),
    tcp,
    group,
    https,
  ],
  {
    errorMap: (issue, ctx) =>
      issue.code === 'invalid_union_discriminator'
        ? { message: `resource type must be one of ${RESOURCE_TYPES.join(', ')}` }
        : { message: ctx.defaultError },
  },
);

const share = z
  .object({
    resources: z.array(ref('resource')).min(1, 'list at least one resource to share'),
    with: z.array(z.string()).min(1, 'list at least one principal: an account name, an OU ID, or "organization"'),
    allowExternalPrincipals: z.boolean().optional(),
  })
  .strict();

const serviceNetwork = z
  .object({
    account: ref('account'),
    resources: z.array(ref('resource')).min(1, 'list at least one resource the network carries'),
    /** Private DNS on each resource association: the resources' own names work through the network. */
    privateDns: z.boolean().default(true),
    with: z.array(z.string()).default([]),
    allowExternalPrincipals: z.boolean().optional(),
  })
  .strict();

const consumer = z
  .object({
    network: ref('network'),
    resource: ref('resource').optional(),
    serviceNetwork: ref('service network').optional(),
    via: z.enum(['endpoint', 'association']).optional(),
    privateDns: z.boolean().default(true),
    clients: z
      .object({
        workloads: z.array(ref('workload')).default([]),
        securityGroupIds: z
          .array(z.string().regex(/^sg-[0-9a-f]{8,17}$/, 'expected a security group ID such as sg-0123456789abcdef0'))
          .default([]),
      })
      .strict(),
  })
  .strict();

const caller = z
  .object({
    account: ref('account'),
    resource: ref('resource'),
    via: z
      .array(z.enum(['eventbridge', 'stepfunctions']))
      .min(1)
      .default(['eventbridge']),
    path: z
      .string()
      .regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/, 'expected a URL path such as /orders')
      .default('/'),
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
    apiKey: z
      .object({
        header: z
          .string()
          .regex(/^[A-Za-z0-9-]{1,64}$/, 'expected an HTTP header name such as x-api-key')
          .default('x-api-key'),
        secretName: z
          .string()
          .regex(/^[A-Za-z0-9/_+=.@-]{1,512}$/, 'expected a Secrets Manager secret name such as orders/api-key'),
      })
      .strict(),
  })
  .strict();

const workload = z
  .object({
    network: ref('network'),
    instanceType: z
      .string()
      .regex(/^[a-z0-9]+\.[a-z0-9]+$/, 'expected an instance type such as t3.micro')
      .default('t3.micro'),
  })
  .strict();

export const configSchema = z
  .object({
    version: z.literal(1, { errorMap: () => ({ message: 'version must be 1' }) }),
    name: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9]{0,39}$/, 'expected a stack-name prefix: a letter, then letters and digits, up to 40')
      .default('LatticeShare'),
    region: z.string().regex(REGION, 'expected an AWS Region such as us-east-1'),
    organization: z
      .object({
        id: z.string().regex(/^o-[a-z0-9]{10,32}$/, 'expected an organization ID such as o-abc123def4'),
        managementAccount: z.string().regex(ACCOUNT_ID, 'expected a 12-digit AWS account ID, quoted'),
      })
      .strict()
      .optional(),
    accounts: z.record(name('account'), account),
    networks: z.record(name('network'), network),
    resources: z.record(latticeName('resource'), resource),
    shares: z.record(name('share'), share).default({}),
    serviceNetworks: z.record(latticeName('service network'), serviceNetwork).default({}),
    consumers: z.record(name('consumer'), consumer).default({}),
    callers: z.record(name('caller'), caller).default({}),
    workloads: z.record(name('workload'), workload).default({}),
  })
  .strict();

export type RawConfig = z.infer<typeof configSchema>;
