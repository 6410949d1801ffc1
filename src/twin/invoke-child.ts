// Run inside a caller namespace by invoke.ts: one HTTPS request to the connection's association address, with the
// URL's host as TLS name and Host header; prints {status, body} or {error} as JSON. The request comes on stdin.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';

interface Request {
  address: string;
  port: number;
  host: string;
  path: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  caFile?: string;
  timeoutMs: number;
}

const r = JSON.parse(readFileSync(0, 'utf8')) as Request;
const done = (x: object) => {
  process.stdout.write(`${JSON.stringify(x)}\n`);
  process.exit(0);
};
const req = request(
  {
    host: r.address,
    port: r.port,
    servername: r.host,
    path: r.path,
    method: r.method,
    headers: {
      ...r.headers,
      host: r.port === 443 ? r.host : `${r.host}:${r.port}`,
      ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ca: r.caFile ? readFileSync(r.caFile) : undefined,
    timeout: r.timeoutMs,
  },
  (res) => {
    const chunks: Buffer[] = [];
    res.on('data', (d: Buffer) => chunks.push(d));
    res.on('end', () => done({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8').slice(0, 65536) }));
  },
);
req.on('timeout', () => {
  req.destroy();
  done({ error: `no answer within ${r.timeoutMs / 1000} s (timeout): the invocation fails` });
});
req.on('error', (e: NodeJS.ErrnoException) => done({ error: `${e.code ?? 'error'}: ${e.message}` }));
if (r.body !== undefined) req.write(r.body);
req.end();
