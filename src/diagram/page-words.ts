// The words of check's page (check --html), in English and Japanese.
import type { Disposition, Severity } from '../check/index.js';
import type { Lang } from './words.js';

interface PageWords {
  readonly title: string;
  readonly ok: string;
  readonly failed: string;
  /** The counts of the summary besides the paths' verdicts (those are `disposition`'s words). */
  readonly summary: Record<'clients' | 'flows' | 'errors' | 'warnings' | 'expectationsFailed', string>;
  readonly diagram: string;
  readonly paths: string;
  readonly filterClient: string;
  readonly filterResource: string;
  readonly filterVerdict: string;
  readonly all: string;
  /** "{n}" and "{total}" are filled in by the page's script. */
  readonly shown: string;
  readonly disposition: Record<Disposition, string>;
  readonly via: string;
  readonly noAddress: string;
  readonly hopColumns: readonly [string, string, string, string, string, string];
  readonly decidedBy: string;
  /** A path an expectation (declared or --expect) rests on. */
  readonly expected: string;
  readonly findings: string;
  readonly noFindings: string;
  readonly severity: Record<Severity, string>;
  readonly findingColumns: readonly [string, string, string, string, string];
  readonly expectations: string;
  readonly expectationResult: Record<'holds' | 'fails' | 'unknown', string>;
  readonly warnings: string;
  readonly noPaths: string;
}

const EN: PageWords = {
  title: 'lattice-share check',
  ok: 'every path and rule checked holds',
  failed: 'something is broken: see the blocked paths and the errors below',
  summary: {
    clients: 'clients',
    flows: 'paths',
    errors: 'errors',
    warnings: 'warnings',
    expectationsFailed: 'expectations failed',
  },
  diagram: 'Diagram',
  paths: 'Paths',
  filterClient: 'client',
  filterResource: 'resource',
  filterVerdict: 'verdict',
  all: 'all',
  shown: '{n} of {total} paths shown',
  disposition: { REACHABLE: 'reachable', BLOCKED: 'blocked', PARTIAL: 'partly', UNKNOWN: 'unknown' },
  via: 'via',
  noAddress: '(no address)',
  hopColumns: ['hop', 'status', 'reason', 'what', 'rule', 'fix'],
  decidedBy: 'stops at',
  expected: 'expected',
  findings: 'Findings',
  noFindings: 'No findings.',
  severity: { error: 'error', warning: 'warning', info: 'info' },
  findingColumns: ['severity', 'ID', 'what', 'resource', 'fix'],
  expectations: 'Expectations',
  expectationResult: { holds: 'holds', fails: 'fails', unknown: 'unknown' },
  warnings: 'What the templates could not say',
  noPaths: 'No paths: no client reaches a shared resource in these templates.',
};

const JA: PageWords = {
  title: 'lattice-share check',
  ok: '検査したすべての経路とルールが成り立っています',
  failed: '壊れているところがあります: 下の止まる経路とエラーを見てください',
  summary: {
    clients: 'クライアント',
    flows: '経路',
    errors: 'エラー',
    warnings: '警告',
    expectationsFailed: '満たされない期待',
  },
  diagram: '構成図',
  paths: '経路',
  filterClient: 'クライアント',
  filterResource: 'リソース',
  filterVerdict: '判定',
  all: 'すべて',
  shown: '{total} 経路のうち {n} 経路を表示',
  disposition: { REACHABLE: '到達', BLOCKED: '遮断', PARTIAL: '一部到達', UNKNOWN: '不明' },
  via: '宛先',
  noAddress: '(アドレスなし)',
  hopColumns: ['ホップ', '状態', '理由', '内容', 'ルール', '修正'],
  decidedBy: '止まる所',
  expected: '期待あり',
  findings: '指摘',
  noFindings: '指摘はありません。',
  severity: { error: 'エラー', warning: '警告', info: '情報' },
  findingColumns: ['重大度', 'ID', '内容', 'リソース', '修正'],
  expectations: '期待',
  expectationResult: { holds: '成立', fails: '不成立', unknown: '不明' },
  warnings: 'テンプレートからは分からなかったこと',
  noPaths: '経路はありません: このテンプレートには、共有リソースに届くクライアントがありません。',
};

export const pageWordsOf = (lang: Lang): PageWords => (lang === 'ja' ? JA : EN);
