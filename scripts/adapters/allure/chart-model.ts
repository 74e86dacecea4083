// From a health signal's result and its policy to the generic chart data: which limits exist, which one decided, the compared aggregates.
import type { SignalPolicy } from '../../config/policy.ts';
import { relativeLevels } from '../../engine/health/levels.ts';
import type { HealthReport, Outcome, RuleKind, SignalResult } from '../../engine/types.ts';
import { withUnit, type ChartInput, type ChartLimit, type ChartMarker, type PointState } from './chart.ts';

export interface ChartContext {
  readonly report: Pick<HealthReport, 'window'>;
  readonly deployedAt: string | null;
}

/** A level decided the signal when its rule reached the signal's own outcome at that level. */
function decided(s: SignalResult, kind: RuleKind, level: 'fail' | 'warn'): boolean {
  const wanted: Outcome = level;
  return s.outcome === wanted && s.rules.some((r) => r.rule === kind && r.outcome === wanted);
}

/** The numeric limits of a signal, as the engine applies them (the relative ones around the measured baseline). */
export function signalLimits(s: SignalResult, p: SignalPolicy | undefined): ChartLimit[] {
  const out: ChartLimit[] = [];
  const add = (kind: RuleKind, level: 'fail' | 'warn', value: number | undefined | null) => {
    if (value !== undefined && value !== null && Number.isFinite(value))
      out.push({ kind, level, value, deciding: decided(s, kind, level) });
  };
  if (!p) {
    add('absolute', 'fail', s.limitValue);
    return out;
  }
  if (p.absolute) {
    add('absolute', 'fail', p.absolute.fail);
    add('absolute', 'warn', p.absolute.warn);
  }
  if (p.relative && s.baseline !== null) {
    // The engine's own levels (percent limits with the unit's floor included), not a second computation here.
    const levels = relativeLevels(p, s.baseline);
    add('relative', 'fail', levels.fail);
    add('relative', 'warn', levels.warn);
  }
  // A per-interval rule (recent window, consecutive breaches, worst host) decided at levels of its own: draw those.
  const e = s.evidence;
  if (e && !out.some((l) => l.kind === e.rule)) {
    add(e.rule, 'fail', e.levels.fail);
    add(e.rule, 'warn', e.levels.warn);
  }
  return out;
}

/** The window summaries the rules compared, as markers: "mean 4.6 %" over the current series, the baseline's over its own. */
export function signalMarkers(s: SignalResult, p: SignalPolicy | undefined): ChartMarker[] {
  const how = p?.aggregation ?? 'summary';
  const out: ChartMarker[] = [];
  if (s.current !== null) out.push({ series: 'current', label: `current ${how} ${withUnit(s.current, s.unit)}`, value: s.current });
  if (s.baseline !== null) out.push({ series: 'baseline', label: `baseline ${how} ${withUnit(s.baseline, s.unit)}`, value: s.baseline });
  return out;
}

export function signalChart(s: SignalResult, p: SignalPolicy | undefined, ctx: ChartContext): ChartInput {
  const w = ctx.report.window;
  return {
    title: s.title,
    unit: s.unit,
    direction: s.direction,
    current: s.series.current,
    baseline: s.series.baseline,
    currentStart: w.current.start,
    // The baseline actually used (a time-of-day baseline may have fallen back to the window before the deploy).
    baselineStart: s.baselineUsed?.window.start ?? w.baseline.start,
    windowMs: Date.parse(w.current.end) - Date.parse(w.current.start),
    deployedAt: ctx.deployedAt,
    limits: signalLimits(s, p),
    markers: signalMarkers(s, p),
    ...(s.evidence && s.evidence.scope.includes('current') ? { states: intervalStates(s) } : {}),
    outcome: s.outcome,
  };
}

/** Each current point's state as the deciding rule judged its interval (not re-derived from a limit line). */
function intervalStates(s: SignalResult): PointState[] {
  const byTime = new Map(s.evidence!.intervals.map((i) => [Date.parse(i.t), i.state]));
  return s.series.current.map((pt) => {
    const state = byTime.get(Date.parse(pt.t));
    return state === 'warn' || state === 'breach' || state === 'missing' ? state : 'ok';
  });
}
