// Step Functions: state machines, for their HTTP tasks (arn:aws:states:::http:invoke) and the connections they use.
import type { StackState } from '../build.js';
import { LoadError } from '../intrinsics.js';
import type { ApiCall, Source } from '../types.js';
import type { Provider, ServiceProvider } from './provider.js';
import { optText } from './values.js';

const nameOf = (s: StackState, id: string) =>
  optText(s.property(id, 'StateMachineName'), `${s.stack}/${id}.StateMachineName`) ??
  `${id}-${s.physicalId('x', id, 12).slice(2)}`;
const arnOf = (s: StackState, id: string) => `arn:aws:states:${s.region}:${s.account}:stateMachine:${nameOf(s, id)}`;

interface State {
  Type?: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  Arguments?: Record<string, unknown>;
  Branches?: { States?: Record<string, State> }[];
  Iterator?: { States?: Record<string, State> };
  ItemProcessor?: { States?: Record<string, State> };
}

/** HTTP tasks anywhere in a definition, nested branches and maps included. */
function httpTasks(states: Record<string, State> | undefined, out: [string, State][] = []): [string, State][] {
  for (const [name, st] of Object.entries(states ?? {})) {
    if (st.Type === 'Task' && st.Resource?.endsWith(':states:::http:invoke')) out.push([name, st]);
    for (const b of st.Branches ?? []) httpTasks(b.States, out);
    httpTasks(st.Iterator?.States, out);
    httpTasks(st.ItemProcessor?.States, out);
  }
  return out;
}

/** States.Format('{}/{}', 'a', 'b') with literal arguments (how aws-cdk writes apiRoot and apiEndpoint), as text. */
function format(v: unknown): string | undefined {
  const m = typeof v === 'string' ? /^States\.Format\((.*)\)$/s.exec(v) : null;
  if (!m) return undefined;
  const args = [...m[1]!.matchAll(/\s*'((?:[^'\\]|\\.)*)'\s*(,|$)/g)].map((x) => x[1]!.replace(/\\(.)/g, '$1'));
  if (!args.length || args.join('').length === 0) return undefined;
  const [template, ...rest] = args;
  let i = 0;
  const out = template!.replace(/\{\}/g, () => rest[i++] ?? '{}');
  return i === rest.length ? out : undefined;
}

/** The HTTP calls of a state machine's definition (the template reader's and doctor's, which reads it live). */
export function httpCalls(
  definition: { States?: Record<string, State> },
  machine: string,
  account: string,
  source: Source,
): ApiCall[] {
  return httpTasks(definition.States).map(([state, task]) => {
    const params = task.Parameters ?? task.Arguments ?? {};
    const connectionArn = (params.Authentication as { ConnectionArn?: unknown } | undefined)?.ConnectionArn;
    const url = params.ApiEndpoint ?? format(params['ApiEndpoint.$']);
    return {
      kind: 'http-task',
      name: `${machine}/${state}`,
      account,
      connectionArn: typeof connectionArn === 'string' ? connectionArn : '',
      // An endpoint computed at run time (ApiEndpoint.$) is not known from the definition.
      url: typeof url === 'string' ? url : '',
      method: typeof params.Method === 'string' ? params.Method : 'GET',
      source,
    };
  });
}

const resources: Record<string, Provider> = {
  'AWS::StepFunctions::StateMachine': {
    ref: (s, id) => arnOf(s, id),
    attribute: (s, id, name) => (({ Arn: arnOf(s, id), Name: nameOf(s, id) }) as Record<string, unknown>)[name],
    build(s, id) {
      const p = s.reader(id);
      // Read (resolved) before the parse: an error resolving them is theirs, not "not JSON".
      const [written, given] = [p.raw('DefinitionString'), p.raw('Definition')];
      let definition: { States?: Record<string, State> };
      try {
        definition = typeof written === 'string' ? JSON.parse(written) : ((given ?? {}) as typeof definition);
      } catch {
        throw new LoadError(`${p.where}.DefinitionString: not JSON`);
      }
      s.builder.model.calls.push(...httpCalls(definition, nameOf(s, id), s.account, s.source(id)));
    },
  },
};

export const stepfunctions: ServiceProvider = {
  service: 'AWS::StepFunctions',
  resources,
  limitations: ['Only HTTP tasks (arn:aws:states:::http:invoke) are read; an endpoint computed at run time is UNKNOWN'],
};
