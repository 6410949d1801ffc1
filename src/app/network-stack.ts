// A network account's stack: its service networks, the resources they carry (resource associations, after accepting
// the owners' shares where invitations are needed), and the RAM shares that give the networks to consumer accounts.
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ServiceNetwork as ServiceNetworkConfig, Topology } from '../config/index.js';
import {
  ResourceConfiguration,
  ResourceShare,
  ResourceShareInvitationAccepter,
  ServiceNetwork,
  ServiceNetworkResourceAssociation,
} from '../constructs/index.js';
import { Inputs } from './inputs.js';
import { sharePrincipals } from './principals.js';
import {
  configurationArnOutput,
  ownerStackName,
  pascal,
  resourceOwnerStack,
  serviceNetworkOutput,
  shareArnOutput,
} from './names.js';
import { configurationParts } from './parts.js';

export interface NetworkStackProps extends StackProps {
  readonly topology: Topology;
  readonly account: string;
}

export class NetworkStack extends Stack {
  private readonly inputs = new Inputs(this);

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    const t = props.topology;
    const mine = t.serviceNetworks.filter((x) => x.account === props.account);
    const accepters = this.acceptShares(t, [...new Set(mine.flatMap((sn) => sn.acceptShares))]);
    for (const sn of mine) {
      const network = new ServiceNetwork(this, `${pascal(sn.name)}Network`, {
        name: sn.name,
        sharable: sn.principals.length > 0,
      });
      for (const name of sn.resources) this.associate(t, sn, network, name, accepters);
      new CfnOutput(this, serviceNetworkOutput(sn.name, 'Arn'), {
        value: network.serviceNetworkArn,
        description: `Service network ${sn.name}`,
      });
      new CfnOutput(this, serviceNetworkOutput(sn.name, 'Id'), {
        value: network.serviceNetworkId,
        description: `Service network ${sn.name}`,
      });
      if (sn.principals.length) this.shareNetwork(t, sn, network);
    }
  }

  /** One acceptance per share, whichever networks of this account take its resources; by share name. */
  private acceptShares(topology: Topology, shares: string[]): Map<string, ResourceShareInvitationAccepter> {
    return new Map(
      shares.map((share) => {
        const owner = ownerStackName(topology.name, topology.shares.find((s) => s.name === share)!.owner);
        const arn = this.inputs.get(owner, shareArnOutput(share), `ARN of RAM share ${share}`);
        return [
          share,
          new ResourceShareInvitationAccepter(this, `${pascal(share)}Invitation`, { resourceShareArn: arn }),
        ];
      }),
    );
  }

  /**
   * Associates a resource's configurations with a service network; where the resource comes through a share this
   * account accepts, each association waits for the acceptance.
   */
  private associate(
    topology: Topology,
    config: ServiceNetworkConfig,
    network: ServiceNetwork,
    name: string,
    accepters: Map<string, ResourceShareInvitationAccepter>,
  ): void {
    const snId = pascal(config.name);
    const resource = topology.resources.find((r) => r.name === name)!;
    const owner = resourceOwnerStack(topology, resource);
    const share = topology.shares.find((s) => config.acceptShares.includes(s.name) && s.resources.includes(name));
    for (const { part } of configurationParts(resource)) {
      const configuration = ResourceConfiguration.fromResourceConfigurationAttributes(
        this,
        `${snId}${pascal(name)}${pascal(part)}Configuration`,
        {
          resourceConfigurationArn: this.inputs.get(
            owner,
            configurationArnOutput(name, part),
            `Resource configuration of ${name}${part ? ` (${part})` : ''}`,
          ),
        },
      );
      const association = new ServiceNetworkResourceAssociation(
        this,
        `${snId}${pascal(name)}${pascal(part)}Association`,
        {
          serviceNetwork: network,
          resourceConfiguration: configuration,
          privateDnsEnabled: config.privateDns,
        },
      );
      if (share) association.node.addDependency(accepters.get(share.name)!);
    }
  }

  /** Shares a service network with its principals through RAM. */
  private shareNetwork(topology: Topology, config: ServiceNetworkConfig, network: ServiceNetwork): void {
    const share = new ResourceShare(this, `${pascal(config.name)}NetworkShare`, {
      resourceShareName: `${config.name}-network`,
      allowExternalPrincipals: config.allowExternalPrincipals,
      principals: sharePrincipals(topology, config.principals),
    });
    share.addServiceNetwork(network);
    new CfnOutput(this, serviceNetworkOutput(config.name, 'ShareArn'), {
      value: share.resourceShareArn,
      description: `RAM share of service network ${config.name}: consumers outside the organization accept its invitation`,
    });
  }
}
