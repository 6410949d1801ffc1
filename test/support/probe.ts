// Run inside a twin namespace: resolves names with the VPC's resolver and tries a TCP connection to every address.
//   node probe.js '<json: { tries: [{ name, port }], ms }>'
// Prints JSON: [{ name, port, addresses: string[] | null, results: { <address>: open | refused | timeout | <code> } }]
import { promises as dns } from 'node:dns';
import net from 'node:net';

interface Try {
  name: string;
  port: number;
}
const { tries, ms } = JSON.parse(process.argv[2]!) as { tries: Try[]; ms: number };

const connect = (host: string, port: number) =>
  new Promise<string>((done) => {
    const s = net.connect({ host, port, timeout: ms });
    s.on('connect', () => {
      s.destroy();
      done('open');
    });
    s.on('timeout', () => {
      s.destroy();
      done('timeout');
    });
    s.on('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNREFUSED' ? 'refused' : (e.code ?? 'error')));
  });

const resolver = new dns.Resolver({ timeout: Math.min(ms, 500), tries: 1 });
const out = await Promise.all(
  tries.map(async (t) => {
    const addresses = await resolver.resolve4(t.name).catch(() => null);
    const results: Record<string, string> = {};
    await Promise.all(
      (addresses ?? []).map(async (a) => {
        results[a] = await connect(a, t.port);
      }),
    );
    return { ...t, addresses, results };
  }),
);
console.log(JSON.stringify(out));
