// Resource configurations: what the VPC Lattice API refuses in a configuration, or lets through to no effect.
import { unknownIn, type Configuration } from '../../model/index.js';
import { covers, inRanges, type Facts } from '../facts.js';
import type { LintRule, Violation } from './rule.js';

const PRIVATE = ['10.0.0.0/8', '100.64.0.0/10', '172.16.0.0/12', '192.168.0.0/16'];
const RDS_ARN = /^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:(cluster|db):/;

/** Each configuration the templates create (not Amazon's own, nor another account's known by ARN). */
function* own(f: Facts): Iterable<Configuration> {
  for (const c of f.m.configurations) if (!c.amazonManaged && !c.outside) yield c;
}

/** Where a configuration is, for a finding: made only for a configuration a rule reports (an estate has thousands). */
const at = (f: Facts, c: Configuration): Violation['resource'] => f.ref(c.source, c.id);

const arnTarget = (c: Configuration): string | undefined =>
  c.definition && 'arn' in c.definition ? c.definition.arn : undefined;

export const configurationRules: LintRule[] = [
  {
    id: 'LS-RC1',
    severities: ['error'],
    summary: 'ARN-type configuration whose target is not an RDS database',
    why: 'VPC Lattice takes ARN-type resource configurations for Amazon RDS databases only',
    *check(f) {
      for (const c of own(f)) {
        const arn = arnTarget(c);
        if (c.type !== 'ARN' || (arn && RDS_ARN.test(arn))) continue;
        yield {
          message: `configuration ${c.name} is ARN type, but its target ${arn ?? '(none)'} is not an RDS database`,
          fix: 'use ARN type for Amazon RDS only; use SINGLE with a DNS or IP target for anything else',
          resource: at(f, c),
        };
      }
    },
  },
  {
    id: 'LS-RC2',
    severities: ['error'],
    summary: 'ARN-type configuration on a publicly accessible database',
    why: 'AWS refuses an ARN-type configuration for a database that is publicly accessible',
    *check(f) {
      for (const c of own(f)) {
        const arn = arnTarget(c);
        if (c.type !== 'ARN' || !arn || !RDS_ARN.test(arn)) continue;
        if (!f.databaseOf(c)?.publiclyAccessible) continue;
        yield {
          message: `configuration ${c.name} is ARN type on a publicly accessible database: AWS rejects it`,
          fix: 'set PubliclyAccessible: false on the DB instances, or use a SINGLE configuration',
          resource: at(f, c),
        };
      }
    },
  },
  {
    id: 'LS-RC3',
    severities: ['error'],
    summary: 'IP target outside 10/8, 100.64/10, 172.16/12, 192.168/16',
    why: 'an IP resource must be a private (RFC 1918) or shared (RFC 6598) address',
    *check(f) {
      for (const c of own(f)) {
        const d = c.definition;
        if (!d || !('ip' in d) || d.ip.includes(':') || unknownIn(d.ip)) continue;
        if (PRIVATE.some((p) => covers(p, `${d.ip}/32`))) continue;
        yield {
          message: `configuration ${c.name} targets ${d.ip}, which is not a private address: AWS rejects it`,
          fix: `use an address from ${PRIVATE.join(', ')}`,
          resource: at(f, c),
        };
      }
    },
  },
  {
    id: 'LS-RC4',
    severities: ['error'],
    summary: 'SINGLE or GROUP without `ProtocolType: TCP`',
    why: 'resource configurations carry TCP only',
    *check(f) {
      for (const c of own(f)) {
        if ((c.type !== 'SINGLE' && c.type !== 'GROUP') || c.protocol === 'TCP') continue;
        const has = c.protocol ? `protocol ${c.protocol}` : 'no ProtocolType';
        yield {
          message: `configuration ${c.name} (${c.type}) has ${has}: only TCP is supported`,
          fix: 'set ProtocolType: TCP',
          resource: at(f, c),
        };
      }
    },
  },
  {
    id: 'LS-RC5',
    severities: ['error'],
    summary: "SINGLE, GROUP or CHILD without port ranges (a child may take its group's)",
    why: 'a configuration without port ranges admits no port: every connection through it fails',
    *check(f) {
      for (const c of own(f)) {
        if (c.type !== 'SINGLE' && c.type !== 'GROUP' && c.type !== 'CHILD') continue;
        const parent = c.groupId ? f.configurationsById.get(c.groupId) : undefined;
        if (c.portRanges.length || parent?.portRanges.length) continue;
        yield {
          message: `configuration ${c.name} (${c.type}) has no PortRanges: clients could use no port`,
          fix: 'set PortRanges, e.g. ["5432"]',
          resource: at(f, c),
        };
      }
    },
  },
  {
    id: 'LS-RC6',
    severities: ['error'],
    summary: '`CustomDomainName` on a GROUP (groups take `GroupDomain`)',
    why: "a group's members carry the custom domains; the group itself takes only their common GroupDomain",
    *check(f) {
      for (const c of own(f)) {
        if (c.type !== 'GROUP' || !c.customDomain) continue;
        yield {
          message: `configuration ${c.name} is a GROUP with CustomDomainName ${c.customDomain}: groups take GroupDomain, members take custom domains`,
          fix: 'move the name to GroupDomain, and give each CHILD its own CustomDomainName under it',
          resource: at(f, c),
        };
      }
    },
  },
  {
    id: 'LS-RC7',
    severities: ['warning'],
    summary:
      '`AllowAssociationToSharableServiceNetwork` true with no sharable service network in the templates that holds it',
    why: 'a consumer could put the configuration in a service network of its own and share it on',
    *check(f) {
      const inSharable = new Set(
        f.m.resourceAssociations
          .filter((a) => f.serviceNetwork(a.serviceNetwork)?.sharable)
          .map((a) => a.configuration.split('/').pop()),
      );
      for (const c of own(f)) {
        if (c.type === 'CHILD' || !c.allowSharableServiceNetwork || inSharable.has(c.id)) continue;
        yield {
          message: `configuration ${c.name} allows association to sharable service networks, and no service network in these templates needs it: a consumer could re-share it`,
          fix: 'set AllowAssociationToSharableServiceNetwork: false',
          resource: at(f, c),
        };
      }
    },
  },
  {
    id: 'LS-RC8',
    severities: ['error'],
    summary: 'port ranges that leave out the port of the database the configuration targets',
    why: 'VPC Lattice carries only the ports in PortRanges; clients connect on the port the database listens on',
    *check(f) {
      for (const c of own(f)) {
        const db = f.databaseOf(c);
        if (!db || !c.portRanges.length || inRanges(db.port, c.portRanges)) continue;
        yield {
          message: `configuration ${c.name} carries ${c.portRanges.join(', ')}, but database ${db.id} listens on ${db.port}`,
          fix: `add ${db.port} to PortRanges of ${c.name}`,
          resource: at(f, c),
        };
      }
    },
  },
  {
    id: 'LS-RC9',
    severities: ['error'],
    summary: 'a deployed configuration that is not active (doctor): failed, or being deleted',
    why: 'VPC Lattice carries traffic only to an active configuration; its failure reason says what AWS refused',
    *check(f) {
      for (const c of f.m.configurations) {
        if (!c.state || /^(active|(create|update)_in_progress)$/i.test(c.state)) continue;
        yield {
          message: `configuration ${c.name} (${c.id}) is ${c.state}${c.lastError ? `: ${c.lastError}` : ''}`,
          fix: `aws vpc-lattice get-resource-configuration --resource-configuration-identifier ${c.id} says why (failureReason); fix the cause, then update or create it again`,
          resource: f.ref(c.source, c.id),
        };
      }
    },
  },
];
