// What the health results alone recommend (the `npm run health` exit code): breaches by severity, warns by period state.
import type { Policy } from '../../config/policy.ts';
import type { Decision, HealthReport, SignalResult } from '../types.ts';
import { worstDecision } from '../decisions.ts';

type VerdictRules = Pick<Policy['verdict'], 'healthBreach' | 'healthWarn'>;

/**
 * One signal's decision. A fail maps through healthBreach by severity. A warn while the checking period runs maps
 * through healthWarn (keep watching). Once the period is over, a warn still standing (recent window or trend) is what
 * the signal's warnAtEnd says — hotfix by default, so it cannot quietly exit 0 — and a warn that has cleared proceeds.
 */
export function signalDecision(
  s: Pick<SignalResult, 'outcome' | 'severity' | 'warnStanding' | 'warnAtEnd'>,
  periodComplete: boolean,
  rules: VerdictRules,
): Decision {
  switch (s.outcome) {
    case 'fail':
      return rules.healthBreach[s.severity];
    case 'inconclusive':
      return 'inconclusive';
    case 'pass':
      return 'proceed';
    case 'warn':
      if (!periodComplete) return rules.healthWarn;
      return s.warnStanding && s.warnAtEnd === 'hotfix' ? 'hotfix' : 'proceed';
  }
}

/** What the health results alone recommend, through the policy's verdict rules; worst wins over DECISIONS. */
export function healthDecision(report: Pick<HealthReport, 'signals' | 'error' | 'checkingPeriod'>, rules: VerdictRules): Decision {
  const decisions: Decision[] = report.error ? ['inconclusive'] : [];
  for (const s of report.signals) decisions.push(signalDecision(s, report.checkingPeriod.complete, rules));
  if (decisions.length === 0) return 'inconclusive';
  return worstDecision(decisions);
}
