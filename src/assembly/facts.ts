// The facts file (`--facts`): what templates cannot hold about the world they deploy into. Which accounts are in the
// organization and in which OU, invitations accepted outside the templates, what listens on an instance, and how each
// account's zone names map to zone IDs. Documented in the README ("Templates lattice-share did not write").
import { z } from 'zod';
import { zoneIdsSchema } from '../shared/zones.js';
import { AssemblyError } from './stacks.js';
import { readData } from './templates.js';

const ACCOUNT = z.string().regex(/^\d{12}$/, 'an account ID is 12 digits');

const FACTS_FILE = z
  .object({
    version: z.literal(1),
    accounts: z
      .record(
        ACCOUNT,
        z
          .object({
            /** In the organization of the shares' owner: RAM shares arrive without an invitation. */
            organization: z.boolean().optional(),
            /** The OU the account sits in directly. */
            ou: z
              .string()
              .regex(/^ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}$/, 'an OU ID looks like ou-abcd-12345678')
              .optional(),
            /** Zone name → zone ID, as DescribeAvailabilityZones gives them for this account. */
            zones: zoneIdsSchema.optional(),
          })
          .strict(),
      )
      .optional(),
    /** RAM invitations the accounts accepted outside the templates (the console, the CLI). */
    invitationsAccepted: z
      .array(z.object({ account: ACCOUNT, share: z.string().startsWith('arn:aws', 'a share ARN') }).strict())
      .optional(),
    /** What listens on an instance: its workload name (or STACK/LogicalId), protocol, port, certificate names. */
    listeners: z
      .array(
        z
          .object({
            instance: z.string().min(1),
            protocol: z.enum(['https', 'http']),
            port: z.number().int().min(1).max(65535),
            names: z.array(z.string().min(1)).optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

export type OutsideFacts = z.infer<typeof FACTS_FILE> & { readonly file: string };

/** Reads a facts file; one line naming the place and what is wrong when it is not one. */
export function readFactsFile(file: string): OutsideFacts {
  const parsed = FACTS_FILE.safeParse(readData(file, 'facts file'));
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw new AssemblyError(
      `${file}: ${issue?.path.join('.') || 'the file'}: ${issue?.message ?? 'not a facts file'} (see the README, "Facts the templates cannot hold")`,
    );
  }
  return { ...parsed.data, file };
}
