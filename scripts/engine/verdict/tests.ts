// Verdict from the test outcomes (pure): the run as a whole, setup, smoke and @verify failures, page errors, flaky tests.
import type { FeatureDefinition } from '../../config/app-config.ts';
import { SEVERITIES, type Severity } from '../../config/manifest.ts';
import { PROJECT, TAG } from '../../contract.ts';
import { firstLine, listTitles, plural, quote } from '../format.ts';
import { decisionOf, Findings, type VerdictPolicy } from '../rules.ts';
import type { Decision, TestGroupSummary, TestOutcome, TestRun, VerdictEvidence } from '../types.ts';

export type TestGroup = 'setup' | 'smoke' | 'verify' | 'other';
export type Features = Readonly<Record<string, FeatureDefinition>>;

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

export const isFailed = (t: TestOutcome): boolean => t.status === 'failed' || t.status === 'timedOut';
export const didRun = (t: TestOutcome): boolean => t.status !== 'skipped' && t.status !== 'interrupted';

export function groupTests(tests: readonly TestOutcome[]): Record<TestGroup, TestOutcome[]> {
  const byGroup: Record<TestGroup, TestOutcome[]> = { setup: [], smoke: [], verify: [], other: [] };
  for (const t of tests) byGroup[groupOf(t)].push(t);
  return byGroup;
}

/** The severity that decides a failing verify test: the test's own, else its most severe feature's, else the policy default. */
export function verifySeverity(t: TestOutcome, features: Features, fallback: Severity): { severity: Severity; source: string } {
  if (t.severity) return { severity: t.severity, source: 'test annotation' };
  const known = t.features.map((f) => features[f]?.severity).filter((s): s is Severity => !!s);
  if (known.length) {
    const severity = SEVERITIES[Math.min(...known.map((s) => SEVERITIES.indexOf(s)))]!;
    return { severity, source: `feature registry (${t.features.filter((f) => features[f]?.severity === severity).join(', ')})` };
  }
  return { severity: fallback, source: 'policy default (verdict.defaultSeverity)' };
}

/**
 * What one failed or flaky test means for the release, by the same rules decide() applies: reports label each test
 * result with it, so the categories show the engine's decision instead of computing their own.
 */
export function testDecision(t: TestOutcome, policy: VerdictPolicy, features: Features): { rule: string; decision: Decision } | undefined {
  const group = groupOf(t);
  if (isFailed(t)) {
    if (group === 'setup') return { rule: 'setup-failed', decision: decisionOf('setup-failed', policy) };
    if (group === 'smoke') return { rule: 'smoke-failure', decision: decisionOf('smoke-failure', policy) };
    if (group === 'verify') {
      const { severity } = verifySeverity(t, features, policy.defaultSeverity);
      return { rule: `verify-failure.${severity}`, decision: decisionOf('verify-failure', policy, severity) };
    }
    return undefined;
  }
  if (t.pageErrors > 0) return { rule: 'page-errors', decision: decisionOf('page-errors', policy) };
  if (t.flaky && decisionOf('flaky', policy) !== 'proceed') return { rule: 'flaky', decision: decisionOf('flaky', policy) };
  return undefined;
}

export function summarizeGroup(tests: readonly TestOutcome[], severityOf: (t: TestOutcome) => Severity | undefined): TestGroupSummary {
  return {
    total: tests.length,
    ran: tests.filter(didRun).length,
    passed: tests.filter((t) => t.status === 'passed').length,
    failed: tests.filter(isFailed).length,
    skipped: tests.filter((t) => t.status === 'skipped').length,
    interrupted: tests.filter((t) => t.status === 'interrupted').length,
    flaky: tests.filter((t) => t.flaky).length,
    failures: tests.filter(isFailed).map((t) => {
      const severity = severityOf(t);
      return { title: t.title, ...(t.error ? { error: t.error } : {}), ...(severity ? { severity } : {}), features: t.features };
    }),
  };
}

export interface TestsJudgement {
  readonly findings: Findings;
  readonly groups: Record<TestGroup, TestOutcome[]>;
  readonly summaries: Pick<VerdictEvidence, 'setup' | 'smoke'> & { readonly verify: TestGroupSummary };
  readonly logs: VerdictEvidence['logs'];
  readonly flaky: readonly string[];
}

/** The run as a whole: readable, something ran, setup succeeded, nothing was interrupted. */
function judgeRun(tests: TestRun, groups: Record<TestGroup, TestOutcome[]>, f: Findings): void {
  if (tests.kind === 'missing') {
    f.add('results-missing', {
      message: `No test results: ${tests.reason}`,
      observed: `nothing readable at ${tests.path}`,
      limit: 'a Playwright JSON report from the @smoke/@verify run',
    });
    return;
  }
  const all = tests.tests;
  const errors = tests.errors ?? [];
  if (!all.some(didRun)) {
    const why = errors.length
      ? `; the run reported: ${firstLine(errors[0])}`
      : all.length
        ? ` (${plural(all.length, 'test')} listed, none ran)`
        : '';
    f.add('no-tests-run', {
      message: `Zero tests ran${why}`,
      observed: `0 tests ran of ${all.length}`,
      limit: 'at least the smoke checks must run',
    });
  }
  const setupFailed = groups.setup.filter(isFailed);
  if (setupFailed.length) {
    const first = setupFailed[0]!;
    f.add('setup-failed', {
      message: `Setup never succeeded: ${listTitles(setupFailed)}${first.error ? ` — ${firstLine(first.error)}` : ''}`,
      observed: `${setupFailed.length} of ${groups.setup.length} setup steps failed on every attempt`,
      limit: 'setup (reachability, login) passes',
    });
  }
  const interrupted = all.filter((t) => t.status === 'interrupted');
  if (interrupted.length) {
    f.add('tests-interrupted', {
      message: `The test run was interrupted: ${listTitles(interrupted)} did not finish`,
      observed: `${interrupted.length} interrupted`,
      limit: '0 interrupted tests',
    });
  }
}

function judgeFailures(
  groups: Record<TestGroup, TestOutcome[]>,
  total: number,
  policy: VerdictPolicy,
  features: Features,
  f: Findings,
): void {
  const smokeFailed = groups.smoke.filter(isFailed);
  if (smokeFailed.length) {
    const first = smokeFailed[0]!;
    f.add('smoke-failure', {
      message: `Smoke failed: ${listTitles(smokeFailed)}${first.error ? ` — ${firstLine(first.error)}` : ''}`,
      observed: `${smokeFailed.length} of ${total} smoke checks failed`,
      limit: '0 failed smoke checks',
    });
  }
  for (const t of groups.verify.filter(isFailed)) {
    const { severity, source } = verifySeverity(t, features, policy.defaultSeverity);
    const decision = decisionOf('verify-failure', policy, severity);
    const where = t.features.length ? `feature ${t.features.join(', ')}` : 'no feature tag';
    f.add(
      'verify-failure',
      {
        message: `Verify failed: ${quote(t.title)} (${where}, severity ${severity} from ${source})${t.error ? ` — ${firstLine(t.error)}` : ''}`,
        observed: `${t.status === 'timedOut' ? 'timed out' : 'failed'} after ${plural(t.attempts, 'attempt')}`,
        limit: `0 failing @verify tests; a ${severity} failure means ${decision}`,
      },
      severity,
    );
  }
}

/** Uncaught page errors (a rule), console errors (a warning), flaky tests and failures outside the known groups. */
function judgeLogs(all: readonly TestOutcome[], other: readonly TestOutcome[], f: Findings): Pick<TestsJudgement, 'logs' | 'flaky'> {
  const withPageErrors = all.filter((t) => t.pageErrors > 0);
  const withConsoleErrors = all.filter((t) => t.consoleErrors > 0);
  const pageErrors = withPageErrors.reduce((n, t) => n + t.pageErrors, 0);
  const consoleErrors = withConsoleErrors.reduce((n, t) => n + t.consoleErrors, 0);
  if (pageErrors > 0) {
    f.add('page-errors', {
      message: `Uncaught page errors while testing: ${listTitles(withPageErrors)}`,
      observed: `${plural(pageErrors, 'uncaught page error')} in ${plural(withPageErrors.length, 'test')}`,
      limit: '0 uncaught page errors',
    });
  }
  if (consoleErrors > 0)
    f.warn(`${plural(consoleErrors, 'console error')} in ${plural(withConsoleErrors.length, 'test')}: ${listTitles(withConsoleErrors)}`);
  const flaky = all.filter((t) => t.flaky);
  if (flaky.length) {
    f.add('flaky', {
      message: `${plural(flaky.length, 'flaky test')} (passed only on retry): ${listTitles(flaky)}`,
      observed: `${flaky.length} passed on retry`,
      limit: '0 flaky tests',
    });
  }
  const otherFailed = other.filter(isFailed);
  if (otherFailed.length)
    f.warn(
      `${plural(otherFailed.length, 'test')} outside setup/smoke/verify failed (not used for the decision): ${listTitles(otherFailed)}`,
    );
  return {
    logs: {
      pageErrors,
      consoleErrors,
      testsWithPageErrors: withPageErrors.map((t) => t.title),
      testsWithConsoleErrors: withConsoleErrors.map((t) => t.title),
      captured: all.filter((t) => t.logsCaptured).length,
    },
    flaky: flaky.map((t) => t.title),
  };
}

export function judgeTests(input: {
  readonly tests: TestRun;
  readonly policy: VerdictPolicy;
  readonly features: Features;
}): TestsJudgement {
  const { tests, policy, features } = input;
  const f = new Findings(policy);
  const all = tests.kind === 'ok' ? tests.tests : [];
  const groups = groupTests(all);
  const sevOf = (t: TestOutcome) => (groupOf(t) === 'verify' ? verifySeverity(t, features, policy.defaultSeverity).severity : t.severity);
  const summaries = {
    setup: summarizeGroup(groups.setup, sevOf),
    smoke: summarizeGroup(groups.smoke, sevOf),
    verify: summarizeGroup(groups.verify, sevOf),
  };
  judgeRun(tests, groups, f);
  judgeFailures(groups, summaries.smoke.total, policy, features, f);
  const { logs, flaky } = judgeLogs(all, groups.other, f);
  return { findings: f, groups, summaries, logs, flaky };
}
