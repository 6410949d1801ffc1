// The CLI's IoHost: the library's messages as lines on stderr, indented by span, with the level named when it is
// not info. Debug and trace only with LATTICE_SHARE_DEBUG; results are printed by the commands themselves.
import type { IoHost, IoMessage } from '../shared/io.js';
import { note } from './output.js';

/** The line a message is shown as, or undefined for one the CLI does not show. */
export function lineOf(message: IoMessage, debug = !!process.env.LATTICE_SHARE_DEBUG): string | undefined {
  if ((message.level === 'debug' || message.level === 'trace') && !debug) return undefined;
  const text = message.message.trimEnd();
  if (!text.trim()) return undefined;
  const level = message.level === 'info' || message.level === 'result' ? '' : `${message.level}: `;
  const indent = '  '.repeat(message.depth);
  return text
    .split('\n')
    .map((line, i) => `${indent}${i ? '' : level}${line}`)
    .join('\n');
}

export const cliHost: IoHost = {
  notify(message) {
    const line = lineOf(message);
    if (line !== undefined) note(line);
  },
};
