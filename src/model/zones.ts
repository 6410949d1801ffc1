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

const downSets = new WeakMap<InfraModel['enis'], ReadonlySet<string>>();

/**
 * Addresses of ENIs whose zone is down (a twin's fault), anywhere in the model: those a resource gateway leaves out as
 * it spreads connections over a target's addresses. Gathered once per list of ENIs; check and the twin ask alike.
 */
export function downAddresses(m: Pick<InfraModel, 'enis'>): ReadonlySet<string> {
  let down = downSets.get(m.enis);
  if (!down) {
    const addresses = new Set<string>();
    for (const e of m.enis) if (e.down) for (const ip of [e.ip, ...e.secondaryIps]) if (ip) addresses.add(ip);
    downSets.set(m.enis, (down = addresses));
  }
  return down;
}
