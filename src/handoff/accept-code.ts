// The invitation acceptance a partner's stack runs, as inline Lambda code (Code.ZipFile: no asset, no bootstrap).
// CommonJS for the Node.js runtime, which ships the AWS SDK for JavaScript v3. It accepts the RAM invitation for the
// share in its ShareArn property, retrying while the invitation is not visible yet; an invitation already accepted is
// success (idempotent); an expired or rejected one fails with what to do; Delete changes nothing (leaving a share is
// the owner's act). It answers CloudFormation at the pre-signed ResponseURL, as the cfn-response module would.
// https://docs.aws.amazon.com/ram/latest/APIReference/API_AcceptResourceShareInvitation.html,
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html

/** CloudFormation takes at most 4,096 characters of inline code (Code.ZipFile). */
export const ZIPFILE_LIMIT = 4096;

/** The code, as the template's Code.ZipFile. Its `run` takes the RAM client and the waiting, for tests. */
export const ACCEPT_INVITATION_CODE = `const ram = require('@aws-sdk/client-ram');
const { request } = require('https');
const http = require('http');

exports.handler = (event, context) =>
  exports.run(event, context, new ram.RAMClient({}), { tries: 20, pauseMs: 15000 });

exports.run = async (event, context, client, { tries, pauseMs, wait = (ms) => new Promise((r) => setTimeout(r, ms)) }) => {
  const share = (event.ResourceProperties || {}).ShareArn || '';
  const id = 'accept-' + share.split('/').pop();
  if (event.RequestType === 'Delete') return answer(event, context, 'SUCCESS', id, 'nothing to undo: the owner ends a share');
  try {
    for (let i = 0; i < tries; i++) {
      const found = await client.send(new ram.GetResourceShareInvitationsCommand({ resourceShareArns: [share] }));
      const invitation = (found.resourceShareInvitations || [])[0];
      const status = invitation && invitation.status;
      if (status === 'ACCEPTED') return answer(event, context, 'SUCCESS', id, 'already accepted');
      if (status === 'PENDING') {
        const arn = invitation.resourceShareInvitationArn;
        await client.send(new ram.AcceptResourceShareInvitationCommand({ resourceShareInvitationArn: arn }));
        return answer(event, context, 'SUCCESS', id, 'accepted ' + arn);
      }
      if (status) {
        const why = 'the invitation is ' + status + ': ask the owner to share again (invitations expire after 12 hours)';
        return answer(event, context, 'FAILED', id, why);
      }
      if (i + 1 < tries) await wait(pauseMs);
    }
    return answer(event, context, 'FAILED', id, 'no invitation for ' + share + ' yet: is this account in the share?');
  } catch (e) {
    return answer(event, context, 'FAILED', id, String((e && e.message) || e));
  }
};

function answer(event, context, status, id, reason) {
  const body = JSON.stringify({
    Status: status, Reason: reason + ' (log: ' + context.logStreamName + ')', PhysicalResourceId: id,
    StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId, Data: {},
  });
  const url = new URL(event.ResponseURL);
  const send = url.protocol === 'http:' ? http.request : request;
  return new Promise((done, fail) => {
    const put = send(url, { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } },
      (res) => { res.resume(); res.on('end', () => done(status)); });
    put.on('error', fail);
    put.end(body);
  });
}
`;
