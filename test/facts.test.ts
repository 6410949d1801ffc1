// The facts file (--facts): what templates cannot hold, read with one clear line for what is wrong, and what each fact
// changes in the model and in check's hops.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readFactsFile, readStacksFile } from '../src/assembly/index.js';
import { buildModel } from '../src/model/index.js';
import { repo } from './support/synth.js';

const bin = join(repo, 'dist', 'src', 'cli', 'main.js');
const seedPartner = join(repo, 'test', 'fixtures', 'third-party', 'seed-partner');
const work = mkdtempSync(join(tmpdir(), 'ls-facts-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The partner fixture in a folder of its own, with its acceptance removed and this facts file. */
function partnerWith(facts: string): string {
  const dir = mkdtempSync(join(work, 'partner-'));
  cpSync(seedPartner, dir, { recursive: true });
  const partner = readFileSync(join(dir, 'partner.yaml'), 'utf8');
  writeFileSync(
    join(dir, 'partner.yaml'),
    partner.replace(/ram\.accept_resource_share_invitation\([^)]*\)/s, 'print(invitation)'),
  );
  writeFileSync(join(dir, 'facts.yaml'), facts);
  return dir;
}
const ZONES = `  "111111111111":\n    zones: { us-east-1a: use1-az4, us-east-1b: use1-az6 }\n`;
type Hop = { hop: string; status: string; reason?: string; detail: string };
function shareHops(dir: string): { status: number | null; hops: Hop[]; stderr: string } {
  const r = spawnSync(process.execPath, [bin, 'check', 'stacks.yaml', '--facts', 'facts.yaml', '--json'], {
    cwd: dir,
    encoding: 'utf8',
  });
  const report = JSON.parse(r.stdout || '{"flows":[]}') as { flows: { attempts: { hops: Hop[] }[] }[] };
  const hops = report.flows.flatMap((f) => f.attempts.flatMap((a) => a.hops.filter((h) => h.hop === 'share')));
  return { status: r.status, hops, stderr: r.stderr };
}
const shareArn = () => buildModel(readStacksFile(join(seedPartner, 'stacks.yaml'))).shares[0]?.arn ?? '';

describe('the facts file', () => {
  it('an invitation accepted outside the templates: the share hop passes and says the facts file says so', () => {
    const dir = partnerWith(
      `version: 1\naccounts:\n${ZONES}invitationsAccepted:\n  - { account: "222222222222", share: ${shareArn()} }\n`,
    );
    const { status, hops, stderr } = shareHops(dir);
    assert.equal(status, 0, stderr);
    assert.ok(hops.length > 0);
    for (const hop of hops)
      assert.match(hop.detail, /inferred from the facts file facts\.yaml \(invitationsAccepted\[0\]\)/);
  });

  it('an account in the organization needs no invitation; without the fact, the invitation is missing', () => {
    const inside = shareHops(partnerWith(`version: 1\naccounts:\n${ZONES}  "222222222222": { organization: true }\n`));
    assert.ok(inside.hops.length > 0 && inside.hops.every((h) => h.status === 'pass'), inside.stderr);
    const outside = shareHops(partnerWith(`version: 1\naccounts:\n${ZONES}`));
    assert.deepEqual([...new Set(outside.hops.map((h) => h.reason))], ['INVITATION_NOT_ACCEPTED']);
  });

  it('what is wrong in a facts file is one line with its place and what would be right; nothing else is printed', () => {
    const cases: [string, RegExp][] = [
      ['version: 2\n', /facts\.yaml: version: Invalid literal value, expected 1/],
      [`version: 1\naccounts: { "22": {} }\n`, /accounts\.22: an account ID is 12 digits/],
      [`version: 1\naccounts:\n  "111111111111": { zones: { us-east-1a: az1 } }\n`, /a zone ID looks like use1-az1/],
      [`version: 1\nlisteners: [{ instance: app, protocol: ssh, port: 22 }]\n`, /listeners\.0\.protocol/],
      [
        `version: 1\nlisteners: [{ instance: nobody, protocol: https, port: 443 }]\n`,
        /listeners\[0\]\.instance: no instance is named nobody \(instances: app\)/,
      ],
      [`version: 1\nsurprise: true\n`, /Unrecognized key\(s\) in object: 'surprise'/],
    ];
    for (const [text, expected] of cases) {
      const r = spawnSync(process.execPath, [bin, 'check', 'stacks.yaml', '--facts', 'facts.yaml'], {
        cwd: partnerWith(text),
        encoding: 'utf8',
      });
      assert.notEqual(r.status, 0);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, expected);
    }
    const missing = spawnSync(process.execPath, [bin, 'check', 'stacks.yaml', '--facts', 'nowhere.yaml'], {
      cwd: seedPartner,
      encoding: 'utf8',
    });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /nowhere\.yaml: no such file/);
  });
});

describe('the facts file: listeners', () => {
  it('a listener the facts file states: the instance serves it, with the certificate names given', () => {
    const file = join(work, 'listener.yaml');
    writeFileSync(
      file,
      'version: 1\nlisteners:\n  - { instance: app, protocol: https, port: 8443, names: [app.example.com] }\n',
    );
    const model = buildModel(readStacksFile(join(seedPartner, 'stacks.yaml')), { facts: readFactsFile(file) });
    const app = model.instances.find((x) => x.name === 'app');
    assert.deepEqual(
      model.services.map(({ instanceId, protocol, port, names, from }) => ({
        instanceId,
        protocol,
        port,
        names,
        from,
      })),
      [
        {
          instanceId: app?.id,
          protocol: 'https',
          port: 8443,
          names: ['app.example.com'],
          from: 'the facts file listener.yaml',
        },
      ],
    );
  });
});
