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

export function invoke(twin: string, name: string, options: InvokeOptions = {}): InvokeResult {
  const state = readState(twin);
  if (!state || state.phase !== 'up')
    throw new TwinError(`no twin named "${twin}" is up; start one with lattice-share up <config>`, 'LS_TWIN_NOT_UP');
  const summary = state.summary as { callers?: TwinCaller[]; caFile?: string };
  const caller = callerOf(summary.callers ?? [], name);
  const url = urlOf(caller, options.path);
  const base = { caller: caller.name, kind: caller.kind, method: caller.method, url: url.href };
  const refused = refusedByAws(caller, url);
  if (refused) return { ...base, error: refused };
  const namespace = state.nodes?.find((n) => n.role === 'caller' && n.label === caller.node)?.namespace;
  if (!namespace)
    throw new TwinError(`twin "${twin}" has no caller namespace for ${caller.connection}`, 'LS_TWIN_NO_SUCH_PART');
  return { ...base, ...send(namespace, requestOf(caller, url, summary.caFile, options)) };
}

/** The URL called: the caller's, with `path` (and query) in place of its own when given. */
function urlOf(caller: TwinCaller, path?: string): URL {
  try {
    return new URL(path ? new URL(path, caller.url).href : caller.url);
  } catch {
    throw new TwinError(`${caller.name} calls "${caller.url}", which is not a URL`, 'LS_INVOKE_FAILED');
  }
}

/** What AWS refuses before anything is sent (or a connection that reaches nothing private), else undefined. */
function refusedByAws(caller: TwinCaller, url: URL): string | undefined {
  const service = caller.kind === 'api-destination' ? 'EventBridge API destinations' : 'Step Functions HTTP tasks';
  if (url.protocol !== 'https:') return `${service} call HTTPS endpoints only: AWS rejects ${url.href}`;
  if (caller.kind === 'http-task' && !publicName(url.hostname))
    return `Step Functions reaches private APIs only by a public domain name with a publicly trusted certificate, not ${url.hostname}`;
  if (!caller.node || !caller.address)
    return `connection ${caller.connection} reaches no private API in this twin (no resource configuration)`;
  return undefined;
}

/** What invoke-child.js sends: to the association address, the URL's host as TLS name, the connection's key. */
interface ChildRequest {
  readonly address: string;
  readonly port: number;
  readonly host: string;
  readonly path: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly caFile?: string;
  readonly timeoutMs: number;
}

function requestOf(caller: TwinCaller, url: URL, caFile: string | undefined, options: InvokeOptions): ChildRequest {
  let key: string | undefined;
  try {
    key = caller.apiKey && readFileSync(caller.apiKey.file, 'utf8').trim();
  } catch (e) {
    throw new TwinError(
      `cannot read the API key of connection ${caller.connection}: ${(e as Error).message}`,
      'LS_INVOKE_FAILED',
    );
  }
  return {
    address: caller.address!, // refusedByAws returned a reason where there is none
    port: Number(url.port || 443),
    host: url.hostname,
    path: `${url.pathname}${url.search}`,
    method: caller.method,
    headers: caller.apiKey && key ? { [caller.apiKey.header]: key } : {},
    body: caller.method === 'GET' || caller.method === 'DELETE' ? undefined : (options.data ?? '{}'),
    caFile,
    timeoutMs: options.timeoutMs ?? 5000,
  };
}

/** Sends the request from the caller's namespace; the answer, or why there was none. */
function send(namespace: string, request: ChildRequest): { status?: number; body?: string; error?: string } {
  // The request (with the key) goes to the child on stdin, never on its command line.
  const r = spawnSync('ip', ['netns', 'exec', namespace, process.execPath, childJs], {
    input: JSON.stringify(request),
    encoding: 'utf8',
    timeout: request.timeoutMs + 10_000,
  });
  if (r.error || r.status !== 0)
    throw new TwinError(`the request could not be sent: ${(r.error?.message ?? r.stderr).trim()}`, 'LS_INVOKE_FAILED');
  try {
    return JSON.parse(r.stdout);
  } catch {
    throw new TwinError(
      `the request gave no answer the twin could read: ${r.stdout.slice(0, 200)}`,
      'LS_INVOKE_FAILED',
    );
  }
}
