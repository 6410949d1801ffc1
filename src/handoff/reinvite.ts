// A new invitation for an account outside the organization whose invitation expired (12 hours): the principal is
// disassociated from the same share and associated again, so the share's ARN, which the kit holds, stays the same.
// https://docs.aws.amazon.com/ram/latest/userguide/working-with-shared-invitations.html
import type { Topology } from '../config/index.js';
import { ioOf, type IoHost } from '../shared/io.js';
import { HandoffError, shareOwnerStack, sharesReaching, type StackOutputs } from './plan.js';
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
  const account = t.accounts.find((a) => a.name === accountName);
  if (!account)
    throw new HandoffError(
      `no account "${accountName}" in ${t.source}; accounts: ${t.accounts.map((a) => a.name).join(', ')}`,
    );
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
        `aws ram disassociate-resource-share ${region} --resource-share-arn ${arn} --principals ${account.id}`,
        `aws ram get-resource-share-associations ${region} --association-type PRINCIPAL --resource-share-arns ${arn} --principal ${account.id}   # until DISASSOCIATED`,
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
export async function applyReinvite(
  steps: ReinviteStep[],
  ram: { client: RamCalls; commands: RamCommands },
  options: { host?: IoHost; tries?: number; pauseMs?: number } = {},
): Promise<{ share: string; shareArn: string }[]> {
  const io = ioOf(options.host);
  const done: { share: string; shareArn: string }[] = [];
  for (const step of steps) {
    const shareArn = step.shareArn ?? (await findShare(step.share, ram));
    const input = { resourceShareArn: shareArn, principals: [step.principal] };
    await ram.client.send(new ram.commands.DisassociateResourceShareCommand(input));
    await untilDisassociated(shareArn, step.principal, ram, options);
    await ram.client.send(new ram.commands.AssociateResourceShareCommand(input));
    io.notify(
      'info',
      'LS_HANDOFF_I4010',
      `share ${step.share}: account ${step.principal} invited again (${shareArn})`,
      {
        share: step.share,
        shareArn,
        principal: step.principal,
      },
    );
    done.push({ share: step.share, shareArn });
  }
  return done;
}

async function findShare(name: string, ram: { client: RamCalls; commands: RamCommands }): Promise<string> {
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

async function untilDisassociated(
  shareArn: string,
  principal: string,
  ram: { client: RamCalls; commands: RamCommands },
  { tries = 30, pauseMs = 2000 }: { tries?: number; pauseMs?: number },
): Promise<void> {
  for (let i = 0; i < tries; i++) {
    const got = await ram.client.send(
      new ram.commands.GetResourceShareAssociationsCommand({
        associationType: 'PRINCIPAL',
        resourceShareArns: [shareArn],
        principal,
      }),
    );
    const states = ((got.resourceShareAssociations ?? []) as { status?: string }[]).map((a) => a.status);
    if (states.every((s) => s === 'DISASSOCIATED')) return;
    if (states.includes('FAILED')) throw new HandoffError(`RAM failed to disassociate ${principal} from ${shareArn}`);
    await new Promise((done) => setTimeout(done, pauseMs));
  }
  throw new HandoffError(`${principal} is still associated with ${shareArn}: run reinvite --apply again in a minute`);
}
