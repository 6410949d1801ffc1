// The `doctor` command: check on what is deployed, read from the accounts with read-only calls.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { EXIT, note, say, sayJson, sayLines, UsageError } from '../output.js';
import { JSON_OPT, config, modelOf, oneOf, type Command, type Opts } from './common.js';
import { chain } from '../../shared/index.js';
import { callsFor, doctorPolicy, type Side } from '../../model/live/policy.js';
import type { Topology } from '../../config/index.js';
import type { InfraModel } from '../../model/index.js';
import type { AccountFacts, LiveModel, LiveTarget } from '../../model/live/index.js';

/** Every call doctor makes, for tests and the policy (src/model/live/policy.ts says which side needs each). */
export const DOCTOR_ACTIONS = callsFor();

const ACCOUNT_ID = /^\d{12}$/;

/** Whether any credential source is set up that needs no network to find (no instance metadata is asked). */
function credentialsGiven(opts: Opts): boolean {
  const env = process.env;
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return true;
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) return true;
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) return true;
  const files = [
    env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), '.aws', 'credentials'),
    env.AWS_CONFIG_FILE ?? join(homedir(), '.aws', 'config'),
  ];
  const profiles = !!env.AWS_PROFILE || ((opts.profile as string[] | undefined) ?? []).length > 0;
  return profiles && files.some((file) => existsSync(file));
}

/**
 * Each account's sides of the shares, from a config: an owner holds resources, owns shares or a service network; a
 * consumer has consumers, workloads or callers, or accepts shares into its service network.
 */
export function sidesOf(t: Topology): Map<string, Set<Side>> {
  const out = new Map<string, Set<Side>>();
  const idOf = (account: string) => t.accounts.find((a) => a.name === account || a.id === account)?.id ?? account;
  const add = (account: string | undefined, side: Side) => {
    if (account === undefined) return;
    const id = idOf(account);
    out.set(id, (out.get(id) ?? new Set()).add(side));
  };
  const networkAccount = (name: string) => t.networks.find((n) => n.name === name)?.account;
  for (const r of t.resources) add(networkAccount(r.network), 'owner');
  for (const share of t.shares) add(share.owner, 'owner');
  for (const sn of t.serviceNetworks) {
    add(sn.account, 'owner');
    if (sn.acceptShares.length) add(sn.account, 'consumer');
  }
  for (const c of [...t.consumers, ...t.workloads]) add(networkAccount(c.network), 'consumer');
  for (const c of t.callers) add(c.account, 'consumer');
  return out;
}

/** The accounts and Region to read: --accounts with --region (or AWS_REGION), or a config's. */
async function targetsOf(opts: Opts): Promise<{
  targets: LiveTarget[];
  accounts: Record<string, AccountFacts>;
}> {
  if (typeof opts.config === 'string') {
    const t = (await config()).loadConfig(opts.config);
    const sides = sidesOf(t);
    const accounts = Object.fromEntries(
      t.accounts.map((a) => [
        a.id,
        {
          inOrganization: a.inOrganization,
          ...(a.organizationalUnit ? { organizationalUnit: a.organizationalUnit } : {}),
          ...(a.operatedBy ? { party: a.operatedBy.party } : {}),
          ...(sides.get(a.id)?.size ? { sides: [...(sides.get(a.id) ?? [])] } : {}),
        },
      ]),
    );
    return { targets: t.accounts.map((a) => ({ account: a.id, region: t.region })), accounts };
  }
  const region = (opts.region as string | undefined) ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (typeof opts.accounts !== 'string')
    throw new UsageError('doctor needs --accounts 111111111111,222222222222 or --config lattice-share.yaml');
  if (!region) throw new UsageError('doctor needs a Region: --region us-east-1 (or AWS_REGION)');
  const ids = opts.accounts.split(',').map((x) => x.trim());
  const bad = ids.find((id) => !ACCOUNT_ID.test(id));
  if (bad !== undefined)
    throw new UsageError(`--accounts takes 12-digit account IDs separated by commas, not "${bad}"`);
  return { targets: ids.map((account) => ({ account, region })), accounts: {} };
}

/** --profile ACCOUNT=PROFILE, each checked. */
function profilesOf(opts: Opts): Record<string, string> {
  const out: Record<string, string> = {};
  for (const given of (opts.profile as string[] | undefined) ?? []) {
    const [, account, profile] = /^(\d{12})=([\w.+@-]{1,64})$/.exec(given) ?? [];
    if (!account || !profile)
      throw new UsageError(`--profile takes ACCOUNT=PROFILE (e.g. 111111111111=owner-read), not "${given}"`);
    out[account] = profile;
  }
  return out;
}

/** --profile and --role, checked before anything is read. */
function credentialOptions(opts: Opts): { profiles: Record<string, string>; role?: string } {
  const role = opts.role as string | undefined;
  if (role !== undefined && !/^[\w+=,.@/-]{1,64}$/.test(role))
    throw new UsageError(`--role takes a role name, not "${role}"`);
  return { profiles: profilesOf(opts), ...(role ? { role } : {}) };
}

async function clientsFactory({ profiles, role }: { profiles: Record<string, string>; role?: string }) {
  const [ec2, rds, ram, lattice, events, sfn, route53, cloudformation] = await Promise.all([
    import('@aws-sdk/client-ec2'),
    import('@aws-sdk/client-rds'),
    import('@aws-sdk/client-ram'),
    import('@aws-sdk/client-vpc-lattice'),
    import('@aws-sdk/client-eventbridge'),
    import('@aws-sdk/client-sfn'),
    import('@aws-sdk/client-route-53'),
    import('@aws-sdk/client-cloudformation'),
  ]);
  const providers = await import('@aws-sdk/credential-providers');
  const env = process.env;
  return (target: LiveTarget) => {
    const profile = profiles[target.account];
    // Never the instance metadata service: only what the user gave (environment, profiles, a web identity token file
    // or a container's credentials endpoint when their variables are set, a role to assume).
    const given = providers.createCredentialChain(
      providers.fromEnv(),
      providers.fromIni(),
      ...(env.AWS_WEB_IDENTITY_TOKEN_FILE ? [providers.fromTokenFile()] : []),
      // fromHttp reads the container endpoint as ECS and EKS Pod Identity give it (with its authorization token).
      ...(env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
        ? [providers.fromHttp()]
        : []),
    );
    const credentials = profile
      ? providers.fromIni({ profile })
      : role
        ? providers.fromTemporaryCredentials({
            masterCredentials: given,
            params: { RoleArn: `arn:aws:iam::${target.account}:role/${role}`, RoleSessionName: 'lattice-share-doctor' },
          })
        : given;
    // A call that hangs ends: 3 s to connect, 20 s to answer; the SDK retries 5xx and timeouts (Calls, throttling).
    const requestHandler = { connectionTimeout: 3000, requestTimeout: 20_000, throwOnRequestTimeout: true };
    const settings = { region: target.region, credentials, requestHandler, maxAttempts: 3 };
    return {
      ec2: new ec2.EC2Client(settings),
      rds: new rds.RDSClient(settings),
      ram: new ram.RAMClient(settings),
      lattice: new lattice.VPCLatticeClient(settings),
      events: new events.EventBridgeClient(settings),
      sfn: new sfn.SFNClient(settings),
      route53: new route53.Route53Client(settings),
      cloudformation: new cloudformation.CloudFormationClient(settings),
    };
  };
}

/** --print-policy: both sides' policies, or with --side one of them, as a policy document. */
function policyOf(side: unknown) {
  if (side === undefined) return { owner: doctorPolicy(['owner']), consumer: doctorPolicy(['consumer']) };
  return doctorPolicy([oneOf<Side>('side', side, ['owner', 'consumer'], 'owner')]); // given: 'owner' is never the fallback
}

/** check on what was read, and with --against the drift; exit 1 when either finds something, or a call failed. */
async function report(opts: Opts, live: LiveModel, templates: InfraModel | undefined): Promise<number> {
  const { check, reportLines } = await import('../../check/index.js');
  const result = check(live.model, { expect: (opts.expect as string[] | undefined) ?? [] });
  const { drift, renderDrift } = await import('../../drift/index.js');
  const drifted = templates ? drift(templates, live.model, live.stackResources) : undefined;
  if (opts.json) await sayJson({ ...result, live: { calls: live.calls, problems: live.problems }, drift: drifted });
  // The human answer: check's lines, then the drift when --against read the templates.
  else await sayLines(drifted ? chain(reportLines(result), ['', renderDrift(drifted)]) : reportLines(result));
  return result.ok && live.problems.length === 0 && !drifted?.length ? EXIT.ok : EXIT.failed;
}

/** --against: the templates' model, and its stacks in the accounts read (CloudFormation lists their resources). */
async function againstOf(opts: Opts, targets: LiveTarget[]) {
  if (typeof opts.against !== 'string') return undefined;
  const { model } = await modelOf([opts.against], {});
  const read = new Set(targets.map((t) => t.account));
  const stacks: Record<string, string[]> = {};
  for (const s of model.stacks) if (read.has(s.account) && !s.standInFor) (stacks[s.account] ??= []).push(s.name);
  if (!Object.keys(stacks).length)
    throw new UsageError(
      `--against ${opts.against}: none of its stacks is in the accounts read (${[...read].join(', ')})`,
    );
  return { model, stacks };
}

/** Endpoints the owners see on their configurations in accounts doctor did not read: what to read next. */
function unreadConsumers(model: InfraModel, targets: LiveTarget[]): string[] {
  const read = new Set(targets.map((t) => t.account));
  return (model.seenEndpoints ?? [])
    .filter((seen) => !read.has(seen.account))
    .map(
      (seen) =>
        `lattice-share: endpoint ${seen.endpointId} of account ${seen.account} (not read) uses ${seen.configurationArn}: add --accounts ${seen.account} to follow its clients`,
    );
}

export const doctorCommand: Command = {
  usage:
    'lattice-share doctor [--accounts A,B --region R | --config C] [--profile ACCOUNT=PROFILE]… [--role NAME] [--expect "A -> B"]… [--against CONFIG|ASSEMBLY] [--save FILE] [--print-policy [--side owner|consumer]] [--json]',
  summary: 'check what is deployed: read the accounts with read-only calls and follow every path hop by hop',
  options: {
    accounts: { type: 'string', help: 'account IDs to read, separated by commas' },
    config: { type: 'string', help: 'a lattice-share.yaml: its accounts, Region and organization facts' },
    region: { type: 'string', help: 'the Region to read (default: AWS_REGION)' },
    profile: { type: 'string', multiple: true, help: 'ACCOUNT=PROFILE: the named profile for an account (repeatable)' },
    role: { type: 'string', help: 'a role name to assume in each account from your credentials (read-only)' },
    expect: { type: 'string', multiple: true, help: '"CLIENT -> TARGET[:PORT]" must reach (repeatable)' },
    save: { type: 'string', help: 'write what was read to FILE (no secrets): check FILE reads it again' },
    against: {
      type: 'string',
      help: 'a config, cloud assembly or template files: report what is deployed differently (drift)',
    },
    'print-policy': {
      type: 'boolean',
      help: "print the read-only IAM policies doctor needs: an owner account's and a consumer account's",
    },
    side: { type: 'string', help: 'with --print-policy: owner or consumer, to print that policy alone' },
    json: JSON_OPT,
  },
  async run(args, opts) {
    if (args.length) throw new UsageError(`doctor takes no arguments, got ${args.join(' ')}`);
    if (opts['print-policy']) {
      say(JSON.stringify(policyOf(opts.side), null, 2));
      return EXIT.ok;
    }
    const { targets, accounts } = await targetsOf(opts);
    const credentials = credentialOptions(opts);
    if (!credentialsGiven(opts))
      throw new UsageError(
        'doctor needs AWS credentials: set AWS_PROFILE, give --profile ACCOUNT=PROFILE, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (the policy: lattice-share doctor --print-policy)',
      );
    const against = await againstOf(opts, targets);
    const { readLive, snapshotOf } = await import('../../model/live/index.js');
    note(`lattice-share: reading ${targets.length} account(s) in ${targets[0]?.region ?? '?'} (read-only calls) …`);
    const live = await readLive(targets, await clientsFactory(credentials), { accounts, stacks: against?.stacks });
    for (const p of live.problems)
      note(`lattice-share: warning: account ${p.account} (${p.region}): ${p.call} failed: ${p.message}`);
    if (typeof opts.save === 'string') {
      const { writeOwnFile } = await import('../../shared/files.js');
      // The network's layout is no secret but no one else's business either: 0600.
      const why = writeOwnFile(opts.save, `${JSON.stringify(snapshotOf(live, targets, new Date()), null, 2)}\n`, 0o600);
      if (why) throw new UsageError(`--save ${opts.save}: ${why}`);
    }
    for (const line of unreadConsumers(live.model, targets)) note(line);
    return report(opts, live, against?.model);
  },
};
