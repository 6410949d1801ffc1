// The invitation acceptance a partner's stack runs (inline Lambda code), run here for real: its RAM calls answered by
// a stand-in RAM client, its answer to CloudFormation sent to a local HTTP server as it would be to the pre-signed URL.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ACCEPT_INVITATION_CODE, ZIPFILE_LIMIT } from '../src/handoff/index.js';

/** What the code sends RAM: the command's name and input. */
type Sent = { command: string; input: Record<string, unknown> };
/** The stand-in for @aws-sdk/client-ram: command classes that carry their input, as the SDK's do. */
const STAND_IN = `class Command { constructor(input) { this.input = input; } }
exports.GetResourceShareInvitationsCommand = class GetResourceShareInvitationsCommand extends Command {};
exports.AcceptResourceShareInvitationCommand = class AcceptResourceShareInvitationCommand extends Command {};
exports.RAMClient = class RAMClient { send() { throw new Error('the stand-in is given to run()'); } };
`;

const SHARE = 'arn:aws:ram:us-east-1:111111111111:resource-share/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const INVITATION = 'arn:aws:ram:us-east-1:111111111111:resource-share-invitation/5f6e7d8c-9b0a-4c1d-8e2f-3a4b5c6d7e8f';

const dir = mkdtempSync(join(tmpdir(), 'ls-accept-'));
const answers: Record<string, unknown>[] = [];
let server: Server;
let url = '';
let code: { run: (...args: unknown[]) => Promise<string> };
before(async () => {
  mkdirSync(join(dir, 'node_modules', '@aws-sdk', 'client-ram'), { recursive: true });
  writeFileSync(join(dir, 'node_modules', '@aws-sdk', 'client-ram', 'index.js'), STAND_IN);
  writeFileSync(join(dir, 'index.js'), ACCEPT_INVITATION_CODE);
  code = createRequire(join(dir, 'index.js'))('./index.js');
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      answers.push({ method: req.method, ...JSON.parse(body) });
      res.end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/presigned?X-Amz-Signature=abc`;
});
after(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the code for an event with RAM answering `invitations` in turn (undefined: none visible yet). */
async function run(requestType: string, invitations: (Record<string, string> | undefined)[]) {
  const sent: Sent[] = [];
  const waited: number[] = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      sent.push({ command: command.constructor.name, input: command.input });
      if (command.constructor.name === 'AcceptResourceShareInvitationCommand') return {};
      const next = invitations.shift();
      return { resourceShareInvitations: next ? [next] : [] };
    },
  };
  const event = {
    RequestType: requestType,
    ResponseURL: url,
    StackId: 'arn:aws:cloudformation:us-east-1:222222222222:stack/partner/1',
    RequestId: 'r-1',
    LogicalResourceId: 'AcceptInvitation',
    ResourceProperties: { ShareArn: SHARE },
  };
  const options = { tries: 3, pauseMs: 5, wait: async (ms: number) => void waited.push(ms) };
  const status = await code.run(event, { logStreamName: 'log-1' }, client, options);
  return { status, sent, waited, answer: answers.at(-1) };
}
const pending = { status: 'PENDING', resourceShareInvitationArn: INVITATION };

describe('the inline invitation acceptance', () => {
  it('fits in a template inline (Code.ZipFile)', () => {
    assert.ok(ACCEPT_INVITATION_CODE.length <= ZIPFILE_LIMIT, `${ACCEPT_INVITATION_CODE.length} characters`);
  });

  it('waits while the invitation is not visible, then accepts it and answers SUCCESS', async () => {
    const r = await run('Create', [undefined, pending]);
    assert.equal(r.status, 'SUCCESS');
    assert.deepEqual(r.waited, [5]);
    assert.deepEqual(r.sent.at(-1), {
      command: 'AcceptResourceShareInvitationCommand',
      input: { resourceShareInvitationArn: INVITATION },
    });
    assert.deepEqual(r.sent[0]?.input, { resourceShareArns: [SHARE] });
    assert.deepEqual(
      [r.answer?.method, r.answer?.Status, r.answer?.PhysicalResourceId, r.answer?.LogicalResourceId],
      ['PUT', 'SUCCESS', 'accept-0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', 'AcceptInvitation'],
    );
    assert.match(String(r.answer?.Reason), /accepted arn:aws:ram:.*resource-share-invitation\/.* \(log: log-1\)/);
  });

  it('an invitation already accepted is success, without accepting again', async () => {
    const r = await run('Update', [{ status: 'ACCEPTED', resourceShareInvitationArn: INVITATION }]);
    assert.equal(r.status, 'SUCCESS');
    assert.deepEqual(
      r.sent.map((x) => x.command),
      ['GetResourceShareInvitationsCommand'],
    );
  });

  it('an expired invitation, or none after every try, answers FAILED with what to do', async () => {
    const expired = await run('Create', [{ status: 'EXPIRED', resourceShareInvitationArn: INVITATION }]);
    assert.equal(expired.answer?.Status, 'FAILED');
    assert.match(
      String(expired.answer?.Reason),
      /EXPIRED: ask the owner to share again \(invitations expire after 12 hours\)/,
    );
    const none = await run('Create', []);
    assert.equal(none.answer?.Status, 'FAILED');
    assert.deepEqual(none.waited, [5, 5], 'three tries, two pauses');
    assert.match(String(none.answer?.Reason), /no invitation for .* yet: is this account in the share\?/);
  });

  it('Delete changes nothing and answers SUCCESS; a RAM error is FAILED with its message', async () => {
    const deleted = await run('Delete', [pending]);
    assert.deepEqual([deleted.status, deleted.sent.length], ['SUCCESS', 0]);
    const failing = {
      send: async () => {
        throw new Error('AccessDeniedException: not authorized to perform ram:GetResourceShareInvitations');
      },
    };
    const event = { RequestType: 'Create', ResponseURL: url, ResourceProperties: { ShareArn: SHARE } };
    const status = await code.run(event, { logStreamName: 'log-2' }, failing, { tries: 1, pauseMs: 1 });
    assert.equal(status, 'FAILED');
    assert.match(String(answers.at(-1)?.Reason), /AccessDeniedException/);
  });
});
