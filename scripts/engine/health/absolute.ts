// Absolute rule: the window summary against the signal's warn and fail levels.
import type { SignalPolicy } from '../../config/policy.ts';
import type { RuleResult } from '../types.ts';
import { formatValue } from './format.ts';
import { absoluteLevels, beyond } from './levels.ts';
import { breachSummary, judged, slotEvidence, type Judged } from './judged.ts';
import type { Slot } from './slots.ts';

export function absoluteRule(s: SignalPolicy, current: number, slots: readonly Slot[], intervalMs: number): Judged {
  const a = s.absolute!;
  const hi = s.direction === 'higher-is-worse';
  const cmp = hi ? '≤' : '≥';
  const limit = `${cmp} ${formatValue(a.fail, s.unit)}${a.warn !== undefined ? ` (warn beyond ${formatValue(a.warn, s.unit)})` : ''}`;
  const seen = `${s.aggregation} ${formatValue(current, s.unit)}`;
  const side = hi ? 'above' : 'below';
  const levels = absoluteLevels(s);
  const intervals = slotEvidence(s.direction, slots, levels);
  const evidence = {
    scope: `the current window (${s.aggregation} of the intervals)`,
    levels,
    summary: breachSummary(intervals, intervalMs),
    intervals,
  };
  const r = (outcome: RuleResult['outcome'], reason: string) =>
    judged({ rule: 'absolute', outcome, observed: current, limit, reason }, evidence);
  if (beyond(s.direction, current, a.fail)) return r('fail', `${seen} is ${side} the fail level ${formatValue(a.fail, s.unit)}`);
  if (a.warn !== undefined && beyond(s.direction, current, a.warn))
    return r('warn', `${seen} is ${side} the warn level ${formatValue(a.warn, s.unit)} (fail level ${formatValue(a.fail, s.unit)})`);
  return r('pass', `${seen} is within ${cmp} ${formatValue(a.fail, s.unit)}`);
}
