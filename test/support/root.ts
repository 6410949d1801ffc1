// Suites that need root (network namespaces, nftables, a run root only root may write) skip with their reason when
// run as another user, unless LATTICE_SHARE_REQUIRE_ROOT=1 demands them: then they fail, as they do in CI (.ci/run
// sets it), so a machine that cannot run them never passes quietly.
import * as nodeTest from 'node:test';

const isRoot = process.getuid?.() === 0;
/** Every suite that needs root (or the browser) must run: they fail rather than skip. */
export const rootDemanded = process.env.LATTICE_SHARE_REQUIRE_ROOT === '1';

/** The options of a test or suite that needs root: `{ skip: why }` for another user unless root is demanded. */
export function rootOnly(why: string): { skip?: string } {
  if (isRoot) return {};
  if (rootDemanded) throw new Error(`LATTICE_SHARE_REQUIRE_ROOT=1 but this is not root: ${why}; run the suite as root`);
  return { skip: `needs root: ${why} (run as root; LATTICE_SHARE_REQUIRE_ROOT=1 makes this fail instead)` };
}

type Body = () => void | Promise<void>;
type Hook = (fn: Body) => void;

/** node:test's describe, it, before and after for a file whose every suite needs root: skipped together, with `why`. */
export function rootSuites(why: string): {
  describe: (name: string, fn: Body) => void;
  it: (name: string, fn: Body) => void;
  before: Hook;
  after: Hook;
} {
  const options = rootOnly(why);
  const skip = options.skip !== undefined;
  return {
    describe: (name, fn) => void nodeTest.describe(name, options, fn),
    it: (name, fn) => void nodeTest.it(name, options, fn),
    before: (fn) => (skip ? undefined : nodeTest.before(fn)),
    after: (fn) => (skip ? undefined : nodeTest.after(fn)),
  };
}
