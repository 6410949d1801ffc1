// A consumer account's stack: networks, demo workloads, invitation acceptance, resource endpoints and their rules.
import { WORKLOAD_TAG } from '../assembly/index.js';
import { CfnElement, CfnOutput, Stack, Token, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import type { Caller, Consumer, HttpsResource, PartnerResource, SharedResource, Topology } from '../config/index.js';
import {
  portOf,
  ResourceConfiguration,
  ResourceEndpoint,
  ResourceShareInvitationAccepter,
  ServiceNetwork,
  ServiceNetworkEndpoint,
  ServiceNetworkVpcAssociation,
  type PrivateDnsProps,
} from '../constructs/index.js';
import { addCaller } from './callers.js';
import { Inputs } from './inputs.js';
import {
  configurationArnOutput,
  endpointNameOutput,
  EXPECT_METADATA,
  networkStackName,
  pascal,
  resourceOwnerStack,
  serviceNetworkOutput,
  shareArnOutput,
  type ExpectedPath,
} from './names.js';
import { databaseOutputs } from './database-outputs.js';
import { demoInstance } from './instances.js';
import { buildNetwork, type NetworkHandle } from './network.js';
import { addPartnerConsumer, describePartners, partnerFacts, type PartnerContext } from './partner-consumer.js';
import { configurationParts, customDomainsOf, portRanges } from './parts.js';
import { privateDnsOf } from './private-dns.js';

/** Private DNS for a path to these resources: their custom domains named. */
const privateDns = (enabled: boolean, resources: SharedResource[]): PrivateDnsProps =>
  privateDnsOf(enabled, resources.flatMap(customDomainsOf));

export interface ConsumerStackProps extends StackProps {
  readonly topology: Topology;
  readonly account: string;
  /** Networks of every account by name; this stack adds its account's networks that no owner stack built. */
  readonly networks: Map<string, NetworkHandle>;
}

export class ConsumerStack extends Stack {
  /** Security groups of the demo workloads, by workload name. */
  readonly workloadSecurityGroups = new Map<string, ec2.SecurityGroup>();
  private readonly instances = new Map<string, ec2.Instance>();
  private readonly inputs = new Inputs(this);
  private readonly expected: ExpectedPath[] = [];
  private readonly accepters = new Map<string, ResourceShareInvitationAccepter>();
  /** Accepters of shares of other accounts' resources, by share ARN. */
  private readonly partnerAccepters = new Map<string, ResourceShareInvitationAccepter>();

  constructor(scope: Construct, id: string, props: ConsumerStackProps) {
    super(scope, id, props);
    const t = props.topology;
    const here = (network: string) => t.networks.find((n) => n.name === network)?.account === props.account;
    for (const n of t.networks.filter((x) => x.account === props.account && !props.networks.has(x.name))) {
      props.networks.set(n.name, buildNetwork(this, n));
    }

    for (const w of t.workloads.filter((x) => here(x.network))) {
      this.workload(w.name, w.instanceType, props.networks.get(w.network)!);
    }
    const partners: { partner: PartnerResource; network: string }[] = [];
    for (const c of t.consumers.filter((x) => here(x.network))) {
      const net = props.networks.get(c.network)!;
      const path = c.path;
      const partner = path.kind === 'resource-endpoint' && t.partnerResources.find((r) => r.name === path.resource);
      if (partner) {
        addPartnerConsumer(this, c, partner, net, this.partnerContext(c));
        partners.push({ partner, network: c.network });
      } else if (path.kind === 'resource-endpoint') this.consumer(t, c, path.resource, net);
      else this.serviceNetworkConsumer(t, c, path.serviceNetwork, path.via, net);
    }
    describePartners(
      this,
      [...new Set(partners.map((p) => p.partner))].map((partner) =>
        partnerFacts(
          t,
          partner,
          partners.filter((p) => p.partner === partner).map((p) => p.network),
        ),
      ),
    );
    const callerContext = { inputs: this.inputs, shareAccepter: this.shareAccepter.bind(this) };
    for (const c of t.callers.filter((x) => x.account === props.account)) addCaller(this, t, c, callerContext);
    this.templateOptions.metadata = { ...(this.templateOptions.metadata ?? {}), [EXPECT_METADATA]: this.expected };
  }

  /** What a consumer of a partner's resource takes from this stack. */
  private partnerContext(c: Consumer): PartnerContext {
    return {
      clients: this.clientsOf(c),
      declaredClients: this.declaredClients(c),
      expected: this.expected,
      accepters: this.partnerAccepters,
    };
  }

  private workload(name: string, instanceType: string, net: NetworkHandle): void {
    const id = pascal(name);
    const { instance, securityGroup } = demoInstance(this, id, {
      net,
      instanceType,
      securityGroupDescription: `Workload ${name}: egress to its endpoints only`,
      tags: { [WORKLOAD_TAG]: name },
      accessTo: 'demo instance',
      label: 'A demo workload',
    });
    this.workloadSecurityGroups.set(name, securityGroup);
    this.instances.set(name, instance);
    new CfnOutput(this, `${id}InstanceId`, {
      value: instance.instanceId,
      description: `Workload ${name}: connect with Session Manager`,
    });
  }

  private input(from: string, output: string, description: string): string {
    return this.inputs.get(from, output, description);
  }

  /** The accepter of a RAM share's invitation (one per share, by its construct ID). */
  private accepter(id: string, from: string, output: string, what: string): ResourceShareInvitationAccepter {
    let accepter = this.accepters.get(id);
    if (!accepter) {
      const shareArn = this.input(from, output, `ARN of RAM share ${what}`);
      accepter = new ResourceShareInvitationAccepter(this, id, { resourceShareArn: shareArn });
      this.accepters.set(id, accepter);
    }
    return accepter;
  }

  /** The accepter of the RAM share a consumer or caller names, where it accepts the invitation itself. */
  private shareAccepter(
    user: Pick<Consumer | Caller, 'share' | 'acceptInvitation'>,
    owner: string,
  ): ResourceShareInvitationAccepter | undefined {
    return user.acceptInvitation && user.share
      ? this.accepter(`${pascal(user.share)}Invitation`, owner, shareArnOutput(user.share), user.share)
      : undefined;
  }

  private consumer(t: Topology, c: Consumer, resourceName: string, net: NetworkHandle): void {
    const resource = t.resources.find((r) => r.name === resourceName)! as Exclude<SharedResource, HttpsResource>;
    const owner = resourceOwnerStack(t, resource);
    const id = pascal(c.name);
    const accepter = this.shareAccepter(c, owner);

    const ranges = portRanges(resource);
    const clients = this.clientsOf(c);
    const dns = privateDns(c.privateDns, [resource]);

    const dnsNames = new Map<string, string>();
    for (const { part } of configurationParts(resource)) {
      const arnOutput = configurationArnOutput(resource.name, part);
      const configuration = ResourceConfiguration.fromResourceConfigurationAttributes(
        this,
        `${id}${pascal(part)}Configuration`,
        {
          resourceConfigurationArn: this.input(
            owner,
            arnOutput,
            `Resource configuration of ${resource.name}${part ? ` (${part})` : ''}`,
          ),
        },
      );
      const endpoint = new ResourceEndpoint(this, `${id}${pascal(part)}Endpoint`, {
        vpc: net.vpc,
        vpcSubnets: net.subnets,
        resourceConfiguration: configuration,
        ...dns,
      });
      if (accepter) endpoint.node.addDependency(accepter);
      this.expected.push({
        consumer: c.name,
        privateDns: c.privateDns,
        endpoint: this.resolve(this.getLogicalId(endpoint.node.defaultChild as CfnElement)),
        clients: this.declaredClients(c),
      });
      for (const client of clients)
        for (const range of ranges)
          endpoint.connections.allowFrom(client, portOf(range), `from client ${client.node.id}`);
      new CfnOutput(this, `${id}${pascal(part)}EndpointId`, { value: endpoint.vpcEndpointId });
      dnsNames.set(part, endpoint.dnsName);
      new CfnOutput(this, `${id}${pascal(part)}DnsName`, {
        value: dnsNames.get(part)!,
        description: `${c.name}: the endpoint's own name, resolvable from anywhere${resource.kind === 'database' && resource.expose === 'arn' ? " (one of the cluster's associations; prefer the private DNS names)" : ''}`,
      });
    }
    if (resource.kind === 'database')
      databaseOutputs(this, this.input.bind(this), {
        label: c.name,
        r: resource,
        owner,
        privateDns: c.privateDns,
        endpointName: dnsNames.get(resource.expose === 'dns' ? 'writer' : ''),
      });
  }

  /**
   * The names private DNS gives a resource through a service network: an ARN database's own names always, custom
   * domains when the resource association enables private DNS; with their ports.
   */
  private privateNames(t: Topology, r: SharedResource, enabled: boolean): { name: string; port: number }[] {
    const owner = resourceOwnerStack(t, r);
    if (r.kind === 'database') {
      if (r.expose !== 'arn' && !enabled) return [];
      const roles = r.create || r.import?.readerEndpoint ? (['writer', 'reader'] as const) : (['writer'] as const);
      return roles
        .map((role) => ({
          name:
            r.expose === 'arn'
              ? this.input(owner, endpointNameOutput(r.name, role), `${role} name of ${r.name}`)
              : r.customDomains?.[role],
          port: r.port,
        }))
        .filter((x): x is { name: string; port: number } => !!x.name);
    }
    if (!enabled) return [];
    if (r.kind === 'group')
      return r.members
        .filter((m) => m.customDomain)
        .map((m) => ({ name: m.customDomain!, port: Number((m.ports ?? r.ports)[0]!.split('-')[0]) }));
    return r.customDomain ? [{ name: r.customDomain, port: Number(portRanges(r)[0]!.split('-')[0]) }] : [];
  }

  /**
   * A service-network consumer: an endpoint (ENIs in the VPC, reachable from peered networks and on-premises too) or
   * a VPC association (no VPC addresses, this VPC only), open to the clients on every port the network carries.
   */
  private serviceNetworkConsumer(
    t: Topology,
    c: Consumer,
    network: string,
    via: 'endpoint' | 'association',
    net: NetworkHandle,
  ): void {
    const sn = t.serviceNetworks.find((n) => n.name === network)!;
    const resources = sn.resources.map((r) => t.resources.find((x) => x.name === r)!);
    const path = this.serviceNetworkPath(t.name, c, sn, via, net, resources);
    this.openToClients(c, path, resources);
    const names = resources.flatMap((r) => this.privateNames(t, r, sn.privateDns));
    this.expected.push({
      consumer: c.name,
      privateDns: c.privateDns,
      endpoint: this.resolve(this.getLogicalId(path.node.defaultChild as CfnElement)),
      clients: this.declaredClients(c),
      ...(names.length ? { names: names.map((name) => this.expectedName(name)) } : {}),
    });
    new CfnOutput(this, `${pascal(c.name)}${via === 'endpoint' ? 'EndpointId' : 'AssociationId'}`, {
      value: path instanceof ServiceNetworkEndpoint ? path.vpcEndpointId : path.associationId,
    });
    for (const r of resources) {
      if (r.kind !== 'database') continue;
      const owner = resourceOwnerStack(t, r);
      databaseOutputs(this, this.input.bind(this), {
        label: `${c.name}-${r.name}`,
        r,
        owner,
        privateDns: r.expose === 'arn' || sn.privateDns,
      });
    }
  }

  /**
   * The consumer's endpoint or VPC association on the service network (named by ARN: AWS takes an ID only for a
   * network of the same account), after accepting the network's share where the consumer must.
   */
  private serviceNetworkPath(
    app: string,
    consumer: Consumer,
    config: Topology['serviceNetworks'][number],
    via: 'endpoint' | 'association',
    net: NetworkHandle,
    resources: SharedResource[],
  ): ServiceNetworkEndpoint | ServiceNetworkVpcAssociation {
    const name = config.name;
    const from = networkStackName(app, config.account);
    const id = pascal(consumer.name);
    const serviceNetwork = ServiceNetwork.fromServiceNetworkAttributes(this, `${id}ServiceNetwork`, {
      serviceNetworkArn: this.input(from, serviceNetworkOutput(name, 'Arn'), `ARN of service network ${name}`),
    });
    const accepter = consumer.acceptInvitation
      ? this.accepter(
          `${pascal(name)}ServiceNetworkInvitation`,
          from,
          serviceNetworkOutput(name, 'ShareArn'),
          `of service network ${name}`,
        )
      : undefined;
    const props = { vpc: net.vpc, serviceNetwork, ...privateDns(consumer.privateDns, resources) };
    const path =
      via === 'endpoint'
        ? new ServiceNetworkEndpoint(this, `${id}Endpoint`, { ...props, vpcSubnets: net.subnets })
        : new ServiceNetworkVpcAssociation(this, `${id}Association`, props);
    if (accepter) path.node.addDependency(accepter);
    return path;
  }

  /** Opens a service-network path to the consumer's clients on every port of its resources. */
  private openToClients(
    consumer: Consumer,
    path: ServiceNetworkEndpoint | ServiceNetworkVpcAssociation,
    resources: SharedResource[],
  ): void {
    for (const client of this.clientsOf(consumer)) {
      for (const range of new Set(resources.flatMap(portRanges))) {
        // An association's addresses (129.224.0.0/17) carry no ENI of the VPC: clients reach them by address.
        if (path instanceof ServiceNetworkEndpoint)
          path.connections.allowFrom(client, portOf(range), `from client ${client.node.id}`);
        else path.allowClient(client, portOf(range));
      }
    }
  }

  /** A name the path should carry, as text, or as the name of the parameter that feeds it. */
  private expectedName({ name, port }: { name: string; port: number }): NonNullable<ExpectedPath['names']>[number] {
    return Token.isUnresolved(name) ? { parameter: (this.resolve(name) as { Ref: string }).Ref, port } : { name, port };
  }

  /** The clients' security groups: the workloads' own, and imported ones by ID. */
  private clientsOf(c: Consumer): ec2.ISecurityGroup[] {
    const id = pascal(c.name);
    return [
      ...c.clientWorkloads.map((w) => this.workloadSecurityGroups.get(w)!),
      ...c.clientSecurityGroupIds.map(
        (sg, i) =>
          (this.node.tryFindChild(`${id}Client${i + 1}`) as ec2.ISecurityGroup | undefined) ??
          ec2.SecurityGroup.fromSecurityGroupId(this, `${id}Client${i + 1}`, sg, { allowAllOutbound: false }),
      ),
    ];
  }

  private declaredClients(c: Consumer): ExpectedPath['clients'] {
    return [
      ...c.clientWorkloads.map((w) => ({
        instance: this.resolve(this.getLogicalId(this.instances.get(w)!.node.defaultChild as CfnElement)) as string,
      })),
      ...c.clientSecurityGroupIds.map((sg) => ({ securityGroup: sg })),
    ];
  }
}
