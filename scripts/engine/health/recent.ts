// Recent-window rule: the last K intervals judged on their own (their median), so a late onset is not diluted by the window.
import type { SignalPolicy } from '../../config/policy.ts';
import type { RuleResult } from '../types.ts';
import { summarize } from '../stats.ts';
import { formatNumber, formatTime, formatValue, plural } from './format.ts';
import { surelyBeyond, type Levels } from './levels.ts';
import { breachSummary, judged, slotEvidence, type Judged } from './judged.ts';
import { isWeighted, pooled, valuesOf, type Slot } from './slots.ts';

/**
 * The median of the last `recent.intervals` intervals against the signal's levels (absolute and, with a baseline,
 * relative). The median lets a single spike pass and catches a level that has held for most of the recent window.
 * Null when the rule is off or the signal has no levels to judge an interval by.
 */
export function recentRule(s: SignalPolicy, slots: readonly Slot[], levels: Levels, levelText: string, intervalMs: number): Judged | null {
  const k = s.recent.intervals;
  if (k === 0 || levels.fail === null || slots.length === 0) return null;
  const last = slots.slice(-k);
  const from = last[0]!.t;
  const span = `${formatTime(from).slice(11, 16)}–${formatTime(last[last.length - 1]!.t + intervalMs).slice(11, 16)}`;
  const limit = `median of the last ${plural(k, 'interval')} ${levelText}`;
  const intervals = slotEvidence(s.direction, slots, levels, from);
  const evidence = {
    scope: `the last ${plural(last.length, 'interval')} (${span})`,
    levels,
    summary: breachSummary(intervals, intervalMs),
    intervals,
  };
  const values = valuesOf(last);
  const r = (outcome: RuleResult['outcome'], observed: number | null, reason: string) =>
    judged({ rule: 'recent', outcome, observed, limit, reason }, evidence);
  if (values.length * 2 < last.length)
    return r('inconclusive', null, `only ${values.length} of the last ${plural(last.length, 'interval')} have data (${span})`);
  // A ratio is pooled over the window's counts and judged with its uncertainty; other signals by their median.
  const pool = isWeighted(last) ? pooled(last) : null;
  const value = pool ? pool.value : summarize(values, 'median')!;
  const what = pool
    ? `${formatValue(value, s.unit)} over ${formatNumber(pool.weight)} counted`
    : `a median of ${formatValue(value, s.unit)}`;
  const seen = `the last ${plural(last.length, 'interval')} (${span}) have ${what}`;
  const sure = pool ? ' (beyond it even at the near end of its 95 % interval)' : '';
  if (surelyBeyond(s.direction, value, levels.fail, pool?.weight))
    return r('fail', value, `${seen}, beyond the fail level ${formatValue(levels.fail, s.unit)}${sure}`);
  if (surelyBeyond(s.direction, value, levels.warn, pool?.weight))
    return r('warn', value, `${seen}, beyond the warn level ${formatValue(levels.warn, s.unit)}${sure}`);
  return r('pass', value, `${seen}, within the levels`);
}
