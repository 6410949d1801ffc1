// ResourceShareInvitationAccepter: accepts a RAM invitation in a consumer account outside the organization.
import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { sdkCall } from './custom-lookup.js';

export interface ResourceShareInvitationAccepterProps {
  /** The ARN of the owner's resource share (an output of the owner stack). */
  readonly resourceShareArn: string;
}

/**
 * Accepts the RAM invitation for a resource share at deploy time. CloudFormation has no resource type for this.
 * Make the endpoint depend on it: `endpoint.node.addDependency(accepter)`. Inside an organization with RAM sharing
 * enabled there is no invitation: do not use it there.
 */
export class ResourceShareInvitationAccepter extends Construct {
  /** The invitation's ARN. */
  readonly invitationArn: string;

  constructor(scope: Construct, id: string, props: ResourceShareInvitationAccepterProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const find = sdkCall(this, 'Find', {
      service: 'RAM',
      action: 'GetResourceShareInvitations',
      parameters: { resourceShareArns: [props.resourceShareArn] },
      physicalId: props.resourceShareArn,
      outputPaths: ['resourceShareInvitations.0.resourceShareInvitationArn'],
      statements: [new iam.PolicyStatement({ actions: ['ram:GetResourceShareInvitations'], resources: ['*'] })],
    });
    this.invitationArn = find.getResponseField('resourceShareInvitations.0.resourceShareInvitationArn');
    const accept = sdkCall(this, 'Accept', {
      service: 'RAM',
      action: 'AcceptResourceShareInvitation',
      parameters: { resourceShareInvitationArn: this.invitationArn },
      physicalId: props.resourceShareArn,
      ignoreErrorCodesMatching: 'ResourceShareInvitationAlreadyAccepted.*',
      statements: [
        new iam.PolicyStatement({
          actions: ['ram:AcceptResourceShareInvitation'],
          resources: [`arn:${stack.partition}:ram:${stack.region}:*:resource-share-invitation/*`],
        }),
      ],
    });
    Validations.of(find).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: 'ram:GetResourceShareInvitations supports no resource-level permissions; the call is read-only.',
    });
    Validations.of(accept).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ram:${stack.region}:*:resource-share-invitation/*]`,
      reason:
        'The invitation ARN is created by the owner account at deploy time; the action is limited to invitations of this Region.',
    });
  }
}
