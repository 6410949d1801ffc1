// `lattice-share invoke`: sends a request the way EventBridge (an API destination) or Step Functions (an HTTP task)
// would: HTTPS only, from AWS's side through the connection's resource configuration, with the connection's API key.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { TwinCaller } from './index.js';
import { publicName } from '../shared/index.js';
import { readState } from './state.js';
import { TwinError } from './sys.js';
import { fileURLToPath } from 'node:url';

export interface InvokeOptions {
  /** Replaces the URL's path (and query). */
  readonly path?: string;
  /** A JSON body (the event, for a POST); GET and DELETE send none. @default '{}' for methods with a body */
  readonly data?: string;
  /** EventBridge gives an API destination 5 s. @default 5000 */
  readonly timeoutMs?: number;
}

export interface InvokeResult {
  readonly caller: string;
  readonly kind: TwinCaller['kind'];
  readonly method: string;
  readonly url: string;
  /** Set when the API answered. */
  readonly status?: number;
  readonly body?: string;
  /** Why there was no answer: what EventBridge would report as a failed invocation. */
  readonly error?: string;
}

const childJs = fileURLToPath(new URL('./invoke-child.js', import.meta.url));

/** Finds a caller by its name, its connection's name, or the first part of a task's name (the state machine). */
function callerOf(callers: TwinCaller[], name: string): TwinCaller {
  const found =
    callers.find((c) => c.name === name) ??
    callers.find((c) => c.connection === name) ??
    callers.find((c) => c.name.split('/')[0] === name);
  if (!found)
    throw new TwinError(
      `no API destination, HTTP task or connection named "${name}"; callers: ${callers.map((c) => c.name).join(', ') || 'none'}`,
      'LS_TWIN_NO_SUCH_PART',
    );
  return found;
}

export function invoke(twin: string, name: string, o: InvokeOptions = {}): InvokeResult {
  const state = readState(twin);
  if (!state || state.phase !== 'up')
    throw new TwinError(`no twin named "${twin}" is up; start one with lattice-share up <config>`, 'LS_TWIN_NOT_UP');
  const summary = state.summary as { callers?: TwinCaller[]; caFile?: string };
  const c = callerOf(summary.callers ?? [], name);
  let url: URL;
  try {
    url = new URL(o.path ? new URL(o.path, c.url).href : c.url);
  } catch {
    throw new TwinError(`${c.name} calls "${c.url}", which is not a URL`, 'LS_INVOKE_FAILED');
  }
  const base = { caller: c.name, kind: c.kind, method: c.method, url: url.href };
  const service = c.kind === 'api-destination' ? 'EventBridge API destinations' : 'Step Functions HTTP tasks';
  // What AWS refuses before anything is sent.
  if (url.protocol !== 'https:')
    return { ...base, error: `${service} call HTTPS endpoints only: AWS rejects ${url.href}` };
  if (c.kind === 'http-task' && !publicName(url.hostname)) {
    return {
      ...base,
      error: `Step Functions reaches private APIs only by a public domain name with a publicly trusted certificate, not ${url.hostname}`,
    };
  }
  if (!c.node || !c.address)
    return {
      ...base,
      error: `connection ${c.connection} reaches no private API in this twin (no resource configuration)`,
    };
  const ns = state.nodes?.find((n) => n.role === 'caller' && n.label === c.node)?.namespace;
  if (!ns) throw new TwinError(`twin "${twin}" has no caller namespace for ${c.connection}`, 'LS_TWIN_NO_SUCH_PART');
  let key: string | undefined;
  try {
    key = c.apiKey && readFileSync(c.apiKey.file, 'utf8').trim();
  } catch (e) {
    throw new TwinError(
      `cannot read the API key of connection ${c.connection}: ${(e as Error).message}`,
      'LS_INVOKE_FAILED',
    );
  }
  const request = {
    address: c.address,
    port: Number(url.port || 443),
    host: url.hostname,
    path: `${url.pathname}${url.search}`,
    method: c.method,
    headers: c.apiKey && key ? { [c.apiKey.header]: key } : {},
    body: c.method === 'GET' || c.method === 'DELETE' ? undefined : (o.data ?? '{}'),
    caFile: summary.caFile,
    timeoutMs: o.timeoutMs ?? 5000,
  };
  // The request (with the key) goes to the child on stdin, never on its command line.
  const r = spawnSync('ip', ['netns', 'exec', ns, process.execPath, childJs], {
    input: JSON.stringify(request),
    encoding: 'utf8',
    timeout: request.timeoutMs + 10_000,
  });
  if (r.error || r.status !== 0)
    throw new TwinError(`the request could not be sent: ${(r.error?.message ?? r.stderr).trim()}`, 'LS_INVOKE_FAILED');
  let out: { status?: number; body?: string; error?: string };
  try {
    out = JSON.parse(r.stdout);
  } catch {
    throw new TwinError(
      `the request gave no answer the twin could read: ${r.stdout.slice(0, 200)}`,
      'LS_INVOKE_FAILED',
    );
  }
  return { ...base, ...out };
}
