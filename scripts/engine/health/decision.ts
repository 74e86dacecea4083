// What the health results alone recommend (the `npm run health` exit code): the verdict's own health rules, nothing else.
import type { Policy } from '../../config/policy.ts';
import { worstDecision } from '../decisions.ts';
import { Findings } from '../rules.ts';
import type { Decision, HealthReport } from '../types.ts';
import { judgeSignals } from '../verdict/health.ts';

/** Worst wins over the decisions the verdict's health rules give these signals; no signal at all is inconclusive. */
export function healthDecision(report: Pick<HealthReport, 'signals' | 'error' | 'checkingPeriod'>, rules: Policy['verdict']): Decision {
  if (!report.error && report.signals.length === 0) return 'inconclusive';
  const f = new Findings(rules);
  judgeSignals(report, { complete: report.checkingPeriod.complete, monitorUntil: report.checkingPeriod.monitorUntil }, f);
  return worstDecision(f.reasons.map((r) => r.decision));
}
