// Trend rule: robust growth (Theil–Sen) beyond the baseline's own, and when it would reach the absolute limit (predict_linear).
import type { SignalPolicy } from '../../config/policy.ts';
import type { RuleResult } from '../types.ts';
import { theilSen } from '../stats.ts';
import { formatNumber, formatSpan, formatTime, formatValue } from './format.ts';
import { judged, type Judged } from './judged.ts';
import type { Slot } from './slots.ts';

export interface TrendContext {
  readonly deployedAt: number;
  readonly intervalMs: number;
  readonly complete: boolean;
}

const signed = (v: number) => `${v >= 0 ? '+' : '−'}${formatNumber(Math.abs(v))}`;
const pairs = (slots: readonly Slot[]) => slots.filter((x) => x.v !== null).map((x) => [x.t, x.v as number] as const);

/**
 * Growth = the current window's Theil–Sen slope (after the trend warm-up) minus the baseline's own slope, when that
 * grew too: a pattern the previous version shared is not this release's leak. Fails when the growth exceeds
 * maxSlopePerMinute, or when growth at the conservative end of Sen's confidence interval would take the fitted level
 * to the absolute fail level within `horizon`. A GC sawtooth or single spikes barely move a Theil–Sen slope.
 */
export function trendRule(s: SignalPolicy, slots: readonly Slot[], baseline: readonly Slot[] | null, ctx: TrendContext): Judged {
  const t = s.trend!;
  const hi = s.direction === 'higher-is-worse';
  const perMin = `${s.unit ? `${s.unit}/min` : '/min'}`;
  const from = ctx.deployedAt + t.warmupMs;
  const used = slots.filter((x) => x.t >= from);
  const limits = [
    ...(t.maxSlopePerMinute !== undefined ? [`growth ≤ ${formatNumber(t.maxSlopePerMinute)} ${perMin}`] : []),
    ...(t.horizonMs !== undefined ? [`${formatValue(s.absolute!.fail, s.unit)} not reached within ${formatSpan(t.horizonMs)}`] : []),
  ];
  const limit = `${limits.join('; ')}${t.warmupMs ? ` (after a ${formatSpan(t.warmupMs)} warm-up)` : ''}`;
  const need = Math.max(3, s.minSamples);
  const fit = theilSen(pairs(used), t.confidence);
  const r = (outcome: RuleResult['outcome'], observed: number | null, reason: string, summary = reason) =>
    judged(
      { rule: 'trend', outcome, observed, limit, reason },
      {
        scope: `the current window after the ${formatSpan(t.warmupMs)} warm-up`,
        levels: { warn: null, fail: s.absolute?.fail ?? null },
        summary,
        intervals: slots.map((x) => ({
          t: formatTime(x.t),
          v: x.v,
          state: x.t < from ? ('skipped' as const) : x.v === null ? ('missing' as const) : ('ok' as const),
          ...(fit && x.t >= from ? { expected: fit.intercept + (fit.slope * (x.t - fit.t0)) / 60_000 } : {}),
        })),
      },
    );
  if (!fit || used.filter((x) => x.v !== null).length < need) {
    const wait = ctx.complete ? '' : `; wait until ${formatTime(Math.max(from, slots[0]?.t ?? from) + need * ctx.intervalMs)}`;
    return r(
      'inconclusive',
      null,
      `a trend needs ≥ ${need} intervals with data after the warm-up (${formatTime(from)}), has ${used.filter((x) => x.v !== null).length}${wait}`,
    );
  }
  const { base, growth, growthLow } = growthOf(hi, fit, used, baseline, t.confidence);
  const baseText = base ? `baseline ${signed(base.slope)} ${perMin}` : 'no baseline slope to compare';
  const seen = `Theil–Sen slope ${signed(fit.slope)} ${perMin} (${formatNumber(t.confidence * 100)} % CI ${signed(fit.low)} to ${signed(fit.high)}), ${baseText}`;
  if (t.maxSlopePerMinute !== undefined && growth > t.maxSlopePerMinute)
    return r('fail', growth, `${seen}: growth ${signed(growth)} ${perMin} exceeds ${formatNumber(t.maxSlopePerMinute)} ${perMin}`);
  let eta = '';
  if (t.horizonMs !== undefined && growthLow > 0) {
    const p = project(s, fit, used[used.length - 1]!.t, growthLow);
    const text = `reaches ${formatValue(s.absolute!.fail, s.unit)} in about ${formatSpan(p.etaMs)} (by ${formatTime(p.at)}) growing at least ${signed(growthLow)} ${perMin} (the slow end of the interval, or the later half)`;
    if (p.etaMs <= t.horizonMs) return r('fail', growth, `${seen}: ${text}, within the ${formatSpan(t.horizonMs)} horizon`);
    eta = `${text}, beyond the ${formatSpan(t.horizonMs)} horizon`;
  }
  if (t.warnSlopePerMinute !== undefined && growth > t.warnSlopePerMinute)
    return r(
      'warn',
      growth,
      `${seen}: growth ${signed(growth)} ${perMin} exceeds the warn rate ${formatNumber(t.warnSlopePerMinute)} ${perMin}`,
    );
  const settled =
    t.horizonMs !== undefined && growthLow <= 0
      ? ' (no lasting growth beyond the baseline: the slow end of the interval, or the later half, is flat)'
      : '';
  return r('pass', growth, `${seen}: within the limit${eta ? `; ${eta}` : settled}`);
}

type Fit = NonNullable<ReturnType<typeof theilSen>>;

/**
 * Growth in the worse direction beyond the baseline's own (when that grew too), and its sure, lasting part: the
 * conservative end of the slope's interval, over the whole window and over its later half alone. A process settling
 * into steady state slows down; a leak does not; and a few intervals cannot show either (their interval is wide).
 */
function growthOf(hi: boolean, fit: Fit, used: readonly Slot[], baseline: readonly Slot[] | null, confidence: number) {
  const worse = (slope: number) => (hi ? slope : -slope);
  const base = baseline ? theilSen(pairs(baseline), confidence) : null;
  const credit = base ? Math.max(0, worse(base.slope)) : 0;
  const withData = used.filter((x) => x.v !== null);
  const late = theilSen(pairs(withData.slice(Math.floor(withData.length / 2))), confidence);
  const sure = (f: Fit) => (hi ? f.low : -f.high) - credit;
  return { base, growth: worse(fit.slope) - credit, growthLow: Math.min(sure(fit), late ? sure(late) : -Infinity) };
}

/** When the fitted level, growing at `rate` a minute from `lastT`, reaches the absolute fail level (predict_linear). */
function project(s: SignalPolicy, fit: Fit, lastT: number, rate: number): { etaMs: number; at: number } {
  const level = fit.intercept + (fit.slope * (lastT - fit.t0)) / 60_000;
  const gap = s.direction === 'higher-is-worse' ? s.absolute!.fail - level : level - s.absolute!.fail;
  const etaMs = Math.max(0, (gap / rate) * 60_000);
  return { etaMs, at: lastT + etaMs };
}
