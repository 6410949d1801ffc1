// AWS Regions and their Availability Zone names, for validating a config before AWS would refuse it.
//
// Source: "AWS Availability Zones" and "AZ IDs" in the AWS Regions and Availability Zones guide
// (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html,
// https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html), read 2026-12: the zones (AZ IDs) of
// each commercial, GovCloud and China Region. A zone's name is the Region code and a letter; in the Regions that map
// zones per account (us-east-1, us-west-1, us-west-2, ap-northeast-1, ap-northeast-2, ap-southeast-2 and others of
// before 2012) the letters below are the ones an account can have, and an account has `zones` of them.
// Opt-in Regions are listed: whether an account enabled one is not in a config.

export interface RegionZones {
  /** How many Availability Zones an account has in the Region. */
  readonly zones: number;
  /** The zone letters that exist there, in the order lattice-share picks them for `azs: N`. */
  readonly letters: string;
}

const three = { zones: 3, letters: 'abc' } as const;

export const REGIONS: Readonly<Record<string, RegionZones>> = {
  'us-east-1': { zones: 6, letters: 'abcdef' },
  'us-east-2': three,
  'us-west-1': { zones: 2, letters: 'abc' }, // two per account, named a/b or b/c
  'us-west-2': { zones: 4, letters: 'abcd' },
  'ca-central-1': { zones: 3, letters: 'abd' },
  'ca-west-1': three,
  'mx-central-1': three,
  'sa-east-1': three,
  'af-south-1': three,
  'ap-east-1': three,
  'ap-east-2': three,
  'ap-south-1': three,
  'ap-south-2': three,
  'ap-southeast-1': three,
  'ap-southeast-2': three,
  'ap-southeast-3': three,
  'ap-southeast-4': three,
  'ap-southeast-5': three,
  'ap-southeast-6': three,
  'ap-southeast-7': three,
  'ap-northeast-1': { zones: 3, letters: 'acdb' }, // ap-northeast-1b exists for older accounts only
  'ap-northeast-2': { zones: 4, letters: 'abcd' },
  'ap-northeast-3': three,
  'eu-central-1': three,
  'eu-central-2': three,
  'eu-west-1': three,
  'eu-west-2': three,
  'eu-west-3': three,
  'eu-south-1': three,
  'eu-south-2': three,
  'eu-north-1': three,
  'il-central-1': three,
  'me-south-1': three,
  'me-central-1': three,
  'us-gov-east-1': three,
  'us-gov-west-1': three,
  'cn-north-1': three,
  'cn-northwest-1': three,
};

/** The zone names `azs: count` stands for in a Region: its first letters in table order. */
export const defaultZones = (region: string, count: number): string[] =>
  [...(REGIONS[region]?.letters ?? 'abcdef')].slice(0, count).map((letter) => `${region}${letter}`);

/** Whether a zone name exists in a Region (a known Region's letters; any letter of an unknown one). */
export function zoneExists(region: string, zone: string): boolean {
  if (!zone.startsWith(region) || zone.length !== region.length + 1) return false;
  const known = REGIONS[region];
  return !known || known.letters.includes(zone.slice(-1));
}
