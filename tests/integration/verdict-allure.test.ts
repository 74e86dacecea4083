// The "Release verdict" in a REAL Allure 3 report: steps, chart attachments, labels, categories, environment, and history kept across runs.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import { writeAllureVerdict } from '../../scripts/adapters/allure/writer.ts';
import { writeVerdictFiles, type VerdictContext } from '../../scripts/adapters/verdict-files.ts';
import { decide, testDecision } from '../../scripts/engine/verdict/index.ts';
import { labelTestResults } from '../../scripts/adapters/allure/labels.ts';
import type { HealthInput, SignalResult, TestRun } from '../../scripts/engine/types.ts';
import { generateReport } from '../../scripts/adapters/allure/generate.ts';
import { AFTER, FEATURES, health, healthyTests, manifest, policy, run, signal, test } from '../unit/verdict-fixtures.ts';

/** The deciding rule's per-interval evidence, as the health engine records it. */
const EVIDENCE: NonNullable<SignalResult['evidence']> = {
  rule: 'recent',
  scope: 'the last 3 intervals (10:07–10:10)',
  levels: { warn: 0.5, fail: 1 },
  summary: '2 of 3 intervals beyond the fail level; longest run 2 (10:08–10:10)',
  intervals: [
    { t: '2026-11-26T10:07:00Z', v: 0.2, state: 'ok' },
    { t: '2026-11-26T10:08:00Z', v: 2.4, state: 'breach' },
    { t: '2026-11-26T10:09:00Z', v: 2.5, state: 'breach' },
  ],
};

interface ReportStep {
  name?: string;
  type?: string;
  status?: string;
  parameters?: { name: string; value: string }[];
  steps?: ReportStep[];
  link?: { id: string; ext: string; contentType: string; name: string };
}
interface ReportResult {
  name: string;
  status: string;
  labels: { name: string; value: string }[];
  steps: ReportStep[];
  history?: unknown[];
  categories?: { name: string }[];
}

const POLICY = policy();

let reportsDir: string;
const resultsDir = () => path.join(reportsDir, 'allure-results');

function ctx(): VerdictContext {
  return {
    target: 'http://127.0.0.1:3000',
    service: 'demo-shop',
    policy: { policy: POLICY, path: '/repo/aftercheck.policy.json', digest: 'sha256:0123456789abcdef' },
    manifest: manifest({ features: ['search', 'orders'] }),
    secrets: [],
  };
}

function writeVerdict(tests: TestRun, h: HealthInput) {
  const c = ctx();
  const verdict = decide({ policy: POLICY, manifest: c.manifest, tests, health: h, appFeatures: FEATURES, now: AFTER });
  writeVerdictFiles(verdict, c, { reportsDir });
  const written = writeAllureVerdict({ resultsDir: resultsDir(), verdict, ctx: c, tests, health: h });
  if (tests.kind === 'ok') labelTestResults(resultsDir(), tests.tests, (t) => testDecision(t, POLICY.verdict, FEATURES));
  return { verdict, written };
}

/** Results as allure-playwright writes them for the suite's own tests (named `<file> › <title>`, project as parentSuite). */
function writeSuiteResult(name: string, status: string, labels: [string, string][], flaky = false) {
  const project = labels.find(([n]) => n === 'parentSuite')?.[1] ?? 'smoke';
  const uuid = crypto.randomUUID();
  const result = {
    uuid,
    historyId: crypto.createHash('md5').update(name).digest('hex'),
    testCaseId: crypto.createHash('md5').update(name).digest('hex'),
    fullName: `tests/${project}/x.spec.ts › ${name}`,
    name,
    status,
    statusDetails: { ...(status !== 'passed' ? { message: `${name} failed` } : {}), ...(flaky ? { flaky: true } : {}) },
    stage: 'finished',
    start: Date.parse('2026-11-26T10:01:00Z'),
    stop: Date.parse('2026-11-26T10:01:02Z'),
    labels: labels.map(([n, v]) => ({ name: n, value: v })),
    links: [],
    parameters: [],
    steps: [],
    attachments: [],
  };
  fs.writeFileSync(path.join(resultsDir(), `${uuid}-result.json`), JSON.stringify(result));
}

function reportResults(): ReportResult[] {
  const dir = path.join(reportsDir, 'allure-report/data/test-results');
  return fs.readdirSync(dir).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as ReportResult);
}
const verdictResult = () => {
  const found = reportResults().filter((r) => r.name.startsWith('Release verdict: '));
  assert.equal(found.length, 1, 'exactly one Release verdict in the report');
  return found[0]!;
};
const historyLines = () => fs.readFileSync(path.join(reportsDir, 'allure-history.jsonl'), 'utf8').split('\n').filter(Boolean).length;

describe('Release verdict in the Allure report (real allure generate)', () => {
  before(async () => {
    reportsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-verdict-allure-'));
    fs.mkdirSync(resultsDir(), { recursive: true });
    const tests = run(
      [
        ...healthyTests().map((t) =>
          t.title === 'health endpoint reports the database connected'
            ? test(t.title, ['@smoke'], 'failed', { error: 'expected 200, got 500' })
            : t,
        ),
        test('order shows in history', ['@verify', '@feature:orders'], 'failed'),
      ].map((t) => (t.title === 'authenticate' ? test('authenticate', [], 'failed') : t)),
    );
    writeSuiteResult('order shows in history', 'failed', [
      ['tag', 'verify'],
      ['tag', 'feature:orders'],
      ['parentSuite', 'verify'],
    ]);
    writeSuiteResult('authenticate', 'broken', [['parentSuite', 'setup']]);
    writeSuiteResult(
      'search finds a product',
      'passed',
      [
        ['tag', 'verify'],
        ['tag', 'feature:search'],
        ['parentSuite', 'verify'],
      ],
      true,
    );
    // As in a real run: the suite's results are there before the verdict labels them.
    writeVerdict(tests, health([signal('error_rate', 'fail', { evidence: EVIDENCE }), signal('latency_p95', 'pass')]));
    await generateReport({ reportsDir, log: () => {} });
  });
  after(() => fs.rmSync(reportsDir, { recursive: true, force: true }));

  it('contains the Release verdict, failed for a rollback, named with the decision, at the top of the tree, with a blocker severity', () => {
    const r = verdictResult();
    assert.equal(r.name, 'Release verdict: ROLLBACK · demo-shop 2.0.0');
    assert.equal(r.status, 'failed');
    const label = (n: string) => r.labels.filter((l) => l.name === n).map((l) => l.value);
    for (const grouping of ['epic', 'parentSuite', 'suite'])
      assert.deepEqual(label(grouping), [], `no ${grouping}: the verdict is a root entry`);
    assert.deepEqual(label('feature'), ['Release verdict']);
    assert.deepEqual(label('severity'), ['blocker']);
    assert.deepEqual(label('aftercheck.decision'), ['rollback']);
  });

  it('has the steps Smoke, Verify (one per feature), one per health signal, the checklist and a final Decision naming the rule', () => {
    const steps = verdictResult().steps.filter((s) => s.type === 'step');
    assert.deepEqual(
      steps.map((s) => s.name),
      [
        'Smoke: 1 of 3 checks failed',
        'Verify: 2 of 3 @verify tests passed',
        'Health: Error rate — fail',
        'Health: Latency p95 — pass',
        'Post-release checklist: 2 of 6 done',
        'Decision: ROLLBACK (rule smoke-failure)',
      ],
    );
    assert.equal(steps[0]!.status, 'failed');
    assert.deepEqual(
      steps[1]!.steps!.map((s) => s.name),
      ['Feature search (Product search): passed, 2 of 2 passed', 'Feature orders (Order history): failed, 0 of 1 passed'],
    );
    assert.equal(steps[2]!.status, 'failed');
    assert.equal(steps[3]!.status, 'passed');
    assert.deepEqual(steps[2]!.parameters!.map((p) => p.name).slice(0, 4), ['current', 'baseline', 'change', 'samples']);
    assert.equal(steps[2]!.parameters!.find((p) => p.name === 'samples')?.value, '10 current / 10 baseline');
  });

  it('attaches one SVG chart per health signal, and the chart files are valid SVG', () => {
    const steps = verdictResult().steps.filter((s) => s.name?.startsWith('Health: '));
    assert.equal(steps.length, 2);
    for (const s of steps) {
      const title = s.name!.slice('Health: '.length).split(' — ')[0]!;
      const charts = (s.steps ?? []).filter((x) => x.type === 'attachment' && x.link?.contentType === 'image/svg+xml');
      assert.equal(charts.length, 1, `${s.name} has one chart`);
      const file = path.join(reportsDir, 'allure-report/data/attachments', `${charts[0]!.link!.id}${charts[0]!.link!.ext}`);
      const svg = fs.readFileSync(file, 'utf8');
      assert.equal(XMLValidator.validate(svg), true);
      assert.match(svg, new RegExp(`<title>${title}`));
      assert.match(svg, /class="limit limit-fail/);
      assert.match(svg, /class="deploy"/);
    }
  });

  it("shows the deciding rule's per-interval evidence under the signal, with every interval as CSV", () => {
    const errors = verdictResult().steps.find((s) => s.name?.startsWith('Health: Error rate — '))!;
    const evidence = (errors.steps ?? []).find((x) => x.type === 'step' && x.name?.startsWith('Evidence'))!;
    assert.equal(evidence.name, 'Evidence (recent): 2 of 3 intervals beyond the fail level; longest run 2 (10:08–10:10)');
    assert.equal(evidence.status, 'failed');
    assert.match(JSON.stringify(evidence), /2 of 3 intervals beyond the fail level/);
    const csv = (evidence.steps ?? []).find((x) => x.type === 'attachment' && x.link?.contentType === 'text/csv')!;
    const body = fs.readFileSync(path.join(reportsDir, 'allure-report/data/attachments', `${csv.link!.id}${csv.link!.ext}`), 'utf8');
    assert.equal(
      body,
      'interval start,value,state,limit,expected\n2026-11-26T10:07:00Z,0.2,ok,1,\n2026-11-26T10:08:00Z,2.4,breach,1,\n2026-11-26T10:09:00Z,2.5,breach,1,\n',
    );
  });

  it('attaches verdict.json and verdict.md', () => {
    const atts = verdictResult()
      .steps.filter((s) => s.type === 'attachment')
      .map((s) => [s.link!.name, s.link!.contentType]);
    assert.deepEqual(atts, [
      ['verdict.json', 'application/json'],
      ['verdict.md', 'text/markdown'],
    ]);
  });

  it('sorts results into the categories Rollback-worthy, Hotfix-worthy, Inconclusive and Flaky', () => {
    const widget = JSON.parse(fs.readFileSync(path.join(reportsDir, 'allure-report/widgets/categories.json'), 'utf8')) as {
      nodes: Record<string, { type: string; name: string }>;
    };
    const names = Object.values(widget.nodes)
      .filter((n) => n.type === 'category')
      .map((n) => n.name);
    for (const c of ['Rollback-worthy', 'Hotfix-worthy', 'Inconclusive', 'Flaky'])
      assert.ok(names.includes(c), `${c} in ${JSON.stringify(names)}`);
    const byName = new Map(reportResults().map((r) => [r.name, (r.categories ?? []).map((c) => c.name)]));
    assert.deepEqual(byName.get('Release verdict: ROLLBACK · demo-shop 2.0.0'), ['Rollback-worthy']);
    assert.deepEqual(byName.get('order shows in history'), ['Hotfix-worthy'], 'orders is a normal feature: hotfix by the policy');
    assert.deepEqual(byName.get('authenticate'), ['Inconclusive']);
  });

  it('shows the verdict first in the environment widget, then the release, and the target once', () => {
    const env = JSON.parse(fs.readFileSync(path.join(reportsDir, 'allure-report/widgets/allure_environment.json'), 'utf8')) as {
      name: string;
      values: string[];
    }[];
    const get = (n: string) => env.find((e) => e.name === n)?.values[0];
    assert.equal(env[0]!.name, 'Verdict');
    assert.match(env[0]!.values[0]!, /^ROLLBACK — Smoke failed/);
    assert.equal(get('Release'), 'demo-shop 2.0.0 (previous 1.0.0)');
    assert.equal(get('Commit'), 'abc1234');
    assert.equal(get('Rollback decider'), 'On-call engineering lead');
    assert.equal(env.filter((e) => e.name.toLowerCase() === 'target').length, 1);
  });

  it('is named after the verdict: decision and release', () => {
    const index = fs.readFileSync(path.join(reportsDir, 'allure-report/index.html'), 'utf8');
    assert.match(index, /<title>\s*ROLLBACK · demo-shop 2\.0\.0\s*<\/title>/);
  });

  it('keeps history between runs: the second report knows the first verdict, and a re-run replaces the old verdict result', async () => {
    assert.equal(historyLines(), 1);
    const first = fs.readdirSync(resultsDir()).filter((f) => f.endsWith('-result.json')).length;
    const { verdict, written } = writeVerdict(
      run([...healthyTests(), test('order shows in history', ['@verify', '@feature:orders'])]),
      health(),
    );
    assert.equal(verdict.decision, 'proceed');
    assert.equal(written.replaced.length, 1, 'the earlier verdict result was replaced');
    assert.equal(fs.readdirSync(resultsDir()).filter((f) => f.endsWith('-result.json')).length, first, 'no second verdict result');
    await generateReport({ reportsDir, log: () => {} });
    assert.equal(historyLines(), 2, 'the history file grew');
    const r = verdictResult();
    assert.equal(r.name, 'Release verdict: PROCEED · demo-shop 2.0.0');
    assert.equal(r.status, 'passed', 'proceed is passed');
    assert.ok((r.history ?? []).length >= 1, 'the verdict has history from the previous run');
  });
});
