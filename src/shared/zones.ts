// Availability Zones as AWS writes them, and the zone-name → zone-ID map a config and a facts file both take.
// Apart from index.ts: it needs zod, which the twin (run from a copy without packages) must not load.
import { z } from 'zod';

/** A zone's name (us-east-1a, us-gov-west-1b) and its ID (use1-az1). */
export const ZONE_NAME = /^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/;
export const ZONE_ID = /^[a-z0-9]+-az\d+$/;

/** Zone name → zone ID in one account, as DescribeAvailabilityZones gives them. */
export const zoneIdsSchema = z.record(
  z.string().regex(ZONE_NAME, 'a zone name looks like us-east-1a'),
  z.string().regex(ZONE_ID, 'a zone ID looks like use1-az1'),
);
