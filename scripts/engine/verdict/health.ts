// Verdict from the health signals (pure): the report must be about this release and cover the policy; then each signal's outcome maps through the rules.
import type { ReleaseManifest } from '../../config/manifest.ts';
import type { Policy } from '../../config/policy.ts';
import { formatNumber, listNames, quote } from '../format.ts';
import { Findings } from '../rules.ts';
import type { HealthInput, HealthReport, SignalResult } from '../types.ts';
import type { Period } from './period.ts';

export function isUnavailable(h: HealthInput): h is { readonly kind: 'unavailable'; readonly reason: string } {
  return 'kind' in h && h.kind === 'unavailable';
}

/** The rule of a signal that decided its outcome: the one its evidence names, else the first with its (worst) outcome. */
export function decisiveRule(s: SignalResult) {
  return (
    (s.evidence && s.rules.find((r) => r.rule === s.evidence!.rule && r.outcome === s.outcome)) ??
    s.rules.find((r) => r.outcome === s.outcome)
  );
}

export interface HealthJudgeInput {
  readonly health: HealthInput;
  readonly manifest: ReleaseManifest | undefined;
  readonly policy: Pick<Policy, 'signals' | 'verdict'>;
  readonly service: string;
  readonly period: Period;
  readonly now: Date;
}

/** Does the report speak for this release? Service, version, deploy time and signal set, made after the deploy and not too long ago. */
function judgeBelonging(h: HealthReport, input: HealthJudgeInput, f: Findings): void {
  const m = input.manifest;
  const mismatch: string[] = [];
  if (h.service !== input.service) mismatch.push(`service ${quote(h.service)}, not ${quote(input.service)}`);
  if (m && h.version !== m.version) mismatch.push(`version ${h.version}, but the manifest deploys ${m.version}`);
  if (m && Date.parse(h.deployedAt) !== Date.parse(m.deployedAt))
    mismatch.push(`deploy time ${h.deployedAt}, but the manifest says ${m.deployedAt}`);
  const policyIds = input.policy.signals.map((s) => s.id);
  const extra = h.signals.map((s) => s.id).filter((id) => !policyIds.includes(id));
  if (extra.length) mismatch.push(`signals that are not in the policy: ${listNames(extra)} (made with another policy?)`);
  if (mismatch.length) {
    f.add('health-mismatch', {
      message: `The health report is about something else: ${mismatch.join('; ')}`,
      observed: mismatch.join('; '),
      limit: 'a health report for this service, version, deploy and policy',
    });
  }
  const missing = policyIds.filter((id) => !h.signals.some((s) => s.id === id));
  if (missing.length && h.signals.length && !h.error) {
    f.add('health-incomplete', {
      message: `The health report leaves out ${missing.length} of the policy's ${policyIds.length} signals: ${listNames(missing)}`,
      observed: `${h.signals.length - extra.length} of ${policyIds.length} policy signals`,
      limit: 'every signal of the policy evaluated',
    });
  }
  const made = Date.parse(h.generatedAt);
  const deployed = m ? Date.parse(m.deployedAt) : NaN;
  const { period, now } = input;
  let stale: string | undefined;
  if (made < deployed) stale = `it was made at ${h.generatedAt}, before the deploy at ${m!.deployedAt}`;
  else if (made - now.getTime() > 60_000) stale = `it claims to be made at ${h.generatedAt}, in the future`;
  else if (period.monitorUntil && now.getTime() >= Date.parse(period.monitorUntil) && !h.checkingPeriod.complete) {
    stale = `it was made at ${h.generatedAt}, before the checking period ended at ${period.monitorUntil}, so it does not speak for the rest of the period (run the health gate again)`;
  }
  if (stale)
    f.add('health-stale', {
      message: `The health report is not current: ${stale}`,
      observed: `generated ${h.generatedAt}`,
      limit: 'a health report made after the deploy, within the checking period',
    });
}

/**
 * Each signal's outcome through the rules: a fail by its severity; a warn while the period runs keeps watching
 * (healthWarn); once the period is over, a warn still standing is what the signal's warnAtEnd says (hotfix by default,
 * so it cannot quietly exit 0) and a warn that cleared is a warning on a release that proceeds. Shared with
 * `npm run health`'s exit code (healthDecision), so both decide alike.
 */
export function judgeSignals(
  h: Pick<HealthReport, 'signals' | 'error'>,
  period: Pick<Period, 'complete' | 'monitorUntil'>,
  f: Findings,
): void {
  if (h.error)
    f.add('health-error', {
      message: `The health gate could not run: ${h.error}`,
      observed: 'no health data',
      limit: 'InfluxDB reachable and answering',
    });
  else if (h.signals.length === 0)
    f.add('health-no-signals', { message: 'The health report has no signals', observed: '0 signals', limit: 'every policy signal' });
  for (const s of h.signals) {
    const rule = decisiveRule(s);
    const observed =
      s.evidence?.summary ??
      `${formatNumber(s.current, s.unit)}${s.baseline !== null ? ` (baseline ${formatNumber(s.baseline, s.unit)})` : ''}${rule && rule.rule !== 'absolute' && rule.observed !== null ? `; ${rule.rule} ${formatNumber(rule.observed)}` : ''}`;
    const limit = rule?.limit ?? s.limit;
    if (s.outcome === 'fail') {
      f.add(
        'health-breach',
        { message: `Health signal ${quote(s.title)} breached (${s.severity}): ${s.reason}`, observed, limit },
        s.severity,
      );
    } else if (s.outcome === 'warn') {
      const message = `Health signal ${quote(s.title)} is at warn level: ${s.reason}`;
      if (period.complete !== true) f.add('health-warn', { message, observed, limit });
      else if (s.warnStanding)
        f.add(
          'health-warn-at-end',
          { message: `${message}, still standing when the checking period ended ${period.monitorUntil}`, observed, limit },
          s.warnAtEnd,
        );
      else f.warn(`${message} (it cleared before the checking period ended ${period.monitorUntil}: a warning, not a reason to act)`);
    } else if (s.outcome === 'inconclusive') {
      f.add('health-no-data', {
        message: `Health signal ${quote(s.title)} has no usable data: ${s.reason}`,
        observed: `${s.samples.current} current / ${s.samples.baseline} baseline samples`,
        limit,
      });
    }
  }
}

export function judgeHealth(input: HealthJudgeInput): Findings {
  const f = new Findings(input.policy.verdict);
  const h = input.health;
  if (isUnavailable(h)) {
    f.add('health-unavailable', {
      message: `Health signals unavailable: ${h.reason}`,
      observed: 'no health data',
      limit: 'every policy signal evaluated from InfluxDB',
    });
    return f;
  }
  judgeBelonging(h, input, f);
  judgeSignals(h, input.period, f);
  return f;
}
