// A cluster's failover in a running twin, on the instances themselves: the writer's agent stopped (its server with
// it: connections to it break), the first reader in a live zone promoted (PostgreSQL pg_promote(); MariaDB's
// replication stopped and read_only off), the other readers pointed at it (PostgreSQL: the instance's configuration
// file rewritten and reloaded; MariaDB: CHANGE MASTER by GTID). Without a reader, the writer's server restarts.
// runtime.ts then makes the names and the Lattice hop follow the new writer.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../model/index.js';
import type { DatabaseConfig } from './cache.js';
import { admin, literal } from './mariadb.js';
import type { TwinPlan } from './plan.js';
import { conninfo, writeInstanceConf } from './postgres.js';
import { alive, sameProcess, signal } from './proc.js';
import { agentNames, databasePaths } from './services.js';
import { twinDir, type TwinState } from './state.js';
import { TwinError } from './sys.js';

const failed = (message: string) => new TwinError(message, 'LS_TWIN_FAULT_FAILED');

/** The agent config file of a DB instance: named by its place in the cluster as `up` made it (services.ts). */
function configFileOf(state: TwinState, original: Database, eniId: string): string {
  return join(twinDir(state.name), `${agentNames.database(original.id, original.eniIds.indexOf(eniId))}.json`);
}

/**
 * An instance's agent config as `up` wrote it, its paths derived again from the twin's directory and the cluster
 * (databasePaths), never taken from the file; its port must be a port.
 */
function configOf(state: TwinState, original: Database, eniId: string): DatabaseConfig {
  const file = configFileOf(state, original, eniId);
  let c: DatabaseConfig;
  try {
    c = JSON.parse(readFileSync(file, 'utf8')) as DatabaseConfig;
  } catch (e) {
    throw failed(`cannot read the instance's config ${file}: ${(e as Error).message}`);
  }
  if (!Number.isInteger(c.port) || c.port < 1 || c.port > 65535 || typeof c.user !== 'string')
    throw failed(`${file} is not an instance config this twin wrote`);
  return { ...c, ...databasePaths(twinDir(state.name), original.id, original.eniIds.indexOf(eniId)) };
}

/** The agent that runs `configFile`, proven to be the one the twin started. */
function agentOf(state: TwinState, configFile: string) {
  const agent = state.processes.find((p) => p.argument === configFile);
  if (!agent || !sameProcess(agent, twinDir(state.name))) throw failed(`the agent of ${configFile} is not running`);
  return agent;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Stops an instance's agent (it stops its server first) and waits until it is gone. */
async function stopInstance(state: TwinState, configFile: string): Promise<void> {
  const agent = agentOf(state, configFile);
  signal(agent.pid, 'SIGTERM');
  for (const t0 = Date.now(); alive(agent.pid); await sleep(20))
    if (Date.now() - t0 > 30_000) throw failed(`the instance of ${configFile} did not stop within 30 s`);
}

/** SQL as the master user over an instance's own loopback, inside its namespace (PostgreSQL). */
function psqlIn(namespace: string, c: DatabaseConfig, sql: string): string {
  const target = `host=127.0.0.1 port=${c.port} user=${conninfo(c.user)} dbname=${conninfo(c.database)}`;
  const r = spawnSync('ip', ['netns', 'exec', namespace, 'psql', target, '-Atc', sql], {
    encoding: 'utf8',
    env: { ...process.env, PGPASSWORD: readFileSync(c.passwordFile, 'utf8').trim(), PGCONNECT_TIMEOUT: '5' },
  });
  if (r.status !== 0) throw failed(`PostgreSQL refused "${sql}": ${(r.stderr || r.stdout).trim()}`);
  return r.stdout.trim();
}

const socketOf = (c: DatabaseConfig) => join(c.dataDir, 'mysqld.sock');

/**
 * Nothing the writer committed is lost: MariaDB's writer stops taking writes and the reader to promote applies all it
 * logged (MASTER_GTID_WAIT). PostgreSQL needs nothing here: a writer that shuts down sends its standbys all its WAL
 * first, and pg_promote() replays what was received.
 */
function caughtUp(writer: DatabaseConfig, next: DatabaseConfig): void {
  if (writer.engine !== 'mysql') return;
  const position = admin(socketOf(writer), 'SET GLOBAL read_only = ON;\nSELECT @@gtid_binlog_pos;', false).trim();
  const waited = admin(socketOf(next), `SELECT MASTER_GTID_WAIT(${literal(position)}, 30);`, false).trim();
  if (waited !== '0') {
    admin(socketOf(writer), 'SET GLOBAL read_only = OFF;'); // the writer goes on as it was
    throw failed(`the reader did not apply the writer's log (${position}) within 30 s; nothing was failed over`);
  }
}

/** Makes a reader the writer. */
function promote(namespace: string, c: DatabaseConfig): void {
  if (c.engine === 'mysql') admin(socketOf(c), 'STOP SLAVE;\nRESET SLAVE ALL;\nSET GLOBAL read_only = OFF;');
  else if (psqlIn(namespace, c, 'SELECT pg_promote(true, 30)') !== 't') throw failed(`${c.dataDir} was not promoted`);
}

/** Points a reader at a new writer. */
function follow(namespace: string, c: DatabaseConfig, writer: string): void {
  if (c.engine === 'mysql') {
    const to = `MASTER_HOST = ${literal(writer)}, MASTER_USE_GTID = slave_pos`;
    admin(socketOf(c), `STOP SLAVE;\nCHANGE MASTER TO ${to};\nSTART SLAVE;`);
    return;
  }
  writeInstanceConf(c, writer);
  psqlIn(namespace, c, 'SELECT pg_reload_conf()');
}

/** Restarts a writer's server through its agent, and waits until it takes connections again. */
async function restart(state: TwinState, configFile: string): Promise<void> {
  const counter = `${configFile}.restarts`;
  const before = existsSync(counter) ? readFileSync(counter, 'utf8') : '0';
  if (!signal(agentOf(state, configFile).pid, 'SIGUSR2')) throw failed(`the writer's agent of ${configFile} is gone`);
  for (const t0 = Date.now(); (existsSync(counter) ? readFileSync(counter, 'utf8') : '0') === before; await sleep(20))
    if (Date.now() - t0 > 60_000) throw failed(`the writer of ${configFile} did not restart within 60 s`);
}

/** Acts on the instances for a failover already recorded in the state. */
export async function failOver(
  state: TwinState,
  plan: TwinPlan,
  original: Database,
  fault: { writer: string; stopped?: string },
  readers: string[],
): Promise<void> {
  const nodeOf = (eni: string) => plan.nodes.find((n) => n.eniId === eni);
  const writerFile = configFileOf(state, original, fault.writer);
  if (!fault.stopped) return restart(state, writerFile);
  const writer = configOf(state, original, fault.writer);
  caughtUp(configOf(state, original, fault.stopped), writer);
  await stopInstance(state, configFileOf(state, original, fault.stopped));
  promote(nodeOf(fault.writer)?.namespace ?? '', writer);
  const writerIp = nodeOf(fault.writer)?.ip ?? '';
  for (const reader of readers) follow(nodeOf(reader)?.namespace ?? '', configOf(state, original, reader), writerIp);
}
