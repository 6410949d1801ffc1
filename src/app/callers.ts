// Callers of a private HTTPS API in a consumer account: an EventBridge rule and a Step Functions state machine, both
// through one connection bound to the API's resource configuration.
import { CfnOutput, RemovalPolicy, SecretValue, Validations, type Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Caller, HttpsResource, Topology } from '../config/index.js';
import {
  PrivateApiConnection,
  ResourceConfiguration,
  type ResourceShareInvitationAccepter,
} from '../constructs/index.js';
import type { Inputs } from './inputs.js';
import { configurationArnOutput, pascal, resourceOwnerStack } from './names.js';

/** What a caller takes from its consumer stack: the stack's parameters, and its acceptance of a RAM share. */
export interface CallerContext {
  readonly inputs: Inputs;
  /** The accepter of the share the caller accepts itself, shared with the stack's consumers (one per share). */
  readonly shareAccepter: (caller: Caller, owner: string) => ResourceShareInvitationAccepter | undefined;
}

/** One caller's connection to its API, and the names its EventBridge and Step Functions parts are built from. */
interface Call {
  readonly id: string;
  readonly app: string;
  readonly caller: Caller;
  readonly resource: HttpsResource;
  readonly connection: PrivateApiConnection;
  /** The API's root URL: scheme, domain and, unless 443, port. */
  readonly root: string;
}

/**
 * EventBridge (a rule whose target is an API destination) and Step Functions (a state machine with an HTTP task)
 * calling a private HTTPS API through its resource configuration, with one connection and its API key.
 */
export function addCaller(stack: Stack, topology: Topology, caller: Caller, context: CallerContext): void {
  const resource = topology.resources.find((r) => r.name === caller.resource)! as HttpsResource;
  const owner = resourceOwnerStack(topology, resource);
  const id = pascal(caller.name);
  const accepter = context.shareAccepter(caller, owner);
  const configuration = ResourceConfiguration.fromResourceConfigurationAttributes(stack, `${id}Configuration`, {
    resourceConfigurationArn: context.inputs.get(
      owner,
      configurationArnOutput(resource.name, ''),
      `Resource configuration of ${resource.name}`,
    ),
  });
  const connection = new PrivateApiConnection(stack, `${id}Connection`, {
    connectionName: `${topology.name}-${caller.name}`.slice(0, 64),
    description: `lattice-share ${caller.name}: ${resource.name} through its resource configuration`,
    resourceConfiguration: configuration,
    authorization: {
      apiKey: { name: caller.apiKey.header, value: SecretValue.secretsManager(caller.apiKey.secretName) },
    },
  });
  if (accepter) connection.node.addDependency(accepter);
  const root = `https://${resource.domain}${resource.port === 443 ? '' : `:${resource.port}`}`;
  const call: Call = { id, app: topology.name, caller, resource, connection, root };
  if (caller.via.includes('eventbridge')) eventBridgeCaller(stack, call);
  if (caller.via.includes('stepfunctions')) stepFunctionsCaller(stack, call);
}

/** A rule for events with source `<app>.<caller>` whose target is the API destination, with a dead-letter queue. */
function eventBridgeCaller(stack: Stack, { id, app, caller, resource, connection, root }: Call): void {
  const destination = new events.ApiDestination(stack, `${id}Destination`, {
    apiDestinationName: `${app}-${caller.name}`.slice(0, 64),
    connection,
    endpoint: `${root}${caller.path}`,
    httpMethod: events.HttpMethod[caller.method as keyof typeof events.HttpMethod],
    description: `lattice-share ${caller.name}: ${caller.method} ${root}${caller.path}`,
  });
  const deadLetters = new sqs.Queue(stack, `${id}DeadLetters`, {
    enforceSSL: true,
    encryption: sqs.QueueEncryption.SQS_MANAGED,
  });
  Validations.of(deadLetters).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: 'This queue is the dead-letter queue of the rule target.',
  });
  new events.Rule(stack, `${id}Rule`, {
    description: `lattice-share ${caller.name}: events with source ${app}.${caller.name} go to ${resource.name}`,
    eventPattern: { source: [`${app}.${caller.name}`] },
    targets: [new targets.ApiDestination(destination, { deadLetterQueue: deadLetters, retryAttempts: 3 })],
  });
  new CfnOutput(stack, `${id}DestinationName`, {
    value: destination.apiDestinationName,
    description: `${caller.name}: put events with source ${app}.${caller.name} to call ${root}${caller.path}`,
  });
}

/** A state machine of one HTTP task calling the API (the execution's input is the body), with its logs. */
function stepFunctionsCaller(stack: Stack, { id, app, caller, connection, root }: Call): void {
  const task = new tasks.HttpInvoke(stack, `${id}Call`, {
    apiRoot: root,
    apiEndpoint: sfn.TaskInput.fromText(caller.path.replace(/^\//, '')),
    method: sfn.TaskInput.fromText(caller.method),
    connection,
    body: caller.method === 'GET' || caller.method === 'DELETE' ? undefined : sfn.TaskInput.fromJsonPathAt('$'),
  });
  const logGroup = new logs.LogGroup(stack, `${id}StateMachineLogs`, {
    retention: logs.RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const machine = new sfn.StateMachine(stack, `${id}StateMachine`, {
    stateMachineName: `${app}-${caller.name}`.slice(0, 80),
    definitionBody: sfn.DefinitionBody.fromChainable(task),
    tracingEnabled: true,
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
  });
  Validations.of(machine).acknowledge({
    id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
    reason:
      'states:InvokeHTTPEndpoint is limited to this API by its states:HTTPEndpoint condition; the log delivery and X-Ray actions take no resource.',
  });
  new CfnOutput(stack, `${id}StateMachineArn`, {
    value: machine.stateMachineArn,
    description: `${caller.name}: start an execution to call ${root}${caller.path}`,
  });
}
