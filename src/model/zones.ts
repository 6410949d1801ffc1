// How two sides' zones compare: by zone ID where every ENI has one; by name only inside one account, since a zone name
// maps to a different physical zone in each account
// (https://docs.aws.amazon.com/ram/latest/userguide/working-with-az-ids.html). Read by check and the twin alike.
import type { Eni, InfraModel } from './types.js';

/**
 * What to compare the zones of two sides' ENIs by, or undefined when nothing can be compared: names of different
 * accounts without IDs, or a zone not known at all.
 */
export function zoneKey(
  sides: readonly (readonly (Eni | undefined)[])[],
  sameAccount: boolean,
): ((eni: Eni) => string | undefined) | undefined {
  const all = (holds: (eni: Eni | undefined) => boolean) => sides.every((side) => side.every(holds));
  if (all((eni) => !!eni?.azId)) return (eni) => eni.azId;
  // A name, not an ID standing in for one (a subnet given only AvailabilityZoneId).
  if (sameAccount && all((eni) => !!eni?.az && eni.az !== eni.azId)) return (eni) => eni.az;
  return undefined;
}

/** The addresses of down ENIs by VPC (undefined: an ENI whose subnet no template describes). */
const downSets = new WeakMap<InfraModel['enis'], Map<string | undefined, ReadonlySet<string>>>();
const NONE_DOWN: ReadonlySet<string> = new Set();

/**
 * Addresses of ENIs in `vpcId` whose zone is down (a twin's fault): those a resource gateway in that VPC leaves out as
 * it spreads connections over a target's addresses. Private addresses repeat across VPCs, so an ENI down in another VPC
 * does not count; one whose VPC is not known does (it may be in this one). Gathered once per list of ENIs; check and
 * the twin ask alike.
 */
export function downAddresses(m: Pick<InfraModel, 'enis'>, vpcId: string): ReadonlySet<string> {
  let byVpc = downSets.get(m.enis);
  if (!byVpc) downSets.set(m.enis, (byVpc = downByVpc(m.enis)));
  return byVpc.get(vpcId) ?? byVpc.get(undefined) ?? NONE_DOWN;
}

function downByVpc(enis: InfraModel['enis']): Map<string | undefined, ReadonlySet<string>> {
  const byVpc = new Map<string | undefined, Set<string>>();
  for (const e of enis) {
    if (!e.down) continue;
    let addresses = byVpc.get(e.vpcId);
    if (!addresses) byVpc.set(e.vpcId, (addresses = new Set()));
    for (const ip of [e.ip, ...e.secondaryIps]) if (ip) addresses.add(ip);
  }
  const unplaced = byVpc.get(undefined);
  if (unplaced) for (const [vpcId, addresses] of byVpc) if (vpcId) for (const ip of unplaced) addresses.add(ip);
  return byVpc;
}
