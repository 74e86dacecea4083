// PURE health evaluation: policy + measurements + windows → HealthReport (rules samples/absolute/relative/trend/statistical, worst wins).
import type { Policy, SignalPolicy } from '../config/policy.ts';
import {
  OUTCOMES,
  type Decision,
  type HealthReport,
  type Outcome,
  type RuleResult,
  type SamplePoint,
  type SeriesRead,
  type SignalMeasurement,
  type SignalResult,
} from './types.ts';
import { worstDecision } from './decisions.ts';
import { effectSize, hodgesLehmann, mannWhitneyU, slopePerMinute, summarize } from './stats.ts';
import type { Windows } from './windows.ts';

// ---------- formatting (shared with the CLI table) ----------

/** A number for people: 3 significant digits for small values, fewer decimals for large ones; `–` for none. */
export function formatNumber(v: number | null): string {
  if (v === null || Number.isNaN(v)) return '–';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞';
  const a = Math.abs(v);
  if (a >= 1000) return v.toFixed(0);
  if (a >= 100) return String(Number(v.toFixed(1)));
  if (a >= 1) return String(Number(v.toFixed(2)));
  if (a === 0) return '0';
  return String(Number(v.toPrecision(3)));
}

export function formatValue(v: number | null, unit: string): string {
  const n = formatNumber(v);
  if (v === null || !unit) return n;
  return unit === '%' ? `${n} %` : `${n} ${unit}`;
}

// ---------- worst wins ----------

/**
 * Worst wins over OUTCOMES (pass < warn < fail < inconclusive), with one exception: a `fail` stands even when another
 * rule (or signal) is inconclusive. A breach seen in the current data is a fact; a missing baseline for a different
 * rule must not turn a rollback into "we could not tell". With no fail, inconclusive beats pass and warn: no data is
 * never success.
 */
export function combineOutcomes(outcomes: readonly Outcome[]): Outcome {
  if (outcomes.length === 0) return 'inconclusive';
  if (outcomes.includes('fail')) return 'fail';
  return outcomes.reduce((w, o) => (OUTCOMES.indexOf(o) > OUTCOMES.indexOf(w) ? o : w), 'pass' as Outcome);
}

function worstRule(rules: readonly RuleResult[]): RuleResult {
  const outcome = combineOutcomes(rules.map((r) => r.outcome));
  return rules.find((r) => r.outcome === outcome)!;
}

// ---------- rules ----------

interface Series {
  readonly read: SeriesRead;
  readonly points: readonly SamplePoint[];
  /** Non-null values, in time order. */
  readonly values: readonly number[];
}

function seriesOf(read: SeriesRead | undefined): Series {
  if (!read)
    return {
      read: { kind: 'error', cause: 'config', message: 'no measurement was taken for this signal', query: '' },
      points: [],
      values: [],
    };
  const points = read.kind === 'ok' ? read.points : [];
  return { read, points, values: points.filter((p) => p.v !== null).map((p) => p.v as number) };
}

const rule = (r: RuleResult): RuleResult => r;

function absoluteRule(s: SignalPolicy, current: number): RuleResult {
  const a = s.absolute!;
  const hi = s.direction === 'higher-is-worse';
  const cmp = hi ? '≤' : '≥';
  const limit = `${cmp} ${formatValue(a.fail, s.unit)}${a.warn !== undefined ? ` (warn beyond ${formatValue(a.warn, s.unit)})` : ''}`;
  const beyond = (x: number) => (hi ? current > x : current < x);
  const seen = `${s.aggregation} ${formatValue(current, s.unit)}`;
  if (beyond(a.fail))
    return rule({
      rule: 'absolute',
      outcome: 'fail',
      observed: current,
      limit,
      reason: `${seen} is ${hi ? 'above' : 'below'} the fail level ${formatValue(a.fail, s.unit)}`,
    });
  if (a.warn !== undefined && beyond(a.warn))
    return rule({
      rule: 'absolute',
      outcome: 'warn',
      observed: current,
      limit,
      reason: `${seen} is ${hi ? 'above' : 'below'} the warn level ${formatValue(a.warn, s.unit)} (fail level ${formatValue(a.fail, s.unit)})`,
    });
  return rule({
    rule: 'absolute',
    outcome: 'pass',
    observed: current,
    limit,
    reason: `${seen} is within ${cmp} ${formatValue(a.fail, s.unit)}`,
  });
}

/**
 * The allowance around the baseline b. maxRatio is the factor by which the signal may worsen (×r up for
 * higher-is-worse, ÷r down for lower-is-worse); maxIncrease is the absolute amount it may worsen by. With both,
 * `combine` decides: 'all' (the default) — every limit must hold, so the stricter one applies ("p95 ≤ baseline × 1.2
 * and at most +50 ms": a +40 ms change on a 2 s baseline is fine, +60 ms is not); 'any' — the more permissive one
 * applies, for tiny baselines where a ratio alone is meaningless (3 ms → 5 ms is ×1.7 but no breach).
 */
export function relativeLimit(
  b: number,
  direction: SignalPolicy['direction'],
  ratio: number | undefined,
  increase: number | undefined,
  combine: RelativeCombine = 'all',
): number {
  const hi = direction === 'higher-is-worse';
  const candidates: number[] = [];
  if (ratio !== undefined) candidates.push(hi ? b + Math.abs(b) * (ratio - 1) : b - Math.abs(b) * (1 - 1 / ratio));
  if (increase !== undefined) candidates.push(hi ? b + increase : b - increase);
  // The stricter limit is the lower ceiling for higher-is-worse and the higher floor for lower-is-worse.
  const strictest = hi === (combine === 'all');
  return strictest ? Math.min(...candidates) : Math.max(...candidates);
}

type RelativeCombine = NonNullable<SignalPolicy['relative']>['combine'];

/** The limit's formula for people; `min(…)` / `max(…)` names how the candidates combine, not the policy word. */
function relativeFormula(s: SignalPolicy, ratio: number | undefined): string {
  const r = s.relative!;
  const hi = s.direction === 'higher-is-worse';
  const parts = [
    ...(ratio !== undefined ? [`baseline ${hi ? '×' : '÷'} ${ratio}`] : []),
    ...(r.maxIncrease !== undefined ? [`baseline ${hi ? '+' : '−'} ${formatValue(r.maxIncrease, s.unit)}`] : []),
  ];
  return parts.length > 1 ? `${hi === (r.combine === 'all') ? 'min' : 'max'}(${parts.join(', ')})` : parts[0]!;
}

function relativeRule(s: SignalPolicy, current: number, baseline: number): RuleResult {
  const r = s.relative!;
  const hi = s.direction === 'higher-is-worse';
  const failAt = relativeLimit(baseline, s.direction, r.maxRatio, r.maxIncrease, r.combine);
  const failFormula = relativeFormula(s, r.maxRatio);
  const limit = `${hi ? '≤' : '≥'} ${failFormula} = ${formatValue(failAt, s.unit)}`;
  const beyond = (x: number) => (hi ? current > x : current < x);
  const seen = `${s.aggregation} ${formatValue(current, s.unit)} vs baseline ${formatValue(baseline, s.unit)}`;
  if (beyond(failAt))
    return rule({
      rule: 'relative',
      outcome: 'fail',
      observed: current,
      limit,
      reason: `${seen} is beyond the allowed ${formatValue(failAt, s.unit)} (${failFormula})`,
    });
  if (r.warnRatio !== undefined) {
    const warnAt = relativeLimit(baseline, s.direction, r.warnRatio, r.maxIncrease, r.combine);
    if (beyond(warnAt))
      return rule({
        rule: 'relative',
        outcome: 'warn',
        observed: current,
        limit,
        reason: `${seen} is beyond the warn level ${formatValue(warnAt, s.unit)} (${relativeFormula(s, r.warnRatio)}; fail beyond ${formatValue(failAt, s.unit)})`,
      });
  }
  return rule({
    rule: 'relative',
    outcome: 'pass',
    observed: current,
    limit,
    reason: `${seen} is within ${formatValue(failAt, s.unit)} (${failFormula})`,
  });
}

function trendRule(s: SignalPolicy, points: readonly SamplePoint[]): RuleResult {
  const t = s.trend!;
  const hi = s.direction === 'higher-is-worse';
  const perMin = `${s.unit ? `${s.unit}/min` : '/min'}`;
  const limit = hi ? `slope ≤ ${formatNumber(t.maxSlopePerMinute)} ${perMin}` : `slope ≥ ${formatNumber(-t.maxSlopePerMinute)} ${perMin}`;
  const slope = slopePerMinute(points.filter((p) => p.v !== null).map((p) => [Date.parse(p.t), p.v as number] as const));
  if (slope === null)
    return rule({ rule: 'trend', outcome: 'inconclusive', observed: null, limit, reason: 'a trend needs samples at two or more times' });
  // The worsening rate: growth for higher-is-worse, decline for lower-is-worse.
  const worsening = hi ? slope : -slope;
  const seen = `slope ${slope >= 0 ? '+' : ''}${formatNumber(slope)} ${perMin}`;
  if (worsening > t.maxSlopePerMinute)
    return rule({
      rule: 'trend',
      outcome: 'fail',
      observed: slope,
      limit,
      reason: `${seen} over the window exceeds ${hi ? '+' : '−'}${formatNumber(t.maxSlopePerMinute)} ${perMin}`,
    });
  if (t.warnSlopePerMinute !== undefined && worsening > t.warnSlopePerMinute) {
    return rule({
      rule: 'trend',
      outcome: 'warn',
      observed: slope,
      limit,
      reason: `${seen} over the window exceeds the warn rate ${hi ? '+' : '−'}${formatNumber(t.warnSlopePerMinute)} ${perMin}`,
    });
  }
  return rule({ rule: 'trend', outcome: 'pass', observed: slope, limit, reason: `${seen} is within the limit` });
}

/**
 * Kayenta-style comparison: Mann-Whitney U between the per-interval samples of baseline and current. A fail needs
 * both a significant difference in the worse direction (p < 1 − confidence) and an effect size (ratio of means)
 * beyond the tolerance; a significant but small change passes, as does any change in the better direction.
 */
function statisticalRule(s: SignalPolicy, current: readonly number[], baseline: readonly number[]): RuleResult {
  const st = s.statistical!;
  const hi = s.direction === 'higher-is-worse';
  const alpha = 1 - st.confidence;
  const floor = st.minShift > 0 ? ` or shift ${hi ? '≤ +' : '≥ −'}${formatValue(st.minShift, s.unit)}` : '';
  const limit = `Mann-Whitney p ≥ ${formatNumber(alpha)} or effect ${hi ? '≤' : '≥'} ×${formatNumber(hi ? 1 + st.tolerance : 1 - st.tolerance)}${floor}`;
  const mw = mannWhitneyU(current, baseline);
  const shift = hodgesLehmann(current, baseline);
  const effect = effectSize(current, baseline);
  const effectText = Number.isFinite(effect) ? `×${formatNumber(effect)}` : 'from a zero baseline';
  const stats = `p=${formatNumber(mw.pValue)}, effect ${effectText} of the baseline mean, Hodges–Lehmann shift ${shift >= 0 ? '+' : ''}${formatValue(shift, s.unit)}`;
  const observed = Number.isFinite(effect) ? effect : null;
  const significant = mw.pValue < alpha;
  const worse = hi ? mw.z > 0 : mw.z < 0;
  const beyond = hi ? effect > 1 + st.tolerance : effect < 1 - st.tolerance;
  const material = (hi ? shift : -shift) > st.minShift;
  if (significant && worse && beyond && material)
    return rule({
      rule: 'statistical',
      outcome: 'fail',
      observed,
      limit,
      reason: `current is significantly ${hi ? 'higher' : 'lower'} than the baseline beyond the ${formatNumber(st.tolerance * 100)} % tolerance (${stats})`,
    });
  const why = !significant
    ? 'no significant difference from the baseline'
    : !worse
      ? 'a significant change in the better direction'
      : !beyond
        ? `a significant change within the ${formatNumber(st.tolerance * 100)} % tolerance`
        : `a significant change smaller than the ${formatValue(st.minShift, s.unit)} that matters`;
  return rule({ rule: 'statistical', outcome: 'pass', observed, limit, reason: `${why} (${stats})` });
}

function unreadable(which: 'current' | 'baseline', read: Extract<SeriesRead, { kind: 'error' }>): string {
  return `${which} data could not be read (${read.cause}): ${read.message}`;
}

export interface SignalContext {
  readonly version: string;
  readonly previousVersion: string;
}

/** Evaluates one signal. Rules that need a baseline are inconclusive without one; the others still decide. */
export function evaluateSignal(s: SignalPolicy, m: SignalMeasurement | undefined, ctx: SignalContext): SignalResult {
  const cur = seriesOf(m?.current);
  const base = seriesOf(m?.baseline);
  const rules: RuleResult[] = [];
  const need = `${s.minSamples}`;
  const curSummary = summarize(cur.values, s.aggregation);
  const baseSummary = base.read.kind === 'ok' ? summarize(base.values, s.aggregation) : null;

  if (cur.read.kind === 'error') {
    rules.push({
      rule: 'samples',
      outcome: 'inconclusive',
      observed: null,
      limit: `≥ ${need} samples`,
      reason: unreadable('current', cur.read),
    });
  } else if (cur.values.length < s.minSamples) {
    const reason =
      cur.values.length === 0
        ? `no data for version ${JSON.stringify(ctx.version)} in the current window (needs ≥ ${need} samples); check that the service writes metrics with this version tag, or wait for data`
        : `only ${cur.values.length} current sample${cur.values.length === 1 ? '' : 's'} (needs ≥ ${need}); too few to judge, wait for more data`;
    rules.push({ rule: 'samples', outcome: 'inconclusive', observed: cur.values.length, limit: `≥ ${need} samples`, reason });
  } else {
    rules.push({
      rule: 'samples',
      outcome: 'pass',
      observed: cur.values.length,
      limit: `≥ ${need} samples`,
      reason: `${cur.values.length} current and ${base.values.length} baseline samples`,
    });
    const current = curSummary!;
    if (s.absolute) rules.push(absoluteRule(s, current));
    if (s.trend) rules.push(trendRule(s, cur.points));
    if (s.relative || s.statistical) {
      let missing: string | undefined;
      if (base.read.kind === 'error') missing = unreadable('baseline', base.read);
      else if (base.values.length < s.minSamples) {
        missing =
          base.values.length === 0
            ? `no baseline data for version ${JSON.stringify(ctx.previousVersion)} (needs ≥ ${need} samples); check the previous version's tag and the baseline window`
            : `only ${base.values.length} baseline sample${base.values.length === 1 ? '' : 's'} (needs ≥ ${need})`;
      }
      if (s.relative) {
        rules.push(
          missing
            ? { rule: 'relative', outcome: 'inconclusive', observed: current, limit: 'relative to the baseline', reason: missing }
            : relativeRule(s, current, baseSummary!),
        );
      }
      if (s.statistical) {
        rules.push(
          missing
            ? { rule: 'statistical', outcome: 'inconclusive', observed: null, limit: 'Mann-Whitney vs the baseline', reason: missing }
            : statisticalRule(s, cur.values, base.values),
        );
      }
    }
  }

  const worst = worstRule(rules);
  // A pass is explained by every rule that passed (the samples count alone says nothing about the limits).
  const judged = rules.filter((r) => r.rule !== 'samples');
  const reason = worst.outcome === 'pass' && judged.length ? judged.map((r) => r.reason).join('; ') : worst.reason;
  const delta = curSummary !== null && baseSummary !== null ? curSummary - baseSummary : null;
  const limits = rules.filter((r) => r.rule !== 'samples').map((r) => r.limit);
  return {
    id: s.id,
    title: s.title,
    unit: s.unit,
    direction: s.direction,
    severity: s.severity,
    outcome: worst.outcome,
    reason,
    current: curSummary,
    baseline: baseSummary,
    delta,
    deltaPct: delta !== null && baseSummary ? (delta / Math.abs(baseSummary)) * 100 : null,
    limitValue: s.absolute?.fail ?? null,
    limit: limits.length ? limits.join('; ') : describeLimits(s),
    samples: { current: cur.values.length, baseline: base.values.length },
    query: { current: cur.read.query, baseline: base.read.query },
    rules,
    series: { current: cur.points, baseline: base.points },
  };
}

/** The signal's limits as configured, for rows whose rules could not run. */
function describeLimits(s: SignalPolicy): string {
  const hi = s.direction === 'higher-is-worse';
  const out: string[] = [];
  if (s.absolute) out.push(`${hi ? '≤' : '≥'} ${formatValue(s.absolute.fail, s.unit)}`);
  if (s.relative) out.push(`${hi ? '≤' : '≥'} ${relativeFormula(s, s.relative.maxRatio)}`);
  if (s.trend)
    out.push(`slope ${hi ? '≤' : '≥'} ${formatNumber(hi ? s.trend.maxSlopePerMinute : -s.trend.maxSlopePerMinute)} ${s.unit}/min`);
  if (s.statistical) out.push(`Mann-Whitney (confidence ${s.statistical.confidence}, tolerance ${s.statistical.tolerance})`);
  return out.join('; ');
}

// ---------- report ----------

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

export function buildHealthReport(input: HealthReportInput): HealthReport {
  const ctx = { version: input.version, previousVersion: input.previousVersion };
  const byId = new Map(input.measurements.map((m) => [m.signalId, m]));
  let signals = input.policy.signals.map((s) => evaluateSignal(s, byId.get(s.id), ctx));
  if (input.error) {
    // A gate that could not read at all says so on every signal; "too early" or "no data" would send people waiting.
    const why = input.error;
    signals = signals.map((r) => ({ ...r, outcome: 'inconclusive' as const, reason: why }));
  } else if (input.windows.intervals === 0) {
    // Right after a deploy (or within the warm-up) there is no whole interval to judge: say so rather than "no data".
    const why = `no whole ${input.windows.intervalMs / 1000}s interval since the deploy plus warm-up yet (current window ${input.windows.current.start} – ${input.windows.current.end}); run the health gate again later`;
    signals = signals.map((r) => ({ ...r, outcome: 'inconclusive' as const, reason: why }));
  }
  const outcome = input.error ? 'inconclusive' : combineOutcomes(signals.map((s) => s.outcome));
  return {
    schemaVersion: 1,
    generatedAt: input.generatedAt,
    service: input.service,
    version: input.version,
    previousVersion: input.previousVersion,
    deployedAt: input.deployedAt,
    changeSize: input.changeSize,
    window: { current: input.windows.current, baseline: input.windows.baseline, intervalSeconds: input.windows.intervalMs / 1000 },
    checkingPeriod: { ms: input.windows.periodMs, monitorUntil: input.windows.monitorUntil, complete: input.windows.complete },
    source: input.source,
    outcome,
    signals,
    ...(input.error ? { error: input.error } : {}),
  };
}

// ---------- decision and exit code ----------

type VerdictRules = Pick<Policy['verdict'], 'healthBreach' | 'healthWarn'>;

/** What the health results alone recommend, through the policy's verdict rules; worst wins over DECISIONS. */
export function healthDecision(report: Pick<HealthReport, 'signals' | 'error'>, rules: VerdictRules): Decision {
  const decisions: Decision[] = report.error ? ['inconclusive'] : [];
  for (const s of report.signals) {
    if (s.outcome === 'fail') decisions.push(rules.healthBreach[s.severity]);
    else if (s.outcome === 'warn') decisions.push(rules.healthWarn);
    else if (s.outcome === 'inconclusive') decisions.push('inconclusive');
    else decisions.push('proceed');
  }
  if (decisions.length === 0) return 'inconclusive';
  return worstDecision(decisions);
}

export { exitCodeFor } from './decisions.ts';
