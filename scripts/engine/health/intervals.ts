// Per-interval rule (Argo style): too many breached intervals, or too long a run of them, fails even when the mean is diluted.
import type { SignalPolicy } from '../../config/policy.ts';
import type { RuleResult } from '../types.ts';
import { formatNumber, plural } from './format.ts';
import { breachSummary, countState, judged, levelsAt, slotEvidence, type Judged, type LevelsAt } from './judged.ts';
import { longestRun, type Slot } from './slots.ts';

/** The number of breaches allowed among `judged` intervals (a count, or a share of them). */
export function allowedBreaches(limit: SignalPolicy['intervals']['failureLimit'], judgedIntervals: number): number {
  return limit.count !== undefined ? limit.count : limit.share! * judgedIntervals;
}

/**
 * Each interval against the signal's fail level: more breaches than `failureLimit`, or a run longer than
 * `consecutiveFailureLimit`, fails. A run of warn-level (or worse) intervals longer than the consecutive limit warns.
 * A single spike is one breach and passes. Null when the signal has no level to judge an interval by.
 */
export function intervalsRule(
  s: SignalPolicy,
  slots: readonly Slot[],
  levels: LevelsAt,
  levelText: string,
  intervalMs: number,
): Judged | null {
  if (levelsAt(levels, 0).fail === null) return null;
  const { failureLimit, consecutiveFailureLimit } = s.intervals;
  const intervals = slotEvidence(s.direction, slots, levels);
  const judgedCount = intervals.filter((x) => x.state !== 'missing').length;
  const breaches = countState(intervals, 'breach');
  const allowed = allowedBreaches(failureLimit, judgedCount);
  const run = longestRun(intervals, (x) => x.state === 'breach');
  const warnRun = longestRun(intervals, (x) => x.state === 'breach' || x.state === 'warn');
  const allowedText =
    failureLimit.count !== undefined ? `${failureLimit.count}` : `${formatNumber(failureLimit.share! * 100)} % = ${formatNumber(allowed)}`;
  const limit = `intervals ${levelText}: at most ${allowedText} breached, at most ${consecutiveFailureLimit} in a row`;
  const summary = breachSummary(intervals, intervalMs);
  const evidence = { scope: 'every interval of the current window', levels: levelsAt(levels, slots.length - 1), summary, intervals };
  const r = (outcome: RuleResult['outcome'], reason: string) =>
    judged({ rule: 'intervals', outcome, observed: breaches, limit, reason }, evidence);
  if (run.length > consecutiveFailureLimit)
    return r(
      'fail',
      `${plural(run.length, 'interval')} in a row beyond the fail level (at most ${consecutiveFailureLimit} allowed): ${summary}`,
    );
  if (breaches > allowed) return r('fail', `${breaches} breached intervals, more than the ${allowedText} allowed: ${summary}`);
  if (warnRun.length > consecutiveFailureLimit)
    return r(
      'warn',
      `${plural(warnRun.length, 'interval')} in a row at warn level or worse (more than ${consecutiveFailureLimit}): ${summary}`,
    );
  return r('pass', summary);
}
