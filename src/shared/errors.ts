// The one error spine: every error lattice-share throws is a LatticeShareError with a code from ERROR_CODES.
// A caller asks `LatticeShareError.isLatticeShareError(e)` (a Symbol.for brand, so it holds across copies of the
// package) and decides by `code`, never by the message. `exit` says how the CLI ends for it.

/** Who is to act: the user fixes input, the system needs a tool or a right, the toolkit (CDK) failed. */
export type ErrorSource = 'user' | 'system' | 'toolkit';

interface CodeInfo {
  /** How the CLI exits: 2 for input the user must fix, 130 when interrupted, 1 for the rest. */
  readonly exit: 1 | 2 | 130;
  readonly source: ErrorSource;
  readonly summary: string;
}

/** Input the user must fix before anything runs (the command line, a file that is no config, a name): exit 2. */
const usage = (summary: string) => ({ exit: 2, source: 'user', summary }) as const;
/** What the user is to fix, found as the command works (a config's rules, a template, a twin's state): exit 1. */
const user = (summary: string) => ({ exit: 1, source: 'user', summary }) as const;
/** The machine lacks a tool or a right, or a part of the twin failed: exit 1. */
const system = (summary: string) => ({ exit: 1, source: 'system', summary }) as const;
/** The CDK toolkit failed: exit 1. */
const toolkit = (summary: string) => ({ exit: 1, source: 'toolkit', summary }) as const;
/** Stopped by the user after clean-up: exit 130. */
const interrupted = (summary: string) => ({ exit: 130, source: 'user', summary }) as const;

/** Every error code, with what it means. The key is the code (a test holds that). */
export const ERROR_CODES = {
  LS_USAGE: usage('the command line is wrong (unknown command, option or argument)'),
  LS_CONFIG_INVALID: user('a config file breaks its schema or a rule between its parts'),
  LS_CONFIG_UNREADABLE: usage('a config file is missing, a folder, too large or binary'),
  LS_INPUT_UNREADABLE: usage('a template or stacks file is missing, a folder or too large'),
  LS_EXPECTATION_INVALID: usage('an --expect is not "client -> target[:port]"'),
  LS_TWIN_NAME_INVALID: usage('a twin name is not a short lower-case name'),
  LS_TWIN_RUN_DIR_INVALID: usage('LATTICE_SHARE_RUN_DIR is not a directory the tool may use'),
  LS_CACHE_DIR_INVALID: usage('LATTICE_SHARE_CACHE_DIR is not a directory the tool may use'),
  LS_ASSEMBLY_INVALID: user('a cloud assembly cannot be read or its stacks ordered'),
  LS_MODEL_INVALID: user('a template cannot be read into the model'),
  LS_CONSTRUCT_INVALID: user("a construct's props break one of its rules (LSC-…)"),
  LS_SYNTH_FAILED: toolkit('synthesizing a config into templates failed'),
  LS_DEPLOY_FAILED: toolkit('deploying or destroying a stack failed'),
  LS_HANDOFF_REFUSED: user('a kit was asked for an account that receives nothing, or cannot be written there'),
  LS_TWIN_NEEDS_ROOT: system('the twin needs root (network namespaces, nftables)'),
  LS_TWIN_NEEDS_LINUX: system('the twin needs Linux network namespaces'),
  LS_TWIN_TOOL_FAILED: system('a system tool the twin runs (ip, nft, openssl) failed'),
  LS_TWIN_NOT_UP: user('no twin of that name is up'),
  LS_TWIN_ALREADY_UP: user('a twin of that name is already up (or left by a crash)'),
  LS_TWIN_NO_SUCH_PART: user('the twin has no workload or caller of that name'),
  LS_TWIN_STATE_FOREIGN: system("a twin's state file was not written by that twin"),
  LS_TWIN_FAILED: system('bringing a twin up or down failed'),
  LS_TWIN_AGENT_FAILED: system('an agent of the twin (resolver, database, API) failed'),
  LS_TWIN_FAULT_FAILED: system('a fault could not be applied to the running twin (a failover step failed)'),
  LS_POSTGRES_FAILED: system("the twin's PostgreSQL could not be prepared or started"),
  LS_MARIADB_FAILED: system("the twin's MariaDB (Aurora MySQL's stand-in) could not be prepared or started"),
  LS_INVOKE_FAILED: system('a request sent as EventBridge or Step Functions failed'),
  LS_INTERRUPTED: interrupted('Ctrl-C or SIGTERM stopped the command after clean-up'),
} as const satisfies Record<`LS_${string}`, CodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

const BRAND = Symbol.for('lattice-share.LatticeShareError');

/** The base of every lattice-share error: a code from ERROR_CODES, a message for people and, maybe, a cause. */
export class LatticeShareError extends Error {
  /** Whether a value is a lattice-share error, also one thrown by another copy of the package. */
  static isLatticeShareError(x: unknown): x is LatticeShareError {
    return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[BRAND] === true;
  }

  readonly [BRAND] = true;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }

  get source(): ErrorSource {
    return ERROR_CODES[this.code].source;
  }
}

/** The CLI's exit status for an error: from its code's entry, 1 for anything that is not ours. */
export const exitStatus = (e: unknown): number =>
  LatticeShareError.isLatticeShareError(e) && ERROR_CODES[e.code] ? ERROR_CODES[e.code].exit : 1;
