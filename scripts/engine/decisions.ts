// "Worst wins" over the ordered DECISIONS list, and the exit code of each decision: shared by the health gate and the verdict.
import { DECISIONS, type Decision } from './types.ts';

/** Exit code of each decision (shared by every command; see EXIT in scripts/config/errors.ts). */
export const EXIT_CODE_BY_DECISION: Readonly<Record<Decision, 0 | 1 | 2 | 3>> = Object.freeze({
  proceed: 0,
  'continue-monitoring': 0,
  rollback: 1,
  hotfix: 2,
  inconclusive: 3,
});

export function exitCodeFor(decision: Decision): 0 | 1 | 2 | 3 {
  return EXIT_CODE_BY_DECISION[decision];
}

/** The worst of the decisions; none at all is 'proceed' (callers decide what "no input" means before asking). */
export function worstDecision(decisions: Iterable<Decision>): Decision {
  let worst = 0;
  for (const d of decisions) worst = Math.max(worst, DECISIONS.indexOf(d));
  return DECISIONS[worst]!;
}
