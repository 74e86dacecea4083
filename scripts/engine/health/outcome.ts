// Worst wins over rule and signal outcomes, with a found breach standing against another rule's missing data.
import { OUTCOMES, type Outcome, type RuleResult } from '../types.ts';

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

/** The rule that decides: the first (in evaluation order) with the combined outcome. */
export function decidingRule<R extends Pick<RuleResult, 'outcome'>>(rules: readonly R[]): R {
  const outcome = combineOutcomes(rules.map((r) => r.outcome));
  return rules.find((r) => r.outcome === outcome)!;
}
