// Table-driven tests of the pure verdict engine: every rule, every tie-break, "worst wins", reasons naming rule, value and limit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide, exitCodeFor, worstDecision, type DecideInput } from '../../scripts/engine/verdict/index.ts';
import { DECISIONS, type Decision } from '../../scripts/engine/types.ts';
import {
  AFTER,
  DURING,
  FEATURES,
  NO_MANIFEST,
  health,
  healthyTests,
  manifest,
  policy,
  run,
  selection,
  signal,
  test,
} from './verdict-fixtures.ts';

function input(over: Partial<DecideInput> = {}): DecideInput {
  return { policy: policy(), manifest: manifest(), tests: run(), health: health(), appFeatures: FEATURES, now: AFTER, ...over };
}

/** A health report made during the checking period (the whole period not yet covered). */
const DURING_PERIOD = { checkingPeriod: { ms: 600_000, monitorUntil: '2026-11-26T10:10:00.000Z', complete: false } };
const withTests = (...extra: ReturnType<typeof test>[]) => run([...healthyTests(), ...extra]);
const replaceTest = (title: string, replacement: ReturnType<typeof test>) =>
  run(healthyTests().map((t) => (t.title === title ? replacement : t)));

interface Case {
  readonly name: string;
  readonly input: DecideInput;
  readonly decision: Decision;
  readonly rule: string;
  /** Text the deciding reason's message must contain. */
  readonly mentions?: string;
  readonly warning?: RegExp;
}

const cases: Case[] = [
  { name: 'everything passes and the checking period is over: proceed', input: input(), decision: 'proceed', rule: 'all-checks-passed' },
  {
    name: 'everything passes but the checking period is not over: continue monitoring',
    input: input({
      now: DURING,
      health: health(undefined, { checkingPeriod: { ms: 600_000, monitorUntil: '2026-11-26T10:10:00.000Z', complete: false } }),
    }),
    decision: 'continue-monitoring',
    rule: 'checking-period',
    mentions: '2026-11-26T10:10:00.000Z',
  },
  {
    name: 'a health report made before the end of the period is no evidence for the rest of it',
    input: input({
      health: health(undefined, { checkingPeriod: { ms: 600_000, monitorUntil: '2026-11-26T10:10:00.000Z', complete: false } }),
    }),
    decision: 'inconclusive',
    rule: 'health-stale',
    mentions: 'before the checking period ended',
  },
  {
    name: 'a health report made during the period, read during the period, means keep monitoring',
    input: input({
      now: DURING,
      health: health(undefined, { checkingPeriod: { ms: 600_000, monitorUntil: '2026-11-26T10:10:00.000Z', complete: false } }),
    }),
    decision: 'continue-monitoring',
    rule: 'checking-period',
  },
  {
    name: 'a failing smoke check means rollback, naming the check',
    input: input({
      tests: replaceTest(
        'health endpoint reports the database connected',
        test('health endpoint reports the database connected', ['@smoke'], 'failed'),
      ),
    }),
    decision: 'rollback',
    rule: 'smoke-failure',
    mentions: 'health endpoint reports the database connected',
  },
  {
    name: 'a timed-out smoke check is a failure too',
    input: input({ tests: replaceTest('main page loads', test('main page loads', ['@smoke'], 'timedOut')) }),
    decision: 'rollback',
    rule: 'smoke-failure',
    mentions: 'main page loads',
  },
  {
    name: 'the policy can map a smoke failure to hotfix',
    input: input({
      policy: policy({ smokeFailure: 'hotfix' }),
      tests: replaceTest('main page loads', test('main page loads', ['@smoke'], 'failed')),
    }),
    decision: 'hotfix',
    rule: 'smoke-failure',
  },
  {
    name: 'a failing verify test of a critical feature means rollback',
    input: input({
      tests: replaceTest('search finds a product', test('search finds a product', ['@verify', '@feature:search'], 'failed')),
    }),
    decision: 'rollback',
    rule: 'verify-failure.critical',
    mentions: 'search finds a product',
  },
  {
    name: 'a failing verify test of a blocker feature means rollback',
    input: input({
      manifest: manifest({ features: ['search', 'checkout'] }),
      tests: withTests(test('checkout confirms the order', ['@verify', '@feature:checkout'], 'failed')),
    }),
    decision: 'rollback',
    rule: 'verify-failure.blocker',
  },
  {
    name: 'a failing verify test of a normal feature means hotfix',
    input: input({
      manifest: manifest({ features: ['search', 'orders'] }),
      tests: withTests(test('order shows in history', ['@verify', '@feature:orders'], 'failed')),
    }),
    decision: 'hotfix',
    rule: 'verify-failure.normal',
    mentions: 'order shows in history',
  },
  {
    name: 'a failing verify test of a minor feature means hotfix',
    input: input({
      manifest: manifest({ features: ['search', 'recommendations'] }),
      tests: withTests(test('recommendations show', ['@verify', '@feature:recommendations'], 'failed')),
    }),
    decision: 'hotfix',
    rule: 'verify-failure.minor',
  },
  {
    name: "the test's own severity wins over its feature's",
    input: input({
      tests: replaceTest(
        'search finds a product',
        test('search finds a product', ['@verify', '@feature:search'], 'failed', { severity: 'minor' }),
      ),
    }),
    decision: 'hotfix',
    rule: 'verify-failure.minor',
    mentions: 'test annotation',
  },
  {
    name: 'a verify test with neither severity nor feature takes the policy default (normal → hotfix)',
    input: input({ tests: withTests(test('untagged flow', ['@verify'], 'failed')) }),
    decision: 'hotfix',
    rule: 'verify-failure.normal',
    mentions: 'policy default',
  },
  {
    name: 'the policy default severity can make an untagged verify failure a rollback',
    input: input({ policy: policy({ defaultSeverity: 'critical' }), tests: withTests(test('untagged flow', ['@verify'], 'failed')) }),
    decision: 'rollback',
    rule: 'verify-failure.critical',
  },
  {
    name: 'a major health breach means rollback',
    input: input({ health: health([signal('error_rate', 'fail'), signal('latency_p95', 'pass')]) }),
    decision: 'rollback',
    rule: 'health-breach.major',
    mentions: 'Error rate',
  },
  {
    name: 'a minor health breach means hotfix',
    input: input({ health: health([signal('error_rate', 'pass'), signal('latency_p95', 'fail')]) }),
    decision: 'hotfix',
    rule: 'health-breach.minor',
    mentions: 'Latency p95',
  },
  {
    name: 'a warn-level signal during the checking period means continue monitoring by default',
    input: input({ now: DURING, health: health([signal('error_rate', 'warn'), signal('latency_p95', 'pass')], DURING_PERIOD) }),
    decision: 'continue-monitoring',
    rule: 'health-warn',
    mentions: 'Error rate',
  },
  {
    name: 'a warn-level signal after the checking period is a warning on a release that proceeds',
    input: input({ health: health([signal('error_rate', 'warn'), signal('latency_p95', 'pass')]) }),
    decision: 'proceed',
    rule: 'all-checks-passed',
    mentions: 'with warnings',
    warning: /“Error rate” is at warn level.*checking period ended 2026-11-26T10:10:00\.000Z/,
  },
  {
    name: 'the policy can make a warn-level signal a hotfix while the period runs',
    input: input({
      now: DURING,
      policy: policy({ healthWarn: 'hotfix' }),
      health: health([signal('error_rate', 'warn'), signal('latency_p95', 'pass')], DURING_PERIOD),
    }),
    decision: 'hotfix',
    rule: 'health-warn',
  },
  {
    name: 'a warn still standing when the period ends is a hotfix (warnAtEnd: hotfix, the default)',
    input: input({ health: health([signal('error_rate', 'warn', { warnStanding: true }), signal('latency_p95', 'pass')]) }),
    decision: 'hotfix',
    rule: 'health-warn-at-end.hotfix',
    mentions: 'still standing when the checking period ended',
  },
  {
    name: 'a warn still standing at the end proceeds with a warning when the policy says proceed-with-warning',
    input: input({
      health: health([
        signal('error_rate', 'warn', { warnStanding: true, warnAtEnd: 'proceed-with-warning' }),
        signal('latency_p95', 'pass'),
      ]),
    }),
    decision: 'proceed',
    rule: 'all-checks-passed',
  },
  {
    name: 'a warn that cleared before the period ended is a warning, even when healthWarn is hotfix',
    input: input({
      policy: policy({ healthWarn: 'hotfix' }),
      health: health([signal('error_rate', 'warn'), signal('latency_p95', 'pass')]),
    }),
    decision: 'proceed',
    rule: 'all-checks-passed',
  },
  {
    name: 'a health signal without data makes the verdict inconclusive',
    input: input({ health: health([signal('error_rate', 'inconclusive'), signal('latency_p95', 'pass')]) }),
    decision: 'inconclusive',
    rule: 'health-no-data',
    mentions: 'Error rate',
  },
  {
    name: 'unreachable InfluxDB makes the verdict inconclusive',
    input: input({ health: { kind: 'unavailable', reason: 'InfluxDB at http://127.0.0.1:9 is unreachable (ECONNREFUSED)' } }),
    decision: 'inconclusive',
    rule: 'health-unavailable',
    mentions: 'unreachable',
  },
  {
    name: 'a health gate that could not run makes the verdict inconclusive',
    input: input({ health: health([], { error: 'InfluxDB answered 401: wrong token', outcome: 'inconclusive' }) }),
    decision: 'inconclusive',
    rule: 'health-error',
    mentions: '401',
  },
  {
    name: 'a health report for another version is not evidence for this one',
    input: input({ health: health(undefined, { version: '1.9.0' }) }),
    decision: 'inconclusive',
    rule: 'health-mismatch',
    mentions: '1.9.0',
  },
  {
    name: 'a flaky test alone is only a warning, never a rollback',
    input: input({ tests: replaceTest('main page loads', test('main page loads', ['@smoke'], 'passed', { flaky: true, attempts: 2 })) }),
    decision: 'proceed',
    rule: 'all-checks-passed',
    warning: /flaky.*main page loads/,
  },
  {
    name: 'the policy can make a flaky test a hotfix',
    input: input({
      policy: policy({ flaky: 'hotfix' }),
      tests: replaceTest('main page loads', test('main page loads', ['@smoke'], 'passed', { flaky: true, attempts: 2 })),
    }),
    decision: 'hotfix',
    rule: 'flaky',
    mentions: 'main page loads',
  },
  {
    name: 'an unverified changed feature makes the verdict inconclusive',
    input: input({
      manifest: manifest({ features: ['search', 'recommendations'] }),
      tests: run(healthyTests(), {
        selection: selection({
          manifestFeatures: ['search', 'recommendations'],
          unverified: [{ feature: 'recommendations', reason: 'no @verify test is tagged @feature:recommendations' }],
        }),
      }),
    }),
    decision: 'inconclusive',
    rule: 'unverified-feature',
    mentions: 'recommendations',
  },
  {
    name: 'an unchanged feature without tests in a verify-all run is only a warning',
    input: input({
      tests: run(healthyTests(), {
        selection: selection({
          verifyAll: true,
          selectedFeatures: ['search', 'recommendations'],
          testsPerFeature: { search: 2 },
          unverified: [{ feature: 'recommendations', reason: 'no @verify test is tagged @feature:recommendations' }],
        }),
      }),
    }),
    decision: 'proceed',
    rule: 'all-checks-passed',
    warning: /recommendations.*not changed/,
  },
  {
    name: 'without the selection record, a changed feature with no @verify result is unverified too',
    input: input({ manifest: manifest({ features: ['search', 'orders'] }) }),
    decision: 'inconclusive',
    rule: 'unverified-feature',
    mentions: 'orders',
  },
  {
    name: 'the policy can accept an unverified feature as a hotfix',
    input: input({ policy: policy({ unverifiedFeature: 'hotfix' }), manifest: manifest({ features: ['search', 'orders'] }) }),
    decision: 'hotfix',
    rule: 'unverified-feature',
  },
  {
    name: 'a policy mapping unverified features to proceed leaves only a warning',
    input: input({ policy: policy({ unverifiedFeature: 'proceed' }), manifest: manifest({ features: ['search', 'orders'] }) }),
    decision: 'proceed',
    rule: 'all-checks-passed',
    warning: /orders.*unverified/,
  },
  {
    name: 'a manifest naming no features has nothing to verify, which is not a failure',
    input: input({ manifest: manifest({ features: [] }), tests: run(healthyTests().filter((t) => !t.tags.includes('@verify'))) }),
    decision: 'proceed',
    rule: 'all-checks-passed',
  },
  {
    name: 'uncaught page errors mean hotfix by default',
    input: input({ tests: replaceTest('main page loads', test('main page loads', ['@smoke'], 'passed', { pageErrors: 2 })) }),
    decision: 'hotfix',
    rule: 'page-errors',
    mentions: 'main page loads',
  },
  {
    name: 'the policy can make uncaught page errors a rollback',
    input: input({
      policy: policy({ pageErrors: 'rollback' }),
      tests: replaceTest('main page loads', test('main page loads', ['@smoke'], 'passed', { pageErrors: 1 })),
    }),
    decision: 'rollback',
    rule: 'page-errors',
  },
  {
    name: 'console errors alone are a warning',
    input: input({ tests: replaceTest('main page loads', test('main page loads', ['@smoke'], 'passed', { consoleErrors: 3 })) }),
    decision: 'proceed',
    rule: 'all-checks-passed',
    warning: /3 console errors/,
  },
  {
    name: 'no results file makes the verdict inconclusive, naming the file',
    input: input({ tests: { kind: 'missing', path: '/tmp/reports/results.json', reason: 'no results file at /tmp/reports/results.json' } }),
    decision: 'inconclusive',
    rule: 'results-missing',
    mentions: '/tmp/reports/results.json',
  },
  {
    name: 'zero tests run makes the verdict inconclusive',
    input: input({ tests: run([]) }),
    decision: 'inconclusive',
    rule: 'no-tests-run',
  },
  {
    name: 'tests that were all skipped count as zero tests run',
    input: input({ tests: run(healthyTests().map((t) => ({ ...t, status: 'skipped' as const }))) }),
    decision: 'inconclusive',
    rule: 'no-tests-run',
  },
  {
    name: 'a run-level error is named when nothing ran',
    input: input({ tests: run([], { errors: ['Error: Timed out waiting 60000ms from config.webServer.'] }) }),
    decision: 'inconclusive',
    rule: 'no-tests-run',
    mentions: 'webServer',
  },
  {
    name: 'an unreachable target fails the smoke-tagged reachability probe and means rollback, not inconclusive',
    input: input({
      tests: run([
        {
          ...test('target is reachable', ['@smoke'], 'failed'),
          project: 'setup',
          error: 'Error: target unreachable: http://127.0.0.1:9/ (connect ECONNREFUSED)',
        },
        ...healthyTests()
          .slice(1)
          .map((t) => ({ ...t, status: 'skipped' as const })),
      ]),
    }),
    decision: 'rollback',
    rule: 'smoke-failure',
    mentions: 'target is reachable',
  },
  {
    name: 'a failed setup makes the verdict inconclusive',
    input: input({
      tests: run([
        test('authenticate', [], 'failed'),
        ...healthyTests()
          .slice(1)
          .map((t) => ({ ...t, status: 'skipped' as const })),
      ]),
    }),
    decision: 'inconclusive',
    rule: 'setup-failed',
    mentions: 'authenticate',
  },
  {
    name: 'missing smoke tests make the verdict inconclusive',
    input: input({ tests: run(healthyTests().filter((t) => !t.tags.includes('@smoke'))) }),
    decision: 'inconclusive',
    rule: 'smoke-missing',
  },
  {
    name: 'an interrupted run makes the verdict inconclusive',
    input: input({
      tests: replaceTest(
        'empty search shows the empty state',
        test('empty search shows the empty state', ['@verify', '@feature:search'], 'interrupted'),
      ),
    }),
    decision: 'inconclusive',
    rule: 'tests-interrupted',
  },
  {
    name: 'selected @verify tests that did not run leave the feature unverified',
    input: input({ tests: run(healthyTests().map((t) => (t.tags.includes('@verify') ? { ...t, status: 'skipped' as const } : t))) }),
    decision: 'inconclusive',
    rule: 'verify-not-run',
    mentions: 'search',
  },
  {
    name: 'an unreadable selection record makes the verdict inconclusive',
    input: input({ tests: run(healthyTests(), { selectionProblem: 'verify-selection.json is not valid JSON' }) }),
    decision: 'inconclusive',
    rule: 'selection-unreadable',
  },
  {
    name: 'a missing manifest makes the verdict inconclusive',
    input: input({ manifest: NO_MANIFEST }),
    decision: 'inconclusive',
    rule: 'manifest-missing',
  },
  {
    name: 'smoke checks that were skipped make the verdict inconclusive, not proceed',
    input: input({
      tests: run(
        healthyTests().map((t) => (t.tags.includes('@smoke') && t.title !== 'main page loads' ? { ...t, status: 'skipped' as const } : t)),
      ),
    }),
    decision: 'inconclusive',
    rule: 'smoke-incomplete',
    mentions: '“health endpoint reports the database connected” (skipped), “login works end to end” (skipped) did not run',
  },
  {
    name: 'one skipped smoke check during the checking period is inconclusive, not continue monitoring',
    input: input({
      now: DURING,
      health: health(undefined, DURING_PERIOD),
      tests: replaceTest('login works end to end', test('login works end to end', ['@smoke'], 'skipped')),
    }),
    decision: 'inconclusive',
    rule: 'smoke-incomplete',
    mentions: 'login works end to end',
  },
  {
    name: 'skipped smoke checks do not soften a rollback',
    input: input({
      health: health([signal('error_rate', 'fail'), signal('latency_p95', 'pass')]),
      tests: replaceTest('login works end to end', test('login works end to end', ['@smoke'], 'skipped')),
    }),
    decision: 'rollback',
    rule: 'health-breach.major',
  },
  {
    name: 'smoke checks skipped after a smoke failure leave the failure deciding (fail fast)',
    input: input({
      policy: policy({ smokeFailure: 'hotfix' }),
      tests: run(
        healthyTests().map((t) =>
          t.title === 'main page loads'
            ? test('main page loads', ['@smoke'], 'failed')
            : t.tags.includes('@smoke')
              ? { ...t, status: 'skipped' as const }
              : t,
        ),
      ),
    }),
    decision: 'hotfix',
    rule: 'smoke-failure',
  },
  // ---- tie-breaks: worst wins over the ordered list ----
  {
    name: 'rollback beats inconclusive',
    input: input({
      manifest: NO_MANIFEST,
      health: { kind: 'unavailable', reason: 'InfluxDB unreachable' },
      tests: replaceTest('main page loads', test('main page loads', ['@smoke'], 'failed')),
    }),
    decision: 'rollback',
    rule: 'smoke-failure',
  },
  {
    name: 'inconclusive beats hotfix',
    input: input({
      health: { kind: 'unavailable', reason: 'InfluxDB unreachable' },
      manifest: manifest({ features: ['search', 'orders'] }),
      tests: withTests(test('order shows in history', ['@verify', '@feature:orders'], 'failed')),
    }),
    decision: 'inconclusive',
    rule: 'health-unavailable',
  },
  {
    name: 'hotfix beats continue monitoring',
    input: input({
      now: DURING,
      health: health([signal('error_rate', 'pass'), signal('latency_p95', 'fail')], {
        checkingPeriod: { ms: 600_000, monitorUntil: '2026-11-26T10:10:00.000Z', complete: false },
      }),
    }),
    decision: 'hotfix',
    rule: 'health-breach.minor',
  },
  {
    name: 'continue monitoring beats proceed',
    input: input({ now: DURING, health: health([signal('error_rate', 'warn'), signal('latency_p95', 'pass')], DURING_PERIOD) }),
    decision: 'continue-monitoring',
    rule: 'health-warn',
  },
  {
    name: 'the deciding reason is the first of the worst: smoke before health',
    input: input({
      health: health([signal('error_rate', 'fail'), signal('latency_p95', 'pass')]),
      tests: replaceTest('main page loads', test('main page loads', ['@smoke'], 'failed')),
    }),
    decision: 'rollback',
    rule: 'smoke-failure',
  },
  {
    name: 'a flaky smoke test plus a minor breach is a hotfix, not a rollback',
    input: input({
      health: health([signal('error_rate', 'pass'), signal('latency_p95', 'fail')]),
      tests: replaceTest('main page loads', test('main page loads', ['@smoke'], 'passed', { flaky: true, attempts: 2 })),
    }),
    decision: 'hotfix',
    rule: 'health-breach.minor',
  },
];

describe('verdict engine', () => {
  for (const c of cases) {
    it(c.name, () => {
      const v = decide(c.input);
      assert.equal(v.decision, c.decision, `reasons: ${JSON.stringify(v.reasons.map((r) => `${r.decision}:${r.rule}`))}`);
      assert.equal(v.decidingReason.rule, c.rule);
      assert.equal(v.decidingReason.decision, c.decision);
      if (c.mentions) assert.match(v.decidingReason.message, new RegExp(c.mentions.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
      if (c.warning)
        assert.ok(
          v.warnings.some((w) => c.warning!.test(w)),
          `warnings: ${JSON.stringify(v.warnings)}`,
        );
      // Every reason names its rule, the value seen and the limit.
      for (const r of v.reasons) {
        assert.ok(r.rule && r.observed && r.limit && r.message, `incomplete reason ${JSON.stringify(r)}`);
      }
      // The deciding reason is the first reason carrying the worst decision.
      assert.equal(
        v.reasons.find((r) => r.decision === v.decision),
        v.decidingReason,
      );
    });
  }

  it('a flaky test is never a rollback, whatever else the policy says', () => {
    for (const flaky of ['warn', 'hotfix'] as const) {
      const v = decide(input({ policy: policy({ flaky }), tests: run(healthyTests().map((t) => ({ ...t, flaky: true, attempts: 2 }))) }));
      assert.notEqual(v.decision, 'rollback');
    }
  });

  it('continue monitoring carries the time until which to keep watching', () => {
    const v = decide(input({ now: DURING, health: { kind: 'unavailable', reason: 'x' } }));
    assert.equal(v.monitorUntil, '2026-11-26T10:10:00.000Z');
    const w = decide(
      input({
        now: DURING,
        health: health(undefined, { checkingPeriod: { ms: 600_000, monitorUntil: '2026-11-26T10:10:00.000Z', complete: false } }),
      }),
    );
    assert.equal(w.decision, 'continue-monitoring');
    assert.equal(w.monitorUntil, '2026-11-26T10:10:00.000Z');
    assert.match(w.decidingReason.observed, /4m of 10m/);
  });

  it('the checking period comes from the policy for the change size when there is no health report', () => {
    const v = decide(input({ manifest: manifest({ changeSize: 'major' }), health: { kind: 'unavailable', reason: 'x' } }));
    assert.equal(v.monitorUntil, '2026-11-26T14:00:00.000Z');
    assert.equal(v.evidence.period.ms, 4 * 3_600_000);
  });

  it('the evidence counts each input', () => {
    const v = decide(
      input({
        manifest: manifest({ features: ['search', 'orders'] }),
        tests: withTests(test('order shows in history', ['@verify', '@feature:orders'], 'failed')),
      }),
    );
    assert.deepEqual([v.evidence.smoke.total, v.evidence.smoke.passed, v.evidence.verify.total, v.evidence.verify.failed], [3, 3, 3, 1]);
    const orders = v.evidence.verify.features.find((f) => f.feature === 'orders');
    assert.equal(orders?.state, 'failed');
    assert.equal(orders?.severity, 'normal');
    assert.equal(v.evidence.verify.failures[0]?.severity, 'normal');
    assert.equal(v.evidence.health.kind, 'report');
  });

  it('the decision order is rollback > inconclusive > hotfix > continue-monitoring > proceed', () => {
    const ordered: Decision[] = ['rollback', 'inconclusive', 'hotfix', 'continue-monitoring', 'proceed'];
    for (let i = 0; i < ordered.length; i++) {
      for (let j = i; j < ordered.length; j++)
        assert.equal(worstDecision([ordered[j]!, ordered[i]!]), ordered[i], `${ordered[i]} vs ${ordered[j]}`);
    }
    assert.deepEqual([...DECISIONS].reverse(), ordered);
  });

  it('exit codes: 0 proceed and continue monitoring, 1 rollback, 2 hotfix, 3 inconclusive', () => {
    assert.deepEqual(ordered().map(exitCodeFor), [1, 3, 2, 0, 0]);
    function ordered(): Decision[] {
      return ['rollback', 'inconclusive', 'hotfix', 'continue-monitoring', 'proceed'];
    }
  });
});
