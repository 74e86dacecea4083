// The verdict as people read it, from plain data: Allure steps (no message on a pass, real times, observed values),
// the description HTML (decision first, tables that wrap, a rendered checklist), and the junit.xml testcase.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { verdictDescriptionHtml } from '../../scripts/adapters/allure/description.ts';
import { observedText } from '../../scripts/adapters/allure/observed.ts';
import { checklistStep, decisionStep, healthSteps, smokeStep, type StepSpec } from '../../scripts/adapters/allure/verdict-steps.ts';
import { JUNIT_SUITE, junitWithVerdict, verdictCase } from '../../scripts/adapters/junit.ts';
import type { VerdictContext } from '../../scripts/adapters/verdict-files.ts';
import { decide } from '../../scripts/engine/verdict/index.ts';
import type { HealthInput, TestRun, Verdict } from '../../scripts/engine/types.ts';
import { AFTER, FEATURES, health, healthyTests, manifest, policy, run, series, signal, test } from './verdict-fixtures.ts';

const POLICY = policy();
const ctx: VerdictContext = {
  target: 'https://shop.example.com',
  service: 'demo-shop',
  policy: { policy: POLICY, path: '/repo/policy.json', digest: 'sha256:feedbeef' },
  manifest: manifest(),
  secrets: [],
};
const SPAN = { start: Date.parse('2026-11-26T10:14:00Z'), stop: Date.parse('2026-11-26T10:14:01Z') };
const verdictOf = (tests: TestRun, h: HealthInput): Verdict =>
  decide({ policy: POLICY, manifest: ctx.manifest, tests, health: h, appFeatures: FEATURES, now: AFTER });
const walk = (steps: readonly StepSpec[]): StepSpec[] => steps.flatMap((s) => [s, ...walk(s.steps)]);
const chart = () => ({ name: 'chart', type: 'image/svg+xml', ext: 'svg', body: '<svg/>' });

describe('Allure steps of the verdict', () => {
  const timed = healthyTests().map((t, i) => ({
    ...t,
    startedAt: new Date(Date.parse('2026-11-26T10:01:00Z') + i * 1000).toISOString(),
    durationMs: 700,
  }));
  const tests = run(timed);
  const v = verdictOf(tests, health());

  it('a passed step carries no message (Allure would show it as an "Error" box); facts go into its name and parameters', () => {
    const steps = [
      smokeStep(v, tests, SPAN),
      ...healthSteps(health(), POLICY, SPAN, chart),
      checklistStep(v, SPAN),
      decisionStep(v, POLICY, 'policy.json', SPAN),
    ];
    const passed = walk(steps).filter((s) => s.status === 'passed');
    assert.ok(passed.length > 10);
    for (const s of passed) assert.equal(s.message, undefined, s.name);
    assert.equal(steps[0]!.name, 'Smoke: 3 of 3 checks passed');
    assert.equal(steps.at(-1)!.name, 'Decision: PROCEED (rule all-checks-passed)');
  });

  it('a failed step keeps its message', () => {
    const failing = run([
      ...healthyTests().slice(0, 2),
      test('health endpoint reports the database connected', ['@smoke'], 'failed', { error: 'expected 200, got 500' }),
    ]);
    const smoke = smokeStep(verdictOf(failing, health()), failing, SPAN);
    assert.equal(smoke.status, 'failed');
    assert.equal(smoke.message, '1 of 2 checks failed');
    assert.equal(smoke.steps.find((s) => s.status === 'failed')?.message, 'expected 200, got 500');
  });

  it('steps take the real times of the tests they hold', () => {
    const smoke = smokeStep(v, tests, SPAN);
    const first = smoke.steps[0]!;
    assert.equal(first.start, Date.parse('2026-11-26T10:01:01Z'));
    assert.equal(first.stop - first.start, 700);
    assert.equal(smoke.start, first.start);
    assert.equal(smoke.stop, smoke.steps.at(-1)!.stop);
    assert.ok(smoke.stop - smoke.start > 0);
  });

  it('every rule shows what it observed: the statistical rule its p-value, even against a zero baseline', () => {
    const s = signal('error_rate', 'fail', {
      series: {
        current: series('2026-11-26T10:00:00Z', [3, 4, 5, 6, 5, 4, 6, 5]),
        baseline: series('2026-11-26T09:50:00Z', [0, 0, 0, 0, 0, 0, 0, 0]),
      },
      current: 4.75,
      baseline: 0,
    });
    const text = observedText(
      { rule: 'statistical', outcome: 'fail', observed: null, limit: 'Mann-Whitney', reason: 'x' },
      s,
      POLICY.signals[0],
    );
    assert.match(text, /^p = 0\.000\d+|^p = \d\.\de-4/);
    assert.match(text, /effect undefined \(baseline mean 0\)/);
    assert.equal(
      observedText({ rule: 'absolute', outcome: 'fail', observed: 4.75, limit: '≤ 1 %', reason: 'x' }, s, POLICY.signals[0]),
      'mean 4.75 %',
    );
    assert.equal(observedText({ rule: 'trend', outcome: 'pass', observed: 0.5, limit: 'slope', reason: 'x' }, s), 'slope +0.5 %/min');
    const steps = healthSteps(health([s]), POLICY, SPAN, chart);
    assert.ok(walk(steps).every((x) => x.parameters.find((p) => p.name === 'observed')?.value !== 'no data'));
  });
});

describe('the description', () => {
  const rollback = verdictOf(run(), health([signal('error_rate', 'fail'), signal('latency_p95', 'pass')]));
  const html = verdictDescriptionHtml(rollback, { ...ctx, links: { run: 'https://ci.example/runs/1' } }, [
    { title: 'Error rate', svg: '<svg xmlns="http://www.w3.org/2000/svg"/>' },
  ]);

  it('opens with the decision and the release, then one "why" line', () => {
    assert.match(html, /class="headline"[^>]*><strong[^>]*>ROLLBACK · demo-shop 2\.0\.0</);
    assert.match(html, /class="why"[^>]*><strong>Why:<\/strong> Health signal “Error rate” breached/);
    assert.ok(html.indexOf('class="headline"') < html.indexOf('class="why"'));
    assert.match(html, /href="https:\/\/ci\.example\/runs\/1"/);
  });

  it('lays every table out to the frame width, so long text wraps instead of cutting columns off', () => {
    const tables = html.match(/<table [^>]*>/g) ?? [];
    assert.equal(tables.length, 2);
    for (const t of tables) assert.match(t, /table-layout:fixed;width:100%/);
    assert.match(html, /<th [^>]*>Result<\/th>/);
    assert.ok(!/<table[\s\S]*?>Limit<\/th>[\s\S]*?<th [^>]*>Samples/.test(html), 'limits and samples live in the steps');
  });

  it('renders the checklist as marks, never as literal [x]', () => {
    assert.ok(!html.includes('[x]') && !html.includes('[ ]'));
    assert.match(html, /class="check-done"[^>]*>✓</);
    assert.match(html, /class="check-failed"[^>]*>✗</);
  });

  it('shows the failing chart inline as an image, and escapes what it quotes', () => {
    assert.match(html, /<img class="signal-chart" alt="Error rate: current vs baseline"[^>]*src="data:image\/svg\+xml;base64,/);
    const hostile = verdictDescriptionHtml(verdictOf(run([test('<img src=x onerror=alert(1)>', ['@smoke'], 'failed')]), health()), ctx, []);
    assert.ok(!hostile.includes('<img src=x'));
  });
});

describe('junit.xml', () => {
  const PLAYWRIGHT = `<testsuites id="" name="" tests="2" failures="0" skipped="0" errors="0" time="1.5">
<testsuite name="tests/smoke/smoke.spec.ts" timestamp="2026-11-26T10:01:00.000Z" hostname="smoke" tests="2" failures="0" skipped="0" time="1.5" errors="0">
<testcase name="main page loads" classname="tests/smoke/smoke.spec.ts" time="0.7">
<system-out>
<![CDATA[hello & <world>]]>
</system-out>
</testcase>
<testcase name="health" classname="tests/smoke/smoke.spec.ts" time="0.8">
</testcase>
</testsuite>
</testsuites>`;
  const parse = (xml: string) =>
    new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
      testsuites: Record<string, unknown> & { testsuite: unknown };
    };
  const cases = [
    { decision: 'rollback', h: health([signal('error_rate', 'fail')]), element: 'failure', totals: ['3', '1', '0'] },
    {
      decision: 'inconclusive',
      h: { kind: 'unavailable', reason: 'InfluxDB unreachable' } as const,
      element: 'error',
      totals: ['3', '0', '1'],
    },
    { decision: 'proceed', h: health(), element: undefined, totals: ['3', '0', '0'] },
  ] as const;
  for (const c of cases) {
    it(`a ${c.decision} verdict is ${c.element ? `a testcase with <${c.element}>` : 'a passing testcase'}, counted in the root's totals`, () => {
      const v = verdictOf(run(), c.h);
      assert.equal(v.decision, c.decision);
      const xml = junitWithVerdict(PLAYWRIGHT, verdictCase(v, ctx, 1.25));
      assert.equal(XMLValidator.validate(xml), true);
      const root = parse(xml).testsuites;
      assert.deepEqual([root.tests, root.failures, root.errors], [...c.totals]);
      const suites = root.testsuite as { name: string; testcase: Record<string, unknown> }[];
      const ours = suites.find((s) => s.name === JUNIT_SUITE)!;
      assert.equal(ours.testcase.name, 'Release verdict');
      if (c.element)
        assert.match(
          String((ours.testcase[c.element] as { message: string }).message),
          new RegExp(`^${c.decision.toUpperCase()} · demo-shop 2\\.0\\.0 — `),
        );
      else assert.ok(!('failure' in ours.testcase) && !('error' in ours.testcase));
      assert.match(String(ours.testcase['system-out']), /Reasons:\n- /);
      assert.ok(xml.includes('<![CDATA[hello & <world>]]>'), "the run's own output is kept as it was");
    });
  }

  it('a second verdict replaces the first, and a file of the verdict alone is written when the run left none', () => {
    const once = junitWithVerdict(PLAYWRIGHT, verdictCase(verdictOf(run(), health([signal('error_rate', 'fail')])), ctx, 1));
    const twice = junitWithVerdict(once, verdictCase(verdictOf(run(), health()), ctx, 1));
    assert.equal(twice.split(JUNIT_SUITE).length - 1, 1);
    assert.equal(parse(twice).testsuites.failures, '0');
    const alone = parse(junitWithVerdict(undefined, verdictCase(verdictOf(run(), health()), ctx, 1)));
    assert.equal(alone.testsuites.tests, '1');
  });
});
