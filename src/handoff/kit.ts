// The kit's files: template.yaml, README.md in the chosen language and the other language's README, kit.json.
import { readmeFacts } from './facts.js';
import { INVITATION_HOURS, type KitPlan } from './plan.js';
import { readmeEn } from './readme-en.js';
import { readmeJa } from './readme-ja.js';
import { CLIENT_GROUP_SLOTS, kitTemplate } from './template.js';
import { templateYaml } from './yaml.js';

export type KitLanguage = 'en' | 'ja';
/** Every file a kit may hold (README.en.md when README.md is Japanese). */
export const KIT_FILES = ['template.yaml', 'README.md', 'README.en.md', 'README.ja.md', 'kit.json'] as const;
/** kit.json's `kind`: how a folder is known to be a kit. */
export const KIT_KIND = 'lattice-share-kit';

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
    kind: KIT_KIND,
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
