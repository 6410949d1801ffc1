// Entry point of the check box: every client, every name it could use for what is shared with its VPC, followed hop
// by hop over the infra model; lint findings; expectations. Reads the model only.
import type { InfraModel } from '../model/index.js';
import { parseExpectation, evaluate, type Expectation } from './expect.js';
import { Facts } from './facts.js';
import { clientsOf, flowOf, namesOf, unservedName, type Candidate } from './flows.js';
import { lint } from './rules/index.js';
import { traceCall } from './paths.js';
import type { CheckReport, Client, Disposition, ExpectationResult, Flow } from './types.js';

export * from './types.js';
export { renderReport } from './render.js';
export { parseExpectation, ExpectationError, type Expectation } from './expect.js';
export { Facts } from './facts.js';
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
  // Declared paths: client|endpoint → whether the resource's own names (private DNS) are part of it, or (service
  // networks) the names that are.
  const declared = new Map<string, { privateDns: boolean; names?: Map<string, number> }>();
  for (const x of m.expectations) {
    const names = x.names.length ? new Map(x.names.map((n) => [n.name.toLowerCase(), n.port])) : undefined;
    for (const c of x.clients)
      declared.set(`${'instanceId' in c ? c.instanceId : c.securityGroupId}|${x.endpointId}`, {
        privateDns: x.privateDns,
        names,
      });
  }
  const keyOf = (client: Client, endpointId: string) =>
    `${client.instanceId ?? client.securityGroupIds[0]}|${endpointId}`;
  const isDeclared = (client: Client, c: Candidate) => {
    const d = declared.get(keyOf(client, c.endpoint.id));
    if (!d) return false;
    if (d.names) return d.names.has(c.name.toLowerCase());
    return c.kind !== 'original' || (d.privateDns && !!c.customDomain);
  };
  const flows: Flow[] = [];
  const candidates = new Map<string, Candidate[]>();
  for (const client of clients) {
    let names = candidates.get(client.vpcId);
    if (!names) candidates.set(client.vpcId, (names = namesOf(f, client.vpcId)));
    for (const c of names) flows.push(flowOf(f, client, c, isDeclared(client, c)));
    // A declared name no association serves (a resource missing from the service network) is followed too.
    for (const ep of f.endpointsByVpc.get(client.vpcId) ?? []) {
      for (const [name, port] of declared.get(keyOf(client, ep.id))?.names ?? []) {
        if (!names.some((c) => c.name.toLowerCase() === name))
          flows.push(flowOf(f, client, unservedName(f, ep, name, port), true));
      }
    }
  }
  // API calls (EventBridge destinations, Step Functions HTTP tasks): each was written to work, so each is expected.
  const callResults: ExpectationResult[] = [];
  for (const call of m.calls) {
    const { host, port, attempt } = traceCall(f, call);
    const conn = m.connections.find((c) => c.arn === call.connectionArn);
    const client: Client = {
      label: call.name,
      vpcId: call.kind === 'api-destination' ? 'events.amazonaws.com' : 'states.amazonaws.com',
      securityGroupIds: [],
    };
    const decidedBy =
      attempt.hops.find((h) => h.status === 'block') ?? attempt.hops.find((h) => h.status === 'unknown');
    flows.push({
      client,
      name: host,
      port,
      nameKind: 'api',
      endpointId: conn?.id ?? call.connectionArn,
      configuration: conn?.configurationArn
        ? (f.configurations.get(conn.configurationArn)?.name ?? conn.configurationArn)
        : '(public)',
      expected: true,
      disposition: attempt.disposition,
      attempts: [attempt],
      ...(decidedBy ? { decidedBy } : {}),
    });
    const expectation = `declared: ${call.kind === 'api-destination' ? 'API destination' : 'HTTP task'} ${call.name}`;
    const say = decidedBy ? `${decidedBy.hop}: ${decidedBy.detail}` : '';
    callResults.push(
      attempt.disposition === 'REACHABLE'
        ? { expectation, result: 'holds', detail: `${call.method} ${call.url} reachable` }
        : attempt.disposition === 'UNKNOWN'
          ? { expectation, result: 'unknown', detail: say }
          : { expectation, result: 'fails', detail: say },
    );
  }
  const expectedBy = new Map<string, Flow[]>();
  for (const fl of flows) {
    if (!fl.expected) continue;
    const mine = expectedBy.get(fl.endpointId);
    if (mine) mine.push(fl);
    else expectedBy.set(fl.endpointId, [fl]);
  }
  const results: ExpectationResult[] = m.expectations.map((x) => {
    const mine = expectedBy.get(x.endpointId) ?? [];
    const broken = mine.filter((fl) => fl.disposition === 'BLOCKED' || fl.disposition === 'PARTIAL');
    const unsure = mine.filter((fl) => fl.disposition === 'UNKNOWN');
    const first = (fl: Flow) =>
      `${fl.client.label} → ${fl.name}:${fl.port} (${fl.decidedBy?.hop ?? fl.disposition}: ${fl.decidedBy?.detail ?? ''})`;
    const expectation = `declared: ${x.consumer} (${x.endpointId})`;
    if (!mine.length) return { expectation, result: 'fails', detail: `no client of ${x.consumer} is in the templates` };
    if (broken.length)
      return {
        expectation,
        result: 'fails',
        detail: `${broken.length} of ${mine.length} paths not reachable, first: ${first(broken[0]!)}`,
      };
    if (unsure.length)
      return {
        expectation,
        result: 'unknown',
        detail: `${unsure.length} of ${mine.length} paths unknown, first: ${first(unsure[0]!)}`,
      };
    return { expectation, result: 'holds', detail: `${mine.length} paths reachable` };
  });
  results.push(...callResults);
  for (const x of expectations) results.push(evaluate(f, x, clients, flows));
  const findings = lint(f);
  const count = (d: Disposition) => flows.filter((x) => x.disposition === d).length;
  const summary = {
    clients: clients.length + m.calls.length,
    flows: flows.length,
    reachable: count('REACHABLE'),
    blocked: count('BLOCKED'),
    partial: count('PARTIAL'),
    unknown: count('UNKNOWN'),
    expectationsFailed: results.filter((r) => r.result === 'fails').length,
    expectationsUnknown: results.filter((r) => r.result === 'unknown').length,
    errors: findings.filter((x) => x.severity === 'error').length,
    warnings: findings.filter((x) => x.severity === 'warning').length,
  };
  const ok =
    summary.errors === 0 && summary.expectationsFailed === 0 && (!options.strict || summary.expectationsUnknown === 0);
  return { version: 1, ok, summary, flows, findings, expectations: results, warnings: m.warnings };
}
