// A consumer of a resource another account shares with ours: our side only. The owner's configuration is known by
// its ARN; the invitation is accepted when the config gives the owner's share; the stack's metadata describes the
// resource (PARTNER_METADATA) for check, which cannot see the owner's side, and for the twin, which stands one in.
import { CfnElement, CfnOutput, type Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import { PARTNER_METADATA, type ExpectedPath, type PartnerFacts } from '../assembly/index.js';
import { schemeOf, type Consumer, type PartnerResource, type Topology } from '../config/index.js';
import {
  portOf,
  ResourceConfiguration,
  ResourceEndpoint,
  ResourceShareInvitationAccepter,
} from '../constructs/index.js';
import { pascal } from './names.js';
import { privateDnsOf } from './private-dns.js';
import type { NetworkHandle } from './network.js';

/** What the consumer stack gives: the consumer's clients, its expectations, and one accepter per share. */
export interface PartnerContext {
  readonly clients: ec2.ISecurityGroup[];
  readonly declaredClients: ExpectedPath['clients'];
  readonly expected: ExpectedPath[];
  readonly accepters: Map<string, ResourceShareInvitationAccepter>;
}

function accepterOf(stack: Stack, partner: PartnerResource, context: PartnerContext): ResourceShareInvitationAccepter {
  const shareArn = partner.shareArn ?? '';
  let accepter = context.accepters.get(shareArn);
  if (!accepter) {
    accepter = new ResourceShareInvitationAccepter(stack, `${pascal(partner.name)}Invitation`, {
      resourceShareArn: shareArn,
    });
    context.accepters.set(shareArn, accepter);
  }
  return accepter;
}

export function addPartnerConsumer(
  stack: Stack,
  consumer: Consumer,
  partner: PartnerResource,
  net: NetworkHandle,
  context: PartnerContext,
): ResourceEndpoint {
  const id = pascal(consumer.name);
  const configuration = ResourceConfiguration.fromResourceConfigurationAttributes(stack, `${id}Configuration`, {
    resourceConfigurationArn: partner.configurationArn,
  });
  const endpoint = new ResourceEndpoint(stack, `${id}Endpoint`, {
    vpc: net.vpc,
    vpcSubnets: net.subnets,
    resourceConfiguration: configuration,
    ...privateDnsOf(consumer.privateDns, partner.expose === 'dns' ? partner.names.map((n) => n.name) : []),
  });
  if (consumer.acceptInvitation) endpoint.node.addDependency(accepterOf(stack, partner, context));
  for (const client of context.clients)
    for (const range of partner.ports)
      endpoint.connections.allowFrom(client, portOf(range), `from client ${client.node.id}`);
  context.expected.push({
    consumer: consumer.name,
    privateDns: consumer.privateDns,
    endpoint: stack.resolve(stack.getLogicalId(endpoint.node.defaultChild as CfnElement)),
    clients: context.declaredClients,
  });
  new CfnOutput(stack, `${id}EndpointId`, { value: endpoint.vpcEndpointId });
  if (consumer.privateDns) partnerOutputs(stack, id, partner);
  return endpoint;
}

/** The names to use (with private DNS on) and, for a database, the connection string without its password. */
function partnerOutputs(stack: Stack, id: string, partner: PartnerResource): void {
  const scheme = partner.protocol === 'tcp' ? undefined : schemeOf(partner.protocol);
  for (const { role, name, port } of partner.names) {
    const label = `${id}${pascal(role)}`;
    new CfnOutput(stack, `${label}Name`, {
      value: name,
      description: `${partner.name}${role ? ` (${role})` : ''}: resolved to the endpoint by private DNS`,
    });
    if (scheme)
      new CfnOutput(stack, `${label}ConnectionString`, {
        value: `${scheme}://<user>@${name}:${port}/<database>?${scheme === 'mysql' ? 'ssl-mode=REQUIRED' : 'sslmode=require'}`,
        description: `${partner.name}: connection string without user, password or database: its owner gives them`,
      });
  }
}

/** The PARTNER_METADATA entry of a partner resource reached from these networks' zones. */
export function partnerFacts(t: Topology, partner: PartnerResource, networks: string[]): PartnerFacts {
  const account = t.accounts.find((a) => a.name === partner.account);
  const zones = new Map<string, { name: string; id?: string }>();
  for (const network of t.networks.filter((n) => networks.includes(n.name))) {
    const ids = t.accounts.find((a) => a.name === network.account)?.zoneIds ?? {};
    for (const name of network.availabilityZones) zones.set(name, { name, ...(ids[name] ? { id: ids[name] } : {}) });
  }
  return {
    name: partner.name,
    party: account?.operatedBy?.party ?? `account ${partner.account}`,
    account: account?.id ?? '',
    configurationArn: partner.configurationArn,
    ...(partner.shareArn ? { shareArn: partner.shareArn } : {}),
    protocol: partner.protocol,
    ports: partner.ports,
    expose: partner.expose,
    names: partner.names,
    zones: [...zones.values()],
  };
}

/** Records the partner resources a consumer stack reaches in its template metadata. */
export function describePartners(stack: Stack, facts: PartnerFacts[]): void {
  if (!facts.length) return;
  stack.templateOptions.metadata = { ...(stack.templateOptions.metadata ?? {}), [PARTNER_METADATA]: facts };
}
