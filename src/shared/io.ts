// How the library talks: it never prints; it sends coded messages to an IoHost, as the CDK toolkit library does.
// The CLI is one host (src/cli/host.ts); tests use a RecordingIoHost; an embedding program brings its own.

export type IoLevel = 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'result';

/** Every message code lattice-share sends, with what its data holds. The key is the code (a test holds that). */
export const MESSAGE_CODES = {
  LS_TWIN_I1000: 'a twin is being brought up (span start); data: { name, vpcs, enis, links }',
  LS_TWIN_I1001: 'the twin is up (span end); data: { name, durationMs }',
  LS_TWIN_I1100:
    "one step of a twin's bring-up is done; data: { step: 'segments' | 'enis' | 'links' | 'agents', count }",
  LS_DEPLOY_I2000: 'a stack starts deploying (span start); data: { stack, account, index, total }',
  LS_DEPLOY_I2001: 'a stack is deployed (span end); data: { stack, account, index, total, durationMs }',
  LS_DEPLOY_I2100: 'a stack starts being destroyed (span start); data: { stack, account, index, total }',
  LS_DEPLOY_I2101: 'a stack is destroyed (span end); data: { stack, account, index, total, durationMs }',
  LS_DEPLOY_W2010:
    'a stack in an account another party runs is left to them; data: { stack, account, party, index, total }',
  LS_DEPLOY_W2011:
    'an account outside the organization must accept its invitations by a deadline; data: { account, shares, deadline }',
  LS_DEPLOY_I2020: 'an account another party runs has its kit written; data: { account, dir, deadline }',
  LS_HANDOFF_W4001: 'a kit lacks owner values known only after deploy; data: { pending }',
  LS_HANDOFF_I4010: 'an account was invited again to a share; data: { share, shareArn, principal }',
  LS_DEMO_I3000: 'the demo synthesizes its config; data: { config }',
  LS_DEMO_I3001: "the demo's twin is up and the checks start; data: { durationMs }",
} as const;

export type MessageCode = keyof typeof MESSAGE_CODES;

/** A message: lattice-share's own code, or the CDK toolkit's (`CDK_TOOLKIT_I5000`, …) passed through unchanged. */
export interface IoMessage<T = unknown> {
  readonly time: Date;
  readonly level: IoLevel;
  readonly code: MessageCode | `CDK_${string}`;
  readonly message: string;
  readonly data?: T;
  /** How many spans the message is inside (0: none); a host may indent by it. */
  readonly depth: number;
}

/** Receives the library's messages. notify must not throw; it is called synchronously, in order. */
export interface IoHost {
  notify(message: IoMessage): void;
}

/** A host that drops every message: the default where none is given. */
export const silentHost: IoHost = { notify: () => {} };

/** Keeps every message, for tests and for programs that show them later. */
export class RecordingIoHost implements IoHost {
  readonly messages: IoMessage[] = [];
  notify(message: IoMessage): void {
    this.messages.push(message);
  }
}

/** Sends messages of one depth to a host; `span` gives the helper for the messages inside a step that takes time. */
export class IoHelper {
  constructor(
    readonly host: IoHost = silentHost,
    readonly depth = 0,
  ) {}

  notify<T>(level: IoLevel, code: IoMessage['code'], message: string, data?: T): void {
    this.host.notify({ time: new Date(), level, code, message, data, depth: this.depth });
  }

  info<T>(code: MessageCode, message: string, data?: T): void {
    this.notify('info', code, message, data);
  }

  /** Sends the span's start message; its `io` sends one level deeper, its `end` sends the end with durationMs. */
  span<T extends object>(code: MessageCode, message: string, data: T): Span<T> {
    this.info(code, message, data);
    return new Span(this, data);
  }
}

export class Span<T extends object> {
  private readonly started = Date.now();
  /** For the messages inside the span. */
  readonly io: IoHelper;

  constructor(
    private readonly parent: IoHelper,
    private readonly data: T,
  ) {
    this.io = new IoHelper(parent.host, parent.depth + 1);
  }

  /** Sends the end message; `message` is given the span's duration in milliseconds. */
  end(code: MessageCode, message: (durationMs: number) => string): number {
    const durationMs = Date.now() - this.started;
    this.parent.info(code, message(durationMs), { ...this.data, durationMs });
    return durationMs;
  }
}

/** The helper for an optional host: what every library entry point does with its `io` option. */
export const ioOf = (io?: IoHost): IoHelper => new IoHelper(io ?? silentHost);
