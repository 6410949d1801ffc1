// What `deploy` does for other parties once the owner stacks are up: it says when every invitation to an account
// outside the organization expires, and writes each account another party runs its kit, with the deployed values.
import { join } from 'node:path';
import type { Topology } from '../config/index.js';
import { ioOf, type IoHost } from '../shared/io.js';
import { kitFiles } from './kit.js';
import { writeKit } from './write.js';
import { INVITATION_HOURS, invitationDeadline, planKit, sharesReaching, type StackOutputs } from './plan.js';

export interface KitWritten {
  readonly account: string;
  readonly dir: string;
  readonly deadline?: string;
}

/**
 * After a deploy that started at `startedAt` (an invitation it made is at least as young, so the deadline said is never
 * late; an invitation of an earlier deploy is older, and said to be accepted or renewed):
 * the invitation deadlines, and the kits in `<kitsDir>/<account>/`.
 */
export function afterDeploy(
  topology: Topology,
  outputs: StackOutputs,
  options: { startedAt: Date; kitsDir: string; host?: IoHost },
): KitWritten[] {
  const io = ioOf(options.host);
  const deadline = invitationDeadline(options.startedAt);
  for (const account of topology.accounts.filter((a) => !a.inOrganization)) {
    const shares = sharesReaching(topology, account).filter((s) => s.owner !== account.name);
    if (shares.length)
      io.notify(
        'warn',
        'LS_DEPLOY_W2011',
        `account ${account.name} (${account.id}) is outside the organization: an invitation this deploy made (${shares.map((s) => s.name).join(', ')}) must be accepted by ${deadline} (${INVITATION_HOURS} h; one accepted before stays accepted); after that: lattice-share reinvite ${topology.source} --account ${account.name}`,
        { account: account.name, shares: shares.map((s) => s.name), deadline },
      );
  }
  const written: KitWritten[] = [];
  for (const account of topology.accounts) {
    const party = account.operatedBy?.party;
    if (!party) continue;
    if (!sharesReaching(topology, account).some((s) => s.owner !== account.name)) continue;
    const plan = planKit(topology, account.name, { outputs, sharedAt: options.startedAt });
    const dir = writeKit(join(options.kitsDir, account.name), kitFiles(plan));
    io.notify(
      'info',
      'LS_DEPLOY_I2020',
      `${party} runs account ${account.name}: its kit is in ${dir} (hand over the folder; README.md says what to do)`,
      { account: account.name, dir, deadline: plan.deadline },
    );
    written.push({ account: account.name, dir, ...(plan.deadline ? { deadline: plan.deadline } : {}) });
  }
  return written;
}
