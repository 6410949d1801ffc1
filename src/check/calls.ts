// API calls (EventBridge destinations, Step Functions HTTP tasks) as flows: each was written to work, so each is
// expected, and each is a declared expectation of its own.
import type { ApiCall } from '../model/index.js';
import type { Facts } from './facts.js';
import { traceCall } from './paths/index.js';
import type { Client, ExpectationResult, Flow } from './types.js';

export function callFlow(f: Facts, call: ApiCall): { flow: Flow; result: ExpectationResult } {
  const { host, port, attempt } = traceCall(f, call);
  const connection = f.m.connections.find((c) => c.arn === call.connectionArn);
  const client: Client = {
    label: call.name,
    vpcId: call.kind === 'api-destination' ? 'events.amazonaws.com' : 'states.amazonaws.com',
    securityGroupIds: [],
  };
  const decidedBy = attempt.hops.find((h) => h.status === 'block') ?? attempt.hops.find((h) => h.status === 'unknown');
  const flow: Flow = {
    client,
    name: host,
    port,
    nameKind: 'api',
    endpointId: connection?.id ?? call.connectionArn,
    configuration: connection?.configurationArn
      ? (f.configurations.get(connection.configurationArn)?.name ?? connection.configurationArn)
      : '(public)',
    expected: true,
    disposition: attempt.disposition,
    attempts: [attempt],
    ...(decidedBy ? { decidedBy } : {}),
  };
  const expectation = `declared: ${call.kind === 'api-destination' ? 'API destination' : 'HTTP task'} ${call.name}`;
  const say = decidedBy ? `${decidedBy.hop}: ${decidedBy.detail}` : '';
  const result: ExpectationResult =
    attempt.disposition === 'REACHABLE'
      ? { expectation, result: 'holds', detail: `${call.method} ${call.url} reachable` }
      : { expectation, result: attempt.disposition === 'UNKNOWN' ? 'unknown' : 'fails', detail: say };
  return { flow, result };
}
