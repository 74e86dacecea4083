// What the watch records and alerts about (pure): snapshots, detectedAt, pending evaluations, which changes are news.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide } from '../../scripts/engine/verdict/index.ts';
import { alertWorthy, detectedAt, evaluationOf, isPending, type WatchEvaluation } from '../../scripts/engine/watch.ts';
import type { Decision } from '../../scripts/engine/types.ts';
import { AFTER, DURING, FEATURES, health, manifest, policy, run, series, signal } from './verdict-fixtures.ts';

const ev = (at: string, decision: Decision): WatchEvaluation => ({ at, decision, rule: 'x', signals: [] });

describe('the watch record', () => {
  it('detectedAt is the first evaluation that decided a rollback or a hotfix, and null while none did', () => {
    const e = [ev('t1', 'inconclusive'), ev('t2', 'continue-monitoring'), ev('t3', 'hotfix'), ev('t4', 'rollback')];
    assert.equal(detectedAt(e), 't3');
    assert.equal(detectedAt(e.slice(0, 2)), null);
    assert.equal(detectedAt([ev('t1', 'rollback')]), 't1');
  });

  it("a snapshot holds each signal's newest interval (null-skipping), its window value and its limit", () => {
    const h = health([
      signal('error_rate', 'fail', {
        current: 2.5,
        limit: '≤ 1 %',
        series: { current: series('2026-11-26T10:00:00Z', [0.2, 4, null]), baseline: [] },
      }),
      signal('latency_p95', 'pass', { series: { current: [], baseline: [] } }),
    ]);
    const v = decide({ policy: policy(), manifest: manifest(), tests: run(), health: h, appFeatures: FEATURES, now: AFTER });
    const e = evaluationOf(v, h);
    assert.equal(e.decision, 'rollback');
    assert.deepEqual(
      e.signals.map((s) => [s.id, s.outcome, s.latest, s.current, s.limit]),
      [
        ['error_rate', 'fail', 4, 2.5, '≤ 1 %'],
        ['latency_p95', 'pass', null, e.signals[1]!.current, e.signals[1]!.limit],
      ],
    );
  });

  const cases: { name: string; worthy: boolean; decision: Decision; last: Decision | undefined; pending: boolean }[] = [
    { name: 'the first decision, when someone must act on it', worthy: true, decision: 'rollback', last: undefined, pending: false },
    { name: 'the first decision, hotfix', worthy: true, decision: 'hotfix', last: undefined, pending: false },
    {
      name: 'not the first decision when it is only "continue monitoring"',
      worthy: false,
      decision: 'continue-monitoring',
      last: undefined,
      pending: false,
    },
    { name: 'a change of decision', worthy: true, decision: 'rollback', last: 'continue-monitoring', pending: false },
    { name: 'a recovery is a change too', worthy: true, decision: 'continue-monitoring', last: 'hotfix', pending: false },
    { name: 'not the same decision again', worthy: false, decision: 'rollback', last: 'rollback', pending: false },
    {
      name: 'never an evaluation only waiting for data',
      worthy: false,
      decision: 'inconclusive',
      last: 'continue-monitoring',
      pending: true,
    },
  ];
  for (const c of cases) it(`an alert is due for ${c.name}`, () => assert.equal(alertWorthy(c.decision, c.last, c.pending), c.worthy));

  it('an evaluation waiting for intervals the period will still bring is pending; one with metrics that stopped is not', () => {
    const p = policy();
    const running = { checkingPeriod: { ms: 600_000, monitorUntil: '2026-11-26T10:10:00.000Z', complete: false } };
    const few = health(
      [signal('error_rate', 'inconclusive', { samples: { current: 2, baseline: 10 } }), signal('latency_p95', 'pass')],
      running,
    );
    const early = decide({ policy: p, manifest: manifest(), tests: run(), health: few, appFeatures: FEATURES, now: DURING });
    assert.equal(early.decision, 'inconclusive');
    assert.equal(isPending(early, p), true, 'two of five samples, the period running');
    const stopped = health(
      [signal('error_rate', 'inconclusive', { samples: { current: 9, baseline: 10 } }), signal('latency_p95', 'pass')],
      running,
    );
    const v = decide({ policy: p, manifest: manifest(), tests: run(), health: stopped, appFeatures: FEATURES, now: DURING });
    assert.equal(isPending(v, p), false, 'enough samples, still no usable data: a problem, not a wait');
    const missing = decide({
      policy: p,
      manifest: manifest(),
      tests: { kind: 'missing', path: '/r/results.json', reason: 'no results file' },
      health: few,
      appFeatures: FEATURES,
      now: DURING,
    });
    assert.equal(isPending(missing, p), false, 'no test results is a problem…');
    assert.equal(isPending(missing, p, true), true, '…unless the test run that writes them is still going');
    const over = decide({
      policy: p,
      manifest: manifest(),
      tests: run(),
      health: health([signal('error_rate', 'inconclusive', { samples: { current: 2, baseline: 10 } })]),
      appFeatures: FEATURES,
      now: AFTER,
    });
    assert.equal(isPending(over, p), false, 'after the period nothing more will come');
  });
});
