// Entry point of the check box: every client, every name it could use for what is shared with its VPC, followed hop
// by hop over the infra model; lint findings; expectations. Reads the model only.
import type { InfraModel } from '../model/index.js';
import { parseExpectation, evaluate, type Expectation } from './expect.js';
import { Facts } from './facts.js';
import { clientsOf, flowOf, namesOf, type Candidate } from './flows.js';
import { lint } from './lint.js';
import type { CheckReport, Client, Disposition, ExpectationResult, Flow } from './types.js';

export * from './types.js';
export { renderReport } from './render.js';
export { parseExpectation, ExpectationError, type Expectation } from './expect.js';
export { Facts } from './facts.js';
export { clientsOf, flowOf, namesOf, type Candidate } from './flows.js';
export { trace } from './paths.js';

export interface CheckOptions {
  /** Extra expectations, as written on the command line ("app -> orders-db", "other !-> orders-db"). */
  readonly expect?: string[];
}

export function check(m: InfraModel, options: CheckOptions = {}): CheckReport {
  const expectations: Expectation[] = (options.expect ?? []).map(parseExpectation);
  const f = new Facts(m);
  const clients = clientsOf(f);
  // Declared paths: client|endpoint → whether the resource's own names (private DNS) are part of it.
  const declared = new Map<string, boolean>();
  for (const x of m.expectations) {
    for (const c of x.clients) declared.set(`${'instanceId' in c ? c.instanceId : c.securityGroupId}|${x.endpointId}`, x.privateDns);
  }
  const isDeclared = (client: Client, c: Candidate) => {
    const key = client.instanceId ? `${client.instanceId}|${c.endpoint.id}` : `${client.securityGroupIds[0]}|${c.endpoint.id}`;
    return declared.has(key) && (c.kind !== 'original' || (declared.get(key)! && !!c.customDomain));
  };
  const flows: Flow[] = [];
  const candidates = new Map<string, Candidate[]>();
  for (const client of clients) {
    let names = candidates.get(client.vpcId);
    if (!names) candidates.set(client.vpcId, names = namesOf(f, client.vpcId));
    for (const c of names) flows.push(flowOf(f, client, c, isDeclared(client, c)));
  }
  const results: ExpectationResult[] = m.expectations.map((x) => {
    const mine = flows.filter((fl) => fl.expected && fl.endpointId === x.endpointId);
    const broken = mine.filter((fl) => fl.disposition !== 'REACHABLE');
    return {
      expectation: `declared: ${x.consumer} (${x.endpointId})`,
      holds: broken.length === 0 && mine.length > 0,
      detail: mine.length === 0 ? `no client of ${x.consumer} is in the templates` : broken.length === 0 ? `${mine.length} paths reachable`
        : `${broken.length} of ${mine.length} paths not reachable, first: ${broken[0]!.client.label} → ${broken[0]!.name}:${broken[0]!.port} (${broken[0]!.decidedBy?.hop ?? broken[0]!.disposition})`,
    };
  });
  for (const x of expectations) results.push(evaluate(f, x, clients, flows));
  const findings = lint(f);
  const count = (d: Disposition) => flows.filter((x) => x.disposition === d).length;
  const summary = {
    clients: clients.length, flows: flows.length, reachable: count('REACHABLE'), blocked: count('BLOCKED'), partial: count('PARTIAL'), unknown: count('UNKNOWN'),
    expectationsFailed: results.filter((r) => !r.holds).length,
    errors: findings.filter((x) => x.severity === 'error').length, warnings: findings.filter((x) => x.severity === 'warning').length,
  };
  return { version: 1, ok: summary.errors === 0 && summary.expectationsFailed === 0, summary, flows, findings, expectations: results, warnings: m.warnings };
}
