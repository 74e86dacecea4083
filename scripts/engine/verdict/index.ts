// The release verdict (pure): policy + manifest + test outcomes + health → one decision with reasons, "worst wins" over
// the findings of one module per kind of evidence (tests, evidence, coverage, health, period).
import type { ManifestRead } from '../../config/manifest.ts';
import type { Policy } from '../../config/policy.ts';
import { buildChecklist } from '../checklist.ts';
import { worstDecision } from '../decisions.ts';
import { reasonFor, type Findings } from '../rules.ts';
import type { HealthInput, HealthReport, SignalEvidence, SignalResult, Verdict, VerdictEvidence } from '../types.ts';
import { judgeCoverage } from './coverage.ts';
import { judgeEvidence, type ExpectedEvidence, type ExpectedRun } from './evidence.ts';
import { isUnavailable, judgeHealth } from './health.ts';
import { checkingPeriod, judgePeriod } from './period.ts';
import { judgeTests, type Features } from './tests.ts';

export { exitCodeFor, worstDecision } from '../decisions.ts';
export { groupOf, testDecision, verifySeverity, type TestGroup } from './tests.ts';
export { isUnavailable } from './health.ts';
export type { ExpectedEvidence, ExpectedRun } from './evidence.ts';

export interface DecideInput {
  readonly policy: Policy;
  /** The release manifest, or where it was looked for. Missing → inconclusive (no deploy time, no checking period). */
  readonly manifest: ManifestRead;
  readonly tests: import('../types.ts').TestRun;
  readonly health: HealthInput;
  /** The app profile's feature registry: titles and severities of features. */
  readonly appFeatures: Features;
  /** What a complete run holds (the profile's smoke checks and hand-written smoke specs); none known → only what ran is judged. */
  readonly expected?: ExpectedEvidence;
  /** The target and run id the verdict was told about, to hold the results to. */
  readonly run?: ExpectedRun;
  /** The `service` tag the health report must be about. */
  readonly service?: string;
  /** The alert notifier as the caller knows it (for the checklist); absent: none configured. */
  readonly alerting?: import('../types.ts').AlertingEvidence;
  /** Findings of checks made outside the engine (the secret audit of the reports directory). */
  readonly extra?: readonly Findings[];
  readonly now: Date;
}

function signalEvidence(s: SignalResult): SignalEvidence {
  const { id, title, unit, severity, outcome, reason, current, baseline, delta, deltaPct, limit, samples } = s;
  return { id, title, unit, severity, outcome, reason, current, baseline, delta, deltaPct, limit, samples };
}

function healthEvidence(health: HealthInput): VerdictEvidence['health'] {
  if (isUnavailable(health)) return { kind: 'unavailable', reason: health.reason };
  return {
    kind: 'report',
    outcome: health.outcome,
    generatedAt: health.generatedAt,
    version: health.version,
    window: health.window,
    source: health.source,
    ...(health.error ? { error: health.error } : {}),
    signals: health.signals.map(signalEvidence),
  };
}

export function decide(input: DecideInput): Verdict {
  const { policy, manifest, tests, health, now } = input;
  const m = manifest.kind === 'ok' ? manifest.manifest : undefined;
  const report: HealthReport | undefined = isUnavailable(health) ? undefined : health;

  const t = judgeTests({ tests, policy: policy.verdict, features: input.appFeatures });
  const setupFailed = t.summaries.setup.failed > 0;
  const evidenceFindings = judgeEvidence({
    tests,
    manifest,
    smokeTests: t.groups.smoke,
    expected: input.expected ?? { smokeChecks: [], smokeSpecs: [] },
    run: input.run ?? {},
    policy: policy.verdict,
    setupFailed,
  });
  const coverage = judgeCoverage({
    tests,
    manifest: m,
    verifyTests: t.groups.verify,
    policy: policy.verdict,
    features: input.appFeatures,
    setupFailed,
  });
  const period = checkingPeriod(policy, m, report, now);
  const healthFindings = judgeHealth({ health, manifest: m, policy, service: input.service ?? report?.service ?? '', period, now });
  const all = [
    t.findings,
    evidenceFindings,
    coverage.findings,
    healthFindings,
    judgePeriod(period, m, report, now, policy),
    ...(input.extra ?? []),
  ];
  const reasons = all.flatMap((f) => f.reasons);
  const warnings = all.flatMap((f) => f.warnings);

  if (reasons.length === 0) {
    const s = t.summaries;
    reasons.push(
      reasonFor('all-checks-passed', policy.verdict, {
        message: report?.signals.some((x) => x.outcome === 'warn')
          ? 'Smoke and verification passed and no health signal breached its limits over the whole checking period: the release is confirmed, with warnings'
          : 'Smoke, verification and health signals passed over the whole checking period: the release is confirmed',
        observed: `smoke ${s.smoke.passed}/${s.smoke.total}, verify ${s.verify.passed}/${s.verify.total}, ${report ? `${report.signals.filter((x) => x.outcome === 'pass').length}/${report.signals.length} signals pass` : 'no signals'}`,
        limit: 'no rule fired',
      }),
    );
  }
  const decision = worstDecision(reasons.map((r) => r.decision));
  const decidingReason = reasons.find((r) => r.decision === decision)!;

  const evidence: VerdictEvidence = {
    results:
      tests.kind === 'ok'
        ? {
            kind: 'ok',
            path: tests.path,
            tests: tests.tests.length,
            ...(tests.startedAt ? { startedAt: tests.startedAt } : {}),
            errors: tests.errors ?? [],
          }
        : { kind: 'missing', path: tests.path, reason: tests.reason, tests: 0, errors: [] },
    manifest: m
      ? {
          kind: 'ok',
          path: manifest.path,
          version: m.version,
          previousVersion: m.previousVersion,
          deployedAt: m.deployedAt,
          changeSize: m.changeSize,
          ...(m.commit ? { commit: m.commit } : {}),
          features: m.features,
        }
      : { kind: 'missing', path: manifest.path, features: [] },
    ...t.summaries,
    verify: { ...t.summaries.verify, features: [...coverage.features] },
    selection: coverage.selection,
    logs: t.logs,
    flaky: t.flaky,
    health: healthEvidence(health),
    period,
  };
  return {
    decision,
    decidingReason,
    reasons,
    warnings,
    monitorUntil: period.monitorUntil,
    checklist: buildChecklist({ policy, evidence, ...(input.alerting ? { alerting: input.alerting } : {}) }),
    decidedAt: now.toISOString(),
    evidence,
  };
}
