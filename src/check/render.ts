// The human form of a check report: a line per path (the deciding hop and its fix when blocked), then findings.
import { unmodelledLine } from '../model/index.js';
import type { CheckReport, Client, Flow, Hop } from './types.js';

const MARK = { REACHABLE: '✓', BLOCKED: '✗', PARTIAL: '~', UNKNOWN: '?' } as const;
const KIND = {
  endpoint: 'endpoint name',
  'private-dns': 'private DNS',
  original: 'own name',
  api: 'API call',
} as const;

/** Pushes a hop's line, and its fix when it does not pass. */
function pushHop(lines: string[], h: Hop, indent: string): void {
  const at = h.rule && !h.detail.includes(h.rule.logicalId) ? ` [${h.rule.stack}/${h.rule.logicalId}]` : '';
  lines.push(
    `${indent}${h.status === 'pass' ? 'pass ' : h.status === 'block' ? 'BLOCK' : 'unknown'} ${h.hop}: ${h.detail}${h.status === 'pass' ? '' : at}`,
  );
  if (h.fix && h.status !== 'pass') lines.push(`${indent}      fix: ${h.fix}`);
}

/**
 * Pushes a flow's lines: its head, then every hop of every attempt (`allHops`) or what a blocked path needs fixed.
 * (Pushed onto one list, not returned as lists: a large estate's answer is hundreds of thousands of lines.)
 */
function pushFlow(lines: string[], fl: Flow, allHops: boolean): void {
  lines.push(
    `  ${MARK[fl.disposition]} ${fl.disposition.toLowerCase().padEnd(9)} ${fl.expected ? '*' : ' '} ${fl.name}:${fl.port} (${KIND[fl.nameKind]})`,
  );
  if (allHops) {
    for (const a of fl.attempts) {
      lines.push(`      via ${a.address ?? '(no address)'}: ${a.disposition.toLowerCase()}`);
      for (const h of a.hops) pushHop(lines, h, '        ');
    }
    return;
  }
  if (!fl.decidedBy || fl.disposition === 'REACHABLE') return;
  toFix(fl).forEach((h, i) => {
    lines.push(
      `      ${i ? 'and at' : 'at'} ${h.hop}: ${h.detail}${h.rule && !h.detail.includes(h.rule.logicalId) ? ` [${h.rule.stack}/${h.rule.logicalId}]` : ''}`,
    );
    if (h.fix) lines.push(`      fix: ${h.fix}`);
  });
}

/** The deciding hop, then every other hop that stops the same attempt: all a blocked path needs fixed. */
function toFix(fl: Flow): Hop[] {
  const d = fl.decidedBy!;
  const attempt = fl.attempts.find((a) => a.hops.some((h) => h.hop === d.hop && h.detail === d.detail));
  const others = (attempt?.hops ?? []).filter(
    (h) => h.status === d.status && !(h.hop === d.hop && h.detail === d.detail),
  );
  return [d, ...others];
}

/** The human form of a check report: its text, the lines of `reportLines` joined. */
export const renderReport = (r: CheckReport, options: { hops?: boolean } = {}): string =>
  [...reportLines(r, options)].join('\n');

/**
 * The human form of a check report, a line at a time: what `renderReport` joins, and what the CLI encodes as they come
 * (a large estate's answer is hundreds of thousands of lines; made a client at a time, none outlives its encoding).
 */
export function* reportLines(r: CheckReport, options: { hops?: boolean } = {}): Generator<string, void, undefined> {
  yield headline(r);
  const lines: string[] = [];
  for (const [client, flows] of byClient(r.flows)) {
    lines.push('', client);
    for (const fl of flows) pushFlow(lines, fl, !!options.hops);
    yield* lines;
    lines.length = 0;
  }
  yield* closingLines(r);
}

/** The first line: paths and how they end, expectations, findings. */
function headline(r: CheckReport): string {
  const s = r.summary;
  return (
    `${s.clients} clients, ${s.flows} paths: ${s.reachable} reachable, ${s.blocked} blocked${s.partial ? `, ${s.partial} partly` : ''}${s.unknown ? `, ${s.unknown} unknown` : ''}; ` +
    `${r.expectations.length - s.expectationsFailed - s.expectationsUnknown} of ${r.expectations.length} expectations hold${s.expectationsUnknown ? ` (${s.expectationsUnknown} unknown)` : ''}; ${s.errors} errors, ${s.warnings} warnings`
  );
}

/** The flows under their client's heading, in the order they came. */
function byClient(flows: readonly Flow[]): Map<string, Flow[]> {
  const out = new Map<string, Flow[]>();
  // A client's heading is written once for each kind of its flows, not once per flow (flows share their client).
  const headings = new Map<Client, { api?: string; other?: string }>();
  for (const fl of flows) {
    let heading = headings.get(fl.client);
    if (!heading) headings.set(fl.client, (heading = {}));
    const k =
      fl.nameKind === 'api'
        ? (heading.api ??= `${fl.client.label} (${fl.client.vpcId})`)
        : (heading.other ??= `${fl.client.label} (${fl.client.ip ?? 'any member'} in ${fl.client.vpcId})`);
    const mine = out.get(k);
    if (mine) mine.push(fl);
    else out.set(k, [fl]);
  }
  return out;
}

/** The lines after the paths: expectations, findings, the types not modelled, and the verdict. */
function closingLines(r: CheckReport): string[] {
  const lines: string[] = [];
  if (r.expectations.length) {
    lines.push('', 'expectations (* marks their paths)');
    for (const x of r.expectations)
      lines.push(`  ${x.result === 'holds' ? '✓' : x.result === 'fails' ? '✗' : '?'} ${x.expectation}: ${x.detail}`);
  }
  if (r.findings.length) {
    lines.push('', 'findings');
    for (const f of r.findings) {
      lines.push(
        `  ${f.severity.padEnd(7)} ${f.id} ${f.message}${f.resource ? ` [${f.resource.stack}/${f.resource.logicalId}]` : ''}`,
        `          fix: ${f.fix}`,
      );
    }
  }
  const skipped = unmodelledLine(r.skipped);
  if (skipped) lines.push('', skipped);
  lines.push(
    '',
    !r.ok
      ? 'not ok: an expected path is broken or an error was found'
      : r.summary.expectationsUnknown
        ? 'ok, with expectations the templates cannot settle (--strict fails on them)'
        : 'ok: every expected path is reachable and no error was found',
  );
  return lines;
}
