// What differs between a template resource and the live one it became, kind by kind: the properties a path depends
// on (rules, principals, private DNS, ports, zones), each with the template path that changes it.
import type { Eni, InfraModel, Rule, SecurityGroup, Source } from '../model/index.js';
import type { Identity } from './identity.js';

/** One difference: what the templates say and what is deployed, and where in the templates it is set. */
export interface DriftItem {
  readonly change: 'missing' | 'extra' | 'changed';
  /** What differs, in words: "ingress rule tcp 5432 from sg-… of sg-…". */
  readonly what: string;
  /** The template path that sets it: Stack/LogicalId[.Property]. */
  readonly path: string;
  readonly templates?: string;
  readonly live?: string;
}

export const pathOf = (source: Source | undefined, property?: string) =>
  source ? `${source.stack}/${source.logicalId}${property ? `.${property}` : ''}` : '(not in the templates)';

const text = (values: readonly string[]) => [...values].sort().join(', ') || '(none)';

/** A property compared as a set or a value: one "changed" item when they differ. */
export function changed(
  what: string,
  path: string,
  template: string | boolean | readonly string[] | undefined,
  live: string | boolean | readonly string[] | undefined,
): DriftItem[] {
  const show = (v: typeof template) => (Array.isArray(v) ? text(v) : String(v ?? '(none)'));
  return show(template) === show(live)
    ? []
    : [{ change: 'changed', what, path, templates: show(template), live: show(live) }];
}

const peerOf = (rule: Rule, id: Identity) =>
  'cidr' in rule.peer
    ? rule.peer.cidr
    : 'securityGroupId' in rule.peer
      ? id.live(rule.peer.securityGroupId)
      : rule.peer.prefixListId;

const ruleKey = (rule: Rule, id: Identity) =>
  `${rule.protocol === '-1' ? 'all' : rule.protocol} ${rule.protocol === '-1' ? 'ports' : `${rule.fromPort}-${rule.toPort}`} ${peerOf(rule, id)}`;

/** A group's rules, both ways: each template rule missing, each live rule the templates do not have. */
export function groupRules(t: SecurityGroup, live: SecurityGroup, id: Identity): DriftItem[] {
  const out: DriftItem[] = [];
  for (const way of ['ingress', 'egress'] as const) {
    const liveKeys = new Set(live[way].map((r) => ruleKey(r, id)));
    const templateKeys = new Set(t[way].map((r) => ruleKey(r, id)));
    const toFrom = way === 'ingress' ? 'from' : 'to';
    for (const rule of t[way])
      if (!liveKeys.has(ruleKey(rule, id)))
        out.push({
          change: 'missing',
          what: `${way} rule ${ruleKey(rule, id).replace(/ (\S+)$/, ` ${toFrom} $1`)} of ${live.id}`,
          path: pathOf(
            rule.source ?? t.source,
            rule.source ? undefined : way === 'ingress' ? 'SecurityGroupIngress' : 'SecurityGroupEgress',
          ),
        });
    for (const rule of live[way])
      if (!templateKeys.has(ruleKey(rule, id)))
        out.push({
          change: 'extra',
          what: `${way} rule ${ruleKey(rule, id).replace(/ (\S+)$/, ` ${toFrom} $1`)} of ${live.id}${rule.description ? ` ("${rule.description}")` : ''}`,
          path: pathOf(t.source),
        });
  }
  return out;
}

/**
 * The zones of a set of interfaces, by name: a gateway's or an endpoint's are compared within its own account, where
 * names are the same on both sides (the templates give zone IDs only when a config says them).
 */
export const zonesOf = (m: InfraModel, eniIds: readonly string[]) => [
  ...new Set(eniIds.map((e) => m.enis.find((x) => x.id === e)).map((e?: Eni) => e?.az ?? '?')),
];

/** Whether zones can be compared: every template interface has a zone, and the live interfaces were read. */
export const zonesKnown = (tm: InfraModel, t: readonly string[], lm: InfraModel, live: readonly string[]) =>
  live.length > 0 && !zonesOf(tm, t).includes('?') && !zonesOf(lm, live).includes('?');
