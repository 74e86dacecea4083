// Console output of the verdict: a short colour table (checklist and signals) and one line with the decision and its main reason.
import { styleText } from 'node:util';
import { redact } from '../config/redact.ts';
import type { ChecklistItem, Decision, Verdict } from '../engine/types.ts';
import { formatNumber } from '../engine/format.ts';
import { oneLine } from './verdict-files.ts';

type Style = Parameters<typeof styleText>[0];

const DECISION_STYLE: Readonly<Record<Decision, Style>> = {
  proceed: ['bold', 'green'],
  'continue-monitoring': ['bold', 'cyan'],
  hotfix: ['bold', 'yellow'],
  inconclusive: ['bold', 'magenta'],
  rollback: ['bold', 'red'],
};
const STATE_STYLE: Readonly<Record<string, Style>> = {
  done: 'green',
  pass: 'green',
  failed: 'red',
  fail: 'red',
  missing: 'magenta',
  inconclusive: 'magenta',
  warn: 'yellow',
};

const SHORT: Readonly<Record<ChecklistItem['item'], string>> = {
  smoke: 'Smoke',
  verification: 'Verification',
  logs: 'Logs',
  health: 'Health signals',
  alerting: 'Alerting',
  'rollback-criteria': 'Rollback criteria',
};

/** Colour only for a terminal, and never when NO_COLOR is set (read through env.ts). */
export function useColor(stream: { isTTY?: boolean }, noColor: boolean): boolean {
  return !!stream.isTTY && !noColor;
}

function clip(s: string, n: number): string {
  const flat = s.replace(/\s*\n\s*/g, ' ');
  return flat.length > n ? `${flat.slice(0, n - 1)}…` : flat;
}

export function renderVerdictConsole(verdict: Verdict, options: { color: boolean; secrets: readonly string[]; width?: number }): string {
  const paint = (style: Style | undefined, s: string) => (options.color && style ? styleText(style, s) : s);
  const width = Math.max(60, Math.min(options.width ?? 100, 160));
  const rows: [string, string, string][] = verdict.checklist.map((c) => [SHORT[c.item], c.state, c.evidence]);
  const h = verdict.evidence.health;
  if (h.kind === 'report') {
    for (const s of h.signals)
      rows.push([
        `  ${s.title}`,
        s.outcome,
        `${formatNumber(s.current, s.unit)} vs ${formatNumber(s.baseline, s.unit)}; limit ${s.limit}; ${s.samples.current} samples`,
      ]);
  }
  const c1 = Math.min(34, Math.max(...rows.map((r) => r[0].length)));
  const c2 = Math.max(...rows.map((r) => r[1].length));
  const c3 = Math.max(20, width - c1 - c2 - 4);
  const lines = rows.map(([a, b, c]) => `${clip(a, c1).padEnd(c1)}  ${paint(STATE_STYLE[b], b.padEnd(c2))}  ${clip(c, c3)}`);
  for (const w of verdict.warnings) lines.push(paint('yellow', clip(`warning: ${w}`, width)));
  lines.push(
    `${paint(DECISION_STYLE[verdict.decision], 'Verdict:')} ${paint(DECISION_STYLE[verdict.decision], oneLine(verdict).split(' — ')[0]!)} — ${clip(oneLine(verdict).split(' — ').slice(1).join(' — '), width * 2)}`,
  );
  return redact(`${lines.join('\n')}\n`, options.secrets);
}

export function printVerdict(
  verdict: Verdict,
  options: { stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }; noColor: boolean; secrets: readonly string[] },
): void {
  const stream = options.stream ?? process.stdout;
  stream.write(
    renderVerdictConsole(verdict, {
      color: useColor(stream, options.noColor),
      secrets: options.secrets,
      ...(stream.columns ? { width: stream.columns } : {}),
    }),
  );
}
