// networks: an imported VPC (vpcId with its subnets) or a new one (zones and a subnet mask that fit its CIDR).
import { inCidr } from '../../shared/index.js';
import { defaultZones } from '../../shared/regions.js';
import type { Path } from '../errors.js';
import type { RawConfig } from '../schema.js';
import type { Account, Network } from '../topology.js';
import { Section, type Context } from './context.js';

type RawNetwork = RawConfig['networks'][string];

export function resolveNetworks(ctx: Context, accounts: Section<Account>): Section<Network> {
  const networks: Network[] = [];
  for (const [name, raw] of Object.entries(ctx.raw.networks)) {
    const at = ['networks', name];
    ctx.refCheck([...at, 'account'], 'account', raw.account, accounts.declared);
    const network = raw.vpcId ? importedNetwork(ctx, at, name, raw) : newNetwork(ctx, at, name, raw);
    if (network) networks.push(network);
  }
  // References are checked against every declared name, so one broken entry does not cascade.
  return new Section(networks, new Set(Object.keys(ctx.raw.networks)));
}

function importedNetwork(ctx: Context, at: Path, name: string, raw: RawNetwork): Network | undefined {
  for (const key of ['azs', 'availabilityZones', 'subnetMask'] as const) {
    if (raw[key] !== undefined)
      ctx.bad(
        [...at, key],
        `${key} applies to new networks only, not to an imported VPC`,
        'remove it: the imported subnets give the zones',
        'key',
      );
  }
  if (!raw.subnets) {
    ctx.bad(
      at,
      'an imported network (vpcId) needs its subnets',
      'add subnets: [{ id: subnet-…, az: …, cidr: … }]',
      'key',
    );
    return undefined;
  }
  raw.subnets.forEach((subnet, i) => {
    if (!inCidr(subnet.cidr.split('/')[0] ?? '', raw.cidr))
      ctx.bad(
        [...at, 'subnets', i, 'cidr'],
        `subnet CIDR ${subnet.cidr} is outside the VPC CIDR ${raw.cidr}`,
        'use a subnet range inside the VPC CIDR',
      );
    const wrongZone = ctx.zoneProblem(subnet.az);
    if (wrongZone) ctx.bad([...at, 'subnets', i, 'az'], ...wrongZone);
  });
  return {
    kind: 'imported',
    name,
    account: raw.account,
    cidr: raw.cidr,
    vpcId: raw.vpcId ?? '',
    subnets: raw.subnets,
    availabilityZones: [...new Set(raw.subnets.map((subnet) => subnet.az))],
    dnsSupport: raw.dnsSupport ?? true,
  };
}

function newNetwork(ctx: Context, at: Path, name: string, raw: RawNetwork): Network {
  for (const key of ['subnets', 'dnsSupport'] as const) {
    if (raw[key] !== undefined)
      ctx.bad(
        [...at, key],
        `${key} applies to imported networks only (with vpcId)`,
        'remove it, or add vpcId to import an existing VPC',
        'key',
      );
  }
  const zones = zonesOf(ctx, at, raw);
  const mask = raw.subnetMask ?? 24;
  const prefix = Number(raw.cidr.split('/')[1]);
  if (2 ** (mask - prefix) < zones.length)
    ctx.bad(
      [...at, 'subnetMask'],
      `a /${prefix} VPC has no room for ${zones.length} subnets of /${mask}`,
      roomFix(prefix, zones.length, mask),
    );
  return { kind: 'new', name, account: raw.account, cidr: raw.cidr, availabilityZones: zones, subnetMask: mask };
}

/** The zones of a new network: listed (each in the Region, as many as azs), or the first azs (2) of the Region. */
function zonesOf(ctx: Context, at: Path, raw: RawNetwork): string[] {
  const zones = raw.availabilityZones;
  if (zones && raw.azs !== undefined && zones.length !== raw.azs)
    ctx.bad([...at, 'azs'], `azs is ${raw.azs} but availabilityZones lists ${zones.length}`, 'keep one of the two');
  zones?.forEach((zone, i) => {
    const wrongZone = ctx.zoneProblem(zone);
    if (wrongZone) ctx.bad([...at, 'availabilityZones', i], ...wrongZone);
  });
  const { region } = ctx;
  if (region && (raw.azs ?? 0) > region.zones)
    ctx.bad(
      [...at, 'azs'],
      `region ${ctx.raw.region} has ${region.zones} availability zones; azs: ${raw.azs} asks for more`,
      `set azs to at most ${region.zones}`,
    );
  return zones ?? defaultZones(ctx.raw.region, raw.azs ?? 2);
}

/** A fix that can work for a VPC too small for one subnet per zone: a subnet mask that fits, or a larger VPC. */
function roomFix(prefix: number, subnets: number, mask: number): string {
  const bits = Math.ceil(Math.log2(subnets));
  const larger = `use a CIDR of /${mask - bits} or larger to keep /${mask} subnets`;
  const largest = prefix + bits; // the smallest subnets that still fit them all (AWS allows /28 at most)
  return largest <= 28 ? `set subnetMask: ${largest}, or ${larger}` : larger;
}
