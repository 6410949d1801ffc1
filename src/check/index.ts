// Entry point of the check box: every client, every name it could use for what is shared with its VPC, followed hop
// by hop over the infra model; lint findings; expectations. Reads the model only.
import type { InfraModel } from '../model/index.js';
import { parseExpectation, evaluate, type Expectation } from './expect.js';
import { Facts } from './facts.js';
import { clientsOf, flowOf, namesOf, unservedName, type Candidate } from './flows.js';
import { lint } from './rules/index.js';
import { callFlow } from './calls.js';
import { Declared, declaredResults } from './declared.js';
import type { CheckReport, Client, Disposition, ExpectationResult, Finding, Flow } from './types.js';

export * from './types.js';
export { renderReport, reportLines } from './render.js';
export { parseExpectation, ExpectationError, type Expectation } from './expect.js';
export { Facts } from './facts.js';
export { ramAccess, type RamAccess } from './access.js';
export { clientsOf, flowOf, namesOf, unservedName, type Candidate } from './flows.js';

export interface CheckOptions {
  /** Extra expectations, as written on the command line ("app -> orders-db", "other !-> orders-db"). */
  readonly expect?: string[];
  /** An expectation whose paths are UNKNOWN fails too. @default false */
  readonly strict?: boolean;
}

export function check(m: InfraModel, options: CheckOptions = {}): CheckReport {
  const expectations: Expectation[] = (options.expect ?? []).map(parseExpectation);
  const f = new Facts(m);
  const clients = clientsOf(f);
  const flows = clientFlows(f, clients, new Declared(m));
  const calls = m.calls.map((call) => callFlow(f, call));
  flows.push(...calls.map((call) => call.flow));
  const results = [...declaredResults(m, flows), ...calls.map((call) => call.result)];
  for (const x of expectations) results.push(evaluate(f, x, clients, flows));
  const findings = lint(f);
  const summary = summaryOf(flows, results, findings, clients.length + m.calls.length);
  const ok =
    summary.errors === 0 && summary.expectationsFailed === 0 && (!options.strict || summary.expectationsUnknown === 0);
  return {
    version: 2,
    ok,
    summary,
    flows,
    findings,
    expectations: results,
    warnings: m.warnings,
    skipped: m.unmodelled,
  };
}

/** Every client's flow to every name it could use, and to each declared name no association serves. */
function clientFlows(f: Facts, clients: Client[], declared: Declared): Flow[] {
  const flows: Flow[] = [];
  const candidates = new Map<string, Candidate[]>();
  for (const client of clients) {
    let names = candidates.get(client.vpcId);
    if (!names) candidates.set(client.vpcId, (names = namesOf(f, client.vpcId)));
    for (const c of names) flows.push(flowOf(f, client, c, declared.covers(client, c)));
    // A declared name no association serves (a resource missing from the service network) is followed too.
    for (const endpoint of f.endpointsByVpc.get(client.vpcId) ?? []) {
      for (const [name, port] of declared.names(client, endpoint)) {
        if (!names.some((c) => c.name.toLowerCase() === name))
          flows.push(flowOf(f, client, unservedName(f, endpoint, name, port), true));
      }
    }
  }
  return flows;
}

function summaryOf(
  flows: Flow[],
  results: ExpectationResult[],
  findings: Finding[],
  clients: number,
): CheckReport['summary'] {
  // One pass over the flows (a large estate has tens of thousands), not one per disposition.
  const count: Record<Disposition, number> = { REACHABLE: 0, BLOCKED: 0, PARTIAL: 0, UNKNOWN: 0 };
  for (const flow of flows) count[flow.disposition]++;
  return {
    clients,
    flows: flows.length,
    reachable: count.REACHABLE,
    blocked: count.BLOCKED,
    partial: count.PARTIAL,
    unknown: count.UNKNOWN,
    expectationsFailed: results.filter((r) => r.result === 'fails').length,
    expectationsUnknown: results.filter((r) => r.result === 'unknown').length,
    errors: findings.filter((x) => x.severity === 'error').length,
    warnings: findings.filter((x) => x.severity === 'warning').length,
  };
}
