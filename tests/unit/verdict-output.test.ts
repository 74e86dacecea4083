// verdict.json, verdict.md (and GitHub's step summary), the console table and the Allure environment, from plain data.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseEnvInfo } from 'allure-js-commons/sdk/reporter';
import { writeAllureVerdict } from '../../scripts/adapters/allure/writer.ts';
import { renderVerdictConsole, useColor } from '../../scripts/adapters/console.ts';
import { verdictMarkdown, writeVerdictFiles, type VerdictContext } from '../../scripts/adapters/verdict-files.ts';
import { loadEnv } from '../../scripts/config/env.ts';
import { decide } from '../../scripts/engine/verdict/index.ts';
import type { Verdict } from '../../scripts/engine/types.ts';
import { AFTER, DURING, FEATURES, health, healthyTests, manifest, policy, run, signal, test } from './verdict-fixtures.ts';

const POLICY = policy();
const ctx: VerdictContext = {
  target: 'https://shop.example.com',
  service: 'demo-shop',
  policy: { policy: POLICY, path: '/repo/aftercheck.policy.json', digest: 'sha256:feedbeef' },
  manifest: manifest(),
  secrets: [],
};

function rollback(): Verdict {
  const tests = run([
    ...healthyTests().slice(0, 2),
    test('health | endpoint', ['@smoke'], 'failed', { error: 'expected 200\ngot 500 | pipe' }),
    ...healthyTests().slice(3),
  ]);
  return decide({
    policy: POLICY,
    manifest: ctx.manifest,
    tests,
    health: health([signal('error_rate', 'fail'), signal('latency_p95', 'warn')]),
    appFeatures: FEATURES,
    alerting: { notifier: true, lastTest: { at: '2026-11-26T09:00:00.000Z', ok: true }, sent: 0, failed: 0 },
    now: DURING,
  });
}

let dir: string;
describe('verdict outputs', () => {
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-verdict-out-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('verdict.json carries version, decision, release, policy digest, owner, checklist and evidence', () => {
    const files = writeVerdictFiles(rollback(), ctx, { reportsDir: dir });
    const doc = JSON.parse(fs.readFileSync(files.json, 'utf8'));
    assert.equal(doc.schemaVersion, 1);
    assert.equal(doc.decision, 'rollback');
    assert.equal(doc.exitCode, 1);
    assert.deepEqual(
      [doc.version, doc.previousVersion, doc.commit, doc.deployedAt],
      ['2.0.0', '1.0.0', 'abc1234', '2026-11-26T10:00:00.000Z'],
    );
    assert.equal(doc.policy.digest, 'sha256:feedbeef');
    assert.equal(doc.rollbackDecider, 'On-call engineering lead');
    assert.equal(doc.owner, 'team-shop');
    assert.equal(doc.monitorUntil, '2026-11-26T10:10:00.000Z');
    assert.equal(doc.checklist.length, 6);
    assert.equal(doc.evidence.smoke.failed, 1);
    assert.equal(doc.evidence.health.signals[0].id, 'error_rate');
    assert.ok(!('series' in doc.evidence.health.signals[0]), 'series stay in health.json');
  });

  it('verdict.md leads with the decision and one "why" line, then links, the rule, the decider, the checklist and the signals', () => {
    const md = verdictMarkdown(rollback(), {
      ...ctx,
      links: {
        report: 'https://reports.example/42/',
        run: 'https://ci.example/acme/shop/actions/runs/42',
        commit: 'https://ci.example/acme/shop/commit/abc1234',
      },
    });
    const lines = md.split('\n');
    assert.equal(lines[0], '## 🔴 ROLLBACK · demo-shop 2.0.0');
    assert.match(lines[2]!, /^\*\*Why:\*\* Smoke failed: “health \| endpoint”.*rule `smoke-failure`/);
    assert.equal(
      lines[4],
      '[Allure report](https://reports.example/42/) · [CI run](https://ci.example/acme/shop/actions/runs/42) · [commit `abc1234`](https://ci.example/acme/shop/commit/abc1234)',
    );
    assert.match(md, /\*\*Rollback decided by\*\* On-call engineering lead/);
    assert.match(md, /- \[ \] ❌ \*\*Smoke test/);
    assert.match(md, /- \[x\] ✅ \*\*Alerting configured/);
    assert.match(md, /\| fail \| Error rate \| 2\.4% \| 0\.2% \|/, 'the signal table puts the result first');
    // A "|" or newline in a test title or error must not split a table row.
    for (const row of lines.filter((l) => l.startsWith('| rollback'))) assert.equal(row.split(/(?<!\\)\|/).length, 7, row);
  });

  it('on a final decision, verdict.md says nothing about monitoring; while the period runs, it says until when', () => {
    const md = verdictMarkdown(rollback(), ctx);
    assert.ok(!/Monitor until/.test(md), md);
    assert.ok(!/continue-monitoring/.test(md), 'no "continue monitoring" row under a rollback');
    const watching = decide({
      policy: POLICY,
      manifest: ctx.manifest,
      tests: run(),
      health: health(undefined, { checkingPeriod: { ms: 600_000, monitorUntil: '2026-11-26T10:10:00.000Z', complete: false } }),
      appFeatures: FEATURES,
      now: DURING,
    });
    assert.equal(watching.decision, 'continue-monitoring');
    assert.match(verdictMarkdown(watching, ctx), /\*\*Monitor until:\*\* 2026-11-26T10:10:00\.000Z/);
  });

  it('without CI links, verdict.md names the commit and links nothing', () => {
    const md = verdictMarkdown(rollback(), ctx);
    assert.match(md, /^commit `abc1234`$/m);
    assert.ok(!/\]\(http/.test(md));
  });

  it('appends the summary to the GitHub step summary on every run', () => {
    const summary = path.join(dir, 'summary.md');
    writeVerdictFiles(rollback(), ctx, { reportsDir: dir, githubStepSummary: summary });
    writeVerdictFiles(rollback(), ctx, { reportsDir: dir, githubStepSummary: summary });
    assert.equal(fs.readFileSync(summary, 'utf8').match(/## 🔴 ROLLBACK · demo-shop 2\.0\.0/g)?.length, 2);
  });

  it('the console shows a table and one verdict line with the main reason', () => {
    const out = renderVerdictConsole(rollback(), { color: false, secrets: [] });
    assert.ok(!out.includes('\u001b['), 'no colour codes');
    const lines = out.trimEnd().split('\n');
    assert.match(lines[0]!, /^Smoke\s+failed\s+1 of 3 smoke checks failed/);
    assert.match(lines.at(-1)!, /^Verdict: ROLLBACK — Smoke failed: “health \| endpoint”.*\(rule smoke-failure\)$/);
    assert.ok(lines.some((l) => /^\s+Error rate\s+fail/.test(l)));
    assert.match(renderVerdictConsole(rollback(), { color: true, secrets: [] }), /\u001b\[/);
  });

  it('colour only on a terminal and never with NO_COLOR (read through env.ts)', () => {
    assert.equal(useColor({ isTTY: true }, false), true);
    assert.equal(useColor({ isTTY: false }, false), false);
    assert.equal(useColor({}, false), false);
    assert.equal(useColor({ isTTY: true }, loadEnv({ source: { NO_COLOR: '1' } }).noColor), false);
    assert.equal(loadEnv({ source: {} }).noColor, false);
  });

  it("environment.properties: the verdict first, the run's own entries after it, one target only, read back exactly", () => {
    const results = path.join(dir, 'allure-results');
    fs.mkdirSync(results, { recursive: true });
    // What allure-playwright's environmentInfo writes for the run.
    fs.writeFileSync(
      path.join(results, 'environment.properties'),
      'app\\ profile=demo-shop\ntarget=https\\://shop.example.com/\nnode=v20\n',
    );
    const verdict = decide({ policy: POLICY, manifest: ctx.manifest, tests: run(), health: health(), appFeatures: FEATURES, now: AFTER });
    writeAllureVerdict({
      resultsDir: results,
      verdict,
      ctx: { ...ctx, policy: { ...ctx.policy, path: '/repo/Zoë # policy.json' } },
      tests: run(),
      health: health(),
    });
    const text = fs.readFileSync(path.join(results, 'environment.properties'), 'utf8');
    const env = parseEnvInfo(text);
    const keys = Object.keys(env);
    assert.equal(keys[0], 'Verdict');
    assert.match(env.Verdict!, /^PROCEED — /);
    assert.equal(keys.filter((k) => k.toLowerCase() === 'target').length, 1, keys.join(', '));
    assert.equal(env['app profile'], 'demo-shop');
    assert.equal(env.node, 'v20');
    assert.match(env.Policy!, /^Zoë # policy\.json sha256:feedbeef$/, 'read back exactly as written');
  });
});
