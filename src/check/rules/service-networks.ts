// Service networks: what their resource associations take, what a sharable network admits, the order stacks go.
import { where } from '../facts.js';
import { resourceEndpoints } from './endpoints.js';
import type { LintRule } from './rule.js';

export const serviceNetworkRules: LintRule[] = [
  {
    id: 'LS-SN1',
    severities: ['error'],
    summary: 'a resource association gives `ResourceConfigurationId` an ARN: AWS takes the ID',
    why: 'AWS::VpcLattice::ServiceNetworkResourceAssociation takes the configuration ID (rcfg-…) and refuses an ARN',
    *check(f) {
      for (const a of f.m.resourceAssociations) {
        if (!a.configuration.startsWith('arn:')) continue;
        yield {
          message: `resource association ${a.id} gives ResourceConfigurationId an ARN (${a.configuration}): AWS takes the configuration's ID`,
          fix: 'pass the ID (rcfg-…): Fn::GetAtt <configuration>.Id, or Fn::Select [1, Fn::Split ["/", <arn>]]',
          resource: f.ref(a.source, a.id),
        };
      }
    },
  },
  {
    id: 'LS-SN2',
    severities: ['error'],
    summary: 'a sharable service network holds a configuration that does not allow association to sharable networks',
    why: 'AWS refuses the association unless the configuration sets AllowAssociationToSharableServiceNetwork',
    *check(f) {
      for (const a of f.m.resourceAssociations) {
        const sn = f.serviceNetwork(a.serviceNetwork);
        const config = f.configurationsById.get(a.configuration.split('/').pop() ?? '');
        if (!sn || !config || !sn.sharable || config.allowSharableServiceNetwork) continue;
        yield {
          message: `configuration ${config.name} joins sharable service network ${sn.name} but does not allow association to sharable service networks: AWS refuses the association`,
          fix: `set AllowAssociationToSharableServiceNetwork: true on ${where(config.source, config.id)}, or SharingConfig.enabled: false on ${where(sn.source, sn.id)}`,
          resource: f.ref(a.source, a.id),
        };
      }
    },
  },
  {
    id: 'LS-SN3',
    severities: ['error'],
    summary:
      'a VPC with a resource endpoint and a service-network endpoint, both with private DNS, for the same configuration',
    why: "a VPC takes one configuration's private DNS from one endpoint only",
    *check(f) {
      for (const { ep, config } of resourceEndpoints(f)) {
        if (!ep.privateDns) continue;
        const clash = (f.endpointsByVpc.get(ep.vpcId) ?? []).find(
          (o) =>
            o.type === 'ServiceNetwork' && o.associations.some((a) => a.parentArn === config.arn && a.privateDnsName),
        );
        if (!clash) continue;
        yield {
          message: `VPC ${ep.vpcId} has resource endpoint ${ep.id} and service-network endpoint ${clash.id}, both with private DNS for configuration ${config.name}: AWS allows only one`,
          fix: `turn private DNS off on one of them (${where(clash.source, clash.id)}), or drop the resource endpoint`,
          resource: f.ref(ep.source, ep.id),
        };
      }
    },
  },
  {
    id: 'LS-SN4',
    severities: ['warning'],
    summary:
      'a stack uses a service network of a stack that comes after it (deploy order; a network with associations cannot be deleted first)',
    why: 'the network would not exist when the stack deploys, and deleting it first fails while associations remain',
    *check(f) {
      const order = new Map(f.m.stacks.map((x, i) => [x.name, i]));
      for (const user of [...f.m.resourceAssociations, ...f.m.endpoints.filter((e) => e.type !== 'Resource')]) {
        const sn = user.serviceNetwork ? f.serviceNetwork(user.serviceNetwork) : undefined;
        const stack = user.source?.stack;
        if (!sn || !stack || sn.source.stack === stack) continue;
        if ((order.get(stack) ?? 0) >= (order.get(sn.source.stack) ?? 0)) continue;
        yield {
          message: `stack ${stack} uses service network ${sn.name} of stack ${sn.source.stack} but comes before it: the network would not exist yet, and deleting it first fails while associations remain`,
          fix: `make ${stack} depend on ${sn.source.stack} (deploy after it, destroy before it)`,
          resource: f.ref(user.source, user.id),
        };
      }
    },
  },
  {
    id: 'LS-SN5',
    severities: ['error'],
    summary: "a VPC association naming another account's service network by ID (AWS takes the ARN there)",
    why: "a VPC association reaches another account's service network only by its ARN",
    *check(f) {
      for (const ep of f.m.endpoints) {
        if (ep.type !== 'VpcAssociation' || !ep.serviceNetwork || ep.serviceNetwork.startsWith('arn:')) continue;
        const sn = f.serviceNetwork(ep.serviceNetwork);
        if (!sn || sn.account === ep.account) continue;
        yield {
          message: `association ${ep.id} names service network ${sn.name} of account ${sn.account} by ID: AWS takes an ARN for another account's network`,
          fix: `set ServiceNetworkIdentifier to the network's ARN (${sn.arn})`,
          resource: f.ref(ep.source, ep.id),
        };
      }
    },
  },
  {
    id: 'LS-SN6',
    severities: ['error'],
    summary: 'a deployed resource association that is not active (doctor): failed, partial or being deleted',
    why: 'a service network carries a configuration only once the association is active; its failure code says why not',
    *check(f) {
      for (const a of f.m.resourceAssociations) {
        if (!a.state || /^(active|create_in_progress)$/i.test(a.state)) continue;
        yield {
          message: `resource association ${a.id} (configuration ${a.configuration} in service network ${a.serviceNetwork}) is ${a.state}${a.lastError ? `: ${a.lastError}` : ''}`,
          fix: `aws vpc-lattice get-service-network-resource-association --service-network-resource-association-identifier ${a.id} says why (failureReason)`,
          resource: f.ref(a.source, a.id),
        };
      }
    },
  },
];
