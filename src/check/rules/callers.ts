// EventBridge API destinations and Step Functions HTTP tasks: HTTPS only; Step Functions by public names only.
import type { ApiCall, Connection } from '../../model/index.js';
import { publicName, type Facts } from '../facts.js';
import type { LintRule, Violation } from './rule.js';

interface Call {
  readonly call: ApiCall;
  readonly what: string;
  readonly conn?: Connection;
  readonly at: Violation['resource'];
}

function* calls(f: Facts): Iterable<Call> {
  for (const call of f.m.calls) {
    const what = call.kind === 'api-destination' ? `API destination ${call.name}` : `HTTP task ${call.name}`;
    yield { call, what, conn: f.m.connections.find((c) => c.arn === call.connectionArn), at: f.ref(call.source) };
  }
}

/** A URL, or undefined for text that is not one. */
function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** The calls whose endpoint is a URL, with it. */
function* withUrl(f: Facts): Iterable<Call & { url: URL }> {
  for (const c of calls(f)) {
    const url = c.call.url ? parseUrl(c.call.url) : undefined;
    if (url) yield { ...c, url };
  }
}

/** HTTPS only: EventBridge API destinations (LS-EB1) and Step Functions HTTP tasks (LS-SFN1). */
function plainHttp(kind: ApiCall['kind'], service: string): LintRule['check'] {
  return function* (f) {
    for (const { call, what, url, at } of withUrl(f)) {
      if (call.kind !== kind || url.protocol === 'https:') continue;
      yield {
        message: `${what} calls ${call.url}: ${service} take HTTPS endpoints only`,
        fix: `serve the API over HTTPS and call https://${url.host}${url.pathname}`,
        resource: at,
      };
    }
  };
}

export const callerRules: LintRule[] = [
  {
    id: 'LS-EB1',
    severities: ['error'],
    summary: 'an API destination whose endpoint is not `https://`',
    why: 'EventBridge API destinations call HTTPS endpoints only',
    check: plainHttp('api-destination', 'EventBridge API destinations'),
  },
  {
    id: 'LS-EB2',
    severities: ['error'],
    summary: 'an API destination or HTTP task whose endpoint is not a URL',
    why: 'an endpoint that is not a URL is refused when the rule or task runs',
    *check(f) {
      for (const { call, what, at } of calls(f)) {
        if (!call.url || parseUrl(call.url)) continue;
        yield {
          message: `${what} calls ${call.url}, which is not a URL`,
          fix: 'use https://<domain>/<path>',
          resource: at,
        };
      }
    },
  },
  {
    id: 'LS-EB3',
    severities: ['error'],
    summary: 'an API destination or HTTP task whose connection the templates do not create',
    why: 'a caller reaches a private API only through an EventBridge connection with a resource configuration',
    *check(f) {
      for (const { call, what, conn, at } of withUrl(f)) {
        if (conn) continue;
        yield {
          message: `${what} uses connection ${call.connectionArn || '(none)'}, which the templates do not create`,
          fix: 'point it at an AWS::Events::Connection',
          resource: at,
        };
      }
    },
  },
  {
    id: 'LS-SFN1',
    severities: ['error'],
    summary: 'an HTTP task whose endpoint is not `https://`',
    why: 'Step Functions HTTP tasks call HTTPS endpoints only',
    check: plainHttp('http-task', 'Step Functions HTTP tasks'),
  },
  {
    id: 'LS-SFN2',
    severities: ['error'],
    summary:
      'an HTTP task calling a private API by a name that is not a public domain (Step Functions needs a public name with a publicly trusted certificate)',
    why: 'Step Functions reaches a private API only by a public domain name with a publicly trusted certificate',
    *check(f) {
      for (const { call, what, conn, url, at } of withUrl(f)) {
        if (call.kind !== 'http-task' || !conn?.configurationArn || publicName(url.hostname)) continue;
        yield {
          message: `${what} calls the private API ${url.hostname}: Step Functions reaches private APIs only by a public domain name with a publicly trusted certificate`,
          fix: 'give the API a name in a public domain (its record may point at private addresses) with a certificate from a public CA, e.g. ACM',
          resource: at,
        };
      }
    },
  },
  {
    id: 'LS-SFN3',
    severities: ['info'],
    summary: 'an HTTP task whose endpoint is computed at run time (`ApiEndpoint.$` beyond `States.Format` of literals)',
    why: 'check follows only what the templates say; an endpoint computed at run time is not known to it',
    *check(f) {
      for (const { call, what, at } of calls(f)) {
        if (call.url || call.kind !== 'http-task') continue;
        yield {
          message: `${what} computes its ApiEndpoint at run time: check cannot follow it`,
          fix: 'give ApiEndpoint as text to have it checked',
          resource: at,
        };
      }
    },
  },
];
