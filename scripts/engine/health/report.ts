// Builds the HealthReport: every policy signal evaluated over the windows, worst wins, and why nothing could be judged.
import type { Policy } from '../../config/policy.ts';
import type { HealthReport, SignalMeasurement } from '../types.ts';
import type { Windows } from '../windows.ts';
import { formatSpan, formatTime } from './format.ts';
import { combineOutcomes } from './outcome.ts';
import { evaluateSignal } from './signal.ts';

export interface HealthReportInput extends Pick<
  HealthReport,
  'generatedAt' | 'service' | 'version' | 'previousVersion' | 'deployedAt' | 'changeSize' | 'source'
> {
  readonly policy: Pick<Policy, 'signals'>;
  readonly measurements: readonly SignalMeasurement[];
  readonly windows: Windows;
  /** Why the gate could not run at all (e.g. InfluxDB unreachable); forces inconclusive. */
  readonly error?: string;
}

/** Why nothing can be judged yet, in words that fit the state of the checking period. */
function noIntervalReason(w: Windows): string {
  const where = `current window ${w.current.start} – ${w.current.end}`;
  if (w.complete)
    return `the checking period (${formatSpan(w.periodMs)}) holds no whole ${formatSpan(w.intervalMs)} interval after the warm-up (${where}); fix the policy's warmup, interval or checkingPeriods`;
  return `no whole ${formatSpan(w.intervalMs)} interval since the deploy plus warm-up yet (${where}); run the health gate again after ${formatTime(Date.parse(w.current.start) + w.intervalMs)}`;
}

export function buildHealthReport(input: HealthReportInput): HealthReport {
  const w = input.windows;
  const ctx = {
    version: input.version,
    previousVersion: input.previousVersion,
    window: w.current,
    intervalMs: w.intervalMs,
    deployedAt: w.deployedAt,
    complete: w.complete,
    monitorUntil: w.monitorUntil,
  };
  const byId = new Map(input.measurements.map((m) => [m.signalId, m]));
  let signals = input.policy.signals.map((s) => evaluateSignal(s, byId.get(s.id), ctx));
  // A gate that could not read at all says so on every signal; "too early" or "no data" would send people waiting.
  const why = input.error ?? (w.intervals === 0 ? noIntervalReason(w) : undefined);
  if (why !== undefined)
    signals = signals.map((r) => ({ ...r, outcome: 'inconclusive' as const, reason: why, evidence: null, warnStanding: false }));
  const outcome = input.error ? 'inconclusive' : combineOutcomes(signals.map((s) => s.outcome));
  return {
    schemaVersion: 1,
    generatedAt: input.generatedAt,
    service: input.service,
    version: input.version,
    previousVersion: input.previousVersion,
    deployedAt: input.deployedAt,
    changeSize: input.changeSize,
    window: { current: w.current, baseline: w.baseline, intervalSeconds: w.intervalMs / 1000 },
    checkingPeriod: { ms: w.periodMs, monitorUntil: w.monitorUntil, complete: w.complete },
    source: input.source,
    outcome,
    signals,
    ...(input.error ? { error: input.error } : {}),
  };
}
