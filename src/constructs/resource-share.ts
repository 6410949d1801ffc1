// ResourceShare: an AWS RAM share of resource configurations with accounts, OUs or an organization.
import { IResource, Lazy, Resource, Stack } from 'aws-cdk-lib';
import { CfnResourceShare } from 'aws-cdk-lib/aws-ram';
import type { Construct } from 'constructs';
import { LatticeShareError } from '../shared/errors.js';
import { known, LatticeValidationError } from './common.js';
import type { IServiceNetwork } from './service-network.js';
import type { IResourceConfiguration } from './resource-configuration.js';

export interface IResourceShare extends IResource {
  /** @attribute */
  readonly resourceShareArn: string;
}

/** Who a share is for. */
export class SharePrincipal {
  /** An AWS account by its 12-digit ID. Outside the organization it receives an invitation to accept. */
  static account(accountId: string): SharePrincipal {
    if (known(accountId) && !/^\d{12}$/.test(accountId))
      throw new LatticeShareError(
        'LS_CONSTRUCT_INVALID',
        `SharePrincipal.account: "${accountId}" is not a 12-digit AWS account ID [LSC-RS4]`,
      );
    return new SharePrincipal(accountId, 'account');
  }
  /** An organizational unit by ARN (arn:aws:organizations::<management>:ou/o-…/ou-…). */
  static organizationalUnit(arn: string): SharePrincipal {
    if (known(arn) && !/^arn:aws[a-z-]*:organizations::\d{12}:ou\/o-[a-z0-9]+\/ou-[0-9a-z-]+$/.test(arn))
      throw new LatticeShareError(
        'LS_CONSTRUCT_INVALID',
        `SharePrincipal.organizationalUnit: "${arn}" is not an OU ARN [LSC-RS5]`,
      );
    return new SharePrincipal(arn, 'ou');
  }
  /** A whole organization by ARN (arn:aws:organizations::<management>:organization/o-…). */
  static organization(arn: string): SharePrincipal {
    if (known(arn) && !/^arn:aws[a-z-]*:organizations::\d{12}:organization\/o-[a-z0-9]+$/.test(arn))
      throw new LatticeShareError(
        'LS_CONSTRUCT_INVALID',
        `SharePrincipal.organization: "${arn}" is not an organization ARN [LSC-RS6]`,
      );
    return new SharePrincipal(arn, 'organization');
  }
  private constructor(
    readonly value: string,
    readonly kind: 'account' | 'ou' | 'organization',
  ) {}
}

export interface ResourceShareProps {
  /** @default - derived from the construct path */
  readonly resourceShareName?: string;
  /** @default - none; add with addResourceConfiguration() */
  readonly resourceConfigurations?: IResourceConfiguration[];
  /** @default - none; add with addPrincipal() */
  readonly principals?: SharePrincipal[];
  /**
   * Allow principals outside your organization. AWS's own default is true; this construct's is the safer false.
   * @default false
   */
  readonly allowExternalPrincipals?: boolean;
  /** RAM permission ARNs. @default - the managed permission AWSRAMPermissionVpcLatticeResourceConfiguration */
  readonly permissionArns?: string[];
}

/** Shares resource configurations with other accounts through AWS RAM. */
export class ResourceShare extends Resource implements IResourceShare {
  static fromResourceShareArn(scope: Construct, id: string, resourceShareArn: string): IResourceShare {
    class Imported extends Resource implements IResourceShare {
      readonly resourceShareArn = resourceShareArn;
    }
    return new Imported(scope, id);
  }

  readonly resourceShareArn: string;
  private readonly resources: string[] = [];
  private readonly principals: SharePrincipal[] = [];

  constructor(scope: Construct, id: string, props: ResourceShareProps = {}) {
    super(scope, id);
    props.resourceConfigurations?.forEach((r) => this.addResourceConfiguration(r));
    props.principals?.forEach((p) => this.addPrincipal(p));
    const share = new CfnResourceShare(this, 'Resource', {
      name: props.resourceShareName ?? this.node.path.replace(/\//g, '-'),
      resourceArns: Lazy.list({ produce: () => this.resources }),
      principals: Lazy.list({ produce: () => this.principals.map((p) => p.value) }),
      allowExternalPrincipals: props.allowExternalPrincipals ?? false,
      permissionArns: props.permissionArns,
    });
    this.resourceShareArn = share.attrArn;
    this.node.addValidation({
      validate: () => [
        ...(this.resources.length
          ? []
          : ['a resource share needs at least one resource configuration or service network [LSC-RS1]']),
        ...(this.principals.length ? [] : ['a resource share needs at least one principal [LSC-RS2]']),
      ],
    });
  }

  addResourceConfiguration(configuration: IResourceConfiguration): void {
    this.resources.push(configuration.resourceConfigurationArn);
  }

  /** Shares a service network: the principals then associate VPCs or create service-network endpoints with it. */
  addServiceNetwork(network: IServiceNetwork): void {
    this.resources.push(network.serviceNetworkArn);
  }

  addPrincipal(principal: SharePrincipal): void {
    if (principal.kind === 'account' && principal.value === Stack.of(this).account) {
      throw new LatticeValidationError(
        this,
        `account ${principal.value} owns this share; sharing with yourself is not needed [LSC-RS3]`,
      );
    }
    this.principals.push(principal);
  }
}
