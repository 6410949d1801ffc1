// Why a hop blocks or cannot be decided: one stable code per condition, carried by every `block` and `unknown` hop
// in `--json` (version 2) so that tests and users read a code instead of English. The table in docs/check.md lists
// them in this order, word for word (test/rules.test.ts holds the two equal).

export const REASONS = {
  // scheme: what an API destination or HTTP task calls
  URL_UNKNOWN: 'the endpoint URL is computed at run time or is not a URL',
  NOT_HTTPS: 'the URL is not https:// (EventBridge and Step Functions call HTTPS only)',
  NOT_PUBLIC_NAME: 'a Step Functions HTTP task calls a private API by a name that is not a public domain',
  // dns and route: the client's own VPC
  DNS_SUPPORT_DISABLED: "the client's VPC has EnableDnsSupport false",
  NAME_NOT_RESOLVED: "the name does not resolve in the client's VPC (nor does its CNAME chain)",
  ADDRESS_UNKNOWN: 'the address is in an existing VPC: what has it is not in the templates',
  NO_ROUTE: "the address is outside the client's VPC",
  NO_ENI_AT_ADDRESS: "no ENI of the client's VPC has the address",
  // security groups
  NO_EGRESS_RULE: 'no egress rule of the groups allows the flow',
  NO_INGRESS_RULE: 'no ingress rule of the groups allows the flow',
  GROUP_RULES_UNKNOWN: 'the rules of a group are not in the templates (an imported group)',
  PEER_ADDRESS_UNKNOWN: "a CIDR rule covers only part of the peer's VPC, and the peer's address is not known",
  PREFIX_LIST_NOT_MODELLED: 'a rule names a prefix list, which check does not model',
  VALUE_UNKNOWN: 'a value that decides the hop is an attribute of a custom resource, known only at deploy',
  // network ACLs: where a connection enters or leaves a subnet
  NACL_DENIES: "the subnet's network ACL denies the request",
  NACL_DENIES_REPLIES: "the subnet's network ACL denies every reply (network ACLs are stateless)",
  NACL_REPLY_PORTS_PARTIAL: "the subnet's network ACL lets replies through to part of the ephemeral port range only",
  NACL_UNKNOWN: "the subnet's network ACL is not in the templates",
  NACL_SUBNET_UNKNOWN: "the client's subnet is not known and its VPC has network ACLs that do not allow all traffic",
  NACL_PEER_PARTIAL: "a network ACL entry covers only part of the peer's VPC, and the peer's address is not known",
  // share: the configuration, its gateway, the service network and RAM
  CONFIGURATION_MISSING: 'the configuration the endpoint or connection names is not in the templates',
  GATEWAY_MISSING: 'the configuration names a resource gateway the templates do not create',
  ENDPOINT_IN_GATEWAY_VPC: "the endpoint is in the gateway's own VPC, where AWS carries no traffic",
  SERVICE_NETWORK_MISSING: 'the service network the endpoint or association names is not in the templates',
  ASSOCIATION_BY_ID: "an association names another account's service network by ID, not by ARN",
  SHARABLE_NETWORK_REFUSED: 'the service network is sharable and the configuration does not allow sharable networks',
  NOT_SHARED: 'no RAM share gives the configuration or service network to the account',
  EXTERNAL_PRINCIPALS_NOT_ALLOWED: 'the share does not allow external principals and the account may be outside',
  INVITATION_NOT_ACCEPTED: 'the account has not accepted the RAM invitation',
  ACCOUNT_UNREAD:
    "doctor could not read the account's invitations or the owner's shares: whether it is shared is not known",
  ENDPOINT_NOT_AVAILABLE: 'AWS says the endpoint or VPC association is not available (doctor): it carries nothing',
  MEMBERSHIP_UNKNOWN: 'the share gives to the organization or an OU; the templates do not say the account is in it',
  OWNER_SIDE_OUTSIDE:
    "the configuration is another account's, shared with ours: its share, gateway and target are not in the templates",
  CONNECTION_MISSING: 'the EventBridge connection the caller names is not in the templates',
  CONNECTION_NOT_PRIVATE: 'the connection has no resource configuration: it calls the public internet',
  // port-range and az
  PORT_OUTSIDE_RANGES: "the port is outside the configuration's port ranges",
  ZONES_UNKNOWN: 'the zones of the endpoint or of the gateway are not in the templates',
  ZONE_IDS_UNKNOWN: 'the endpoint and the gateway are in different accounts and their zones have names only',
  NO_COMMON_ZONE: 'the endpoint and the gateway share no availability zone',
  GATEWAY_ENI_UNKNOWN: 'the gateway has no ENI in the templates',
  // target-dns: from the gateway to the target
  NO_TARGET: 'the configuration has no DNS or IP target (an ARN configuration reached directly)',
  TARGET_ADDRESS_UNKNOWN: 'the target belongs to a cluster the templates reference but do not create',
  TARGET_NOT_RESOLVED:
    "the target's name does not resolve where the gateway resolves it (public DNS with PUBLIC, its VPC with IN_VPC)",
  TARGET_OUTSIDE_VPC: "the target address is outside the gateway's VPC",
  NO_ENI_AT_TARGET: "no ENI of the gateway's VPC has the target address",
  TARGET_UNKNOWN: 'the target is in an existing VPC: what has that address is not in the templates',
  // listener
  WRONG_PORT: 'the database listens on another port',
  LISTENER_UNKNOWN: 'what listens on the target is not in the templates',
  NOT_SERVED: 'the server serves other ports',
  PLAIN_HTTP: 'the server speaks plain HTTP where HTTPS is called',
  CERTIFICATE_MISMATCH: "the server's certificate does not carry the name called",
  NOT_A_LISTENER: 'the target accepts no connections (an endpoint or gateway address)',
  // a running twin's faults (check --twin)
  ZONE_DOWN: 'an ENI the flow needs is in a zone that is down (a twin fault)',
  INSTANCE_STOPPED: 'the DB instance was stopped by a failover (a twin fault): nothing listens there',
} as const satisfies Record<string, string>;

export type ReasonCode = keyof typeof REASONS;
