// A network account's stack: its service networks, the resources they carry (resource associations, after accepting
// the owners' shares where invitations are needed), and the RAM shares that give the networks to consumer accounts.
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Topology } from '../config/index.js';
import {
  ResourceConfiguration,
  ResourceShare,
  ResourceShareInvitationAccepter,
  ServiceNetwork,
  ServiceNetworkResourceAssociation,
} from '../constructs/index.js';
import { Inputs } from './inputs.js';
import { sharePrincipals } from './principals.js';
import { configurationArnOutput, ownerStackName, pascal, serviceNetworkOutput, shareArnOutput } from './names.js';
import { configurationParts } from './parts.js';

export interface NetworkStackProps extends StackProps {
  readonly topology: Topology;
  readonly account: string;
}

export class NetworkStack extends Stack {
  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    const t = props.topology;
    const inputs = new Inputs(this);
    const ownerOf = (resource: string) =>
      t.networks.find((n) => n.name === t.resources.find((r) => r.name === resource)!.network)!.account;
    const mine = t.serviceNetworks.filter((x) => x.account === props.account);
    // One acceptance per share, whichever networks of this account take its resources.
    const accepters = new Map(
      [...new Set(mine.flatMap((sn) => sn.acceptShares))].map((share) => {
        const owner = ownerStackName(t.name, t.shares.find((s) => s.name === share)!.owner);
        const arn = inputs.get(owner, shareArnOutput(share), `ARN of RAM share ${share}`);
        return [
          share,
          new ResourceShareInvitationAccepter(this, `${pascal(share)}Invitation`, { resourceShareArn: arn }),
        ];
      }),
    );
    for (const sn of mine) {
      const snId = pascal(sn.name);
      const network = new ServiceNetwork(this, `${snId}Network`, { name: sn.name, sharable: sn.principals.length > 0 });
      for (const name of sn.resources) {
        const resource = t.resources.find((r) => r.name === name)!;
        const owner = ownerStackName(t.name, ownerOf(name));
        const share = t.shares.find((s) => sn.acceptShares.includes(s.name) && s.resources.includes(name));
        for (const { part } of configurationParts(resource)) {
          const configuration = ResourceConfiguration.fromResourceConfigurationAttributes(
            this,
            `${snId}${pascal(name)}${pascal(part)}Configuration`,
            {
              resourceConfigurationArn: inputs.get(
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
              privateDnsEnabled: sn.privateDns,
            },
          );
          if (share) association.node.addDependency(accepters.get(share.name)!);
        }
      }
      new CfnOutput(this, serviceNetworkOutput(sn.name, 'Arn'), {
        value: network.serviceNetworkArn,
        description: `Service network ${sn.name}`,
      });
      new CfnOutput(this, serviceNetworkOutput(sn.name, 'Id'), {
        value: network.serviceNetworkId,
        description: `Service network ${sn.name}`,
      });
      if (!sn.principals.length) continue;
      const share = new ResourceShare(this, `${snId}NetworkShare`, {
        resourceShareName: `${sn.name}-network`,
        allowExternalPrincipals: sn.allowExternalPrincipals,
        principals: sharePrincipals(t, sn.principals),
      });
      share.addServiceNetwork(network);
      new CfnOutput(this, serviceNetworkOutput(sn.name, 'ShareArn'), {
        value: share.resourceShareArn,
        description: `RAM share of service network ${sn.name}: consumers outside the organization accept its invitation`,
      });
    }
  }
}
