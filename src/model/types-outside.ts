// What the model knows from outside the templates it was built from: another account's configuration a consumer
// describes, and what doctor read (or could not read) from deployed accounts.

/** What a consumer's stack says of another account's configuration it reaches. */
export interface OutsideSide {
  /** Who runs the owner account. */
  readonly party: string;
  /** The owner account's ID. */
  readonly account: string;
  /** The resource's name in the config. */
  readonly resource: string;
  /** The owner's share, when the consumer accepts an invitation for it. */
  readonly shareArn?: string;
}

/** A part of a live account that could not be read, and the call that failed. */
export interface Unread {
  readonly account: string;
  /** The Region it could not be read in (RAM is regional); undefined: every Region. */
  readonly region?: string;
  /** What is missing from the model for that account: the invitations it received, or the shares it owns. */
  readonly what: 'invitations' | 'shares';
  readonly call: string;
  readonly message: string;
}

/** An endpoint to a configuration, as the configuration's owner sees it (doctor, ListResourceEndpointAssociations). */
export interface SeenEndpoint extends Paid {
  readonly configurationArn: string;
  readonly endpointId: string;
  /** The account that owns the endpoint. */
  readonly account: string;
}

/** Who pays an endpoint's resource-gateway charges, as AWS says (doctor): the gateway's account or the endpoint's. */
export interface Paid {
  readonly payer?: 'resource-gateway-account' | 'vpc-endpoint-account';
}

/** A RAM invitation a live account received and has not accepted. */
export interface Invitation {
  readonly arn: string;
  readonly account: string;
  readonly shareArn: string;
  readonly status: string;
  /** When the owner shared (ISO 8601): RAM drops a VPC Lattice invitation 12 hours later. */
  readonly sentAt?: string;
}

/** What AWS says of a deployed resource (doctor; the templates leave it out). */
export interface Deployed {
  /** The endpoint's State (available, pendingAcceptance, failed…), or the association's or configuration's status. */
  readonly state?: string;
  /** Why it failed: LastError, failureReason or failureCode. */
  readonly lastError?: string;
}
