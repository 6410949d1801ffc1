// What the demo tries from the workloads once the twin is up: check's verdict on each path, held to what a real client
// sees there (psql for PostgreSQL, mysql for MariaDB standing in for Aurora MySQL). Every reachable path is queried;
// a blocked one once per client (each costs a timeout). Then what AWS users ask first: does the database see the
// gateway's address, and does the reader name reach a replica.
import { backslashQuoted } from '../shared/index.js';
import { readFileSync } from 'node:fs';
import type { Flow } from '../check/index.js';
import { execCapture, type TwinSummary } from '../twin/index.js';

export interface Check {
  readonly check: string;
  readonly from: string;
  readonly name: string;
  readonly expect: 'connects' | 'fails';
  readonly passed: boolean;
  readonly detail: string;
}

type Database = TwinSummary['databases'][number];

/** How long a client waits for a path that does not answer. */
const CONNECT_TIMEOUT_S = 3;

/** A client's argv for one statement, and the environment that carries the password. */
function client(db: Database, host: string, sql: string): { argv: string[]; env: NodeJS.ProcessEnv } {
  const password = readFileSync(db.passwordFile ?? '', 'utf8').trim();
  if (db.engine === 'mysql') {
    // The mysql client's --connect-timeout does not bound a connect that gets no answer: coreutils' timeout does.
    const mysql = ['mysql', '--no-defaults', '-h', host, '-P', String(db.port), '-u', db.user ?? '', '-NBe', sql];
    const argv = ['timeout', String(CONNECT_TIMEOUT_S + 1), ...mysql, db.database ?? ''];
    return { argv, env: { ...process.env, MYSQL_PWD: password } };
  }
  const quoted = (value = '') => backslashQuoted(value);
  const argv = [
    'psql',
    `host=${quoted(host)} port=${db.port} user=${quoted(db.user)} dbname=${quoted(db.database)}`,
    '-Atc',
    sql,
  ];
  return { argv, env: { ...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: String(CONNECT_TIMEOUT_S) } };
}

/** The engine's statements for what the demo asks. */
const SQL = {
  postgres: { who: 'select current_user', peer: 'select inet_client_addr()', replica: 'select pg_is_in_recovery()' },
  mysql: {
    who: 'select current_user()',
    peer: "select substring_index(user(), '@', -1)",
    replica: 'select @@read_only',
  },
} as const;

const NAME_KINDS: Record<Flow['nameKind'], string> = {
  endpoint: "the endpoint's own name",
  'private-dns': 'a name private DNS maps to the endpoint',
  original: "the database's own name",
  api: 'an API name',
};

/** The checks of one database: its paths as check sees them, tried from the twin's workloads. */
export function databaseChecks(twin: string, db: Database, flows: Flow[], gateways: string[]): Check[] {
  const engine = db.engine ?? 'postgres';
  const out: Check[] = [];
  const tried = new Set<string>();
  const run = (check: string, flow: Flow, expect: Check['expect'], sql: string, verify = (_: string) => true) => {
    const { argv, env } = client(db, flow.name, sql);
    const r = execCapture(twin, flow.client.label, argv, env);
    const passed = expect === 'connects' ? r.code === 0 && verify(r.output) : r.code !== 0;
    const firstLine = r.output.split('\n').find((l) => l.trim()) ?? '';
    const error =
      r.code === 124
        ? `no answer within ${CONNECT_TIMEOUT_S + 1} s`
        : (/failed: (.+)$/m.exec(r.output)?.[1] ?? firstLine);
    out.push({
      check,
      from: flow.client.label,
      name: flow.name,
      expect,
      passed,
      detail: r.code === 0 ? firstLine : `error: ${error}`,
    });
  };
  for (const flow of flows.filter((f) => f.port === db.port)) {
    if (flow.disposition === 'REACHABLE')
      run(`query over ${NAME_KINDS[flow.nameKind]}`, flow, 'connects', SQL[engine].who);
    else if (flow.disposition === 'BLOCKED' && !tried.has(flow.client.label)) {
      tried.add(flow.client.label);
      run(`blocked where check says so (${flow.decidedBy?.hop ?? '?'})`, flow, 'fails', 'select 1');
    }
  }
  const reachable = flows.filter((f) => f.port === db.port && f.disposition === 'REACHABLE');
  const first = reachable[0];
  if (first)
    run('the database sees a gateway address', first, 'connects', SQL[engine].peer, (o) =>
      gateways.includes(o.replace('/32', '')),
    );
  const reader = reachable.find((f) => f.name.toLowerCase() === db.reader.toLowerCase());
  if (reader && db.ips.length > 1)
    run('the reader name reaches a replica', reader, 'connects', SQL[engine].replica, (o) => o === 't' || o === '1');
  return out;
}

export function table(checks: Check[]): string {
  const rows = checks.map((c) => [
    c.passed ? 'PASS' : 'FAIL',
    c.check,
    c.from,
    `${c.expect}`,
    c.name.length > 48 ? `${c.name.slice(0, 45)}...` : c.name,
    c.detail.length > 60 ? `${c.detail.slice(0, 57)}...` : c.detail,
  ]);
  const head = ['', 'check', 'from', 'expected', 'name', 'observed'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (r: string[]) =>
    r
      .map((x, i) => x.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
