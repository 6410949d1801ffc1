// A read-only AWS API call made at deploy time (AwsCustomResource), with the provider's findings acknowledged.
import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';

export interface SdkCallOptions {
  readonly service: string;
  readonly action: string;
  readonly parameters: Record<string, unknown>;
  readonly physicalId: string;
  readonly outputPaths?: string[];
  readonly ignoreErrorCodesMatching?: string;
  /** IAM actions the call needs, and the resources they apply to. */
  readonly statements: iam.PolicyStatement[];
}

export function sdkCall(scope: Construct, id: string, call: SdkCallOptions): cr.AwsCustomResource {
  const sdk: cr.AwsSdkCall = {
    service: call.service,
    action: call.action,
    parameters: call.parameters,
    physicalResourceId: cr.PhysicalResourceId.of(call.physicalId),
    outputPaths: call.outputPaths,
    ignoreErrorCodesMatching: call.ignoreErrorCodesMatching,
    logging: cr.Logging.withDataHidden(),
  };
  const resource = new cr.AwsCustomResource(scope, id, {
    onCreate: sdk,
    onUpdate: sdk,
    policy: cr.AwsCustomResourcePolicy.fromStatements(call.statements),
    installLatestAwsSdk: false,
  });
  acknowledgeProvider(Stack.of(scope));
  return resource;
}

const acknowledged = new WeakSet<object>();

/** The AwsCustomResource provider is one Lambda per stack, written by aws-cdk-lib. */
function acknowledgeProvider(stack: Stack): void {
  const provider = stack.node.tryFindChild(`AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`);
  if (!provider || acknowledged.has(provider)) return;
  acknowledged.add(provider);
  const v = Validations.of(provider);
  v.acknowledge({
    id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: "aws-cdk-lib's AwsCustomResource provider uses AWSLambdaBasicExecutionRole for its own logs only.",
  });
  v.acknowledge({
    id: 'AwsSolutions-L1',
    reason: 'The provider runtime is chosen by aws-cdk-lib for AwsCustomResource; it moves with aws-cdk-lib upgrades.',
  });
}
