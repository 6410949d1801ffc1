// Declared paths (template metadata): which flows a consumer's clients must have, and whether each declaration holds.
import type { Endpoint, InfraModel } from '../model/index.js';
import type { Candidate } from './flows.js';
import type { Client, ExpectationResult, Flow } from './types.js';

interface Declaration {
  /** Whether the resource's own names (private DNS) are part of the path. */
  readonly privateDns: boolean;
  /** Service networks: the names (and ports) that are, lower-cased. */
  readonly names?: Map<string, number>;
}

/** The declared paths of a model, by client (instance or group) and endpoint. */
export class Declared {
  /** By client (instance ID or group ID), then endpoint ID. */
  private readonly byClient = new Map<string, Map<string, Declaration>>();

  constructor(m: InfraModel) {
    for (const x of m.expectations) {
      const names = x.names.length ? new Map(x.names.map((n) => [n.name.toLowerCase(), n.port])) : undefined;
      for (const c of x.clients) {
        const client = 'instanceId' in c ? c.instanceId : c.securityGroupId;
        let mine = this.byClient.get(client);
        if (!mine) this.byClient.set(client, (mine = new Map()));
        mine.set(x.endpointId, { privateDns: x.privateDns, names });
      }
    }
  }

  private get(client: Client, endpointId: string): Declaration | undefined {
    return this.byClient.get(client.instanceId ?? client.securityGroupIds[0] ?? '')?.get(endpointId);
  }

  /** Whether the client's flow to this name is one the templates declare. */
  covers(client: Client, candidate: Candidate): boolean {
    const declaration = this.get(client, candidate.endpoint.id);
    if (!declaration) return false;
    if (declaration.names) return declaration.names.has(candidate.name.toLowerCase());
    return candidate.kind !== 'original' || (declaration.privateDns && !!candidate.customDomain);
  }

  /** The names (and ports) a service-network path declares for this client and endpoint. */
  names(client: Client, endpoint: Endpoint): Map<string, number> {
    return this.get(client, endpoint.id)?.names ?? new Map();
  }
}

/** Whether each declared path holds: every expected flow through its endpoint reachable. */
export function declaredResults(m: InfraModel, flows: Flow[]): ExpectationResult[] {
  const expectedBy = new Map<string, Flow[]>();
  for (const flow of flows) {
    if (!flow.expected) continue;
    const mine = expectedBy.get(flow.endpointId);
    if (mine) mine.push(flow);
    else expectedBy.set(flow.endpointId, [flow]);
  }
  return m.expectations.map((x) => {
    const expectation = `declared: ${x.consumer} (${x.endpointId})`;
    const mine = expectedBy.get(x.endpointId) ?? [];
    if (!mine.length) return { expectation, result: 'fails', detail: `no client of ${x.consumer} is in the templates` };
    const broken = mine.filter((flow) => flow.disposition === 'BLOCKED' || flow.disposition === 'PARTIAL');
    if (broken[0])
      return {
        expectation,
        result: 'fails',
        detail: `${broken.length} of ${mine.length} paths not reachable, first: ${firstOf(broken[0])}`,
      };
    const unsure = mine.filter((flow) => flow.disposition === 'UNKNOWN');
    if (unsure[0])
      return {
        expectation,
        result: 'unknown',
        detail: `${unsure.length} of ${mine.length} paths unknown, first: ${firstOf(unsure[0])}`,
      };
    return { expectation, result: 'holds', detail: `${mine.length} paths reachable` };
  });
}

const firstOf = (flow: Flow) =>
  `${flow.client.label} → ${flow.name}:${flow.port} (${flow.decidedBy?.hop ?? flow.disposition}: ${flow.decidedBy?.detail ?? ''})`;
