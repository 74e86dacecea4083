// Plain-data builders for the health engine tests: a policy, series on a one-minute grid, measurements and a context.
import { parsePolicy, type SignalPolicy } from '../../scripts/config/policy.ts';
import { evaluateSignal, type SignalContext } from '../../scripts/engine/health.ts';
import type {
  BaselineMeasurement,
  HostSeriesRead,
  SamplePoint,
  SeriesRead,
  SignalMeasurement,
  SignalResult,
} from '../../scripts/engine/types.ts';

export const T0 = Date.parse('2026-03-02T10:00:00Z');
export const MIN = 60_000;

export function policyOf(signals: Record<string, unknown>[], over: Record<string, unknown> = {}) {
  return parsePolicy(
    {
      name: 'engine test',
      owner: { team: 'qa', rollbackDecider: 'the on-call lead' },
      checkingPeriods: { patch: '10m', minor: '30m', major: '4h', migration: '4h', infrastructure: '2h' },
      signals,
      ...over,
    },
    'test',
  );
}

export function signal(fields: Record<string, unknown>, over: Record<string, unknown> = {}): SignalPolicy {
  return policyOf(
    [{ id: 'sig', title: 'Signal', unit: 'ms', query: { template: 'latency_p95' }, severity: 'major', minSamples: 5, ...fields }],
    over,
  ).signals[0]!;
}

/** A series sampled once a minute from `start`. */
export const series = (values: readonly (number | null)[], start = T0): SeriesRead => ({
  kind: 'ok',
  query: 'SELECT … (test)',
  points: values.map((v, i): SamplePoint => ({ t: new Date(start + i * MIN).toISOString(), v })),
});

export const failed = (cause: Extract<SeriesRead, { kind: 'error' }>['cause'], message: string): SeriesRead => ({
  kind: 'error',
  cause,
  message,
  query: 'SELECT … (test)',
});

/** A baseline read over the `n` minutes before T0 (or shifted by `shiftMs` for yesterday / last week). */
export function baselineOf(
  values: readonly (number | null)[] | SeriesRead,
  source: BaselineMeasurement['source'] = 'before-deploy',
  n = 10,
): BaselineMeasurement {
  const shift = source === 'yesterday' ? 86_400_000 : source === 'last-week' ? 7 * 86_400_000 : 0;
  const start = source === 'before-deploy' ? T0 - n * MIN : T0 - shift;
  const read = Array.isArray(values) ? series(values, start) : (values as SeriesRead);
  return {
    source,
    window: { start: new Date(start).toISOString(), end: new Date(start + n * MIN).toISOString() },
    anyVersion: source !== 'before-deploy',
    read,
  };
}

export function measurement(current: SeriesRead, baselines: readonly BaselineMeasurement[], hosts?: HostSeriesRead): SignalMeasurement {
  return { signalId: 'sig', current, baselines, ...(hosts ? { hosts } : {}) };
}

/** The context of a window of `n` one-minute intervals from T0, deployed at T0, the period over (unless said). */
export function ctxOf(n: number, over: Partial<SignalContext> = {}): SignalContext {
  return {
    version: '2.0.0',
    previousVersion: '1.9.0',
    window: { start: new Date(T0).toISOString(), end: new Date(T0 + n * MIN).toISOString() },
    intervalMs: MIN,
    deployedAt: new Date(T0).toISOString(),
    complete: true,
    monitorUntil: new Date(T0 + n * MIN).toISOString(),
    ...over,
  };
}

/** Evaluates a signal over current values (one a minute from T0) against baseline values before the deploy. */
export function evaluate(
  fields: Record<string, unknown>,
  current: readonly (number | null)[] | SeriesRead,
  baseline: readonly (number | null)[] | SeriesRead | readonly BaselineMeasurement[],
  over: { ctx?: Partial<SignalContext>; policy?: Record<string, unknown>; hosts?: HostSeriesRead; n?: number } = {},
): SignalResult {
  const cur = Array.isArray(current) ? series(current) : (current as SeriesRead);
  const n = over.n ?? (Array.isArray(current) ? Math.max(current.length, 1) : 10);
  const bases =
    Array.isArray(baseline) && baseline.length > 0 && typeof baseline[0] === 'object' && baseline[0] !== null
      ? (baseline as BaselineMeasurement[])
      : [baselineOf(baseline as readonly (number | null)[] | SeriesRead, 'before-deploy', n)];
  return evaluateSignal(signal(fields, over.policy), measurement(cur, bases, over.hosts), ctxOf(n, over.ctx));
}

export const flat = (v: number, n = 10) => Array.from({ length: n }, () => v);
/** Deterministic jitter so the samples are not all tied. */
export const around = (v: number, spread: number, n = 12) => Array.from({ length: n }, (_, i) => v + (spread * (((i * 7) % 5) - 2)) / 2);
export const ramp = (from: number, perStep: number, n = 10) => Array.from({ length: n }, (_, i) => from + perStep * i);

export const ruleOf = (r: SignalResult, kind: string) => r.rules.find((x) => x.rule === kind);
