// What runs in the twin's namespaces as processes: a resolver per VPC and a PostgreSQL per cluster.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InfraModel } from '../model/index.js';
import { hex } from '../shared/index.js';
import type { DatabaseConfig, DnsConfig } from './agent.js';
import { startAgent, type StartedAgent } from './agents.js';
import type { TwinPlan } from './plan.js';
import { twinDir, type TwinState } from './state.js';

export interface ServiceOptions {
  readonly progress: (line: string) => void;
}

export interface DatabaseRun {
  readonly id: string;
  readonly user: string;
  readonly database: string;
  readonly passwordFile: string;
}

const h = (s: string) => hex(s, 10);

export async function startServices(state: TwinState, plan: TwinPlan, m: InfraModel, o: ServiceOptions): Promise<{ databases: DatabaseRun[]; warnings: string[] }> {
  const dir = twinDir(state.name);
  const started: StartedAgent[] = [];
  const warnings: string[] = [];
  // A VPC with EnableDnsSupport false has no resolver: queries go unanswered.
  for (const seg of plan.segments.filter((x) => x.dns)) {
    started.push(startAgent(state, seg.namespace, 'dns', `dns-${h(seg.vpcId)}`, { listen: seg.resolver, records: seg.records } satisfies DnsConfig));
  }
  const databases: DatabaseRun[] = [];
  for (const db of m.databases) {
    const writer = plan.nodes.find((n) => n.eniId === db.eniIds[0]);
    if (!writer) continue;
    if (!/postgres/.test(db.engine)) { warnings.push(`database ${db.id}: engine ${db.engine} is not run by the twin (PostgreSQL only)`); continue; }
    const passwordFile = join(dir, `${db.id}.password`);
    writeFileSync(passwordFile, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
    const run = { id: db.id, user: db.masterUser ?? 'postgres', database: db.databaseName ?? 'postgres', passwordFile };
    databases.push(run);
    started.push(startAgent(state, writer.namespace, 'database', `db-${h(db.id)}`, {
      dataDir: join(dir, `db-${h(db.id)}`), address: writer.ip, port: db.port, user: run.user, passwordFile, database: run.database,
    } satisfies DatabaseConfig, 90_000));
  }
  for (const ep of plan.nodes.filter((n) => n.role === 'endpoint')) {
    for (const r of ep.routes) if (r.refused) warnings.push(`endpoint ${ep.ownerId} (${r.listen}): not carried: ${r.refused}`);
  }
  o.progress(`${started.length} agents starting (resolvers, ${databases.length} PostgreSQL)`);
  await Promise.all(started.map((a) => a.ready));
  return { databases, warnings: [...new Set(warnings)] };
}
