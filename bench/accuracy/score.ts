// Scores each case's health gate result against its expectation, and renders the confusion table (console and bench/ACCURACY.md).
import type { HealthReport } from '../../scripts/engine/types.ts';
import type { Case } from './cases.ts';

/** What one `npm run health` run gave: its exit code and the report it wrote (none after a crash or a config error). */
export interface Observed {
  readonly exit: number;
  readonly report: HealthReport | null;
  readonly stderr?: string;
}

export const VERDICTS = {
  correct: 'as expected',
  missed: 'missed regression (exit 0)',
  'wrong-signal': 'caught, but on the wrong signal or decision',
  'inconclusive-regression': 'inconclusive on a regression',
  'false-alarm': 'false alarm (rollback or hotfix on a healthy release)',
  'inconclusive-healthy': 'inconclusive where a pass was expected',
  'missing-passed': 'missing data that passed',
  'missing-failed': 'missing data judged a breach',
  'missing-wrong-cause': 'inconclusive, but not for the expected cause',
  error: 'the gate did not run (exit 4 or a crash)',
} as const;
export type Verdict = keyof typeof VERDICTS;

/** The causes an inconclusive signal may name; anything else is an inconclusive that does not say why. */
export const NAMED_CAUSES: readonly RegExp[] = [
  /metrics stopped at/,
  /no data for version/,
  /data for \d+ of \d+ intervals/,
  /could not be read/,
  /no baseline (data|window|measurement)/,
  /baseline .* has data for only/,
  /only \d+ whole intervals? since the deploy/,
  /a trend needs/,
  /no whole .* interval/,
  /holds (only|no)/,
  /per-host data/,
  /only \d+ of the last/,
  /no service baseline/,
  /no measurement was taken/,
];

const DECISION_BY_EXIT: Readonly<Record<number, string>> = { 0: 'proceed', 1: 'rollback', 2: 'hotfix', 3: 'inconclusive' };

export interface Scored {
  readonly id: string;
  readonly kind: Case['kind'];
  readonly title: string;
  readonly expected: string;
  readonly decision: string;
  readonly verdict: Verdict;
  /** Failed signals, or the inconclusive causes, or what went wrong. */
  readonly detail: string;
  /** Inconclusive signals whose reason names no known cause. */
  readonly unnamed: readonly string[];
}

export function expectedText(c: Case): string {
  const e = c.expect;
  if (e.outcome === 'pass') return 'proceed';
  if (e.outcome === 'fail') return `${e.decision} on ${e.signals.join(' or ')}`;
  return `inconclusive: ${e.cause.source.replace(/\\/g, '')}`;
}

export function scoreCase(c: Case, o: Observed): Scored {
  const decision = DECISION_BY_EXIT[o.exit] ?? `exit ${o.exit}`;
  const signals = o.report?.signals ?? [];
  const failed = signals.filter((s) => s.outcome === 'fail').map((s) => s.id);
  const inconclusive = signals.filter((s) => s.outcome === 'inconclusive');
  const unnamed = inconclusive.filter((s) => !NAMED_CAUSES.some((re) => re.test(s.reason))).map((s) => `${s.id}: ${s.reason}`);
  const base = { id: c.id, kind: c.kind, title: c.title, expected: expectedText(c), decision, unnamed };
  const detail =
    decision === 'inconclusive'
      ? inconclusive.map((s) => `${s.id}: ${s.reason.slice(0, 90)}`).join('; ')
      : failed.length
        ? `failed: ${failed.join(', ')}`
        : signals.some((s) => s.outcome === 'warn')
          ? `warn: ${signals
              .filter((s) => s.outcome === 'warn')
              .map((s) => s.id)
              .join(', ')}`
          : '';
  const v = (verdict: Verdict, d = detail): Scored => ({ ...base, verdict, detail: d });
  if (!o.report || !(o.exit in DECISION_BY_EXIT)) return v('error', (o.stderr ?? '').split('\n')[0] ?? '');
  const e = c.expect;
  if (e.outcome === 'pass') return o.exit === 0 ? v('correct') : o.exit === 3 ? v('inconclusive-healthy') : v('false-alarm');
  if (e.outcome === 'fail') {
    if (o.exit === 0) return v('missed');
    if (o.exit === 3) return v('inconclusive-regression');
    return decision === e.decision && e.signals.some((s) => failed.includes(s)) ? v('correct') : v('wrong-signal');
  }
  if (o.exit === 0) return v('missing-passed');
  if (o.exit !== 3) return v('missing-failed');
  return inconclusive.some((s) => e.cause.test(s.reason)) ? v('correct') : v('missing-wrong-cause');
}

export interface Summary {
  readonly scale: string;
  readonly policy: string;
  readonly counts: Readonly<Record<Verdict, number>>;
  readonly byKind: Readonly<Record<Case['kind'], { total: number; correct: number }>>;
  readonly unnamed: number;
  readonly results: readonly Scored[];
}

export function summarize(scale: string, policy: string, results: readonly Scored[]): Summary {
  const counts = Object.fromEntries(Object.keys(VERDICTS).map((k) => [k, 0])) as Record<Verdict, number>;
  const byKind = { healthy: { total: 0, correct: 0 }, regression: { total: 0, correct: 0 }, missing: { total: 0, correct: 0 } };
  for (const r of results) {
    counts[r.verdict]++;
    byKind[r.kind].total++;
    if (r.verdict === 'correct') byKind[r.kind].correct++;
  }
  return { scale, policy, counts, byKind, unnamed: results.reduce((n, r) => n + r.unnamed.length, 0), results };
}

/** The issue's targets, for the shipped policy. */
export function targetsMet(s: Summary): { readonly met: boolean; readonly lines: readonly string[] } {
  const checks: [string, boolean][] = [
    [`missed regressions: ${s.counts.missed} (target 0)`, s.counts.missed === 0],
    [`false alarms: ${s.counts['false-alarm']} of ${s.byKind.healthy.total} healthy (target ≤ 1)`, s.counts['false-alarm'] <= 1],
    [`missing data that passed: ${s.counts['missing-passed']} (target 0)`, s.counts['missing-passed'] === 0],
    [`inconclusive signals without a named cause: ${s.unnamed} (target 0)`, s.unnamed === 0],
    [`cases where the gate did not run: ${s.counts.error} (target 0)`, s.counts.error === 0],
  ];
  return { met: checks.every(([, ok]) => ok), lines: checks.map(([t, ok]) => `${ok ? '✓' : '✗'} ${t}`) };
}

export function renderConsole(s: Summary): string {
  const rows = (Object.keys(VERDICTS) as Verdict[]).map((k) => `  ${String(s.counts[k]).padStart(3)}  ${VERDICTS[k]}`);
  const kinds = (['healthy', 'regression', 'missing'] as const).map((k) => `${k} ${s.byKind[k].correct}/${s.byKind[k].total}`).join(', ');
  const off = s.results
    .filter((r) => r.verdict !== 'correct')
    .map((r) => `  ${r.id} ${r.verdict}: expected ${r.expected}, got ${r.decision} (${r.detail})`);
  return [`${s.scale} scale, ${s.policy}: ${kinds} as expected`, ...rows, ...targetsMet(s).lines.map((l) => `  ${l}`), ...off, ''].join(
    '\n',
  );
}

const cell = (t: string) => t.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderMarkdown(summaries: readonly Summary[], meta: { readonly seedNote: string; readonly generatedAt: string }): string {
  const out = [
    '# Health gate accuracy',
    '',
    `Generated by \`npm run accuracy\` (${meta.generatedAt}). ${meta.seedNote}`,
    'Every case and its expected outcome are in `bench/accuracy/cases.ts`, written before the runs; the policies are never',
    'tuned case by case. A change in the rules that moves a case shows up in the per-case table below.',
    '',
    '| | ' + summaries.map((s) => `${s.scale} scale (\`${s.policy}\`)`).join(' | ') + ' |',
    '|---|' + summaries.map(() => '---:').join('|') + '|',
    ...(Object.keys(VERDICTS) as Verdict[]).map((k) => `| ${VERDICTS[k]} | ${summaries.map((s) => s.counts[k]).join(' | ')} |`),
    `| inconclusive signals without a named cause | ${summaries.map((s) => s.unnamed).join(' | ')} |`,
    ...(['healthy', 'regression', 'missing'] as const).map(
      (k) => `| ${k} cases as expected | ${summaries.map((s) => `${s.byKind[k].correct} / ${s.byKind[k].total}`).join(' | ')} |`,
    ),
    '',
    ...summaries.flatMap((s) => [`Targets (${s.scale} scale):`, '', ...targetsMet(s).lines.map((l) => `- ${l}`), '']),
    '## Every case',
    '',
    '| case | kind | what | expected | ' + summaries.map((s) => `${s.scale}`).join(' | ') + ' |',
    '|---|---|---|---|' + summaries.map(() => '---').join('|') + '|',
    ...summaries[0]!.results.map((r, i) => {
      const cols = summaries.map((s) => {
        const x = s.results[i]!;
        return x.verdict === 'correct'
          ? `✓ ${x.decision}`
          : `✗ ${x.decision} — ${VERDICTS[x.verdict]}${x.detail ? ` (${cell(x.detail).slice(0, 160)})` : ''}`;
      });
      return `| ${r.id} | ${r.kind} | ${cell(r.title)} | ${cell(r.expected)} | ${cols.join(' | ')} |`;
    }),
    '',
  ];
  return out.join('\n');
}
