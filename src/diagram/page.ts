// check's answer as one self-contained page (check --html): the summary, the diagram, every path as a row that opens
// to its hops (filterable by client, resource and verdict), the findings with their fixes. No external asset: the
// page's own Content-Security-Policy lets nothing leave it. Pure text out of the report and the SVG.
import { createHash } from 'node:crypto';
import type { Attempt, CheckReport, Disposition, Finding, Flow, Hop, Ref } from '../check/index.js';
import { COLOUR, esc } from './dot.js';
import { pageWordsOf } from './page-words.js';
import type { Lang } from './words.js';

type PageWords = ReturnType<typeof pageWordsOf>;

const DISPOSITIONS: readonly Disposition[] = ['REACHABLE', 'BLOCKED', 'PARTIAL', 'UNKNOWN'];
const VERDICT_COLOUR: Record<Disposition, string> = {
  REACHABLE: COLOUR.pass,
  BLOCKED: COLOUR.block,
  PARTIAL: COLOUR.partial,
  UNKNOWN: COLOUR.unknown,
};

export interface PageOptions {
  readonly lang: Lang;
  /** What was checked (the input's path or the twin's name), shown under the title. */
  readonly source?: string;
}

/** The page of a check report, with the diagram's SVG (already coloured by the same report). */
export function checkPageOf(report: CheckReport, svg: string, options: PageOptions): string {
  const words = pageWordsOf(options.lang);
  return [
    '<!doctype html>',
    `<html lang="${options.lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${policy()}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(words.title)}${options.source ? ` · ${esc(options.source)}` : ''}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...headerLines(report, words, options.source),
    `<section id="diagram"><h2>${esc(words.diagram)}</h2>${inlineSvg(svg)}</section>`,
    ...pathLines(report, words),
    ...findingLines(report.findings, words),
    ...expectationLines(report, words),
    ...listLines('warnings', words.warnings, report.warnings),
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Graphviz's SVG without its XML prologue, to sit inside the page. */
const inlineSvg = (svg: string) => svg.slice(Math.max(0, svg.indexOf('<svg')));

function headerLines(report: CheckReport, words: PageWords, source: string | undefined): string[] {
  const s = report.summary;
  const count = (key: string, label: string, n: number) =>
    `<div class="${key}"><dt>${esc(label)}</dt><dd>${n}</dd></div>`;
  // The summary counts each disposition under its name in lower case.
  const verdict = (d: Disposition) => {
    const key = d.toLowerCase() as Lowercase<Disposition>;
    return count(key, words.disposition[d], s[key]);
  };
  const others = (['expectationsFailed', 'errors', 'warnings'] as const).map((k) => count(k, words.summary[k], s[k]));
  return [
    '<header>',
    `<h1>${esc(words.title)}</h1>`,
    ...(source ? [`<p class="source"><code>${esc(source)}</code></p>`] : []),
    `<p id="verdict" class="${report.ok ? 'ok' : 'failed'}">${esc(report.ok ? words.ok : words.failed)}</p>`,
    '<dl class="summary">',
    count('clients', words.summary.clients, s.clients),
    count('flows', words.summary.flows, s.flows),
    ...DISPOSITIONS.map(verdict),
    ...others,
    '</dl>',
    '</header>',
  ];
}

function pathLines(report: CheckReport, words: PageWords): string[] {
  if (!report.flows.length)
    return ['<section id="paths">', `<h2>${esc(words.paths)}</h2>`, `<p>${esc(words.noPaths)}</p>`, '</section>'];
  const clients = [...new Set(report.flows.map((f) => f.client.label))].sort();
  const resources = [...new Set(report.flows.map((f) => f.configuration))].sort();
  const present = DISPOSITIONS.filter((d) => report.flows.some((f) => f.disposition === d));
  return [
    '<section id="paths">',
    `<h2>${esc(words.paths)}</h2>`,
    '<form id="filters">',
    selectOf(
      'client',
      words.filterClient,
      words.all,
      clients.map((c) => [c, c]),
    ),
    selectOf(
      'resource',
      words.filterResource,
      words.all,
      resources.map((r) => [r, r]),
    ),
    selectOf(
      'verdict',
      words.filterVerdict,
      words.all,
      present.map((d) => [d, words.disposition[d]]),
    ),
    `<output id="shown" data-template="${esc(words.shown)}"></output>`,
    '</form>',
    '<div id="rows">',
    ...report.flows.map((flow) => flowRow(flow, words)),
    '</div>',
    '</section>',
  ];
}

function selectOf(key: string, label: string, all: string, options: [string, string][]): string {
  const choices = options.map(([value, text]) => `<option value="${esc(value)}">${esc(text)}</option>`).join('');
  const any = `<option value="">${esc(all)}</option>`;
  const select = `<select id="filter-${key}" data-key="${key}">${any}${choices}</select>`;
  return `<label>${esc(label)} ${select}</label>`;
}

function flowRow(flow: Flow, words: PageWords): string {
  const client = `${flow.client.label}${flow.client.ip ? ` ${flow.client.ip}` : ''} (${flow.client.vpcId})`;
  const decided = flow.decidedBy && flow.disposition !== 'REACHABLE' ? stopText(flow.decidedBy, words) : '';
  const data =
    `data-client="${esc(flow.client.label)}" data-resource="${esc(flow.configuration)}" ` +
    `data-verdict="${flow.disposition}"`;
  return [
    `<details class="flow" ${data}>`,
    `<summary>${badge(flow.disposition, words)} <span class="client">${esc(client)}</span> → ` +
      `<span class="name">${esc(flow.name)}:${flow.port}</span> <span class="kind">${esc(flow.nameKind)}</span>` +
      (flow.expected ? ` <span class="expected">${esc(words.expected)}</span>` : '') +
      (decided ? ` <span class="decided">${decided}</span>` : '') +
      '</summary>',
    ...flow.attempts.map((attempt) => attemptTable(attempt, words)),
    '</details>',
  ].join('\n');
}

const stopText = (hop: Hop, words: PageWords) =>
  `${esc(words.decidedBy)} <b>${esc(hop.hop)}</b>${hop.reason ? ` <code>${esc(hop.reason)}</code>` : ''}`;

const badge = (disposition: Disposition, words: PageWords) =>
  `<span class="badge ${disposition}">${esc(words.disposition[disposition])}</span>`;

function attemptTable(attempt: Attempt, words: PageWords): string {
  const head = words.hopColumns.map((c) => `<th>${esc(c)}</th>`).join('');
  const rows = attempt.hops.map(
    (hop) =>
      `<tr class="${hop.status}"><td>${esc(hop.hop)}</td><td>${esc(hop.status)}</td>` +
      `<td>${hop.reason ? `<code>${esc(hop.reason)}</code>` : ''}</td><td>${esc(hop.detail)}</td>` +
      `<td>${hop.rule ? `<code>${esc(refText(hop.rule))}</code>` : ''}</td><td>${esc(hop.fix ?? '')}</td></tr>`,
  );
  return [
    `<h4>${esc(words.via)} ${esc(attempt.address ?? words.noAddress)}: ${badge(attempt.disposition, words)}</h4>`,
    `<table class="hops"><thead><tr>${head}</tr></thead><tbody>`,
    ...rows,
    '</tbody></table>',
  ].join('\n');
}

const refText = (ref: Ref) => `${ref.stack}/${ref.logicalId}`;

function findingLines(findings: Finding[], words: PageWords): string[] {
  if (!findings.length)
    return [
      '<section id="findings">',
      `<h2>${esc(words.findings)}</h2>`,
      `<p>${esc(words.noFindings)}</p>`,
      '</section>',
    ];
  const head = words.findingColumns.map((c) => `<th>${esc(c)}</th>`).join('');
  return [
    '<section id="findings">',
    `<h2>${esc(words.findings)}</h2>`,
    `<table><thead><tr>${head}</tr></thead><tbody>`,
    ...findings.map(
      (f) =>
        `<tr class="${f.severity}"><td>${esc(words.severity[f.severity])}</td><td><code>${esc(f.id)}</code></td>` +
        `<td>${esc(f.message)}</td><td>${f.resource ? `<code>${esc(refText(f.resource))}</code>` : ''}</td>` +
        `<td>${esc(f.fix)}</td></tr>`,
    ),
    '</tbody></table>',
    '</section>',
  ];
}

function expectationLines(report: CheckReport, words: PageWords): string[] {
  if (!report.expectations.length) return [];
  return [
    '<section id="expectations">',
    `<h2>${esc(words.expectations)}</h2>`,
    '<ul>',
    ...report.expectations.map(
      (x) =>
        `<li class="${x.result}"><b>${esc(words.expectationResult[x.result])}</b> ` +
        `<code>${esc(x.expectation)}</code>: ` +
        `${esc(x.detail)}</li>`,
    ),
    '</ul>',
    '</section>',
  ];
}

function listLines(id: string, title: string, lines: string[]): string[] {
  if (!lines.length) return [];
  return [
    `<section id="${id}">`,
    `<h2>${esc(title)}</h2>`,
    '<ul>',
    ...lines.map((l) => `<li>${esc(l)}</li>`),
    '</ul>',
    '</section>',
  ];
}

/** The filters: a row is shown when every chosen filter matches its data-*; the count says how many are. */
const SCRIPT = `
(() => {
  const selects = [...document.querySelectorAll('#filters select')];
  const rows = [...document.querySelectorAll('details.flow')];
  const shown = document.getElementById('shown');
  const apply = () => {
    let n = 0;
    for (const row of rows) {
      const match = selects.every((s) => !s.value || row.dataset[s.dataset.key] === s.value);
      row.hidden = !match;
      if (match) n += 1;
    }
    if (shown) shown.textContent = shown.dataset.template.replace('{n}', n).replace('{total}', rows.length);
  };
  for (const s of selects) s.addEventListener('change', apply);
  apply();
})();
`;

/**
 * Nothing may be fetched, and no script runs but the page's own (by its hash, so text that slipped past `esc` could
 * not run): no image, font, frame, form target or connection, from anywhere.
 */
function policy(): string {
  const script = `'sha256-${createHash('sha256').update(SCRIPT).digest('base64')}'`;
  return `default-src 'none'; style-src 'unsafe-inline'; script-src ${script}; base-uri 'none'; form-action 'none'`;
}

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans CJK JP", sans-serif;
  margin: 0 auto; max-width: 1400px; padding: 1rem 1.5rem; color: #1c2226; background: #fff; }
h1 { margin: 0.2rem 0; font-size: 1.5rem; } h2 { border-bottom: 1px solid #dde3e6; padding-bottom: 0.2rem; }
code { font: 12px ui-monospace, "SFMono-Regular", Menlo, monospace; background: #f2f5f7; padding: 0 0.2em; }
.source { margin: 0; color: #546e7a; }
#verdict { font-weight: 600; padding: 0.4rem 0.7rem; border-radius: 4px; display: inline-block; }
#verdict.ok { background: #e8f5e9; color: ${COLOUR.pass}; }
#verdict.failed { background: #ffebee; color: ${COLOUR.block}; }
.summary { display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 0.6rem 0; }
.summary div { border: 1px solid #dde3e6; border-radius: 4px; padding: 0.2rem 0.7rem; }
.summary dt { font-size: 11px; color: #546e7a; } .summary dd { margin: 0; font-size: 1.3rem; font-weight: 600; }
.summary .blocked dd { color: ${COLOUR.block}; } .summary .reachable dd { color: ${COLOUR.pass}; }
.summary .unknown dd { color: ${COLOUR.unknown}; } .summary .partial dd { color: ${COLOUR.partial}; }
#diagram { overflow: auto; } #diagram svg { max-width: 100%; height: auto; }
#filters { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin-bottom: 0.6rem; }
#filters select { font: inherit; max-width: 24rem; } #shown { color: #546e7a; }
details.flow { border: 1px solid #dde3e6; border-radius: 4px; margin: 0.25rem 0; padding: 0.3rem 0.6rem; }
details.flow[open] { background: #fafbfc; } summary { cursor: pointer; }
.badge { display: inline-block; min-width: 5.5em; text-align: center; border-radius: 3px; color: #fff;
  font-size: 12px; padding: 0 0.4em; }
${DISPOSITIONS.map((d) => `.badge.${d} { background: ${VERDICT_COLOUR[d]}; }`).join(' ')}
.kind { color: #78909c; font-size: 12px; }
.expected { font-size: 11px; border: 1px solid #90a4ae; border-radius: 3px; padding: 0 0.3em; color: #455a64; }
.decided { color: ${COLOUR.block}; }
table { border-collapse: collapse; width: 100%; margin: 0.3rem 0 0.8rem; font-size: 13px; table-layout: fixed; }
th, td { border: 1px solid #dde3e6; padding: 0.2rem 0.4rem; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; }
table.hops th:nth-child(1) { width: 8em; } table.hops th:nth-child(2) { width: 4.5em; }
table.hops th:nth-child(3) { width: 14em; } table.hops th:nth-child(4) { width: 34%; }
#findings th:nth-child(1) { width: 5em; } #findings th:nth-child(2) { width: 6em; }
th { background: #f2f5f7; } tr.block td { background: #ffebee; } tr.unknown td { background: #fff3e0; }
tr.error td:first-child { color: ${COLOUR.block}; font-weight: 600; }
tr.warning td:first-child { color: ${COLOUR.unknown}; }
li.fails b { color: ${COLOUR.block}; } li.holds b { color: ${COLOUR.pass}; } li.unknown b { color: ${COLOUR.unknown}; }
`;
