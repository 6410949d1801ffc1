// A new invitation for an account outside the organization whose invitation expired (12 hours): the principal is
// disassociated from the same share and associated again, so the share's ARN, which the kit holds, stays the same.
// https://docs.aws.amazon.com/ram/latest/userguide/working-with-shared-invitations.html
import type { Topology } from '../config/index.js';
import { ioOf, type IoHost } from '../shared/io.js';
import { accountNamed, HandoffError, shareOwnerStack, sharesReaching, type StackOutputs } from './plan.js';
import { shareArnOutput } from '../app/names.js';

export interface ReinviteStep {
  readonly share: string;
  /** The share's ARN from the deployed outputs, when given. */
  readonly shareArn?: string;
  readonly principal: string;
  /** The AWS CLI commands, for the owner to run with its own credentials. */
  readonly commands: string[];
}

/** The RAM calls `--apply` makes: the SDK's RAMClient.send, or a stand-in. */
export interface RamCalls {
  send(command: object): Promise<Record<string, unknown>>;
}

export function reinviteSteps(t: Topology, accountName: string, outputs: StackOutputs = {}): ReinviteStep[] {
  const account = accountNamed(t, accountName);
  if (account.inOrganization)
    throw new HandoffError(`account "${accountName}" is in the organization: RAM sends it no invitation to renew`);
  const shares = sharesReaching(t, account).filter((s) =>
    s.principals.some((p) => p.kind === 'account' && p.account === accountName),
  );
  if (!shares.length) throw new HandoffError(`account "${accountName}" is named in no share of ${t.source}`);
  return shares.map((share) => {
    const stack = shareOwnerStack(t, share);
    const shareArn = outputs[stack]?.[shareArnOutput(share.name)];
    const arn = shareArn ?? '"$arn"';
    const region = `--region ${t.region}`;
    return {
      share: share.name,
      ...(shareArn ? { shareArn } : {}),
      principal: account.id,
      commands: [
        ...(shareArn
          ? []
          : [
              `arn=$(aws ram get-resource-shares ${region} --resource-owner SELF --name ${share.name} --query 'resourceShares[0].resourceShareArn' --output text)`,
            ]),
        `aws ram get-resource-share-associations ${region} --association-type PRINCIPAL --resource-share-arns ${arn} --principal ${account.id}   # ASSOCIATED: accepted, stop here; DISASSOCIATED: skip to the last line`,
        `aws ram disassociate-resource-share ${region} --resource-share-arn ${arn} --principals ${account.id}`,
        `aws ram get-resource-share-associations ${region} --association-type PRINCIPAL --resource-share-arns ${arn} --principal ${account.id}   # again, until DISASSOCIATED`,
        `aws ram associate-resource-share ${region} --resource-share-arn ${arn} --principals ${account.id}`,
      ],
    };
  });
}

/** The SDK's command classes `applyReinvite` needs (so the library loads the SDK only when applying). */
export interface RamCommands {
  GetResourceSharesCommand: new (input: object) => object;
  DisassociateResourceShareCommand: new (input: object) => object;
  GetResourceShareAssociationsCommand: new (input: object) => object;
  AssociateResourceShareCommand: new (input: object) => object;
}

/** Runs the steps with the owner's credentials; waits (up to `tries` × `pauseMs`) for each disassociation. */
type Ram = { client: RamCalls; commands: RamCommands };

/**
 * Runs the steps with the owner's credentials. An account that accepted (ASSOCIATED) is left alone: inviting it again
 * would cut its access. Otherwise the principal is disassociated (unless it is already), awaited (up to `tries` ×
 * `pauseMs`), and associated again, which sends a new invitation.
 */
export async function applyReinvite(
  steps: ReinviteStep[],
  ram: Ram,
  options: { host?: IoHost; tries?: number; pauseMs?: number } = {},
): Promise<{ share: string; shareArn: string }[]> {
  const io = ioOf(options.host);
  const done: { share: string; shareArn: string }[] = [];
  for (const step of steps) {
    const shareArn = step.shareArn ?? (await findShare(step.share, ram));
    const before = await statusOf(shareArn, step.principal, ram);
    if (before === 'ASSOCIATED')
      throw new HandoffError(
        `account ${step.principal} has accepted share ${step.share} (ASSOCIATED): inviting it again would cut its access; nothing was changed`,
      );
    const input = { resourceShareArn: shareArn, principals: [step.principal] };
    if (before !== undefined && before !== 'DISASSOCIATED') {
      await ram.client.send(new ram.commands.DisassociateResourceShareCommand(input));
      await untilDisassociated(shareArn, step.principal, ram, options);
    }
    await ram.client.send(new ram.commands.AssociateResourceShareCommand(input));
    const data = { share: step.share, shareArn, principal: step.principal };
    io.notify(
      'info',
      'LS_HANDOFF_I4010',
      `share ${step.share}: account ${step.principal} invited again (${shareArn})`,
      data,
    );
    done.push({ share: step.share, shareArn });
  }
  return done;
}

async function findShare(name: string, ram: Ram): Promise<string> {
  const found = await ram.client.send(new ram.commands.GetResourceSharesCommand({ resourceOwner: 'SELF', name }));
  const shares = (found.resourceShares ?? []) as { resourceShareArn?: string; status?: string }[];
  const active = shares.filter((s) => s.status === undefined || s.status === 'ACTIVE');
  const arn = active.length === 1 ? active[0]?.resourceShareArn : undefined;
  if (!arn)
    throw new HandoffError(
      `found ${active.length} active RAM shares named ${name} in this account and Region: give --outputs with the deployed share ARN`,
    );
  return arn;
}

/** The principal's association with the share: ASSOCIATING, ASSOCIATED, FAILED, DISASSOCIATING, DISASSOCIATED. */
async function statusOf(shareArn: string, principal: string, ram: Ram): Promise<string | undefined> {
  const got = await ram.client.send(
    new ram.commands.GetResourceShareAssociationsCommand({
      associationType: 'PRINCIPAL',
      resourceShareArns: [shareArn],
      principal,
    }),
  );
  return ((got.resourceShareAssociations ?? []) as { status?: string }[])[0]?.status;
}

async function untilDisassociated(
  shareArn: string,
  principal: string,
  ram: Ram,
  { tries = 30, pauseMs = 2000 }: { tries?: number; pauseMs?: number },
): Promise<void> {
  for (let i = 0; i < tries; i++) {
    const status = await statusOf(shareArn, principal, ram);
    if (status === undefined || status === 'DISASSOCIATED') return;
    await new Promise((done) => setTimeout(done, pauseMs));
  }
  throw new HandoffError(`${principal} is still associated with ${shareArn}: run reinvite --apply again in a minute`);
}
