// The Playwright results reader, on results.json written by a REAL Playwright run of a throwaway project (no browser needed).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readTestRun } from '../../scripts/adapters/playwright-results.ts';
import { writeVerdictFiles } from '../../scripts/adapters/verdict-files.ts';
import { childEnv } from '../../scripts/config/env.ts';
import { REDACTED } from '../../scripts/config/redact.ts';
import type { TestOutcome, TestRun } from '../../scripts/engine/types.ts';
import { decide } from '../../scripts/engine/verdict/index.ts';
import { AFTER, FEATURES, health, manifest, policy } from '../unit/verdict-fixtures.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SECRET = 'planted-secret-Zq81xw';

const CONFIG = `export default {
  testDir: '.',
  retries: 1,
  workers: 1,
  reporter: [['json', { outputFile: 'out/results.json' }]],
  projects: [{ name: 'smoke', testMatch: /smoke\\.spec\\.mjs/ }, { name: 'verify', testMatch: /verify\\.spec\\.mjs/ }],
};
`;

// What the suite's fixture does: always record both counts, also when they are 0.
const SMOKE_SPEC = `import { test, expect } from '@playwright/test';
const counts = (page, cons) => { test.info().annotations.push({ type: 'aftercheck:page-errors', description: String(page) }, { type: 'aftercheck:console-errors', description: String(cons) }); };
test('main page loads', { tag: '@smoke' }, async () => { counts(2, 0); expect(1).toBe(1); });
test('flaky check', { tag: '@smoke' }, async () => { counts(0, test.info().retry === 0 ? 3 : 1); if (test.info().retry === 0) throw new Error('first attempt fails'); });
test.skip('skipped check', { tag: '@smoke' }, async () => {});
test('times out', { tag: '@smoke' }, async () => { test.setTimeout(150); await new Promise((r) => setTimeout(r, 1000)); });
test('fails, then hands over by skipping', { tag: '@smoke' }, async () => { if (test.info().retry === 0) throw new Error('sign-in answered 500'); test.skip(true, 'reported by another check'); });
`;

const VERIFY_SPEC = `import { test, expect } from '@playwright/test';
test.describe('search', () => {
  test('search finds the product', { tag: ['@verify', '@feature:search'], annotation: { type: 'allure.label.severity', description: 'critical' } }, async () => {
    expect('${SECRET}', 'login answered with token ${SECRET}').toBe('something else');
  });
  test('no logs listened here', { tag: ['@verify', '@feature:orders'] }, async () => {});
});
// A feature block with its severity (as verifyDetails() gives it), one test overriding it with its own (as severity() gives it).
test.describe('orders', { annotation: { type: 'allure.label.severity', description: 'critical' } }, () => {
  test('a cosmetic order detail', { tag: ['@verify', '@feature:orders'], annotation: { type: 'allure.label.severity', description: 'minor' } }, async () => {});
  test('the order history lists the order', { tag: ['@verify', '@feature:orders'] }, async () => {});
});
`;

let dir: string;
let resultsPath: string;
let runResult: TestRun;
let byTitle: Map<string, TestOutcome>;

describe('Playwright results reader (real Playwright run)', () => {
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-verdict-pw-'));
    fs.writeFileSync(path.join(dir, 'playwright.config.mjs'), CONFIG);
    fs.writeFileSync(path.join(dir, 'smoke.spec.mjs'), SMOKE_SPEC);
    fs.writeFileSync(path.join(dir, 'verify.spec.mjs'), VERIFY_SPEC);
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    const r = spawnSync(
      process.execPath,
      [path.join(REPO, 'node_modules/@playwright/test/cli.js'), 'test', '-c', 'playwright.config.mjs'],
      {
        cwd: dir,
        env: childEnv({ FORCE_COLOR: '0', CI: '1', PLAYWRIGHT_HTML_OPEN: 'never' }),
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    resultsPath = path.join(dir, 'out/results.json');
    assert.equal(r.status, 1, `the run has failing tests, so Playwright exits 1: ${r.stderr}`);
    assert.ok(fs.existsSync(resultsPath), 'Playwright wrote the JSON report');
    runResult = readTestRun({ resultsPath });
    assert.equal(runResult.kind, 'ok');
    byTitle = new Map(runResult.kind === 'ok' ? runResult.tests.map((t) => [t.title, t]) : []);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads every test with its project, tags (with "@") and features', () => {
    assert.equal(byTitle.size, 9);
    const t = byTitle.get('search finds the product')!;
    assert.equal(t.project, 'verify');
    assert.deepEqual([...t.tags].sort(), ['@feature:search', '@verify']);
    assert.deepEqual(t.features, ['search']);
    assert.deepEqual(t.titlePath, ['search']);
    assert.equal(byTitle.get('main page loads')!.project, 'smoke');
  });

  it('a passing test is passed after one attempt', () => {
    const t = byTitle.get('main page loads')!;
    assert.equal(t.status, 'passed');
    assert.equal(t.flaky, false);
    assert.equal(t.attempts, 1);
  });

  it('a failing test is failed after its retry, with the first lines of its error as measured (writers redact)', () => {
    const t = byTitle.get('search finds the product')!;
    assert.equal(t.status, 'failed');
    assert.equal(t.attempts, 2);
    assert.ok(t.error?.includes(SECRET), 'the reader keeps what was measured; redaction happens when output is written');
    assert.ok(!/\u001b\[/.test(t.error!), 'no colour codes');
    assert.ok(t.error!.split('\n').length <= 3);
  });

  it('the planted secret in a failure message is redacted in every verdict file written from it', () => {
    const v = decide({
      policy: policy(),
      manifest: manifest({ features: ['search'] }),
      tests: runResult,
      health: health(),
      appFeatures: FEATURES,
      now: AFTER,
    });
    const out = path.join(dir, 'verdict-out');
    const ctx = {
      target: 'https://shop.example.test',
      service: 'demo-shop',
      policy: { policy: policy(), path: 'p.json', digest: 'sha256:x' },
      manifest: manifest(),
      secrets: [SECRET],
    };
    const files = writeVerdictFiles(v, ctx, { reportsDir: out });
    for (const f of [files.json, files.markdown]) {
      const text = fs.readFileSync(f, 'utf8');
      assert.ok(!text.includes(SECRET), `${f} holds the secret`);
      assert.ok(text.includes(REDACTED), `${f} shows where it was`);
    }
  });

  it('a test that failed and then skipped never passed: it failed, it is not flaky', () => {
    const t = byTitle.get('fails, then hands over by skipping')!;
    assert.equal(t.status, 'failed');
    assert.equal(t.flaky, false);
    assert.match(t.error ?? '', /sign-in answered 500/);
  });

  it('a test that passed only on retry is flaky', () => {
    const t = byTitle.get('flaky check')!;
    assert.equal(t.status, 'passed');
    assert.equal(t.flaky, true);
    assert.equal(t.attempts, 2);
  });

  it('a skipped test is skipped and a timed-out test is timedOut', () => {
    assert.equal(byTitle.get('skipped check')!.status, 'skipped');
    assert.equal(byTitle.get('times out')!.status, 'timedOut');
  });

  it('takes the severity from the allure.label.severity annotation', () => {
    assert.equal(byTitle.get('search finds the product')!.severity, 'critical');
    assert.equal(byTitle.get('main page loads')!.severity, undefined);
  });

  it("a test's own severity overrides its describe block's: the most specific (last) annotation wins", () => {
    assert.equal(byTitle.get('a cosmetic order detail')!.severity, 'minor');
    assert.equal(byTitle.get('the order history lists the order')!.severity, 'critical', "without its own, a test keeps the block's");
  });

  it('counts page and console errors from the fixture annotations, worst attempt wins', () => {
    const main = byTitle.get('main page loads')!;
    assert.deepEqual([main.pageErrors, main.consoleErrors, main.logsCaptured], [2, 0, true]);
    const flaky = byTitle.get('flaky check')!;
    assert.equal(flaky.consoleErrors, 3, 'the failed first attempt saw 3 console errors');
    const silent = byTitle.get('no logs listened here')!;
    assert.deepEqual([silent.pageErrors, silent.consoleErrors, silent.logsCaptured], [0, 0, false]);
  });

  it('records when the run started', () => {
    assert.ok(runResult.kind === 'ok' && runResult.startedAt && !Number.isNaN(Date.parse(runResult.startedAt)));
  });

  it('feeds the engine: the failing critical search test means rollback', () => {
    const v = decide({
      policy: policy(),
      manifest: manifest({ features: ['search'] }),
      tests: runResult,
      health: health(),
      appFeatures: FEATURES,
      now: AFTER,
    });
    assert.equal(v.decision, 'rollback');
    // The timed-out smoke check comes first in the run's order of evidence: smoke before verify.
    assert.equal(v.decidingReason.rule, 'smoke-failure');
    assert.match(v.decidingReason.message, /times out/);
    assert.ok(v.reasons.some((r) => r.rule === 'verify-failure.critical' && r.message.includes('search finds the product')));
    assert.ok(v.warnings.some((w) => /flaky check/.test(w)));
  });

  it('reads verify-selection.json next to the results, and names a malformed one', () => {
    const sel = {
      verifyAll: false,
      manifestFeatures: ['search', 'recommendations'],
      selectedFeatures: ['search'],
      testsPerFeature: { search: 1 },
      unverified: [{ feature: 'recommendations', reason: 'no @verify tests' }],
    };
    const selPath = path.join(dir, 'out/verify-selection.json');
    fs.writeFileSync(selPath, JSON.stringify(sel));
    const ok = readTestRun({ resultsPath });
    assert.ok(ok.kind === 'ok');
    assert.deepEqual(ok.selection, sel);
    fs.writeFileSync(selPath, JSON.stringify({ ...sel, unverified: 'recommendations' }));
    const bad = readTestRun({ resultsPath });
    assert.ok(bad.kind === 'ok' && bad.selection === undefined);
    assert.match(bad.kind === 'ok' ? (bad.selectionProblem ?? '') : '', /unverified: .*expected array/);
    fs.rmSync(selPath);
  });

  const broken: [string, string | null, RegExp][] = [
    ['a missing results file', null, /no results file/],
    ['an empty results file', '', /is empty/],
    ['a truncated results file', '{"suites": [', /not valid JSON/],
    ['a JSON file that is not a Playwright report', '{"hello": 1}', /not a Playwright JSON report/],
  ];
  for (const [what, content, reason] of broken) {
    it(`${what} is a missing run with the cause named`, () => {
      const file = path.join(dir, `broken-${broken.findIndex((b) => b[0] === what)}.json`);
      if (content !== null) fs.writeFileSync(file, content);
      const r = readTestRun({ resultsPath: file });
      assert.equal(r.kind, 'missing');
      assert.match(r.kind === 'missing' ? r.reason : '', reason);
      assert.match(r.kind === 'missing' ? r.reason : '', new RegExp(path.basename(file).replace('.', '\\.')));
    });
  }
});
