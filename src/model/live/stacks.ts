// Which deployed resource each template resource became, for drift (doctor --against): CloudFormation's stack
// resources, by logical ID, in the accounts doctor reads. A stack that was never deployed (or was deleted) is missing,
// not a failed call. https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ListStackResources.html
import { ListStackResourcesCommand, type ListStackResourcesCommandOutput } from '@aws-sdk/client-cloudformation';
import type { Reading } from './reading.js';

/** A stack's resource as CloudFormation lists it. */
export interface StackResource {
  readonly stack: string;
  readonly logicalId: string;
  readonly physicalId: string;
  readonly type: string;
}

/** What CloudFormation says of the stacks doctor compares with (`--against`). */
export interface StackResources {
  readonly resources: StackResource[];
  /** Stacks of the templates that do not exist in their account. */
  readonly missing: string[];
}

const CALL = 'cloudformation:ListStackResources';

export async function readStackResources(r: Reading, stacks: readonly string[], into: StackResources): Promise<void> {
  await Promise.all(stacks.map((stack) => readStack(r, stack, into)));
}

async function readStack(r: Reading, stack: string, into: StackResources): Promise<void> {
  type Page = ListStackResourcesCommandOutput;
  const listed = await r.calls.all<Page, NonNullable<Page['StackResourceSummaries']>[number]>(
    r.target,
    'cloudformation',
    r.clients.cloudformation,
    {
      next: (p) => p.NextToken,
      make: (NextToken) => new ListStackResourcesCommand({ StackName: stack, NextToken }),
      items: (p) => p.StackResourceSummaries,
    },
  );
  if (!listed) {
    // "Stack with id X does not exist" is an answer: the stack is not deployed.
    const index = r.calls.problems.findIndex(
      (p) =>
        p.account === r.target.account &&
        p.region === r.target.region &&
        p.call === CALL &&
        p.message.includes(`Stack with id ${stack} does not exist`),
    );
    if (index >= 0) {
      r.calls.problems.splice(index, 1);
      into.missing.push(stack);
    }
    return;
  }
  for (const x of listed)
    if (x.PhysicalResourceId && x.LogicalResourceId && !/DELETE_COMPLETE/.test(x.ResourceStatus ?? ''))
      into.resources.push({
        stack,
        logicalId: x.LogicalResourceId,
        physicalId: x.PhysicalResourceId,
        type: x.ResourceType ?? '',
      });
}
