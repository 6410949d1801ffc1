// A consumer account's stack: networks, demo workloads, invitation acceptance, resource endpoints and their rules.
import { CfnElement, CfnOutput, CfnParameter, Stack, Tags, Validations, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { Consumer, DatabaseResource, Topology } from '../config/index.js';
import {
  portOf, PrivateDnsPreference, ResourceConfiguration, ResourceEndpoint, ResourceShareInvitationAccepter,
} from '../constructs/index.js';
import {
  configurationArnOutput, endpointNameOutput, EXPECT_METADATA, INPUTS_METADATA, ownerStackName, pascal, shareArnOutput, type ExpectedPath, type StackInput,
} from './names.js';
import { buildNetwork, type NetworkHandle } from './network.js';
import { configurationParts, portRanges } from './parts.js';

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
  private readonly inputs: Record<string, StackInput> = {};
  private readonly expected: ExpectedPath[] = [];
  private readonly accepters = new Map<string, ResourceShareInvitationAccepter>();

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
    for (const c of t.consumers.filter((x) => here(x.network))) this.consumer(t, c, props.networks.get(c.network)!);
    this.templateOptions.metadata = { ...(this.templateOptions.metadata ?? {}), [INPUTS_METADATA]: this.inputs, [EXPECT_METADATA]: this.expected };
  }

  private workload(name: string, instanceType: string, net: NetworkHandle): void {
    const id = pascal(name);
    const securityGroup = new ec2.SecurityGroup(this, `${id}SecurityGroup`, {
      vpc: net.vpc, allowAllOutbound: false, description: `Workload ${name}: egress to its endpoints only`,
    });
    this.workloadSecurityGroups.set(name, securityGroup);
    const role = new iam.Role(this, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
    });
    Validations.of(role).acknowledge({ id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]', reason: 'AmazonSSMManagedInstanceCore is AWS\'s policy for Session Manager access to the demo instance.' });
    const instance = new ec2.Instance(this, id, {
      vpc: net.vpc,
      vpcSubnets: net.subnets,
      instanceType: new ec2.InstanceType(instanceType),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      securityGroup,
      role,
      requireImdsv2: true,
      detailedMonitoring: true,
      blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(8, { encrypted: true }) }],
    });
    this.instances.set(name, instance);
    Tags.of(instance).add('lattice-share:workload', name);
    Validations.of(instance).acknowledge({ id: 'AwsSolutions-EC29', reason: 'A demo workload: `lattice-share destroy` must be able to remove it.' });
    new CfnOutput(this, `${id}InstanceId`, { value: instance.instanceId, description: `Workload ${name}: connect with Session Manager` });
  }

  /** A parameter fed by an owner stack's output of the same name. */
  private input(owner: string, output: string, description: string): string {
    if (!this.inputs[output]) {
      new CfnParameter(this, output, { type: 'String', description: `${description} (output ${output} of stack ${owner})` });
      this.inputs[output] = { stack: owner, output };
    }
    return (this.node.findChild(output) as CfnParameter).valueAsString;
  }

  private consumer(t: Topology, c: Consumer, net: NetworkHandle): void {
    const resource = t.resources.find((r) => r.name === c.resource)!;
    const ownerAccount = t.networks.find((n) => n.name === resource.network)!.account;
    const owner = ownerStackName(t.name, ownerAccount);
    const id = pascal(c.name);

    let accepter: ResourceShareInvitationAccepter | undefined;
    if (c.acceptInvitation && c.share) {
      accepter = this.accepters.get(c.share);
      if (!accepter) {
        const shareArn = this.input(owner, shareArnOutput(c.share), `ARN of RAM share ${c.share}`);
        accepter = new ResourceShareInvitationAccepter(this, `${pascal(c.share)}Invitation`, { resourceShareArn: shareArn });
        this.accepters.set(c.share, accepter);
      }
    }

    const ranges = portRanges(resource);
    const clients = [
      ...c.clientWorkloads.map((w) => this.workloadSecurityGroups.get(w)!),
      ...c.clientSecurityGroupIds.map((sg, i) => ec2.SecurityGroup.fromSecurityGroupId(this, `${id}Client${i + 1}`, sg, { allowAllOutbound: false })),
    ];
    const customDomains = resource.kind === 'database' ? [resource.customDomains?.writer, resource.customDomains?.reader]
      : resource.kind === 'tcp' ? [resource.customDomain] : resource.members.map((m) => m.customDomain);
    const domains = customDomains.filter((d): d is string => !!d);

    const dnsNames = new Map<string, string>();
    for (const { part } of configurationParts(resource)) {
      const arnOutput = configurationArnOutput(resource.name, part);
      const configuration = ResourceConfiguration.fromResourceConfigurationAttributes(this, `${id}${pascal(part)}Configuration`, {
        resourceConfigurationArn: this.input(owner, arnOutput, `Resource configuration of ${resource.name}${part ? ` (${part})` : ''}`),
      });
      const endpoint = new ResourceEndpoint(this, `${id}${pascal(part)}Endpoint`, {
        vpc: net.vpc,
        vpcSubnets: net.subnets,
        resourceConfiguration: configuration,
        privateDnsEnabled: c.privateDns,
        // Unverified custom domains get private DNS only when named.
        ...(c.privateDns && domains.length
          ? { privateDnsPreference: PrivateDnsPreference.VERIFIED_DOMAINS_AND_SPECIFIED_DOMAINS, privateDnsSpecifiedDomains: domains }
          : {}),
      });
      if (accepter) endpoint.node.addDependency(accepter);
      this.expected.push({
        consumer: c.name,
        privateDns: c.privateDns,
        endpoint: this.resolve(this.getLogicalId(endpoint.node.defaultChild as CfnElement)),
        clients: [
          ...c.clientWorkloads.map((w) => ({ instance: this.resolve(this.getLogicalId(this.instances.get(w)!.node.defaultChild as CfnElement)) })),
          ...c.clientSecurityGroupIds.map((sg) => ({ securityGroup: sg })),
        ],
      });
      for (const client of clients) for (const range of ranges) endpoint.connections.allowFrom(client, portOf(range), `from client ${client.node.id}`);
      new CfnOutput(this, `${id}${pascal(part)}EndpointId`, { value: endpoint.vpcEndpointId });
      dnsNames.set(part, endpoint.dnsName);
      new CfnOutput(this, `${id}${pascal(part)}DnsName`, {
        value: dnsNames.get(part)!,
        description: `${c.name}: the endpoint's own name, resolvable from anywhere${resource.kind === 'database' && resource.expose === 'arn' ? ' (one of the cluster\'s associations; prefer the private DNS names)' : ''}`,
      });
    }
    if (resource.kind === 'database') this.databaseOutputs(c, resource, owner, dnsNames.get(resource.expose === 'dns' ? 'writer' : '')!);
  }

  private databaseOutputs(c: Consumer, r: DatabaseResource, owner: string, endpointName: string): void {
    const id = pascal(c.name);
    const scheme = r.engine === 'aurora-mysql' ? 'mysql' : 'postgresql';
    const user = r.create?.username ?? '<user>';
    const db = r.create?.databaseName ?? '<database>';
    // Names that private DNS points at the endpoint: the cluster's own (ARN type) or the custom domains (DNS type).
    const viaPrivateDns = c.privateDns && (r.expose === 'arn' || !!r.customDomains);
    const hasReader = !!(r.create || r.import?.readerEndpoint);
    // Called only when needed: for an ARN type each name becomes a parameter fed by the owner stack.
    const nameOf = (role: 'writer' | 'reader') => (r.expose === 'arn'
      ? this.input(owner, endpointNameOutput(r.name, role), `${role} name of ${r.name}`)
      : r.customDomains?.[role]);
    const host = viaPrivateDns ? nameOf('writer')! : endpointName;
    if (viaPrivateDns) {
      new CfnOutput(this, `${id}WriterName`, { value: host, description: `${c.name}: the writer name, resolved to the endpoint by private DNS` });
      const readerName = hasReader ? nameOf('reader') : undefined;
      if (readerName) new CfnOutput(this, `${id}ReaderName`, { value: readerName, description: `${c.name}: the reader name, resolved to the endpoint by private DNS` });
    }
    // Only the cluster's own names match its TLS certificate.
    const verified = viaPrivateDns && r.expose === 'arn';
    const tls = verified ? (scheme === 'mysql' ? 'ssl-mode=VERIFY_IDENTITY' : 'sslmode=verify-full') : (scheme === 'mysql' ? 'ssl-mode=REQUIRED' : 'sslmode=require');
    new CfnOutput(this, `${id}ConnectionString`, {
      value: `${scheme}://${user}@${host}:${r.port}/${db}?${tls}`,
      description: `${c.name}: connection string without password; read it from the owner's secret or use IAM authentication`,
    });
  }
}
