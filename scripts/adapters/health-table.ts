// The health gate's console output: one row per signal, then the reason, evidence and baseline note of each that is not a plain pass.
import { styleText } from 'node:util';
import { formatNumber, formatValue } from '../engine/health.ts';
import type { HealthReport, Outcome, SignalResult } from '../engine/types.ts';

const OUTCOME_STYLE: Record<Outcome, Parameters<typeof styleText>[0]> = {
  pass: 'green',
  warn: 'yellow',
  fail: ['bold', 'red'],
  inconclusive: 'magenta',
};

function delta(s: SignalResult): string {
  if (s.delta === null) return '–';
  const pct = s.deltaPct === null ? '' : ` (${s.deltaPct >= 0 ? '+' : ''}${formatNumber(s.deltaPct)} %)`;
  return `${s.delta >= 0 ? '+' : ''}${formatValue(s.delta, s.unit)}${pct}`;
}

/** The lines under the table for one signal: why, the deciding rule's per-interval summary, and any note. */
function details(s: SignalResult, report: HealthReport, paint: (o: Outcome, t: string) => string): string[] {
  const out: string[] = [];
  if (s.outcome !== 'pass') {
    out.push(`${paint(s.outcome, `${s.id}: ${s.outcome}`)} (${s.severity}) — ${s.reason}`);
    if (s.evidence && s.evidence.rule !== 'coverage') out.push(`  ${s.evidence.rule} over ${s.evidence.scope}: ${s.evidence.summary}`);
    if (s.outcome === 'warn' && report.checkingPeriod.complete)
      out.push(
        s.warnStanding
          ? `  the warn still stands at the end of the checking period: ${s.warnAtEnd} (policy warnAtEnd)`
          : '  the warn has cleared in the recent intervals: a warning, not a reason to act',
      );
  }
  if (s.baselineUsed?.note) out.push(`  ${s.id} baseline: ${s.baselineUsed.note}`);
  return out;
}

export function renderHealthTable(report: HealthReport, options: { color: boolean }): string {
  const paint = (o: Outcome, s: string) => (options.color ? styleText(OUTCOME_STYLE[o], s) : s);
  const header = ['signal', 'current', 'baseline', 'delta', 'limit', 'data', 'result'];
  const rows = report.signals.map((s) => [
    s.id,
    formatValue(s.current, s.unit),
    formatValue(s.baseline, s.unit),
    delta(s),
    s.limit.length > 60 ? `${s.limit.slice(0, 59)}…` : s.limit,
    `${s.coverage.withData}/${s.coverage.elapsed}`,
    s.outcome,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[], outcome?: Outcome) =>
    cells
      .map((c, i) => {
        const padded = c.padEnd(widths[i]!);
        return i === cells.length - 1 && outcome ? paint(outcome, padded) : padded;
      })
      .join(' | ')
      .trimEnd();
  const out = [
    `Health of ${report.service} ${report.version} vs ${report.previousVersion} (${report.source.dialect} at ${report.source.url}, database ${report.source.database || '–'})`,
    `current ${report.window.current.start} – ${report.window.current.end}; interval ${report.window.intervalSeconds}s; checking period ${report.checkingPeriod.complete ? `complete (ended ${report.checkingPeriod.monitorUntil})` : `running until ${report.checkingPeriod.monitorUntil}`}`,
    '',
    line(header),
    widths.map((w) => '-'.repeat(w)).join('-|-'),
    ...report.signals.map((s, i) => line(rows[i]!, s.outcome)),
    '',
  ];
  for (const s of report.signals) out.push(...details(s, report, paint));
  if (report.error) out.push(paint('inconclusive', `health gate could not read metrics: ${report.error}`));
  out.push(`Health: ${paint(report.outcome, report.outcome)}`);
  return `${out.join('\n')}\n`;
}
