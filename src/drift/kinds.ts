// The kinds drift compares, as data: for each, the template entities, the live ones, a name, and the properties a path
// depends on (each with the template property that sets it, and its value on either side: the templates' values are
// translated to live IDs first). Security groups compare their rules instead (compare.ts), both ways.
import type { InfraModel, Source } from '../model/index.js';
import { groupRules, zonesKnown, zonesOf, type DriftItem } from './compare.js';
import type { Identity } from './identity.js';

export type Side = 'templates' | 'live';
type Value = string | boolean | readonly string[] | undefined;

export interface Base {
  readonly id: string;
  readonly arn?: string;
  readonly source?: Source;
}

/**
 * One property: what it is called, the template property that sets it, its value on a side, and when it applies (a
 * private DNS preference only where private DNS is on, on both sides).
 */
export type Prop<T> = readonly [
  label: string,
  property: string,
  value: (x: T, side: Side) => Value,
  applies?: (t: T, live: T) => boolean,
];

export interface Kind<T extends Base> {
  readonly name: (x: T) => string;
  readonly templates: readonly T[];
  readonly live: readonly T[];
  readonly props?: readonly Prop<T>[];
  /** Instead of properties: a comparison of its own (a group's rules). */
  readonly compare?: (t: T, live: T) => DriftItem[];
  /** Whether doctor read the live one whole enough to compare (not a group whose rules it could not read). */
  readonly readWhole?: (live: T) => boolean;
}

/** A kind with its own entity type, kept in one list with the others. */
const kind = <T extends Base>(k: Kind<T>) => k as unknown as Kind<Base>;

type Share = InfraModel['shares'][number];
const principal = (p: Share['principals'][number]) => (p.kind === 'account' ? p.id : p.arn);
const asShare = (s: Share) => ({ ...s, id: s.arn });

export function kindsOf(tm: InfraModel, lm: InfraModel, id: Identity): Kind<Base>[] {
  const tr = (side: Side, values: readonly string[]) => (side === 'templates' ? values.map((v) => id.live(v)) : values);
  const model = (side: Side) => (side === 'templates' ? tm : lm);
  return [
    kind({
      name: (x) => `VPC ${x.id}`,
      templates: tm.vpcs.filter((v) => v.created),
      live: lm.vpcs,
      props: [
        ['DNS support', 'EnableDnsSupport', (x) => x.dnsSupport],
        ['DNS host names', 'EnableDnsHostnames', (x) => x.dnsHostnames],
      ],
    }),
    kind({
      name: (x) => `security group ${x.id}`,
      templates: tm.securityGroups.filter((g) => g.created),
      live: lm.securityGroups,
      compare: (t, live) => groupRules(t, live, id),
      readWhole: (live) => live.created,
    }),
    kind({
      name: (x) => `gateway ${x.name}`,
      templates: tm.gateways,
      live: lm.gateways,
      props: [
        ['security groups', 'SecurityGroupIds', (x, side) => tr(side, x.securityGroupIds)],
        [
          'zones',
          'SubnetIds',
          (x, side) => zonesOf(model(side), x.eniIds),
          (t, live) => zonesKnown(tm, t.eniIds, lm, live.eniIds),
        ],
      ],
    }),
    ...sharingKinds(tm, lm, tr),
    ...pathKinds(tm, lm, tr, model),
  ];
}

/** What is shared: configurations (their ports, target, domain) and shares (their principals and resources). */
function sharingKinds(
  tm: InfraModel,
  lm: InfraModel,
  tr: (side: Side, values: readonly string[]) => readonly string[],
): Kind<Base>[] {
  return [
    kind({
      name: (x) => `configuration ${x.name}`,
      templates: tm.configurations.filter((x) => !x.amazonManaged && !x.outside),
      live: lm.configurations,
      props: [
        ['port ranges', 'PortRanges', (x) => x.portRanges],
        [
          'target',
          'ResourceConfigurationDefinition',
          (x, side) => (x.definition ? tr(side, Object.values(x.definition)) : undefined),
        ],
        ['custom domain', 'CustomDomainName', (x) => x.customDomain],
        [
          'association to sharable service networks',
          'AllowAssociationToSharableServiceNetwork',
          (x) => x.allowSharableServiceNetwork,
        ],
      ],
    }),
    kind({
      name: (x) => `share ${x.name}`,
      templates: tm.shares.map(asShare),
      live: lm.shares.map(asShare),
      props: [
        ['principals', 'Principals', (x) => x.principals.map(principal)],
        ['resources', 'ResourceArns', (x, side) => tr(side, x.resourceArns)],
        ['external principals', 'AllowExternalPrincipals', (x) => x.allowExternalPrincipals],
      ],
    }),
  ];
}

/** How consumers reach: endpoints and VPC associations, resource associations, service networks; and databases. */
function pathKinds(
  tm: InfraModel,
  lm: InfraModel,
  tr: (side: Side, values: readonly string[]) => readonly string[],
  model: (side: Side) => InfraModel,
): Kind<Base>[] {
  return [
    kind({
      name: (x) => `${x.type === 'VpcAssociation' ? 'service-network VPC association' : 'endpoint'} ${x.id}`,
      templates: tm.endpoints,
      live: lm.endpoints,
      props: [
        ['private DNS', 'PrivateDnsEnabled', (x) => x.privateDns],
        [
          'private DNS preference',
          'DnsOptions.PrivateDnsPreference',
          (x) => x.privateDnsPreference,
          (t, live) => t.privateDns && live.privateDns,
        ],
        ['security groups', 'SecurityGroupIds', (x, side) => tr(side, x.securityGroupIds)],
        [
          'zones',
          'SubnetIds',
          (x, side) => zonesOf(model(side), x.eniIds),
          (t, live) => t.type !== 'VpcAssociation' && zonesKnown(tm, t.eniIds, lm, live.eniIds),
        ],
        [
          'configuration',
          'ResourceConfigurationArn',
          (x, side) => (x.type === 'Resource' ? tr(side, [x.configurationArn]) : undefined),
        ],
      ],
    }),
    kind({
      name: (x) => `resource association ${x.id}`,
      templates: tm.resourceAssociations,
      live: lm.resourceAssociations,
      props: [['private DNS', 'PrivateDnsEnabled', (x) => x.privateDns]],
    }),
    kind({
      name: (x) => `service network ${x.name}`,
      templates: tm.serviceNetworks,
      live: lm.serviceNetworks,
      props: [['sharable', 'SharingConfig.enabled', (x) => x.sharable]],
    }),
    kind({
      name: (x) => `database ${x.id}`,
      templates: tm.databases.filter((d) => d.created),
      live: lm.databases,
      // A cluster RDS could not describe is known only from VPC Lattice (no engine, no groups): not compared.
      readWhole: (live) => live.engine !== '',
      props: [
        ['port', 'Port', (x) => String(x.port)],
        ['security groups', 'VpcSecurityGroupIds', (x, side) => tr(side, x.securityGroupIds)],
      ],
    }),
  ];
}
