// The watch on the console: on a terminal a block redrawn in place (elapsed and remaining time, each signal's latest
// value against its limit, the next evaluation); elsewhere (CI, a pipe) one plain line per evaluation.
import { styleText } from 'node:util';
import { redact } from '../config/redact.ts';
import { DECISION_INFO } from '../engine/decisions.ts';
import { formatDuration, formatNumber } from '../engine/format.ts';
import type { WatchEvaluation } from '../engine/watch.ts';

export interface ProgressStream {
  write(s: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface ProgressFrame {
  readonly evaluation: WatchEvaluation;
  readonly number: number;
  readonly deployedAt: string | null;
  readonly monitorUntil: string | null;
  readonly next: number | null;
  readonly detectedAt: string | null;
  /** What the next evaluation waits for instead of the clock (the test run under way), if anything. */
  readonly waiting?: string;
  /** Short notes for this evaluation (an alert sent or failed, a write that failed). */
  readonly notes: readonly string[];
}

const time = (t: string | number) => new Date(t).toISOString().slice(11, 19);

function timing(f: ProgressFrame): string {
  const at = Date.parse(f.evaluation.at);
  if (!f.deployedAt || !f.monitorUntil) return 'no checking period (no release manifest)';
  const elapsed = Math.max(0, at - Date.parse(f.deployedAt));
  const left = Math.max(0, Date.parse(f.monitorUntil) - at);
  return `elapsed ${formatDuration(elapsed)}, ${left ? `${formatDuration(left)} left` : 'period over'}`;
}

/** The signal lines: latest interval, window value, limit, outcome. */
function signalRows(e: WatchEvaluation, width: number): string[] {
  const c1 = Math.min(24, Math.max(6, ...e.signals.map((s) => s.title.length)));
  return e.signals.map((s) => {
    const latest = s.latest === null ? 'no data' : formatNumber(s.latest, s.unit);
    const window = s.current === null ? 'no data' : formatNumber(s.current, s.unit);
    const row = `  ${s.title.padEnd(c1)}  ${s.outcome.padEnd(12)}  window ${window.padEnd(10)}  latest ${latest.padEnd(10)}  limit ${s.limit}`;
    return row.length > width ? `${row.slice(0, width - 1)}…` : row;
  });
}

export interface WatchProgress {
  evaluated(frame: ProgressFrame): void;
  /** A line that must stay on screen (an alert, the end). */
  note(line: string): void;
  /** Switch between the live block and plain lines (the demo prints plain lines while its test run writes too). */
  setLive(live: boolean): void;
}

export function createProgress(stream: ProgressStream, o: { live: boolean; color: boolean; secrets: readonly string[] }): WatchProgress {
  let live = o.live && !!stream.isTTY;
  let drawn = 0;
  const width = () => Math.max(60, Math.min(stream.columns ?? 100, 160));
  const paint = (d: keyof typeof DECISION_INFO, s: string) =>
    o.color ? styleText(d === 'rollback' ? 'red' : d === 'hotfix' ? 'yellow' : d === 'inconclusive' ? 'magenta' : 'green', s) : s;
  const out = (s: string) => stream.write(redact(s, o.secrets));
  const clear = () => {
    if (drawn) out(`\x1b[${drawn}F\x1b[0J`);
    drawn = 0;
  };
  return {
    evaluated(f) {
      const e = f.evaluation;
      const label = DECISION_INFO[e.decision].label;
      const next = f.waiting ? `next evaluation ${f.waiting}` : f.next === null ? 'final evaluation' : `next evaluation ${time(f.next)}`;
      const detected = f.detectedAt ? `; detected ${time(f.detectedAt)}` : '';
      if (!live) {
        const value = (v: number | null, unit: string) => (v === null ? '–' : formatNumber(v, unit));
        const signals = e.signals
          .map((s) => `${s.id} ${s.outcome} (window ${value(s.current, s.unit)}, latest ${value(s.latest, s.unit)})`)
          .join(', ');
        for (const n of f.notes) out(`${n}\n`);
        out(
          `[${time(e.at)}] evaluation ${f.number}: ${label} (${e.rule}); ${timing(f)}; ${next}${detected}${signals ? `; ${signals}` : ''}\n`,
        );
        return;
      }
      clear();
      for (const n of f.notes) out(`${n}\n`);
      const lines = [
        `Watching — evaluation ${f.number} at ${time(e.at)}: ${paint(e.decision, label)} (${e.rule})${detected}`,
        `  ${timing(f)}; ${next}`,
        ...signalRows(e, width()),
      ];
      out(`${lines.join('\n')}\n`);
      drawn = lines.length;
    },
    note(line) {
      clear();
      out(`${line}\n`);
    },
    setLive(on) {
      if (!on) clear();
      live = on && !!stream.isTTY;
    },
  };
}
