// Run inside a workload's namespace (`lattice-share exec W -- node replica.js …`): writes a row through the writer's
// name, then reads through the reader's name until the row is there; then tries a write through the reader's name.
// Prints one JSON line: how long the row took to be seen, what the write there said, and whether the server says it
// is a replica (PostgreSQL pg_is_in_recovery(), MariaDB @@read_only). The password comes in DB_PASSWORD.
import { randomUUID } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';

type Query = (sql: string, values?: string[]) => Promise<Record<string, unknown>[]>;
interface Session {
  readonly query: Query;
  end(): Promise<void>;
}

const [engine, writerHost = '', readerHost = '', port, user, database] = process.argv.slice(2);
const password = process.env.DB_PASSWORD;

async function connect(host: string): Promise<Session> {
  if (engine === 'mysql') {
    const c = await mysql.createConnection({
      host,
      port: Number(port),
      user,
      password,
      database,
      connectTimeout: 3000,
    });
    return {
      query: async (sql, values) => (await c.query(sql, values))[0] as Record<string, unknown>[],
      end: () => c.end(),
    };
  }
  const c = new pg.Client({ host, port: Number(port), user, password, database, connectionTimeoutMillis: 3000 });
  await c.connect();
  return { query: async (sql, values) => (await c.query(sql, values)).rows, end: () => c.end() };
}

const placeholder = engine === 'mysql' ? '?' : '$1';

async function main(): Promise<void> {
  const writer = await connect(writerHost);
  const reader = await connect(readerHost);
  await writer.query('CREATE TABLE IF NOT EXISTS replica_probe (id varchar(64) PRIMARY KEY)');
  const id = randomUUID();
  await writer.query(`INSERT INTO replica_probe VALUES (${placeholder})`, [id]);
  const t0 = Date.now();
  let seenAfterMs: number | undefined;
  while (seenAfterMs === undefined && Date.now() - t0 < 5000) {
    const rows = await reader.query(`SELECT id FROM replica_probe WHERE id = ${placeholder}`, [id]).catch(() => []);
    if (rows.length) seenAfterMs = Date.now() - t0;
    else await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const readerWrite = await reader
    .query(`INSERT INTO replica_probe VALUES (${placeholder})`, [randomUUID()])
    .then(() => 'accepted')
    .catch((e: Error) => e.message);
  const flag = engine === 'mysql' ? 'SELECT @@read_only AS replica' : 'SELECT pg_is_in_recovery() AS replica';
  const [replica] = await reader.query(flag);
  await writer.end();
  await reader.end();
  console.log(
    JSON.stringify({
      seenAfterMs,
      readerWrite,
      replica: Boolean(Number(replica?.replica) || replica?.replica === true),
    }),
  );
}

main().catch((e: Error) => {
  console.log(JSON.stringify({ error: e.message }));
  process.exit(1);
});
