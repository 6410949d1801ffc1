// Writing a kit into a folder the user names: a new folder, an empty one, or one that holds a kit (its kit.json says
// so) and nothing else. Only the kit's own files are written, never through a link; a README of the other language
// left by an earlier kit there is removed, since the folder is proven a kit's.
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { notOwnFile, writeOwnFile } from '../shared/files.js';
import { KIT_FILES, KIT_KIND, type KitFileSet } from './kit.js';
import { HandoffError } from './plan.js';

const isKit = (dir: string): boolean => {
  const marker = join(dir, 'kit.json');
  if (notOwnFile(marker) || !existsSync(marker)) return false;
  try {
    return (JSON.parse(readFileSync(marker, 'utf8')) as { kind?: unknown }).kind === KIT_KIND;
  } catch {
    return false;
  }
};

/** Why the folder may not take a kit, or undefined. */
function refusal(target: string): string | undefined {
  if (!existsSync(target)) return undefined;
  if (!lstatSync(target).isDirectory()) return `${target} is not a folder`;
  const entries = readdirSync(target);
  if (!entries.length) return undefined;
  const foreign = entries.filter((name) => !(KIT_FILES as readonly string[]).includes(name));
  if (foreign.length)
    return `${target} holds ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}, which a kit does not`;
  return isKit(target) ? undefined : `${target} holds files of a kit's names but no kit.json of one`;
}

/** Writes the files into `dir` (made if missing); returns the folder. */
export function writeKit(dir: string, files: KitFileSet): string {
  const target = resolve(dir);
  const why = refusal(target);
  if (why) throw new HandoffError(`${why}: give --out a new or empty folder`);
  for (const name of Object.keys(files)) {
    const linked = notOwnFile(join(target, name));
    if (linked) throw new HandoffError(`${linked}: remove it or give --out another folder`);
  }
  mkdirSync(target, { recursive: true, mode: 0o755 });
  for (const stale of KIT_FILES.filter((name) => !(name in files) && existsSync(join(target, name))))
    if (!notOwnFile(join(target, stale))) rmSync(join(target, stale));
  for (const [name, text] of Object.entries(files)) {
    const failed = writeOwnFile(join(target, name), text, 0o644);
    if (failed) throw new HandoffError(`${failed}: remove it or give --out another folder`);
  }
  return target;
}
