// What providers tell each other while a model is built that is not part of the model: one typed store per kind.

/** Deploy-time facts providers pass to each other, kept outside the model: one typed store per kind. */
export class Stores {
  /** A generated secret's user name (from its template), by the secret's ARN. */
  readonly secretUsers = new Map<string, string | undefined>();
  /** A DB subnet group's subnets, by its lower-case name. */
  readonly subnetGroups = new Map<string, string[]>();
  /** A DB cluster's subnets (its subnet group's), by cluster identifier. */
  readonly clusterSubnets = new Map<string, string[]>();
  /** A private hosted zone's VPCs, by zone ID. */
  readonly zoneVpcs = new Map<string, string[]>();
  /** The share a RAM invitation is for, by invitation ARN. */
  readonly invitationShares = new Map<string, string>();
  /** A created VPC's default security group ID, by VPC ID; and the VPC of each such group. */
  readonly defaultGroups = new Map<string, string>();
  readonly defaultGroupVpcs = new Map<string, string>();
}
