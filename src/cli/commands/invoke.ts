// The `invoke` command: its usage, options and what it runs.
import { EXIT, UsageError, note, say } from '../output.js';
import { JSON_OPT, NAME_OPT, oneArg, secondsOpt, twin, twinName, type Command } from './common.js';

export const invokeCommand: Command = {
  usage:
    'lattice-share invoke [--name N] <destination | task | connection> [--path P] [--data JSON] [--timeout S] [--json]',
  summary:
    "send a request as EventBridge or Step Functions would (HTTPS, through the connection's configuration) and print the answer",
  options: {
    name: NAME_OPT,
    path: { type: 'string', help: "the path (and query) to call instead of the caller's own, e.g. /orders/42" },
    data: { type: 'string', help: 'the JSON body to send (default: {}; GET and DELETE send none)' },
    timeout: {
      type: 'string',
      help: "seconds to wait for the answer (default: 5, EventBridge's limit for API destinations)",
    },
    json: JSON_OPT,
  },
  async run(args, opts) {
    const target = oneArg(args, 'API destination, HTTP task or connection name');
    const name = await twinName(opts);
    const timeout = secondsOpt(opts, 'timeout', (given) => given > 0, '--timeout takes a number of seconds above 0');
    if (opts.data !== undefined) {
      try {
        JSON.parse(opts.data as string);
      } catch {
        throw new UsageError('--data must be JSON, e.g. --data \'{"order": 42}\'');
      }
    }
    const r = (await twin()).invoke(name, target, {
      path: opts.path as string | undefined,
      data: opts.data as string | undefined,
      timeoutMs: timeout && timeout * 1000,
    });
    const ok = r.status !== undefined && r.status >= 200 && r.status < 300;
    if (opts.json) say(JSON.stringify({ ok, ...r }, null, 2));
    else if (r.status !== undefined) say(`${r.method} ${r.url} → HTTP ${r.status}\n${r.body ?? ''}`);
    else note(`lattice-share: ${r.method} ${r.url} failed: ${r.error}`);
    return ok ? EXIT.ok : EXIT.failed;
  },
};
