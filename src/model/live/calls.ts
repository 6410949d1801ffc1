// How doctor calls AWS: read calls only, each page of a paginated list followed, throttling retried with backoff,
// every call counted by service, and a call that fails for access (or anything else) recorded as a problem of its
// account, so what depends on it becomes UNKNOWN instead of failing the run.
import { errorText } from '../../shared/index.js';

/** Where doctor reads: one account in one Region. */
export interface LiveTarget {
  readonly account: string;
  readonly region: string;
}

/** A call that could not be made: which account, which call, and why. */
export interface LiveProblem {
  readonly account: string;
  readonly region: string;
  readonly call: string;
  readonly message: string;
}

/** What sends an SDK command (a v3 client's `send`). */
export interface Sender {
  send(command: object): Promise<unknown>;
}

const THROTTLED = /Throttl|RequestLimitExceeded|TooManyRequests|SlowDown|Rate exceeded/i;

export interface CallOptions {
  /** Retries of a throttled call. @default 5 */
  readonly retries?: number;
  /** The first backoff; doubled each retry. @default 200 ms */
  readonly backoffMs?: number;
  /** Whether an account is asked a call (IAM action name): not when its side does not need it. @default every call */
  readonly permits?: (account: string, action: string) => boolean;
  /** Calls in flight at once to one service of one account (Route 53 allows five a second). @default 8 */
  readonly perService?: number;
}

export class Calls {
  /** Calls made, by service ("ec2", "vpc-lattice", …). */
  readonly counts = new Map<string, number>();
  readonly problems: LiveProblem[] = [];
  /** Calls in flight and waiting, by account, Region and service. */
  private readonly lanes = new Map<string, { running: number; waiting: (() => void)[] }>();

  constructor(private readonly options: CallOptions = {}) {}

  /** Runs `call` when its lane (account, Region, service) has room, so no service is asked too much at once. */
  private async inLane<T>(key: string, call: () => Promise<T>): Promise<T> {
    const lane = this.lanes.get(key) ?? { running: 0, waiting: [] };
    this.lanes.set(key, lane);
    // A slot is taken here, or handed over by the call that ends (so no newcomer slips in between).
    if (lane.running >= Math.max(1, this.options.perService ?? 8))
      await new Promise<void>((go) => lane.waiting.push(go));
    else lane.running++;
    try {
      return await call();
    } finally {
      const next = lane.waiting.shift();
      if (next) next();
      else lane.running--;
    }
  }

  /** One call; undefined (and a problem recorded) when it fails for a reason other than throttling. */
  async one<T>(target: LiveTarget, service: string, client: Sender, command: object): Promise<T | undefined> {
    const name = command.constructor.name.replace(/Command$/, '');
    if (!this.permitted(target, service, command)) return undefined;
    const retries = this.options.retries ?? 5;
    for (let attempt = 0; ; attempt++) {
      this.counts.set(service, (this.counts.get(service) ?? 0) + 1);
      try {
        const lane = `${target.account}/${target.region}/${service}`;
        return (await this.inLane(lane, () => client.send(command))) as T;
      } catch (e) {
        const text = `${(e as { name?: string }).name ?? ''} ${errorText(e)}`;
        if (THROTTLED.test(text) && attempt < retries) {
          // Doubled each time, with jitter (half to one and a half), so that calls throttled together spread out.
          const wait = (this.options.backoffMs ?? 200) * 2 ** attempt * (0.5 + Math.random());
          await new Promise((done) => setTimeout(done, wait));
          continue;
        }
        this.problems.push({ ...target, call: `${service}:${name}`, message: errorText(e) });
        return undefined;
      }
    }
  }

  /** Whether the account is asked this command (its side needs it). */
  private permitted(target: LiveTarget, service: string, command: object): boolean {
    const action = `${service}:${command.constructor.name.replace(/Command$/, '')}`;
    return this.options.permits?.(target.account, action) ?? true;
  }

  /**
   * Every item of a paginated list: `make(token)` makes the command for a page, `items` takes its items and `next`
   * its token (a page may be empty while a token follows, as RAM warns). Undefined when a page fails.
   */
  async all<P, I>(
    target: LiveTarget,
    service: string,
    client: Sender,
    page: {
      make: (token?: string) => object;
      items: (page: P) => I[] | undefined;
      next: (page: P) => string | undefined;
    },
  ): Promise<I[] | undefined> {
    // A call the account's side does not need: nothing to list there.
    if (!this.permitted(target, service, page.make(undefined))) return [];
    const out: I[] = [];
    let token: string | undefined;
    do {
      const got = await this.one<P>(target, service, client, page.make(token));
      if (got === undefined) return undefined;
      out.push(...(page.items(got) ?? []));
      token = page.next(got);
    } while (token);
    return out;
  }
}
