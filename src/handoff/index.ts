// Entry point of the handoff box: what a partner company gets for an account lattice-share does not deploy to.
// `planKit` (topology + deployed outputs → what the account receives), `kitFiles` (→ template.yaml, the READMEs,
// kit.json), `writeKit` (into a folder the user names, refusing one that holds anything else).
import { closeSync, constants, existsSync, lstatSync, mkdirSync, openSync, readdirSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readmeFacts } from './facts.js';
import { HandoffError, INVITATION_HOURS, type KitPlan } from './plan.js';
import { readmeEn } from './readme-en.js';
import { readmeJa } from './readme-ja.js';
import { CLIENT_GROUP_SLOTS, kitTemplate } from './template.js';
import { templateYaml } from './yaml.js';

export { ACCEPT_INVITATION_CODE, ZIPFILE_LIMIT } from './accept-code.js';
export {
  HandoffError,
  INVITATION_HOURS,
  planKit,
  sharesReaching,
  type KitPlan,
  type KitResource,
  type StackOutputs,
} from './plan.js';
export { kitTemplate, endpointId, acceptanceId, CLIENT_GROUP_SLOTS } from './template.js';
export { templateYaml } from './yaml.js';

/** CloudFormation takes a template body from a file of at most this many bytes without an S3 bucket (quotas). */
export const TEMPLATE_BODY_LIMIT = 51_200;

export type KitLanguage = 'en' | 'ja';
export const KIT_FILES = ['template.yaml', 'README.md', 'README.en.md', 'README.ja.md', 'kit.json'] as const;

/** A kit's files by name: the template, README.md, the README of the other language, kit.json. */
export interface KitFileSet {
  readonly 'template.yaml': string;
  readonly 'README.md': string;
  readonly 'kit.json': string;
  readonly [file: string]: string;
}

/** The kit's files by name: the template, README.md in `lang` and the other language beside it, kit.json. */
export function kitFiles(plan: KitPlan, lang: KitLanguage = 'en'): KitFileSet {
  const template = templateYaml(kitTemplate(plan));
  const other = lang === 'en' ? 'README.ja.md' : 'README.en.md';
  // Each README names the file of the other language: README.md is in `lang`.
  const en = readmeEn(readmeFacts(plan, lang === 'en' ? other : 'README.md'));
  const ja = readmeJa(readmeFacts(plan, lang === 'ja' ? other : 'README.md'));
  const [main, second] = lang === 'en' ? [en, ja] : [ja, en];
  return {
    'template.yaml': template,
    'README.md': main,
    [other]: second,
    'kit.json': `${JSON.stringify(kitJson(plan, Buffer.byteLength(template)), null, 2)}\n`,
  };
}

/** kit.json: the kit's facts for machines. */
function kitJson(plan: KitPlan, templateBytes: number): Record<string, unknown> {
  const known = (v: { value?: string; parameter: string }) => ({ parameter: v.parameter, value: v.value ?? null });
  return {
    kind: 'lattice-share-kit',
    version: 1,
    app: plan.app,
    region: plan.region,
    account: { name: plan.account.name, id: plan.account.id, operatedBy: plan.account.operatedBy ?? null },
    shares: plan.shares.map((s) => ({ name: s.name, owner: s.ownerAccountId, arn: known(s.arn), accept: s.accept })),
    resources: plan.resources.map((r) => ({
      name: r.name,
      kind: r.kind,
      engine: r.engine ?? null,
      ports: r.ports,
      zones: r.zones.map((z) => ({ name: z.name, id: z.id ?? null })),
      configurations: r.configurations.map((c) => ({ part: c.part || null, arn: known(c.arn) })),
      names: r.names.map((n) => ({
        role: n.role || null,
        port: n.port,
        ...(typeof n.name === 'string'
          ? { name: n.name }
          : { name: n.name.value ?? null, parameter: n.name.parameter }),
      })),
      database: r.database ?? null,
    })),
    invitation: { hours: INVITATION_HOURS, deadline: plan.deadline ?? null },
    template: {
      file: 'template.yaml',
      bytes: templateBytes,
      yourParameters: ['VpcId', 'SubnetIds', 'ClientSecurityGroupId', 'PrivateDns'],
      clientGroupSlots: CLIENT_GROUP_SLOTS,
    },
    pending: plan.pending,
  };
}

/**
 * Writes the files into `dir` (made if missing). A folder that holds anything but a kit is refused, and no file is
 * written through a link: the kit never overwrites what it did not write.
 */
export function writeKit(dir: string, files: Record<string, string>): string {
  const target = resolve(dir);
  if (existsSync(target)) {
    if (!lstatSync(target).isDirectory())
      throw new HandoffError(`${target} is not a folder: give --out a new or empty folder`);
    const foreign = readdirSync(target).filter((name) => !(KIT_FILES as readonly string[]).includes(name));
    if (foreign.length)
      throw new HandoffError(
        `${target} holds ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}, which a kit does not: give --out a new or empty folder`,
      );
  } else mkdirSync(target, { recursive: true, mode: 0o755 });
  for (const [name, text] of Object.entries(files)) {
    const path = join(target, name);
    if (existsSync(path) && !lstatSync(path).isFile())
      throw new HandoffError(`${path} is not a plain file: remove it or give --out another folder`);
    const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644);
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
  }
  return target;
}
export { readOutputsFile } from './outputs.js';
export { afterDeploy, type KitWritten } from './after-deploy.js';
export { applyReinvite, reinviteSteps, type RamCalls, type RamCommands, type ReinviteStep } from './reinvite.js';
