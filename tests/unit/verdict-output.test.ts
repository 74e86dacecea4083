// verdict.json, verdict.md (and GitHub's step summary), the console table and environment.properties lines, from plain data.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { propertiesLine } from '../../scripts/adapters/allure/writer.ts';
import { renderVerdictConsole, useColor } from '../../scripts/adapters/console.ts';
import { verdictMarkdown, writeVerdictFiles, type VerdictContext } from '../../scripts/adapters/verdict-files.ts';
import { loadEnv } from '../../scripts/config/env.ts';
import { decide } from '../../scripts/engine/verdict/index.ts';
import type { Verdict } from '../../scripts/engine/types.ts';
import { DURING, FEATURES, health, healthyTests, manifest, policy, run, signal, test } from './verdict-fixtures.ts';

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

  it('verdict.md is a short summary with the rule, the decider, the checklist and the signals, tables intact', () => {
    const md = verdictMarkdown(rollback(), ctx);
    assert.match(md, /^## 🔴 Release verdict: ROLLBACK/);
    assert.match(md, /Rule `smoke-failure`/);
    assert.match(md, /rollback decided by \*\*On-call engineering lead\*\*/);
    assert.match(md, /- \[ \] ❌ \*\*Smoke test/);
    assert.match(md, /- \[x\] ✅ \*\*Alerting configured/);
    assert.match(md, /\| Error rate \| 2\.4% \| 0\.2% \|/);
    // A "|" or newline in a test title or error must not split a table row.
    for (const row of md.split('\n').filter((l) => l.startsWith('| rollback'))) assert.equal(row.split(/(?<!\\)\|/).length, 7, row);
  });

  it('appends the summary to the GitHub step summary on every run', () => {
    const summary = path.join(dir, 'summary.md');
    writeVerdictFiles(rollback(), ctx, { reportsDir: dir, githubStepSummary: summary });
    writeVerdictFiles(rollback(), ctx, { reportsDir: dir, githubStepSummary: summary });
    assert.equal(fs.readFileSync(summary, 'utf8').match(/Release verdict: ROLLBACK/g)?.length, 2);
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

  it('environment.properties lines escape keys and values the way Allure parses them', () => {
    assert.equal(propertiesLine('Previous version', '1.0.0'), 'Previous\\ version=1.0.0');
    assert.equal(propertiesLine('Policy', 'a=b: c\nd'), 'Policy=a=b: c\\nd');
    assert.equal(propertiesLine('Owner', 'Zoë # team'), 'Owner=Zo\\u00eb # team');
    assert.equal(propertiesLine('Target', '#x'), 'Target=\\#x');
  });
});
