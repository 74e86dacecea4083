// Relative rule: the window summary against the baseline's, allowed to worsen by a ratio, an amount or a percent with a floor.
import type { SignalPolicy } from '../../config/policy.ts';
import type { RuleResult } from '../types.ts';
import { formatValue } from './format.ts';
import { beyond, relativeFormula, relativeLevels } from './levels.ts';
import { breachSummary, judged, slotEvidence, type Judged } from './judged.ts';
import type { Slot } from './slots.ts';

export function relativeRule(s: SignalPolicy, current: number, baseline: number, slots: readonly Slot[], intervalMs: number): Judged {
  const hi = s.direction === 'higher-is-worse';
  const levels = relativeLevels(s, baseline);
  const failAt = levels.fail!;
  const formula = relativeFormula(s);
  const limit = `${hi ? '≤' : '≥'} ${formula} = ${formatValue(failAt, s.unit)}`;
  const seen = `${s.aggregation} ${formatValue(current, s.unit)} vs baseline ${formatValue(baseline, s.unit)}`;
  const intervals = slotEvidence(s.direction, slots, levels);
  const evidence = {
    scope: `the current window (${s.aggregation} of the intervals) against the baseline`,
    levels,
    summary: breachSummary(intervals, intervalMs),
    intervals,
  };
  const r = (outcome: RuleResult['outcome'], reason: string) =>
    judged({ rule: 'relative', outcome, observed: current, limit, reason }, evidence);
  if (beyond(s.direction, current, failAt)) return r('fail', `${seen} is beyond the allowed ${formatValue(failAt, s.unit)} (${formula})`);
  if (beyond(s.direction, current, levels.warn))
    return r(
      'warn',
      `${seen} is beyond the warn level ${formatValue(levels.warn, s.unit)} (${relativeFormula(s, 'warn')}; fail beyond ${formatValue(failAt, s.unit)})`,
    );
  return r('pass', `${seen} is within ${formatValue(failAt, s.unit)} (${formula})`);
}
