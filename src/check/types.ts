// What check answers: flows with hops and a disposition (Batfish's traceroute shape), and lint findings.
// This is the `--json` format: documented in docs/check.md; change it only with `version`.
import type { ReasonCode } from './reasons.js';

/** Where a finding or a rule comes from: a template's stack and logical ID. */
export interface Ref {
  readonly stack: string;
  /** The template's file in the cloud assembly. */
  readonly template?: string;
  readonly logicalId: string;
  /** The AWS-shaped ID the model gave it, when it has one. */
  readonly id?: string;
}

/** The hops of a path, in the order a packet meets them. */
export const HOPS = [
  'scheme',
  'dns',
  'route',
  'client-egress',
  'client-nacl',
  'endpoint-nacl',
  'endpoint-ingress',
  'share',
  'port-range',
  'az',
  'target-dns',
  'gateway-egress',
  'gateway-nacl',
  'target-nacl',
  'target-ingress',
  'listener',
] as const;
export type HopName = (typeof HOPS)[number];

export interface Hop {
  readonly hop: HopName;
  /** pass: the hop lets the flow on; block: it stops it; unknown: the templates do not say. */
  readonly status: 'pass' | 'block' | 'unknown';
  /** Why it blocks or cannot say, on every block and unknown hop: a code of docs/check.md's reason table. */
  readonly reason?: ReasonCode;
  readonly detail: string;
  /** The rule that decided (for a pass), or the resource whose rules or state block (for a block). */
  readonly rule?: Ref & { readonly description?: string };
  readonly fix?: string;
}

export type Disposition = 'REACHABLE' | 'BLOCKED' | 'PARTIAL' | 'UNKNOWN';

/** One address a name resolves to, followed to its end. */
export interface Attempt {
  /** Undefined when the name did not resolve. */
  readonly address?: string;
  readonly disposition: Exclude<Disposition, 'PARTIAL'>;
  readonly hops: Hop[];
}

export interface Client {
  /** Workload name, or the security group for clients known only by their group. */
  readonly label: string;
  readonly vpcId: string;
  readonly ip?: string;
  readonly instanceId?: string;
  readonly securityGroupIds: string[];
}

export type NameKind = 'endpoint' | 'private-dns' | 'original' | 'api';

export interface Flow {
  readonly client: Client;
  readonly name: string;
  readonly port: number;
  /**
   * endpoint: the association's own name; private-dns: a name private DNS maps to the endpoint; original: the target's
   * own name.
   */
  readonly nameKind: NameKind;
  /** The endpoint and the configuration this name is for. */
  readonly endpointId: string;
  readonly configuration: string;
  /** Declared by the templates' author or by --expect. */
  readonly expected: boolean;
  readonly disposition: Disposition;
  readonly attempts: Attempt[];
  /** The first blocking (else unknown) hop: what decides. */
  readonly decidedBy?: Hop;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  /** Stable: LS-<AREA><n>, listed in docs/check.md. */
  readonly id: string;
  readonly severity: Severity;
  readonly message: string;
  readonly resource?: Ref;
  readonly fix: string;
}

export interface ExpectationResult {
  /** As written: "app -> orders-db" or "other !-> orders-db:5432", or "declared: <consumer>" for template metadata. */
  readonly expectation: string;
  /** unknown: the paths it rests on are UNKNOWN (the templates do not say); it fails only under --strict. */
  readonly result: 'holds' | 'fails' | 'unknown';
  readonly detail: string;
}

export interface CheckReport {
  /** 2: hops carry `reason` (version 1 had none). */
  readonly version: 2;
  readonly ok: boolean;
  readonly summary: {
    readonly clients: number;
    readonly flows: number;
    readonly reachable: number;
    readonly blocked: number;
    readonly partial: number;
    readonly unknown: number;
    readonly expectationsFailed: number;
    readonly expectationsUnknown: number;
    readonly errors: number;
    readonly warnings: number;
  };
  readonly flows: Flow[];
  readonly findings: Finding[];
  readonly expectations: ExpectationResult[];
  /** What the model could not know: a line each. */
  readonly warnings: string[];
  /** Resource types the model does not read, with how many of each: no effect on reachability is assumed. */
  readonly skipped: Readonly<Record<string, number>>;
}
