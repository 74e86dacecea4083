// The post-release checklist is ticked or crossed from evidence only: one table row per item and state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide, type DecideInput } from '../../scripts/engine/verdict/index.ts';
import type { ChecklistItem } from '../../scripts/engine/types.ts';
import { AFTER, FEATURES, NO_MANIFEST, health, healthyTests, manifest, policy, run, signal, test } from './verdict-fixtures.ts';

function checklist(over: Partial<DecideInput> = {}) {
  return decide({ policy: policy(), manifest: manifest(), tests: run(), health: health(), appFeatures: FEATURES, now: AFTER, ...over })
    .checklist;
}

const cases: { name: string; item: ChecklistItem['item']; over: Partial<DecideInput>; state: ChecklistItem['state']; evidence: RegExp }[] =
  [
    {
      name: 'smoke is ticked when every smoke check passed',
      item: 'smoke',
      over: {},
      state: 'done',
      evidence: /3 of 3 smoke checks passed/,
    },
    {
      name: 'smoke is crossed when a smoke check failed, naming it',
      item: 'smoke',
      over: { tests: run([...healthyTests().slice(0, 1), test('main page loads', ['@smoke'], 'failed'), ...healthyTests().slice(2)]) },
      state: 'failed',
      evidence: /main page loads/,
    },
    {
      name: 'smoke is missing without results',
      item: 'smoke',
      over: { tests: { kind: 'missing', path: '/x/results.json', reason: 'no results file at /x/results.json' } },
      state: 'missing',
      evidence: /no results file/,
    },
    {
      name: 'smoke is missing, not ticked, when most smoke checks were skipped',
      item: 'smoke',
      over: {
        tests: run(
          healthyTests().map((t) =>
            t.tags.includes('@smoke') && t.title !== 'main page loads' ? { ...t, status: 'skipped' as const } : t,
          ),
        ),
      },
      state: 'missing',
      evidence: /only 1 of 3 smoke checks ran \(2 skipped\); 1 passed/,
    },
    {
      name: 'smoke is missing when a smoke check was interrupted',
      item: 'smoke',
      over: {
        tests: run(healthyTests().map((t) => (t.title === 'login works end to end' ? { ...t, status: 'interrupted' as const } : t))),
      },
      state: 'missing',
      evidence: /only 2 of 3 smoke checks ran \(1 interrupted\)/,
    },
    {
      name: 'smoke is missing when no smoke check ran',
      item: 'smoke',
      over: { tests: run(healthyTests().filter((t) => !t.tags.includes('@smoke'))) },
      state: 'missing',
      evidence: /no smoke check ran/,
    },
    {
      name: 'verification is ticked when every changed feature passed',
      item: 'verification',
      over: {},
      state: 'done',
      evidence: /search 2\/2/,
    },
    {
      name: 'verification is ticked with nothing to verify',
      item: 'verification',
      over: { manifest: manifest({ features: [] }) },
      state: 'done',
      evidence: /nothing to verify/,
    },
    {
      name: 'verification is crossed when a @verify test failed',
      item: 'verification',
      over: { tests: run([...healthyTests().slice(0, 4), test('search finds a product', ['@verify', '@feature:search'], 'failed')]) },
      state: 'failed',
      evidence: /search/,
    },
    {
      name: 'verification is missing for an unverified changed feature',
      item: 'verification',
      over: { manifest: manifest({ features: ['search', 'orders'] }) },
      state: 'missing',
      evidence: /orders: unverified/,
    },
    {
      name: "verification is missing, not ticked, when a changed feature's tests were partly skipped",
      item: 'verification',
      over: {
        tests: run(
          healthyTests().map((t) => (t.title === 'empty search shows the empty state' ? { ...t, status: 'skipped' as const } : t)),
        ),
      },
      state: 'missing',
      evidence: /search: 1 of 2 tests did not run \(1 skipped\)/,
    },
    {
      name: 'verification is missing without a manifest',
      item: 'verification',
      over: { manifest: NO_MANIFEST },
      state: 'missing',
      evidence: /changed features are unknown/,
    },
    {
      name: 'logs are ticked when the suite listened and saw no errors',
      item: 'logs',
      over: {},
      state: 'done',
      evidence: /0 page errors and 0 console errors in 6 test/,
    },
    {
      name: 'logs are crossed by uncaught page errors',
      item: 'logs',
      over: { tests: run(healthyTests().map((t, i) => (i === 1 ? { ...t, pageErrors: 2 } : t))) },
      state: 'failed',
      evidence: /2 uncaught page error.*main page loads/,
    },
    {
      name: 'logs are crossed by console errors',
      item: 'logs',
      over: { tests: run(healthyTests().map((t, i) => (i === 1 ? { ...t, consoleErrors: 1 } : t))) },
      state: 'failed',
      evidence: /1 console error/,
    },
    {
      name: 'logs are missing when no test listened for errors',
      item: 'logs',
      over: { tests: run(healthyTests().map((t) => ({ ...t, logsCaptured: false }))) },
      state: 'missing',
      evidence: /annotations/,
    },
    { name: 'health is ticked when every signal passes', item: 'health', over: {}, state: 'done', evidence: /2 of 2 signals pass/ },
    {
      name: 'health is ticked with warn-level signals named',
      item: 'health',
      over: { health: health([signal('error_rate', 'warn'), signal('latency_p95', 'pass')]) },
      state: 'done',
      evidence: /warn level \(“Error rate”\)/,
    },
    {
      name: 'health is crossed by a breach',
      item: 'health',
      over: { health: health([signal('error_rate', 'fail'), signal('latency_p95', 'pass')]) },
      state: 'failed',
      evidence: /1 of 2 signals breached: “Error rate”/,
    },
    {
      name: 'health is missing when InfluxDB is unavailable',
      item: 'health',
      over: { health: { kind: 'unavailable', reason: 'InfluxDB is not configured' } },
      state: 'missing',
      evidence: /not configured/,
    },
    {
      name: 'health is missing when a signal has no data',
      item: 'health',
      over: { health: health([signal('error_rate', 'inconclusive'), signal('latency_p95', 'pass')]) },
      state: 'missing',
      evidence: /no usable data for “Error rate”/,
    },
    {
      name: 'alerting is not ticked when the policy names a channel but no notifier is configured',
      item: 'alerting',
      over: {},
      state: 'missing',
      evidence: /#shop-alerts, but no notifier is configured \(AFTERCHECK_ALERT_WEBHOOK_URL\)/,
    },
    {
      name: 'alerting is not ticked when a notifier is configured but nothing was ever delivered to it',
      item: 'alerting',
      over: { alerting: { notifier: true, lastTest: null, sent: 0, failed: 0 } },
      state: 'missing',
      evidence: /npm run alert -- --test/,
    },
    {
      name: 'alerting is ticked when a test alert was delivered to the configured notifier',
      item: 'alerting',
      over: { alerting: { notifier: true, lastTest: { at: '2026-11-26T09:00:00.000Z', ok: true }, sent: 0, failed: 0 } },
      state: 'done',
      evidence: /#shop-alerts; test alert delivered 2026-11-26T09:00:00.000Z/,
    },
    {
      name: 'alerting is ticked when this run delivered an alert',
      item: 'alerting',
      over: { alerting: { notifier: true, lastTest: null, sent: 2, failed: 0 } },
      state: 'done',
      evidence: /this run delivered 2/,
    },
    {
      name: 'alerting is crossed when the last test alert failed and this run delivered none',
      item: 'alerting',
      over: {
        alerting: { notifier: true, lastTest: { at: '2026-11-26T09:00:00.000Z', ok: false, error: 'HTTP 404' }, sent: 0, failed: 0 },
      },
      state: 'failed',
      evidence: /not being delivered: the last test alert .* failed: HTTP 404/,
    },
    {
      name: 'alerting is crossed when this run could not deliver its alerts, whatever an earlier test said',
      item: 'alerting',
      over: { alerting: { notifier: true, lastTest: { at: '2026-11-26T09:00:00.000Z', ok: true }, sent: 0, failed: 1 } },
      state: 'failed',
      evidence: /not being delivered: 1 failed this run/,
    },
    {
      name: 'alerting is missing when the policy names no channel',
      item: 'alerting',
      over: { policy: policy({}, { alerting: undefined }) },
      state: 'missing',
      evidence: /no alerting channel/,
    },
    {
      name: 'alerting is crossed when thresholds were not reviewed',
      item: 'alerting',
      over: { policy: policy({}, { alerting: { channel: '#x', thresholdsReviewed: false } }) },
      state: 'failed',
      evidence: /not reviewed/,
    },
    {
      name: 'rollback criteria are ticked with who decides',
      item: 'rollback-criteria',
      over: {},
      state: 'done',
      evidence: /smoke failure.*On-call engineering lead decides/,
    },
    {
      name: 'rollback criteria are missing when no rule leads to rollback',
      item: 'rollback-criteria',
      over: {
        policy: policy({
          smokeFailure: 'hotfix',
          verifyFailure: { blocker: 'hotfix', critical: 'hotfix', normal: 'hotfix', minor: 'hotfix' },
          healthBreach: { major: 'hotfix', minor: 'hotfix' },
        }),
      },
      state: 'missing',
      evidence: /no rule.*leads to rollback/,
    },
  ];

describe('post-release checklist', () => {
  it('has the six items of the post-release checklist, in order', () => {
    assert.deepEqual(
      checklist().map((c) => c.item),
      ['smoke', 'verification', 'logs', 'health', 'alerting', 'rollback-criteria'],
    );
  });
  for (const c of cases) {
    it(c.name, () => {
      const item = checklist(c.over).find((x) => x.item === c.item)!;
      assert.equal(item.state, c.state, item.evidence);
      assert.match(item.evidence, c.evidence);
    });
  }
});
