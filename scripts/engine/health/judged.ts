// What every rule returns: its result, and its per-interval evidence (kept for the signal's report when it decides).
import type { DecidingEvidence, IntervalEvidence, IntervalState, RuleResult } from '../types.ts';
import { formatTime, plural } from './format.ts';
import { longestRun, type Slot } from './slots.ts';
import { stateOf, type Direction, type Levels } from './levels.ts';

export interface Judged {
  readonly result: RuleResult;
  readonly evidence: Omit<DecidingEvidence, 'rule'> | null;
}

export const judged = (result: RuleResult, evidence: Omit<DecidingEvidence, 'rule'> | null = null): Judged => ({ result, evidence });

/** Levels for every interval alike, or per interval (a baseline aligned by time of day). */
export type LevelsAt = Levels | ((index: number) => Levels);
export const levelsAt = (l: LevelsAt, i: number): Levels => (typeof l === 'function' ? l(i) : l);

/** Every slot judged against the levels; slots before `from` (epoch ms) are marked skipped (warm-up, outside the scope). */
export function slotEvidence(direction: Direction, slots: readonly Slot[], levels: LevelsAt, from = -Infinity): IntervalEvidence[] {
  return slots.map((x, i) => {
    const l = levelsAt(levels, i);
    const state = x.t < from ? ('skipped' as const) : stateOf(direction, x.v, l, x.w);
    return {
      t: formatTime(x.t),
      v: x.v,
      state,
      ...(x.w !== undefined ? { weight: x.w } : {}),
      ...(typeof levels === 'function' && l.fail !== null ? { limit: l.fail } : {}),
    };
  });
}

/** "5 of 29 intervals beyond the fail level; longest run 4 (10:25–10:29)". */
export function breachSummary(intervals: readonly IntervalEvidence[], intervalMs: number): string {
  const judgedOnes = intervals.filter((x) => x.state !== 'skipped' && x.state !== 'missing');
  const breaches = judgedOnes.filter((x) => x.state === 'breach').length;
  const warns = judgedOnes.filter((x) => x.state === 'warn').length;
  const run = longestRun(intervals, (x) => x.state === 'breach');
  const runText =
    run.length > 1
      ? `; longest run ${run.length} (${intervals[run.first]!.t.slice(11, 16)}–${formatTime(Date.parse(intervals[run.last]!.t) + intervalMs).slice(11, 16)})`
      : '';
  return `${breaches} of ${plural(judgedOnes.length, 'interval')} beyond the fail level${warns ? `, ${warns} at warn level` : ''}${runText}`;
}

export const countState = (xs: readonly { state: IntervalState }[], state: IntervalState) => xs.filter((x) => x.state === state).length;
