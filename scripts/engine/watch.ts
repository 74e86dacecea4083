// The watch's record (pure): one entry per evaluation (time, decision, each signal's latest value against its limit),
// when a rollback or hotfix was first decided, and which decision changes are worth an alert.
import type { Policy } from '../config/policy.ts';
import { quote } from './format.ts';
import type { Decision, HealthInput, Outcome, Verdict } from './types.ts';

export interface SignalSnapshot {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly outcome: Outcome;
  /** The newest interval's value (null: no data yet). */
  readonly latest: number | null;
  /** The window summary the rules judged. */
  readonly current: number | null;
  readonly limit: string;
}

export interface WatchEvaluation {
  readonly at: string;
  readonly decision: Decision;
  /** The rule that decided, e.g. health-breach.major. */
  readonly rule: string;
  readonly signals: readonly SignalSnapshot[];
}

export const WATCH_STATUSES = ['watching', 'rollback', 'period-over', 'cut-short', 'no-period'] as const;
export type WatchStatus = (typeof WATCH_STATUSES)[number];

/** The watch as verdict.json records it (additive fields of schemaVersion 1). */
export interface WatchRecord {
  readonly startedAt: string;
  readonly everySeconds: number;
  readonly monitorUntil: string | null;
  readonly status: WatchStatus;
  readonly endedAt: string | null;
  /** Set when a signal (Ctrl-C, SIGTERM) stopped the watch before the period ended. */
  readonly cutShort: { readonly at: string; readonly signal: string } | null;
}

/** Each signal as the evaluation saw it: its newest interval against the limit it is held to. */
export function signalSnapshots(health: HealthInput): SignalSnapshot[] {
  if ('kind' in health && health.kind === 'unavailable') return [];
  const report = health as Exclude<HealthInput, { kind: 'unavailable' }>;
  return report.signals.map((s) => {
    const points = s.series.current;
    let latest: number | null = null;
    for (let i = points.length - 1; i >= 0 && latest === null; i--) latest = points[i]!.v ?? null;
    return { id: s.id, title: s.title, unit: s.unit, outcome: s.outcome, latest, current: s.current, limit: s.limit };
  });
}

export function evaluationOf(verdict: Verdict, health: HealthInput): WatchEvaluation {
  return { at: verdict.decidedAt, decision: verdict.decision, rule: verdict.decidingReason.rule, signals: signalSnapshots(health) };
}

/** The first evaluation that decided a rollback or a hotfix: when the problem was detected. */
export function detectedAt(evaluations: readonly WatchEvaluation[]): string | null {
  return evaluations.find((e) => e.decision === 'rollback' || e.decision === 'hotfix')?.at ?? null;
}

/**
 * An evaluation that is only waiting for data the period will still bring: inconclusive, the period running, and every
 * inconclusive reason a signal that is still filling up — fewer intervals than it needs, or a rule saying "wait" (the
 * health engine says so only while the period runs and more data can help: a trend's warm-up) — or test results not
 * there yet while the test run that makes them is still going. Such a state is no news: it is not alerted.
 */
export function isPending(verdict: Verdict, policy: Pick<Policy, 'signals'>, testsRunning = false): boolean {
  if (verdict.decision !== 'inconclusive' || verdict.evidence.period.complete !== false) return false;
  const h = verdict.evidence.health;
  const filling =
    h.kind === 'report'
      ? h.signals
          .filter((s) => s.samples.current < (policy.signals.find((p) => p.id === s.id)?.minSamples ?? 1) || /\bwait\b/.test(s.reason))
          .map((s) => quote(s.title))
      : [];
  return verdict.reasons
    .filter((r) => r.decision === 'inconclusive')
    .every(
      (r) => (r.rule === 'health-no-data' && filling.some((t) => r.message.includes(t))) || (testsRunning && r.rule === 'results-missing'),
    );
}

/**
 * Whether an evaluation's decision is news: a change from the last decision alerted about (none yet: only a decision
 * someone must act on is news). Pending evaluations never are.
 */
export function alertWorthy(decision: Decision, lastAlerted: Decision | undefined, pending: boolean): boolean {
  if (pending) return false;
  if (lastAlerted === undefined) return decision === 'rollback' || decision === 'hotfix' || decision === 'inconclusive';
  return decision !== lastAlerted;
}
