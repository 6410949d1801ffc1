// Who pays an endpoint's resource-gateway charges, as EC2 (DescribeVpcEndpoints: `resource-gateway-charges`,
// `resource-gateway-account`) and VPC Lattice (ListResourceEndpointAssociations: `ResourceGatewayCharges`,
// `ResourceGatewayAccount`) give it, each in its own words: entries of a scope and the account type that pays it.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpcEndpointPayerResponsibility.html
import type { Paid } from '../types.js';

/** Both services' words, as the model says them. */
const PAYERS: Record<string, NonNullable<Paid['payer']>> = {
  'resource-gateway-account': 'resource-gateway-account',
  'vpc-endpoint-account': 'vpc-endpoint-account',
  ResourceGatewayAccount: 'resource-gateway-account',
  VpcEndpointAccount: 'vpc-endpoint-account',
};
const SCOPES = new Set(['resource-gateway-charges', 'ResourceGatewayCharges']);

/** The payer of the resource-gateway charges among (scope, payer) entries; nothing when AWS does not say. */
export function payerOf(entries: readonly (readonly [string | undefined, string | undefined])[] | undefined): Paid {
  const payer = PAYERS[entries?.find(([scope]) => SCOPES.has(scope ?? ''))?.[1] ?? ''];
  return payer ? { payer } : {};
}
