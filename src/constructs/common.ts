// Shared helpers of the constructs: typed validation errors naming the construct path, names, and the VPC endpoint
// that resource and service-network endpoints both are.
import { Names, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct, IConstruct } from 'constructs';
import { LatticeShareError } from '../shared/errors.js';
import type { PrivateDnsProps } from './resource-endpoint.js';

/** A synth-time error in user input, naming the construct path where it happened. */
export class LatticeValidationError extends LatticeShareError {
  constructor(
    readonly scope: IConstruct,
    message: string,
  ) {
    super('LS_CONSTRUCT_INVALID', `${scope.node.path}: ${message}`);
  }
}

/** A rule of a construct's props: `condition` true means the props are wrong. */
export interface PropRule<P> {
  readonly id: string;
  readonly condition: (props: P) => boolean;
  readonly message: string;
}

export function validateProps<P>(scope: IConstruct, props: P, rules: readonly PropRule<P>[]): void {
  for (const rule of rules) {
    if (rule.condition(props)) throw new LatticeValidationError(scope, `${rule.message} [${rule.id}]`);
  }
}

/** True when a value is known at synth time (not a token). */
export const known = (v: unknown): boolean => v !== undefined && !Token.isUnresolved(v);

/**
 * A name for VPC Lattice resources: a-z, 0-9 and single hyphens, 3-40 characters, unique in the
 * stack, derived from the construct path.
 */
export function latticeName(scope: IConstruct, prefix = ''): string {
  const raw = Names.uniqueResourceName(scope, { maxLength: 60, separator: '-' }).toLowerCase();
  let name = `${prefix}${raw}`
    .replace(/[^a-z0-9-]/g, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  if (name.length > 40) name = `${name.slice(0, 31)}-${name.slice(-8)}`.replace(/-+/g, '-');
  if (name.startsWith('rgw-')) name = `gw-${name.slice(4)}`;
  return name.length >= 3 ? name : `${name}-ls`;
}

export const LATTICE_NAME = /^(?![-])(?!.*[-]$)(?!.*[-]{2})[a-z0-9-]{3,40}$/;

const PORT_RANGE = /^(\d{1,5})(-(\d{1,5}))?$/;
/** Checks one port-range string ("5432", "8000-8010") as VPC Lattice accepts it. */
export function isPortRange(s: string): boolean {
  const m = PORT_RANGE.exec(s);
  if (!m) return false;
  const lo = Number(m[1]);
  const hi = m[3] === undefined ? lo : Number(m[3]);
  return lo >= 1 && hi <= 65535 && lo <= hi;
}

/** One subnet per zone of a selection (the VPC's private or isolated ones by default); `what` needs at least one. */
export function onePerZone(
  scope: Construct,
  vpc: ec2.IVpc,
  selection: ec2.SubnetSelection | undefined,
  what: string,
): ec2.SelectedSubnets {
  const selected = vpc.selectSubnets({ ...(selection ?? {}), onePerAz: true });
  if (!selected.subnets.length)
    throw new LatticeValidationError(scope, `vpcSubnets selects no subnet; ${what} needs at least one`);
  return selected;
}

/** The given security groups, or a new one with no rules at all: opened only through `connections`. */
export function ownGroups(
  scope: Construct,
  vpc: ec2.IVpc,
  given: ec2.ISecurityGroup[] | undefined,
  description: string,
): ec2.ISecurityGroup[] {
  return given ?? [new ec2.SecurityGroup(scope, 'SecurityGroup', { vpc, allowAllOutbound: false, description })];
}

/** The DnsOptions property, when a preference or domains are given. */
export const dnsOptions = (p: PrivateDnsProps) =>
  p.privateDnsPreference !== undefined || p.privateDnsSpecifiedDomains !== undefined
    ? { privateDnsPreference: p.privateDnsPreference, privateDnsSpecifiedDomains: p.privateDnsSpecifiedDomains }
    : undefined;

/** What a consumer's VPC endpoint takes from its construct's props: where it goes, its groups, its private DNS. */
export interface ConsumerEndpointProps extends PrivateDnsProps {
  readonly vpc: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
  readonly securityGroups?: ec2.ISecurityGroup[];
}

/** The endpoint types a consumer's VPC endpoint has, and how its own security group's description names it. */
const CONSUMER_ENDPOINTS = { Resource: 'Resource endpoint', ServiceNetwork: 'Service-network endpoint' } as const;

/**
 * The VPC endpoint (construct ID `Resource`) of a resource or service-network endpoint: in one subnet per zone, with
 * the given security groups or a new one with no rules, private DNS on unless turned off, IPv4 unless `target` says
 * otherwise. `target` names what it connects to. Returns it with its security groups.
 */
export function consumerEndpoint(
  scope: Construct,
  type: keyof typeof CONSUMER_ENDPOINTS,
  props: ConsumerEndpointProps,
  target: Pick<ec2.CfnVPCEndpointProps, 'resourceConfigurationArn' | 'serviceNetworkArn' | 'ipAddressType'>,
): { endpoint: ec2.CfnVPCEndpoint; securityGroups: ec2.ISecurityGroup[] } {
  const subnets = onePerZone(scope, props.vpc, props.vpcSubnets, 'an endpoint');
  const securityGroups = ownGroups(
    scope,
    props.vpc,
    props.securityGroups,
    `${CONSUMER_ENDPOINTS[type]} ${scope.node.path}: inbound from clients only`,
  );
  const endpoint = new ec2.CfnVPCEndpoint(scope, 'Resource', {
    vpcEndpointType: type,
    vpcId: props.vpc.vpcId,
    resourceConfigurationArn: target.resourceConfigurationArn,
    serviceNetworkArn: target.serviceNetworkArn,
    subnetIds: subnets.subnetIds,
    securityGroupIds: securityGroups.map((sg) => sg.securityGroupId),
    privateDnsEnabled: props.privateDnsEnabled ?? true,
    ipAddressType: target.ipAddressType ?? 'ipv4',
    dnsOptions: dnsOptions(props),
  });
  return { endpoint, securityGroups };
}
