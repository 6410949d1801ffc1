// Drift: what is deployed against what the templates say (doctor --against). Each template resource is matched to the
// live one CloudFormation says it became, and compared on what a path depends on: security group rules (both ways),
// share principals and resources, private DNS, ports, zones, DNS support. A resource the templates make that is not
// deployed is missing; a rule, principal or endpoint (in a VPC of the templates) that they do not make is extra.
import type { InfraModel } from '../model/index.js';
import type { StackResources } from '../model/live/index.js';
import { changed, pathOf, type DriftItem } from './compare.js';
import { Identity } from './identity.js';
import { kindsOf, type Base, type Kind } from './kinds.js';

export type { DriftItem } from './compare.js';

/**
 * What differs between the templates' model and the live one, given CloudFormation's stack resources (which live
 * resource each template resource became). Only stacks CloudFormation listed are compared; one it does not know is
 * missing as a whole.
 */
export function drift(templates: InfraModel, live: InfraModel, stacks: StackResources): DriftItem[] {
  const id = new Identity(stacks.resources);
  id.learn(templates, live);
  const read = new Set(stacks.resources.map((r) => r.stack));
  const out: DriftItem[] = stacks.missing.map((stack) => ({
    change: 'missing',
    what: `stack ${stack} is not deployed`,
    path: stack,
  }));
  for (const k of kindsOf(templates, live, id)) out.push(...compareKind(k, id, read));
  return [...out, ...extraEndpoints(templates, live, id)];
}

/** Each template entity of a kind: missing, or compared with the live one it became. */
function compareKind(k: Kind<Base>, id: Identity, read: Set<string>): DriftItem[] {
  const out: DriftItem[] = [];
  for (const t of k.templates) {
    if (!t.source || !read.has(t.source.stack)) continue;
    const physical = id.physicalOf(t.source);
    const found = k.live.find((x) => x.id === physical || x.arn === physical || x.id === physical?.split('/').pop());
    if (!physical)
      out.push({
        change: 'missing',
        what: `${k.name(t)}: not in the deployed stack (deploy again)`,
        path: pathOf(t.source),
      });
    else if (!found)
      out.push({
        change: 'missing',
        what: `${k.name(t)}: CloudFormation made ${physical}, which is gone`,
        path: pathOf(t.source),
      });
    // What doctor could not read whole (a group's rules, a cluster known only from VPC Lattice) is not compared.
    else if (k.readWhole?.(found) !== false) out.push(...(k.compare ? k.compare(t, found) : properties(k, t, found)));
  }
  return out;
}

/** A kind's properties, template against live: one "changed" item for each that differs. */
function properties(k: Kind<Base>, t: Base, live: Base): DriftItem[] {
  return (k.props ?? []).flatMap(([label, property, value, applies]) =>
    !applies || applies(t, live)
      ? changed(`${k.name(live)}: ${label}`, pathOf(t.source, property), value(t, 'templates'), value(live, 'live'))
      : [],
  );
}

/** Endpoints and VPC associations in the templates' VPCs that no template makes. */
function extraEndpoints(templates: InfraModel, live: InfraModel, id: Identity): DriftItem[] {
  const vpcs = new Map(templates.vpcs.filter((v) => v.created).map((v) => [id.live(v.id), v]));
  const made = new Set(templates.endpoints.map((e) => id.live(e.id)));
  return live.endpoints
    .filter((e) => vpcs.has(e.vpcId) && !made.has(e.id))
    .map((e) => ({
      change: 'extra' as const,
      what: `${e.type === 'VpcAssociation' ? 'service-network VPC association' : 'endpoint'} ${e.id} in ${e.vpcId}, which the templates do not make`,
      path: pathOf(vpcs.get(e.vpcId)?.source),
    }));
}

/** The drift as lines: a header, then one line per difference with the path to change. */
export function renderDrift(items: readonly DriftItem[]): string {
  if (!items.length) return 'drift: none: what is deployed is what the templates say';
  const lines = items.map(
    (x) =>
      `  ${x.change.padEnd(8)} ${x.what}${x.change === 'changed' ? `: templates ${x.templates}, deployed ${x.live}` : ''}\n           at ${x.path}`,
  );
  return [`drift: ${items.length} difference(s) between the templates and what is deployed`, ...lines].join('\n');
}
