// Expectations a user states on the command line: "app -> orders-db", "other !-> orders-db:5432".
//   CLIENT   a workload name, an instance ID or a security group ID
//   TARGET   a configuration name or ID (any name of it counts), or a DNS name; :PORT optional
// "->" holds when at least one such path is reachable; "!->" when none is (nor partly).
import { LatticeShareError } from '../shared/errors.js';
import type { Facts } from './facts.js';
import { flowOf, namesOf, type Candidate } from './flows.js';
import type { Client, ExpectationResult, Flow } from './types.js';

export class ExpectationError extends LatticeShareError {
  constructor(message: string) {
    super('LS_EXPECTATION_INVALID', message);
  }
}

export interface Expectation {
  readonly text: string;
  readonly client: string;
  readonly reach: boolean;
  readonly target: string;
  readonly port?: number;
}

const FORM = /^\s*(\S+)\s*(!?->)\s*([^\s:]+)(?::(\d{1,5}))?\s*$/;

export function parseExpectation(text: string): Expectation {
  const m = FORM.exec(text);
  if (!m)
    throw new ExpectationError(
      `--expect "${text}": write CLIENT -> TARGET[:PORT] or CLIENT !-> TARGET[:PORT], e.g. "app -> orders-db"`,
    );
  const port = m[4] === undefined ? undefined : Number(m[4]);
  if (port !== undefined && (port < 1 || port > 65535))
    throw new ExpectationError(`--expect "${text}": port ${port} is not within 1-65535`);
  return { text, client: m[1]!, reach: m[2] === '->', target: m[3]!, ...(port ? { port } : {}) };
}

function clientFor(f: Facts, x: Expectation, clients: Client[]): Client {
  const known = clients.find((c) => c.label === x.client || c.instanceId === x.client);
  if (known) return known;
  const instance = f.m.instances.find((i) => i.name === x.client || i.id === x.client);
  if (instance) {
    const e = f.enis.get(instance.eniId);
    if (e?.vpcId)
      return {
        label: instance.name,
        vpcId: e.vpcId,
        ip: e.ip,
        instanceId: instance.id,
        securityGroupIds: e.securityGroupIds,
      };
  }
  const group = f.groups.get(x.client);
  if (group?.vpcId) return { label: group.id, vpcId: group.vpcId, securityGroupIds: [group.id] };
  throw new ExpectationError(
    `--expect "${x.text}": no workload, instance or security group named ${x.client}; clients: ${[...new Set(clients.map((c) => c.label))].join(', ') || 'none'}`,
  );
}

export function evaluate(f: Facts, x: Expectation, clients: Client[], flows: Flow[]): ExpectationResult {
  const client = clientFor(f, x, clients);
  const names = namesOf(f, client.vpcId);
  const t = x.target.toLowerCase();
  const config = f.m.configurations.find((c) => c.name === x.target || c.id === x.target);
  let matching: Candidate[] = config
    ? names.filter((n) => n.configuration === config.name || n.parent === config.name)
    : names.filter((n) => n.name.toLowerCase() === t);
  if (!config && !matching.length) {
    if (!x.port)
      throw new ExpectationError(
        `--expect "${x.text}": ${x.target} is neither a configuration nor a name of an endpoint in ${client.vpcId}; give a port (NAME:PORT) to test any name`,
      );
    const ep = f.endpointsByVpc.get(client.vpcId)?.[0];
    if (!ep)
      return {
        expectation: x.text,
        result: x.reach ? 'fails' : 'holds',
        detail: `${client.vpcId} has no resource endpoint`,
      };
    matching = [
      { name: x.target, kind: 'original', port: x.port, endpoint: ep, configuration: x.target, parent: x.target },
    ];
  }
  if (!matching.length) {
    return {
      expectation: x.text,
      result: x.reach ? 'fails' : 'holds',
      detail: `no endpoint in ${client.vpcId} reaches ${x.target}`,
    };
  }
  const tried = matching.map((c) => {
    const existing = flows.find((fl) => fl.client === client && fl.name === c.name && fl.port === (x.port ?? c.port));
    if (existing) return existing;
    const flow = flowOf(f, client, c, x.reach, x.port ?? c.port);
    flows.push(flow);
    return flow;
  });
  if (x.reach) for (const fl of tried) (fl as { expected: boolean }).expected = true;
  const ok = tried.filter((fl) => fl.disposition === 'REACHABLE' || fl.disposition === 'PARTIAL');
  const unsure = tried.filter((fl) => fl.disposition === 'UNKNOWN');
  const say = (fl: Flow) =>
    `${fl.name}:${fl.port} ${fl.disposition.toLowerCase()}${fl.decidedBy ? ` at ${fl.decidedBy.hop}: ${fl.decidedBy.detail}` : ''}`;
  if (x.reach) {
    if (ok.length)
      return { expectation: x.text, result: 'holds', detail: `reachable as ${ok[0]!.name}:${ok[0]!.port}` };
    return unsure.length
      ? { expectation: x.text, result: 'unknown', detail: say(unsure[0]!) }
      : { expectation: x.text, result: 'fails', detail: `no name reaches it; ${say(tried[0]!)}` };
  }
  if (ok.length) return { expectation: x.text, result: 'fails', detail: `reachable as ${say(ok[0]!)}` };
  return unsure.length
    ? { expectation: x.text, result: 'unknown', detail: say(unsure[0]!) }
    : { expectation: x.text, result: 'holds', detail: `${tried.length} names tried, none reachable` };
}
