// Names shared by the owner and consumer stacks: stack names, outputs handed from owner to consumer.
import type { SharedResource, Topology } from '../config/index.js';

export const pascal = (s: string): string =>
  s
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');

export const ownerStackName = (prefix: string, account: string) => `${prefix}-${account}-owner`;
export const consumerStackName = (prefix: string, account: string) => `${prefix}-${account}-consumer`;
export const networkStackName = (prefix: string, account: string) => `${prefix}-${account}-network`;
/** The owner stack of a shared resource: the one of the account whose network holds it. */
export const resourceOwnerStack = (topology: Topology, resource: SharedResource) =>
  ownerStackName(topology.name, topology.networks.find((n) => n.name === resource.network)!.account);

/** One resource configuration a shared resource produces ('' for the resource itself, or writer / reader). */
export const configurationArnOutput = (resource: string, part: string) =>
  `${pascal(resource)}${pascal(part)}ConfigurationArn`;
export const shareArnOutput = (share: string) => `${pascal(share)}ShareArn`;
export const serviceNetworkOutput = (network: string, what: 'Arn' | 'Id' | 'ShareArn') =>
  `${pascal(network)}ServiceNetwork${what}`;
export const endpointNameOutput = (resource: string, role: 'writer' | 'reader') =>
  `${pascal(resource)}${pascal(role)}Endpoint`;

export { EXPECT_METADATA, INPUTS_METADATA, type ExpectedPath, type StackInput } from '../assembly/index.js';
