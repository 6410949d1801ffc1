// Writing a file the tool owns, never through a link: a path that is a symbolic link, or a file with another name
// (a hard link), is refused, so that nothing outside is changed by what a folder holds.
import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, writeSync } from 'node:fs';

/** Why `path` may not be written (undefined: it may): not a plain file, or linked from elsewhere. */
export function notOwnFile(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const stat = lstatSync(path);
  if (!stat.isFile()) return `${path} is not a plain file`;
  if (stat.nlink > 1) return `${path} has other names (hard links): writing it would change them too`;
  return undefined;
}

/** Writes `text` to `path` (created with `mode`, or truncated), refusing links; returns why not, or undefined. */
export function writeOwnFile(path: string, text: string, mode: number): string | undefined {
  const why = notOwnFile(path);
  if (why) return why;
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, mode);
  try {
    // A link made between the check and the open is refused by O_NOFOLLOW; one of several names, here.
    if (fstatSync(fd).nlink > 1) return `${path} has other names (hard links)`;
    writeSync(fd, text);
    return undefined;
  } finally {
    closeSync(fd);
  }
}
