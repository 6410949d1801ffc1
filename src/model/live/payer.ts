// Who pays an endpoint's resource-gateway charges, as EC2 (DescribeVpcEndpoints) and VPC Lattice
// (ListResourceEndpointAssociations) give it: entries of a scope and the account type that pays it.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpcEndpointPayerResponsibility.html
import type { Paid } from '../types.js';

const PAYERS = new Set(['resource-gateway-account', 'vpc-endpoint-account']);

/** The payer of the resource-gateway charges among (scope, payer) entries; nothing when AWS does not say. */
export function payerOf(entries: readonly (readonly [string | undefined, string | undefined])[] | undefined): Paid {
  const payer = entries?.find(([scope]) => scope === 'resource-gateway-charges')?.[1];
  return payer && PAYERS.has(payer) ? { payer: payer as NonNullable<Paid['payer']> } : {};
}
