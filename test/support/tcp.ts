// A tiny TCP client and server for twin tests, run inside namespaces:
//   node tcp.js listen <ip> <port>…        prints "ready", answers "hello <port>"
//   node tcp.js connect <host> <port> <ms>  prints CONNECTED <reply> | TIMEOUT | ERROR <code>; exit 0 only if connected
import net from 'node:net';

const [mode, host, ...rest] = process.argv.slice(2);
if (mode === 'listen') {
  let pending = rest.length;
  for (const p of rest) {
    net
      .createServer((s) => s.end(`hello ${p}\n`))
      .listen(Number(p), host, () => {
        if (--pending === 0) console.log('ready');
      });
  }
  setTimeout(() => process.exit(0), 120_000).unref();
} else {
  const [port, ms] = rest;
  const s = net.connect({ host: host!, port: Number(port), timeout: Number(ms ?? 1500) });
  s.on('data', (d) => {
    console.log(`CONNECTED ${String(d).trim()}`);
    process.exit(0);
  });
  s.on('timeout', () => {
    console.log('TIMEOUT');
    process.exit(1);
  });
  s.on('error', (e: NodeJS.ErrnoException) => {
    console.log(`ERROR ${e.code}`);
    process.exit(1);
  });
}
