// What calls private APIs through a resource configuration, as doctor reads it in one account and Region: EventBridge
// connections (with their private connectivity) and API destinations, and Step Functions HTTP tasks.
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DescribeConnection.html
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeStateMachine.html
import {
  DescribeConnectionCommand,
  ListApiDestinationsCommand,
  ListConnectionsCommand,
  type DescribeConnectionCommandOutput,
  type ListApiDestinationsCommandOutput,
  type ListConnectionsCommandOutput,
} from '@aws-sdk/client-eventbridge';
import {
  DescribeStateMachineCommand,
  ListStateMachinesCommand,
  type DescribeStateMachineCommandOutput,
  type ListStateMachinesCommandOutput,
} from '@aws-sdk/client-sfn';
import { httpCalls } from '../providers/stepfunctions.js';
import { NEXT_TOKEN, readEach, type Reading } from './reading.js';

/** EventBridge and Step Functions give their next page as NextToken (nextToken), by hand for EventBridge. */
const EVENTS = { next: (p: { NextToken?: string }) => p.NextToken };

export async function readApiCallers(r: Reading): Promise<void> {
  await Promise.all([readConnections(r), readDestinations(r), readStateMachines(r)]);
}

/** Each connection read whole: the list gives neither its private connectivity nor its authorization's key name. */
async function readConnections(r: Reading): Promise<void> {
  type Page = ListConnectionsCommandOutput;
  const listed = await r.calls.all<Page, NonNullable<Page['Connections']>[number]>(
    r.target,
    'events',
    r.clients.events,
    {
      ...EVENTS,
      make: (NextToken) => new ListConnectionsCommand({ NextToken, Limit: 100 }),
      items: (p) => p.Connections,
    },
  );
  const read = await readEach<(typeof listed & object)[number], DescribeConnectionCommandOutput>(
    r,
    'events',
    r.clients.events,
    listed,
    (c) => new DescribeConnectionCommand({ Name: c.Name }),
  );
  for (const c of read) {
    if (!c?.ConnectionArn) continue;
    const configurationArn = c.InvocationConnectivityParameters?.ResourceParameters?.ResourceConfigurationArn;
    const apiKeyName = c.AuthParameters?.ApiKeyAuthParameters?.ApiKeyName;
    const id = c.ConnectionArn.split('/').pop() ?? c.ConnectionArn;
    r.model.connections.push({
      id,
      arn: c.ConnectionArn,
      name: c.Name ?? '',
      account: r.target.account,
      ...(configurationArn ? { configurationArn } : {}),
      authorization: c.AuthorizationType ?? '',
      ...(apiKeyName ? { apiKeyName } : {}),
      source: r.source(c.Name ?? id),
    });
  }
}

async function readDestinations(r: Reading): Promise<void> {
  type Page = ListApiDestinationsCommandOutput;
  const listed = await r.calls.all<Page, NonNullable<Page['ApiDestinations']>[number]>(
    r.target,
    'events',
    r.clients.events,
    {
      ...EVENTS,
      make: (NextToken) => new ListApiDestinationsCommand({ NextToken, Limit: 100 }),
      items: (p) => p.ApiDestinations,
    },
  );
  for (const d of listed ?? [])
    r.model.calls.push({
      kind: 'api-destination',
      name: d.Name ?? '',
      account: r.target.account,
      connectionArn: d.ConnectionArn ?? '',
      url: d.InvocationEndpoint ?? '',
      method: d.HttpMethod ?? '',
      source: r.source(d.Name ?? ''),
    });
}

/** Each state machine's definition, for its HTTP tasks (one Describe each: the list gives no definition). */
async function readStateMachines(r: Reading): Promise<void> {
  type Page = ListStateMachinesCommandOutput;
  const listed = await r.calls.all<Page, NonNullable<Page['stateMachines']>[number]>(
    r.target,
    'states',
    r.clients.sfn,
    {
      ...NEXT_TOKEN,
      make: (nextToken) => new ListStateMachinesCommand({ nextToken }),
      items: (p) => p.stateMachines,
    },
  );
  const read = await readEach<(typeof listed & object)[number], DescribeStateMachineCommandOutput>(
    r,
    'states',
    r.clients.sfn,
    listed,
    (m) => new DescribeStateMachineCommand({ stateMachineArn: m.stateMachineArn }),
  );
  for (const m of read) {
    if (!m?.definition) continue;
    let definition: Parameters<typeof httpCalls>[0];
    try {
      definition = JSON.parse(m.definition) as typeof definition;
    } catch {
      r.model.warnings.push(`state machine ${m.name}: its definition is not JSON`);
      continue;
    }
    r.model.calls.push(...httpCalls(definition, m.name ?? '', r.target.account, r.source(m.name ?? '')));
  }
}
