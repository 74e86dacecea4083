// What an alert says (pure): every field the issue names, Slack-compatible JSON, and the limits Slack sets on blocks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { slackPayload, syntheticAlert, verdictAlert } from '../../scripts/engine/alerts.ts';
import { decide } from '../../scripts/engine/verdict/index.ts';
import { AFTER, FEATURES, health, manifest, policy, run, signal } from './verdict-fixtures.ts';

const rollback = decide({
  policy: policy(),
  manifest: manifest(),
  tests: run(),
  health: health([signal('error_rate', 'fail', { reason: 'mean 4.2 % is above the fail level 1 %' }), signal('latency_p95', 'pass')]),
  appFeatures: FEATURES,
  now: AFTER,
});

describe('alerts', () => {
  it('a decision alert names the app, the version, the decision, the failed signal with its value and limit, the owner, the rollback criteria and a link', () => {
    const a = verdictAlert({
      kind: 'decision-change',
      verdict: rollback,
      previous: 'continue-monitoring',
      app: 'shop',
      service: 'shop-api',
      version: '2.0.0',
      owner: 'team-shop',
      reportUrl: 'https://ci.example.test/run/7/allure-report/index.html',
    });
    const p = slackPayload(a);
    for (const needle of [
      'shop-api 2.0.0',
      'ROLLBACK',
      'changed from CONTINUE MONITORING to ROLLBACK',
      'Error rate',
      'limit',
      'team-shop',
      'On-call engineering lead decides',
      'https://ci.example.test/run/7/allure-report/index.html',
      'App shop',
    ])
      assert.ok(p.text.includes(needle), `text names ${needle}:\n${p.text}`);
    const blocks = JSON.stringify(p.blocks);
    assert.match(blocks, /"type":"header"/);
    assert.match(blocks, /\*Decision\*\\nROLLBACK/);
    assert.match(blocks, /health-breach\.major/);
  });

  it('a watch-end alert says the watch ended, and no link is invented when no report URL is configured', () => {
    const a = verdictAlert({
      kind: 'watch-end',
      verdict: rollback,
      app: 'shop',
      service: 'shop',
      version: '2.0.0',
      owner: 't',
      reportUrl: null,
    });
    const p = slackPayload(a);
    assert.match(p.text, /The watch of the checking period ended: ROLLBACK/);
    assert.match(p.text, /no report URL configured \(AFTERCHECK_REPORT_URL\)/);
  });

  it('a synthetic alert says how many runs failed in a row and lists the failed checks; a recovery says they pass again', () => {
    const run = {
      run: '2026-11-26T10.15.00.000Z',
      endedAt: '2026-11-26T10:15:09.000Z',
      location: 'eu-west-1',
      status: 'failed',
      tests: { total: 8, failed: 1 },
      failures: [{ title: 'health endpoint reports the database connected', error: 'Error: GET /health answered 500' }],
    };
    const who = { app: 'shop', service: 'shop', version: '2.0.0', owner: 'team-shop', rollbackCriteria: 'lead decides', reportUrl: null };
    const failing = slackPayload(syntheticAlert({ kind: 'synthetic-failing', run, failures: 2, afterFailed: 2, ...who }));
    assert.match(failing.text, /FAILING · shop 2\.0\.0/);
    assert.match(failing.text, /from eu-west-1 failed 2 runs in a row \(alert after 2\)/);
    assert.match(failing.text, /health endpoint reports the database connected — observed Error: GET \/health answered 500/);
    const back = slackPayload(
      syntheticAlert({ kind: 'synthetic-recovered', run: { ...run, status: 'passed', failures: [] }, failures: 0, afterFailed: 2, ...who }),
    );
    assert.match(back.text, /RECOVERED · shop 2\.0\.0: Scheduled synthetic checks from eu-west-1 pass again/);
  });

  it('keeps within Slack limits: a header of at most 150 characters, sections of at most 3000', () => {
    const long = { ...rollback, decidingReason: { ...rollback.decidingReason, message: 'x'.repeat(5000) } };
    const p = slackPayload(
      verdictAlert({ kind: 'watch-end', verdict: long, app: 'a', service: 's'.repeat(300), version: '1', owner: 'o', reportUrl: null }),
    );
    const blocks = p.blocks as { type: string; text?: { text: string } }[];
    assert.ok(blocks[0]!.text!.text.length <= 150);
    for (const b of blocks) if (b.text) assert.ok(b.text.text.length <= 3000);
  });
});
