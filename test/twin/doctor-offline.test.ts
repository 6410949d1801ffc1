// doctor with no way out: in a network namespace of our own with no interface up, without credentials it exits 2
// with one line before any call (so no packet is sent); with credentials it reports every call it could not make,
// account by account, and exits 1. The namespace is removed after.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rootSuites } from '../support/root.js';
import { bin } from '../support/twin.js';

const { after, before, describe, it } = rootSuites('the doctor offline test makes a network namespace');
const NS = `lsdoctor-${process.pid}`;
const inNamespace = (env: NodeJS.ProcessEnv) =>
  spawnSync(
    'ip',
    ['netns', 'exec', NS, process.execPath, bin, 'doctor', '--accounts', '111111111111', '--region', 'us-east-1'],
    {
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env.PATH, HOME: '/nonexistent', ...env },
    },
  );
const packetsOut = () => spawnSync('ip', ['netns', 'exec', NS, 'cat', '/proc/net/dev'], { encoding: 'utf8' }).stdout;

describe('doctor in a namespace with no way out', () => {
  before(() => assert.equal(spawnSync('ip', ['netns', 'add', NS]).status, 0));
  after(() => void spawnSync('ip', ['netns', 'delete', NS]));

  it('without credentials: exit 2, one line, no packet', () => {
    const before = packetsOut();
    const r = inNamespace({});
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr.trim(), /^lattice-share: doctor needs AWS credentials: [^\n]+$/);
    assert.equal(packetsOut(), before, 'no interface counted a packet');
  });
  it('with credentials but no route: every failed call is named with its account, exit 1', () => {
    const r = inNamespace({
      AWS_ACCESS_KEY_ID: 'AKIDTEST',
      AWS_SECRET_ACCESS_KEY: 'not-a-secret',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /warning: account 111111111111 \(us-east-1\): ec2:DescribeVpcs failed/);
  });
});
