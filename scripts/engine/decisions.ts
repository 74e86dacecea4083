// The decisions, ordered best to worst ("worst wins"), and what each means everywhere: label, exit code, report category.
import { DECISIONS, type Decision } from './types.ts';

export interface DecisionInfo {
  /** How reports and the console name it. */
  readonly label: string;
  /** The exit code of `npm run verdict`, `npm run health` and `npm run demo` (README "Exit codes"). */
  readonly exitCode: 0 | 1 | 2 | 3;
  /** The Allure category that collects results leading to it; null for decisions nobody has to act on. */
  readonly category: { readonly id: string; readonly name: string } | null;
}

export const DECISION_INFO: Readonly<Record<Decision, DecisionInfo>> = Object.freeze({
  proceed: { label: 'PROCEED', exitCode: 0, category: null },
  'continue-monitoring': { label: 'CONTINUE MONITORING', exitCode: 0, category: null },
  hotfix: { label: 'HOTFIX', exitCode: 2, category: { id: 'hotfix-worthy', name: 'Hotfix-worthy' } },
  inconclusive: { label: 'INCONCLUSIVE', exitCode: 3, category: { id: 'inconclusive', name: 'Inconclusive' } },
  rollback: { label: 'ROLLBACK', exitCode: 1, category: { id: 'rollback-worthy', name: 'Rollback-worthy' } },
});

/** Exit code of each decision (shared by every command; see EXIT in scripts/config/errors.ts). */
export const EXIT_CODE_BY_DECISION: Readonly<Record<Decision, 0 | 1 | 2 | 3>> = Object.freeze(
  Object.fromEntries(DECISIONS.map((d) => [d, DECISION_INFO[d].exitCode])) as Record<Decision, 0 | 1 | 2 | 3>,
);

export function exitCodeFor(decision: Decision): 0 | 1 | 2 | 3 {
  return DECISION_INFO[decision].exitCode;
}

/** The worst of the decisions; none at all is 'proceed' (callers decide what "no input" means before asking). */
export function worstDecision(decisions: Iterable<Decision>): Decision {
  let worst = 0;
  for (const d of decisions) worst = Math.max(worst, DECISIONS.indexOf(d));
  return DECISIONS[worst]!;
}
