// The release verdict engine (pure): policy + manifest + test outcomes + health report → one decision with reasons, "worst wins".
import type { FeatureDefinition } from '../config/app-config.ts';
import type { ManifestRead, Severity } from '../config/manifest.ts';
import { SEVERITIES } from '../config/manifest.ts';
import { checkingPeriodMs, type Policy } from '../config/policy.ts';
import { PROJECT, TAG } from '../contract.ts';
import { buildChecklist } from './checklist.ts';
import { worstDecision } from './decisions.ts';
import {
  type Decision,
  type FeatureEvidence,
  type HealthInput,
  type HealthReport,
  type InputName,
  type Reason,
  type SignalEvidence,
  type SignalResult,
  type TestGroupSummary,
  type TestOutcome,
  type TestRun,
  type Verdict,
  type VerdictEvidence,
} from './types.ts';

export interface DecideInput {
  readonly policy: Policy;
  /** The release manifest, or where it was looked for. Missing → inconclusive (no deploy time, no checking period). */
  readonly manifest: ManifestRead;
  readonly tests: TestRun;
  readonly health: HealthInput;
  /** The feature registry (aftercheck.config.ts): titles and severities of features. */
  readonly appFeatures: Readonly<Record<string, FeatureDefinition>>;
  readonly now: Date;
}

export type TestGroup = 'setup' | 'smoke' | 'verify' | 'other';

export { EXIT_CODE_BY_DECISION, exitCodeFor, worstDecision } from './decisions.ts';

export function isUnavailable(h: HealthInput): h is { readonly kind: 'unavailable'; readonly reason: string } {
  return 'kind' in h && h.kind === 'unavailable';
}

/**
 * Tags decide a test's role (they are what the suite's --grep uses); the Playwright project is the fallback,
 * so a hand-written smoke spec without the tag still counts when it runs in the smoke project.
 */
export function groupOf(t: Pick<TestOutcome, 'tags' | 'project'>): TestGroup {
  if (t.tags.includes(TAG.smoke)) return 'smoke';
  if (t.tags.includes(TAG.verify)) return 'verify';
  const p = t.project.toLowerCase();
  if (p === PROJECT.setup || p === PROJECT.smoke || p === PROJECT.verify) return p;
  return 'other';
}

const isFailed = (t: TestOutcome) => t.status === 'failed' || t.status === 'timedOut';
const didRun = (t: TestOutcome) => t.status !== 'skipped' && t.status !== 'interrupted';

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const neg = ms < 0;
  let s = Math.round(Math.abs(ms) / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  return `${neg ? '-' : ''}${parts.slice(0, 2).join(' ') || '0s'}`;
}

export function formatNumber(v: number | null | undefined, unit = ''): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'no data';
  const abs = Math.abs(v);
  const n = abs >= 100 ? v.toFixed(0) : abs >= 10 ? v.toFixed(1) : abs >= 1 ? v.toFixed(2) : abs === 0 ? '0' : v.toPrecision(2);
  const trimmed = n.includes('.') ? n.replace(/0+$/, '').replace(/\.$/, '') : n;
  return unit ? `${trimmed} ${unit}`.replace(/ %$/, '%') : trimmed;
}

const quote = (s: string) => `“${s}”`;
/** Reasons are one-liners (tables, console, Allure categories group by message); the full error stays in the evidence. */
const firstLine = (s: string | undefined) =>
  (s ?? '')
    .split('\n')
    .find((l) => l.trim())
    ?.trim() ?? '';
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const listTitles = (ts: readonly { title: string }[], max = 5) =>
  ts
    .slice(0, max)
    .map((t) => quote(t.title))
    .join(', ') + (ts.length > max ? ` and ${ts.length - max} more` : '');

function summarizeGroup(tests: readonly TestOutcome[], severityOf: (t: TestOutcome) => Severity | undefined): TestGroupSummary {
  return {
    total: tests.length,
    ran: tests.filter(didRun).length,
    passed: tests.filter((t) => t.status === 'passed').length,
    failed: tests.filter(isFailed).length,
    skipped: tests.filter((t) => t.status === 'skipped').length,
    interrupted: tests.filter((t) => t.status === 'interrupted').length,
    flaky: tests.filter((t) => t.flaky).length,
    failures: tests.filter(isFailed).map((t) => ({
      title: t.title,
      ...(t.error ? { error: t.error } : {}),
      ...(severityOf(t) ? { severity: severityOf(t)! } : {}),
      features: t.features,
    })),
  };
}

/** The severity that decides a failing verify test: the test's own, else its most severe feature's, else the policy default. */
export function verifySeverity(
  t: TestOutcome,
  features: Readonly<Record<string, FeatureDefinition>>,
  fallback: Severity,
): { severity: Severity; source: string } {
  if (t.severity) return { severity: t.severity, source: 'test annotation' };
  const known = t.features.map((f) => features[f]?.severity).filter((s): s is Severity => !!s);
  if (known.length) {
    const severity = SEVERITIES[Math.min(...known.map((s) => SEVERITIES.indexOf(s)))]!;
    return { severity, source: `feature registry (${t.features.filter((f) => features[f]?.severity === severity).join(', ')})` };
  }
  return { severity: fallback, source: 'policy default (verdict.defaultSeverity)' };
}

function signalEvidence(s: SignalResult): SignalEvidence {
  return {
    id: s.id,
    title: s.title,
    unit: s.unit,
    severity: s.severity,
    outcome: s.outcome,
    reason: s.reason,
    current: s.current,
    baseline: s.baseline,
    delta: s.delta,
    deltaPct: s.deltaPct,
    limit: s.limit,
    samples: s.samples,
  };
}

/** The rule of a signal that decided its outcome: the first rule with the signal's (worst) outcome. */
function decisiveRule(s: SignalResult) {
  return s.rules.find((r) => r.outcome === s.outcome);
}

export function decide(input: DecideInput): Verdict {
  const { policy, manifest, tests, health, appFeatures, now } = input;
  const rules = policy.verdict;
  const reasons: Reason[] = [];
  const warnings: string[] = [];

  /** Records a policy-mapped outcome; a rule the policy maps to "proceed" is switched off and only noted. */
  const add = (r: Reason) => {
    if (r.decision === 'proceed') warnings.push(`${r.message} (policy maps rule ${r.rule} to proceed)`);
    else reasons.push(r);
  };
  const inconclusive = (rule: string, inputName: InputName, message: string, observed: string, limit: string) =>
    add({ rule, decision: 'inconclusive', input: inputName, message, observed, limit });

  const m = manifest.kind === 'ok' ? manifest.manifest : undefined;

  // ---------- Test results ----------
  const all = tests.kind === 'ok' ? tests.tests : [];
  const byGroup: Record<TestGroup, TestOutcome[]> = { setup: [], smoke: [], verify: [], other: [] };
  for (const t of all) byGroup[groupOf(t)].push(t);
  const sevOf = (t: TestOutcome) => (groupOf(t) === 'verify' ? verifySeverity(t, appFeatures, rules.defaultSeverity).severity : t.severity);
  const setup = summarizeGroup(byGroup.setup, sevOf);
  const smoke = summarizeGroup(byGroup.smoke, sevOf);
  const verify = summarizeGroup(byGroup.verify, sevOf);
  const ranTotal = all.filter(didRun).length;
  const runErrors = tests.kind === 'ok' ? (tests.errors ?? []) : [];

  if (tests.kind === 'missing') {
    inconclusive(
      'results-missing',
      'results',
      `No test results: ${tests.reason}`,
      `nothing readable at ${tests.path}`,
      'a Playwright JSON report from the @smoke/@verify run',
    );
  } else {
    if (ranTotal === 0) {
      const why = runErrors.length
        ? `; the run reported: ${firstLine(runErrors[0])}`
        : all.length
          ? ` (${plural(all.length, 'test')} listed, none ran)`
          : '';
      inconclusive('no-tests-run', 'results', `Zero tests ran${why}`, `0 tests ran of ${all.length}`, 'at least the smoke checks must run');
    }
    const setupFailed = byGroup.setup.filter(isFailed);
    if (setupFailed.length) {
      inconclusive(
        'setup-failed',
        'results',
        `Setup failed, so the checks that depend on it did not run: ${listTitles(setupFailed)}${setupFailed[0]?.error ? ` — ${firstLine(setupFailed[0].error)}` : ''}`,
        `${setupFailed.length} of ${setup.total} setup steps failed`,
        'setup (reachability, login) passes',
      );
    }
    const interrupted = all.filter((t) => t.status === 'interrupted');
    if (interrupted.length) {
      inconclusive(
        'tests-interrupted',
        'results',
        `The test run was interrupted: ${listTitles(interrupted)} did not finish`,
        `${interrupted.length} interrupted`,
        '0 interrupted tests',
      );
    }
  }

  // ---------- Manifest ----------
  if (!m) {
    inconclusive(
      'manifest-missing',
      'manifest',
      `No release manifest at ${manifest.path}: no deploy time, versions or checking period to judge against`,
      'no manifest file',
      'a release manifest written by the deploy pipeline (AFTERCHECK_MANIFEST)',
    );
  }

  // ---------- Smoke ----------
  const smokeFailed = byGroup.smoke.filter(isFailed);
  if (smokeFailed.length) {
    const first = smokeFailed[0]!;
    add({
      rule: 'smoke-failure',
      decision: rules.smokeFailure,
      input: 'smoke',
      message: `Smoke failed: ${listTitles(smokeFailed)}${first.error ? ` — ${firstLine(first.error)}` : ''}`,
      observed: `${smokeFailed.length} of ${smoke.total} smoke checks failed`,
      limit: '0 failed smoke checks',
    });
  } else if (tests.kind === 'ok' && ranTotal > 0 && smoke.ran === 0 && setup.failed === 0) {
    inconclusive(
      'smoke-missing',
      'smoke',
      'No smoke check ran: "is it alive?" was never asked',
      `0 smoke checks ran (${smoke.total} listed)`,
      'every smoke check runs (npx playwright test --grep @smoke)',
    );
  }
  // A smoke check that did not run is a question never asked: missing evidence, not a pass. After a smoke failure the
  // rest are skipped by design (fail fast) and the failure already decides; after a failed setup, setup-failed explains.
  const smokeNotRun = byGroup.smoke.filter((t) => !didRun(t));
  if (tests.kind === 'ok' && !smokeFailed.length && smoke.ran > 0 && smokeNotRun.length && setup.failed === 0) {
    const how = [smoke.skipped ? `${smoke.skipped} skipped` : '', smoke.interrupted ? `${smoke.interrupted} interrupted` : '']
      .filter(Boolean)
      .join(', ');
    inconclusive(
      'smoke-incomplete',
      'smoke',
      `Not every smoke check ran: ${listTitles(smokeNotRun)} did not run (${how})`,
      `${smoke.ran} of ${smoke.total} smoke checks ran (${how})`,
      'every smoke check runs',
    );
  }

  // ---------- Verify: failures, per severity ----------
  for (const t of byGroup.verify.filter(isFailed)) {
    const { severity, source } = verifySeverity(t, appFeatures, rules.defaultSeverity);
    const decision = rules.verifyFailure[severity];
    const where = t.features.length ? `feature ${t.features.join(', ')}` : 'no feature tag';
    add({
      rule: `verify-failure.${severity}`,
      decision,
      input: 'verify',
      message: `Verify failed: ${quote(t.title)} (${where}, severity ${severity} from ${source})${t.error ? ` — ${firstLine(t.error)}` : ''}`,
      observed: `${t.status === 'timedOut' ? 'timed out' : 'failed'} after ${plural(t.attempts, 'attempt')}`,
      limit: `0 failing @verify tests; a ${severity} failure means ${decision}`,
    });
  }

  // ---------- Coverage: every changed feature verified ----------
  const selection = tests.kind === 'ok' ? tests.selection : undefined;
  const changed = m ? [...m.features] : selection ? [...selection.manifestFeatures] : [];
  const verifyFeatures = new Set(byGroup.verify.flatMap((t) => t.features));
  const unverified = new Map<string, string>();
  if (tests.kind === 'ok') {
    if (tests.selectionProblem) {
      inconclusive(
        'selection-unreadable',
        'coverage',
        `The @verify selection record cannot be read: ${tests.selectionProblem}`,
        'unreadable verify-selection.json',
        'a readable record of which features were selected',
      );
    }
    // Only changed features gate the release; a verify-all run may list unchanged features without tests.
    for (const u of selection?.unverified ?? []) {
      if (changed.includes(u.feature)) unverified.set(u.feature, u.reason);
      else warnings.push(`Feature ${quote(u.feature)} (not changed in this release) has no @verify tests: ${u.reason}`);
    }
    // Without the suite's own record, a changed feature with no @verify result in this run is unverified too.
    for (const f of changed)
      if (!verifyFeatures.has(f) && !unverified.has(f) && !(selection?.testsPerFeature[f] ?? 0))
        unverified.set(f, `no @verify test tagged @feature:${f} in this run`);
  }
  for (const [feature, why] of unverified) {
    add({
      rule: 'unverified-feature',
      decision: rules.unverifiedFeature,
      input: 'coverage',
      message: `Changed feature ${quote(feature)} is unverified: ${why}`,
      observed: '0 @verify tests',
      limit: 'at least 1 @verify test per changed feature',
    });
  }
  const features: FeatureEvidence[] = [];
  for (const f of [...new Set([...changed, ...verifyFeatures])]) {
    const ts = byGroup.verify.filter((t) => t.features.includes(f));
    const def = appFeatures[f];
    const failed = ts.filter(isFailed).length;
    const ran = ts.filter(didRun).length;
    const selected = selection?.testsPerFeature[f];
    const state: FeatureEvidence['state'] = failed ? 'failed' : unverified.has(f) ? 'unverified' : ran === 0 ? 'not-run' : 'passed';
    let note = unverified.get(f) ?? (!def ? 'not in the feature registry' : undefined);
    if (!note && ts.length === 0 && selected) note = `${plural(selected, '@verify test')} selected, none in the results`;
    if (state === 'passed' && ran < ts.length) {
      note = `${ts.length - ran} of ${ts.length} tests skipped`;
      warnings.push(`Feature ${quote(f)}: ${note}`);
    }
    features.push({
      feature: f,
      title: def?.title ?? f,
      severity: def?.severity ?? rules.defaultSeverity,
      changed: changed.includes(f),
      tests: ts.length,
      passed: ts.filter((t) => t.status === 'passed').length,
      failed,
      flaky: ts.filter((t) => t.flaky).length,
      skipped: ts.filter((t) => t.status === 'skipped').length,
      state,
      ...(note ? { note } : {}),
    });
  }
  // A changed feature whose tests exist but did not run is not verified either (unless setup already explains it).
  if (tests.kind === 'ok' && ranTotal > 0 && setup.failed === 0) {
    for (const fe of features.filter((x) => x.changed && x.state === 'not-run')) {
      inconclusive(
        'verify-not-run',
        'verify',
        `The @verify tests of changed feature ${quote(fe.feature)} did not run${fe.note ? ` (${fe.note})` : ''}`,
        fe.tests ? `0 of ${fe.tests} ran` : 'no results for the selected tests',
        'the selected @verify tests of every changed feature run',
      );
    }
  }

  // ---------- Logs: uncaught page errors and console errors seen by the suite ----------
  const withPageErrors = all.filter((t) => t.pageErrors > 0);
  const withConsoleErrors = all.filter((t) => t.consoleErrors > 0);
  const pageErrors = withPageErrors.reduce((n, t) => n + t.pageErrors, 0);
  const consoleErrors = withConsoleErrors.reduce((n, t) => n + t.consoleErrors, 0);
  if (pageErrors > 0) {
    add({
      rule: 'page-errors',
      decision: rules.pageErrors,
      input: 'logs',
      message: `Uncaught page errors while testing: ${listTitles(withPageErrors)}`,
      observed: `${plural(pageErrors, 'uncaught page error')} in ${plural(withPageErrors.length, 'test')}`,
      limit: '0 uncaught page errors',
    });
  }
  if (consoleErrors > 0)
    warnings.push(
      `${plural(consoleErrors, 'console error')} in ${plural(withConsoleErrors.length, 'test')}: ${listTitles(withConsoleErrors)}`,
    );

  // ---------- Flaky: passed only on retry; a warning unless the policy says hotfix, never a rollback ----------
  const flaky = all.filter((t) => t.flaky);
  if (flaky.length) {
    const text = `${plural(flaky.length, 'flaky test')} (passed only on retry): ${listTitles(flaky)}`;
    if (rules.flaky === 'hotfix')
      add({
        rule: 'flaky',
        decision: 'hotfix',
        input: 'flaky',
        message: text,
        observed: `${flaky.length} passed on retry`,
        limit: '0 flaky tests (policy verdict.flaky = hotfix)',
      });
    else warnings.push(text);
  }
  const otherFailed = byGroup.other.filter(isFailed);
  if (otherFailed.length)
    warnings.push(
      `${plural(otherFailed.length, 'test')} outside setup/smoke/verify failed (not used for the decision): ${listTitles(otherFailed)}`,
    );

  // ---------- Checking period (computed before the health rules: a warn level means something else once it is over) ----------
  const report: HealthReport | undefined = isUnavailable(health) ? undefined : health;
  let monitorUntil: string | null = null;
  let periodMs: number | null = null;
  let complete: boolean | null = null;
  if (m) {
    periodMs = report?.checkingPeriod.ms ?? checkingPeriodMs(policy, m.changeSize);
    monitorUntil = report?.checkingPeriod.monitorUntil ?? new Date(Date.parse(m.deployedAt) + periodMs).toISOString();
    // The health data must cover the whole period: a report made before the end is not evidence for the rest.
    complete = now.getTime() >= Date.parse(monitorUntil) && (report ? report.checkingPeriod.complete : true);
  }

  // ---------- Health ----------
  if (isUnavailable(health)) {
    inconclusive(
      'health-unavailable',
      'health',
      `Health signals unavailable: ${health.reason}`,
      'no health data',
      'every policy signal evaluated from InfluxDB',
    );
  } else {
    if (m && health.version !== m.version) {
      inconclusive(
        'health-mismatch',
        'health',
        `The health report is for version ${health.version}, but the manifest deploys ${m.version}`,
        `health.json version ${health.version}`,
        `version ${m.version}`,
      );
    }
    if (health.error)
      inconclusive(
        'health-error',
        'health',
        `The health gate could not run: ${health.error}`,
        'no health data',
        'InfluxDB reachable and answering',
      );
    else if (health.signals.length === 0)
      inconclusive(
        'health-no-signals',
        'health',
        'The health report has no signals',
        '0 signals',
        `${policy.signals.length} policy signals`,
      );
    for (const s of health.signals) {
      const rule = decisiveRule(s);
      const observed = `${formatNumber(s.current, s.unit)}${s.baseline !== null ? ` (baseline ${formatNumber(s.baseline, s.unit)})` : ''}${rule && rule.rule !== 'absolute' && rule.observed !== null ? `; ${rule.rule} ${formatNumber(rule.observed)}` : ''}`;
      if (s.outcome === 'fail') {
        add({
          rule: `health-breach.${s.severity}`,
          decision: rules.healthBreach[s.severity],
          input: 'health',
          message: `Health signal ${quote(s.title)} breached (${s.severity}): ${s.reason}`,
          observed,
          limit: rule?.limit ?? s.limit,
        });
      } else if (s.outcome === 'warn') {
        const message = `Health signal ${quote(s.title)} is at warn level: ${s.reason}`;
        // "Keep monitoring" needs a period left to watch: once it is over (whole period covered), a warn level that
        // stayed below the fail limit is a warning on a release that proceeds, not a monitorUntil in the past.
        if (rules.healthWarn === 'continue-monitoring' && complete === true)
          warnings.push(
            `${message} (the checking period ended ${monitorUntil} without a breach, so this is a warning, not a reason to keep monitoring)`,
          );
        else add({ rule: 'health-warn', decision: rules.healthWarn, input: 'health', message, observed, limit: rule?.limit ?? s.limit });
      } else if (s.outcome === 'inconclusive') {
        inconclusive(
          'health-no-data',
          'health',
          `Health signal ${quote(s.title)} has no usable data: ${s.reason}`,
          `${s.samples.current} current / ${s.samples.baseline} baseline samples`,
          rule?.limit ?? s.limit,
        );
      }
    }
  }

  // ---------- Checking period ----------
  if (m && complete === false) {
    const elapsed = Math.max(
      0,
      Math.min(now.getTime(), report ? Date.parse(report.window.current.end) : now.getTime()) - Date.parse(m.deployedAt),
    );
    add({
      rule: 'checking-period',
      decision: 'continue-monitoring',
      input: 'period',
      message: `The checking period for a ${m.changeSize} change is not over: keep watching until ${monitorUntil}`,
      observed: `${formatDuration(elapsed)} of ${formatDuration(periodMs!)} observed`,
      limit: `checking period ${formatDuration(periodMs!)} (policy checkingPeriods.${m.changeSize})`,
    });
  }

  // ---------- Decide ----------
  if (reasons.length === 0) {
    reasons.push({
      rule: 'all-checks-passed',
      decision: 'proceed',
      input: 'period',
      message: report?.signals.some((s) => s.outcome === 'warn')
        ? 'Smoke and verification passed and no health signal breached its limits over the whole checking period: the release is confirmed, with warnings'
        : 'Smoke, verification and health signals passed over the whole checking period: the release is confirmed',
      observed: `smoke ${smoke.passed}/${smoke.total}, verify ${verify.passed}/${verify.total}, ${report ? `${report.signals.filter((s) => s.outcome === 'pass').length}/${report.signals.length} signals pass` : 'no signals'}`,
      limit: 'no rule fired',
    });
  }
  const decision = worstDecision(reasons.map((r) => r.decision));
  const decidingReason = reasons.find((r) => r.decision === decision)!;

  const evidence: VerdictEvidence = {
    results:
      tests.kind === 'ok'
        ? { kind: 'ok', path: tests.path, tests: all.length, ...(tests.startedAt ? { startedAt: tests.startedAt } : {}), errors: runErrors }
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
    setup,
    smoke,
    verify: { ...verify, features },
    selection: selection ?? null,
    logs: {
      pageErrors,
      consoleErrors,
      testsWithPageErrors: withPageErrors.map((t) => t.title),
      testsWithConsoleErrors: withConsoleErrors.map((t) => t.title),
      captured: all.filter((t) => t.logsCaptured).length,
    },
    flaky: flaky.map((t) => t.title),
    health: report
      ? {
          kind: 'report',
          outcome: report.outcome,
          generatedAt: report.generatedAt,
          version: report.version,
          window: report.window,
          source: report.source,
          ...(report.error ? { error: report.error } : {}),
          signals: report.signals.map(signalEvidence),
        }
      : { kind: 'unavailable', reason: isUnavailable(health) ? health.reason : 'unknown' },
    period: { changeSize: m?.changeSize ?? null, ms: periodMs, monitorUntil, complete },
  };

  return {
    decision,
    decidingReason,
    reasons,
    warnings,
    monitorUntil,
    checklist: buildChecklist({ policy, evidence }),
    decidedAt: now.toISOString(),
    evidence,
  };
}
