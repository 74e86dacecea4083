// A demo-like release for the report tests, as the verdict step would write it: three health signals (an error-rate
// fault or none), the suite's tests with real times and their allure-playwright results, then the real Allure report.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { generateReport } from '../../scripts/adapters/allure/generate.ts';
import { labelTestResults } from '../../scripts/adapters/allure/labels.ts';
import { writeAllureVerdict } from '../../scripts/adapters/allure/writer.ts';
import { writeVerdictFiles, type VerdictContext } from '../../scripts/adapters/verdict-files.ts';
import { decide, testDecision } from '../../scripts/engine/verdict/index.ts';
import type { HealthReport, TestOutcome, Verdict } from '../../scripts/engine/types.ts';
import { AFTER, DEPLOYED_AT, FEATURES, health, healthyTests, manifest, policy, run, series, signal } from '../unit/verdict-fixtures.ts';

const POLICY = policy(
  {},
  {
    signals: [
      {
        id: 'error_rate',
        title: 'Error rate',
        unit: '%',
        query: { template: 'error_rate' },
        severity: 'major',
        absolute: { warn: 0.5, fail: 1 },
        statistical: { minShift: 0.5 },
      },
      {
        id: 'latency_p95',
        title: 'Latency p95',
        unit: 'ms',
        query: { template: 'latency_p95' },
        severity: 'minor',
        absolute: { warn: 300, fail: 500 },
        relative: { maxRatio: 1.5, warnRatio: 1.2 },
      },
      {
        id: 'request_rate',
        title: 'Request rate',
        unit: 'req/s',
        query: { template: 'request_rate' },
        severity: 'major',
        direction: 'lower-is-worse',
        relative: { maxRatio: 2, warnRatio: 1.4 },
      },
    ],
  },
);
const BASELINE_START = '2026-11-26T09:50:00.000Z';
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Three signals, as the health gate reports them for a release with an error-rate fault (or without). */
function signals(faulty: boolean): HealthReport['signals'] {
  const errs = faulty ? [0, 10.5, 3.7, 0, 5.6, 0, 11.8, 7.7, 5.7, 0] : [0.1, 0, 0.2, 0.1, 0, 0.1, 0.2, 0, 0.1, 0.1];
  const p95 = faulty ? [9.1, 9.8, 10.2, 9.4, 9.9, 10.1, 9.6, 9.7, 9.3, 9.8] : [3.3, 3.2, 3.4, 3.1, 3.3, 3.2, 3.3, 3.4, 3.2, 3.3];
  const rate = [10.2, 10.6, 10.4, 10.5, 10.7, 10.3, 10.6, 10.5, 10.4, 10.6];
  const p95Base = [3.2, 3.3, 3.2, 3.1, 3.3, 3.2, 3.2, 3.3, 3.2, 3.2];
  const cur = (values: number[]) => series(DEPLOYED_AT, values);
  const base = (values: number[]) => series(BASELINE_START, values);
  const rule = (r: HealthReport['signals'][number]['rules'][number]) => r;
  return [
    signal('error_rate', faulty ? 'fail' : 'pass', {
      reason: faulty ? 'mean 4.5 % is above the fail level 1 %' : 'mean 0.09 % is within ≤ 1 %',
      current: mean(errs),
      baseline: 0,
      delta: mean(errs),
      deltaPct: null,
      limit: '≤ 1 % (warn beyond 0.5 %); Mann-Whitney p ≥ 0.02 or effect ≤ ×1.25 or shift ≤ +0.5 %',
      series: { current: cur(errs), baseline: base(Array(10).fill(0)) },
      rules: [
        rule({ rule: 'samples', outcome: 'pass', observed: 10, limit: '≥ 5 samples', reason: '10 current and 10 baseline samples' }),
        rule({
          rule: 'absolute',
          outcome: faulty ? 'fail' : 'pass',
          observed: mean(errs),
          limit: '≤ 1 % (warn beyond 0.5 %)',
          reason: faulty ? 'mean 4.5 % is above the fail level 1 %' : 'mean 0.09 % is within ≤ 1 %',
        }),
        rule({
          rule: 'statistical',
          outcome: faulty ? 'fail' : 'pass',
          observed: null,
          limit: 'Mann-Whitney p ≥ 0.02 or effect ≤ ×1.25 or shift ≤ +0.5 %',
          reason: faulty
            ? 'current is significantly higher than the baseline beyond the 25 % tolerance (p=0.0047, effect from a zero baseline)'
            : 'no significant difference from the baseline',
        }),
      ],
    }),
    signal('latency_p95', faulty ? 'fail' : 'pass', {
      reason: faulty ? 'mean 9.69 ms vs baseline 3.22 ms is beyond the allowed 4.83 ms (baseline × 1.5)' : 'within limits',
      current: mean(p95),
      baseline: mean(p95Base),
      delta: mean(p95) - mean(p95Base),
      deltaPct: ((mean(p95) - mean(p95Base)) / mean(p95Base)) * 100,
      limit: '≤ 500 ms (warn beyond 300 ms); ≤ baseline × 1.5 = 4.83 ms',
      series: { current: cur(p95), baseline: base(p95Base) },
      rules: [
        rule({ rule: 'samples', outcome: 'pass', observed: 10, limit: '≥ 5 samples', reason: '10 current and 10 baseline samples' }),
        rule({ rule: 'absolute', outcome: 'pass', observed: mean(p95), limit: '≤ 500 ms (warn beyond 300 ms)', reason: 'within ≤ 500 ms' }),
        rule({
          rule: 'relative',
          outcome: faulty ? 'fail' : 'pass',
          observed: mean(p95),
          limit: '≤ baseline × 1.5 = 4.83 ms',
          reason: faulty ? 'beyond the allowed 4.83 ms' : 'within 4.83 ms',
        }),
      ],
    }),
    signal('request_rate', 'pass', {
      title: 'Request rate',
      unit: 'req/s',
      direction: 'lower-is-worse',
      severity: 'major',
      reason: 'mean 10.5 req/s vs baseline 8.5 req/s is within 4.25 req/s (baseline ÷ 2)',
      current: mean(rate),
      baseline: 8.5,
      delta: mean(rate) - 8.5,
      deltaPct: ((mean(rate) - 8.5) / 8.5) * 100,
      limitValue: null,
      limit: '≥ baseline ÷ 2 = 4.25 req/s',
      series: { current: cur(rate), baseline: base(Array(10).fill(8.5)) },
      rules: [
        rule({ rule: 'samples', outcome: 'pass', observed: 10, limit: '≥ 5 samples', reason: '10 current and 10 baseline samples' }),
        rule({
          rule: 'relative',
          outcome: 'pass',
          observed: mean(rate),
          limit: '≥ baseline ÷ 2 = 4.25 req/s',
          reason: 'within 4.25 req/s',
        }),
      ],
    }),
  ];
}

/** The suite's tests with the times a real run gives them. */
function suiteTests(): TestOutcome[] {
  const t0 = Date.parse('2026-11-26T10:01:00Z');
  return healthyTests().map((t, i) => ({ ...t, startedAt: new Date(t0 + i * 1500).toISOString(), durationMs: 1200 }));
}

/** What allure-playwright writes for each of those tests: named `<file> › <title>`, grouped by project and file. */
function writeSuiteResults(resultsDir: string, tests: readonly TestOutcome[]): void {
  fs.mkdirSync(resultsDir, { recursive: true });
  for (const t of tests) {
    const fullName = `${t.file} › ${t.title}`;
    const uuid = crypto.randomUUID();
    const start = Date.parse(t.startedAt!);
    const id = crypto.createHash('md5').update(fullName).digest('hex');
    const result = {
      uuid,
      historyId: id,
      testCaseId: id,
      fullName,
      name: t.title,
      status: t.status,
      statusDetails: {},
      stage: 'finished',
      start,
      stop: start + t.durationMs,
      labels: [
        { name: 'parentSuite', value: t.project },
        { name: 'suite', value: t.file },
      ],
      links: [],
      parameters: [],
      steps: [],
      attachments: [],
    };
    fs.writeFileSync(path.join(resultsDir, `${uuid}-result.json`), JSON.stringify(result));
  }
}

/** One release's verdict into a reports dir (verdict files, the Allure result, labels), then the real report. */
export async function release(reportsDir: string, version: string, faulty: boolean): Promise<Verdict> {
  const ctx: VerdictContext = {
    target: 'http://127.0.0.1:41529',
    service: 'demo-shop',
    policy: { policy: POLICY, path: '/repo/apps/demo-shop/policy.json', digest: `sha256:${'b4'.repeat(32)}` },
    manifest: manifest({ version, previousVersion: '1.4.0', features: ['search'] }),
    secrets: [],
    links: { run: 'https://ci.example/acme/shop/actions/runs/4242', commit: 'https://ci.example/acme/shop/commit/abc1234' },
  };
  const tests = run(suiteTests());
  const h = health([...signals(faulty)], { version });
  const verdict = decide({ policy: POLICY, manifest: ctx.manifest, tests, health: h, appFeatures: FEATURES, now: AFTER });
  const resultsDir = path.join(reportsDir, 'allure-results');
  if (!fs.existsSync(resultsDir)) writeSuiteResults(resultsDir, tests.kind === 'ok' ? tests.tests : []);
  writeVerdictFiles(verdict, ctx, { reportsDir });
  const at = Date.parse(verdict.decidedAt);
  writeAllureVerdict({
    resultsDir,
    verdict,
    ctx,
    tests,
    health: h,
    timings: { health: { start: at - 850, stop: at - 40 }, decide: { start: at - 40, stop: at } },
  });
  if (tests.kind === 'ok') labelTestResults(resultsDir, tests.tests, (t) => testDecision(t, POLICY.verdict, FEATURES));
  await generateReport({ reportsDir, log: () => {} });
  return verdict;
}
