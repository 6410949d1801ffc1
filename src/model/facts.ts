// What the facts file (`--facts`) adds to a model: zone IDs before the stacks are built; the accounts' place in the
// organization, invitations accepted outside the templates, and what listens on instances, once they are.
import { basename } from 'node:path';
import type { OutsideFacts } from '../assembly/index.js';
import type { ModelBuilder } from './build.js';
import { LoadError } from './intrinsics.js';

/** Zone name → zone ID per account, which subnets read as they are built. */
export function zonesFrom(b: ModelBuilder, facts?: OutsideFacts): void {
  for (const [account, stated] of Object.entries(facts?.accounts ?? {}))
    if (stated.zones) b.stores.zoneIds.set(account, stated.zones);
}

/** The facts that concern what every stack built: membership, acceptances, listeners. */
export function applyFacts(b: ModelBuilder, facts?: OutsideFacts): void {
  if (!facts) return;
  const m = b.model;
  const file = basename(facts.file);
  for (const [account, stated] of Object.entries(facts.accounts ?? {})) {
    if (stated.organization === undefined && stated.ou === undefined) continue;
    m.stacks.forEach((stack, i) => {
      if (stack.account !== account) return;
      if (stated.organization !== undefined && stack.inOrganization === !stated.organization)
        b.warnOnce(
          `${file}: account ${account} is ${stated.organization ? '' : 'not '}in the organization, as the facts file says; ${stack.name}'s metadata says otherwise`,
        );
      m.stacks[i] = {
        ...stack,
        inOrganization: stated.organization ?? stack.inOrganization,
        organizationalUnit: stated.ou ?? stack.organizationalUnit,
      };
    });
  }
  (facts.invitationsAccepted ?? []).forEach((accepted, i) =>
    m.acceptances.push({
      account: accepted.account,
      shareArn: accepted.share,
      source: { stack: file, logicalId: `invitationsAccepted[${i}]` },
      inferredFrom: `the facts file ${file} (invitationsAccepted[${i}])`,
    }),
  );
  (facts.listeners ?? []).forEach((listener, i) => {
    const instance = m.instances.find(
      (x) => x.name === listener.instance || `${x.source.stack}/${x.source.logicalId}` === listener.instance,
    );
    if (!instance)
      throw new LoadError(
        `${file}: listeners[${i}].instance: no instance is named ${listener.instance} (instances: ${m.instances.map((x) => x.name).join(', ') || 'none'}); name a workload or STACK/LogicalId`,
      );
    m.services.push({
      instanceId: instance.id,
      protocol: listener.protocol,
      port: listener.port,
      ...(listener.names ? { names: listener.names } : {}),
      from: `the facts file ${file}`,
    });
  });
}
