// Run inside a workload's namespace (`lattice-share exec W -- node hold.js HOST PORT USER DATABASE SECONDS`): one pg
// connection kept open, `select 1` on it every 100 ms for SECONDS. Prints one JSON line: how many queries succeeded,
// and the first error, if the connection broke. The password comes in PGPASSWORD.
import pg from 'pg';

const [host, port, user, database, seconds] = process.argv.slice(2);

async function main(): Promise<void> {
  const client = new pg.Client({
    host,
    port: Number(port),
    user,
    database,
    connectionTimeoutMillis: 3000,
    query_timeout: 3000,
  });
  let error: string | undefined;
  client.on('error', (e: Error) => (error ??= e.message));
  await client.connect();
  process.stdout.write('connected\n');
  let ok = 0;
  const end = Date.now() + Number(seconds) * 1000;
  while (Date.now() < end && !error) {
    try {
      await client.query('select 1');
      ok++;
    } catch (e) {
      error ??= (e as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await client.end().catch(() => {});
  process.stdout.write(`${JSON.stringify({ ok, error })}\n`);
}

main().catch((e: Error) => {
  process.stdout.write(`${JSON.stringify({ ok: 0, error: `could not connect: ${e.message}` })}\n`);
  process.exit(1);
});
