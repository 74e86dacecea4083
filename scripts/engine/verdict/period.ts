// The checking period (pure): when it ends, whether it is over, and the "continue monitoring" reason while it runs.
import type { ReleaseManifest } from '../../config/manifest.ts';
import type { Policy } from '../../config/policy.ts';
import { formatDuration } from '../format.ts';
import { Findings } from '../rules.ts';
import type { HealthReport, VerdictEvidence } from '../types.ts';

export type Period = VerdictEvidence['period'];

/**
 * The period for the manifest's change size, from the health report when there is one (it already judged the same
 * window). It is complete only when it has elapsed AND the health data covers all of it: a report made before the end
 * is not evidence for the rest.
 */
export function checkingPeriod(policy: Policy, m: ReleaseManifest | undefined, report: HealthReport | undefined, now: Date): Period {
  if (!m) return { changeSize: null, ms: null, monitorUntil: null, complete: null };
  const ms = report?.checkingPeriod.ms ?? policy.ms.checkingPeriods[m.changeSize];
  const monitorUntil = report?.checkingPeriod.monitorUntil ?? new Date(Date.parse(m.deployedAt) + ms).toISOString();
  const complete = now.getTime() >= Date.parse(monitorUntil) && (report ? report.checkingPeriod.complete : true);
  return { changeSize: m.changeSize, ms, monitorUntil, complete };
}

export function judgePeriod(
  period: Period,
  m: ReleaseManifest | undefined,
  report: HealthReport | undefined,
  now: Date,
  policy: Policy,
): Findings {
  const f = new Findings(policy.verdict);
  if (!m || period.complete !== false || period.ms === null) return f;
  const end = Math.min(now.getTime(), report ? Date.parse(report.window.current.end) : now.getTime());
  const elapsed = Math.max(0, end - Date.parse(m.deployedAt));
  f.add('checking-period', {
    message: `The checking period for a ${m.changeSize} change is not over: keep watching until ${period.monitorUntil}`,
    observed: `${formatDuration(elapsed)} of ${formatDuration(period.ms)} observed`,
    limit: `checking period ${formatDuration(period.ms)} (policy checkingPeriods.${m.changeSize})`,
  });
  return f;
}
