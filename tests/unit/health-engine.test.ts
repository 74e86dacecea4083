// Unit tests of the pure health engine as a whole: the result's shape, limits, worst wins, the report, decision and exit code.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildHealthReport,
  combineOutcomes,
  evaluateSignal,
  exitCodeFor,
  healthDecision,
  relativeLimit,
} from '../../scripts/engine/health.ts';
import { computeWindows } from '../../scripts/engine/windows.ts';
import type { Outcome, SeriesRead } from '../../scripts/engine/types.ts';
import { baselineOf, ctxOf, evaluate, failed, flat, policyOf, series, signal } from './health-fixtures.ts';

describe('a signal result', () => {
  test('carries current, baseline, delta, samples, coverage, queries, both series and the baseline used', () => {
    const r = evaluate({ absolute: { fail: 500 }, relative: { maxRatio: 1.5 } }, flat(150), flat(100));
    assert.equal(r.current, 150);
    assert.equal(r.baseline, 100);
    assert.equal(r.delta, 50);
    assert.equal(r.deltaPct, 50);
    assert.equal(r.limitValue, 500);
    assert.deepEqual(r.samples, { current: 10, baseline: 10 });
    assert.deepEqual(r.coverage, { elapsed: 10, withData: 10, share: 1, minShare: 0.8 });
    assert.equal(r.stoppedAt, null);
    assert.equal(r.query.current, 'SELECT … (test)');
    assert.equal(r.series.current.length, 10);
    assert.equal(r.series.baseline.length, 10);
    assert.equal(r.baselineUsed?.source, 'before-deploy');
    assert.match(r.limit, /≤ 500 ms; ≤ baseline × 1.5 = 150 ms/);
  });

  test('a missing measurement is inconclusive, never a pass', () => {
    const r = evaluateSignal(signal({ absolute: { fail: 500 } }), undefined, ctxOf(10));
    assert.equal(r.outcome, 'inconclusive');
  });

  test('a pass with a missing baseline is inconclusive (no data is never success)', () => {
    const r = evaluate({ absolute: { fail: 500 }, relative: { maxRatio: 1.5 } }, flat(100), failed('unreachable', 'down'));
    assert.equal(r.outcome, 'inconclusive');
    assert.match(r.reason, /baseline data before the deploy could not be read \(unreachable\): down/);
  });

  test('an absolute breach stands even when the baseline is missing', () => {
    const r = evaluate({ absolute: { fail: 500 }, relative: { maxRatio: 1.5 } }, flat(900), failed('auth', 'refused'));
    assert.equal(r.outcome, 'fail');
    assert.match(r.reason, /above the fail level/);
  });
});

describe('relative limits', () => {
  type Dir = 'higher-is-worse' | 'lower-is-worse';
  const cases: [
    string,
    number,
    Dir,
    number | undefined,
    number | undefined,
    'all' | 'any',
    { pct: number; floor: number } | undefined,
    number,
  ][] = [
    ['ratio only, higher-is-worse', 100, 'higher-is-worse', 1.2, undefined, 'all', undefined, 120],
    ['increase only, higher-is-worse', 100, 'higher-is-worse', undefined, 50, 'all', undefined, 150],
    ['both, all: the stricter (smaller) limit', 100, 'higher-is-worse', 1.2, 50, 'all', undefined, 120],
    ['both on a large baseline, all: the increase is stricter', 1000, 'higher-is-worse', 1.2, 50, 'all', undefined, 1050],
    ['both, any: the more permissive (larger) limit', 100, 'higher-is-worse', 1.2, 50, 'any', undefined, 150],
    ['ratio only, lower-is-worse divides', 9, 'lower-is-worse', 1.5, undefined, 'all', undefined, 6],
    ['both, lower-is-worse, any: the lower floor', 9, 'lower-is-worse', 1.5, 5, 'any', undefined, 4],
    ['20 % of 111 ms is above the 10 ms floor', 111, 'higher-is-worse', undefined, undefined, 'all', { pct: 20, floor: 10 }, 133.2],
    [
      '20 % of 20 ms is below the 10 ms floor: the floor applies',
      20,
      'higher-is-worse',
      undefined,
      undefined,
      'all',
      { pct: 20, floor: 10 },
      30,
    ],
    ['30 % down from 100 req/s', 100, 'lower-is-worse', undefined, undefined, 'all', { pct: 30, floor: 0.2 }, 70],
  ];
  for (const [name, b, dir, ratio, inc, combine, pct, expected] of cases)
    test(`${name}: baseline ${b} → ${expected}`, () =>
      assert.ok(Math.abs(relativeLimit(b, dir, ratio, inc, combine, pct) - expected) < 1e-9));

  test("a policy without combine reads as 'all'", () =>
    assert.equal(signal({ relative: { maxRatio: 1.5, maxIncrease: 50 } }).relative?.combine, 'all'));

  test('the floor comes from the unit unless the signal sets one', () => {
    assert.equal(signal({ unit: 'ms', relative: { maxIncreasePct: 20 } }).floor, 10);
    assert.equal(signal({ unit: 'furlongs', relative: { maxIncreasePct: 20 } }).floor, 0);
    assert.equal(signal({ unit: 'ms', relative: { maxIncreasePct: 20, floor: 3 } }).floor, 3);
    assert.equal(signal({ unit: 'ms', relative: { maxIncreasePct: 20 } }, { signalDefaults: { unitFloors: { ms: 25 } } }).floor, 25);
  });

  test('the limit text names how the limits combine', () => {
    const limitOf = (combine: 'all' | 'any') =>
      evaluate({ relative: { maxRatio: 1.2, maxIncrease: 50, combine } }, flat(100), flat(100)).limit;
    assert.match(limitOf('all'), /^≤ min\(baseline × 1.2, baseline \+ 50 ms\) = 120 ms/);
    assert.match(limitOf('any'), /^≤ max\(baseline × 1.2, baseline \+ 50 ms\) = 150 ms/);
  });
});

describe('worst wins', () => {
  const cases: [Outcome[], Outcome][] = [
    [['pass', 'pass'], 'pass'],
    [['pass', 'warn'], 'warn'],
    [['warn', 'fail', 'pass'], 'fail'],
    [['pass', 'inconclusive'], 'inconclusive'],
    [['warn', 'inconclusive'], 'inconclusive'],
    [['inconclusive', 'fail'], 'fail'],
    [[], 'inconclusive'],
  ];
  for (const [outcomes, expected] of cases)
    test(`[${outcomes.join(', ')}] → ${expected}`, () => assert.equal(combineOutcomes(outcomes), expected));
});

describe('report, decision and exit code', () => {
  const policy = (over: Record<string, unknown> = {}) =>
    policyOf(
      [
        {
          id: 'errors',
          title: 'Errors',
          unit: '%',
          query: { template: 'error_rate' },
          severity: 'major',
          absolute: { warn: 0.5, fail: 1 },
        },
        { id: 'cpu', title: 'CPU', unit: '%', query: { template: 'cpu' }, severity: 'minor', absolute: { warn: 70, fail: 90 } },
      ],
      over,
    );
  const DEPLOY = '2026-03-02T09:59:00Z';
  const report = (errors: SeriesRead, cpu: SeriesRead, o: { error?: string; now?: string; over?: Record<string, unknown> } = {}) => {
    const p = policy(o.over);
    const windows = computeWindows({ deployedAt: DEPLOY, changeSize: 'patch', policy: p, now: new Date(o.now ?? '2026-03-02T10:20:00Z') });
    const r = buildHealthReport({
      policy: p,
      measurements: [
        { signalId: 'errors', current: errors, baselines: [baselineOf(flat(0))] },
        { signalId: 'cpu', current: cpu, baselines: [baselineOf(flat(20))] },
      ],
      windows,
      generatedAt: '2026-03-02T10:20:00Z',
      service: 'shop',
      version: '2.0.0',
      previousVersion: '1.9.0',
      deployedAt: DEPLOY,
      changeSize: 'patch',
      source: { url: 'http://127.0.0.1:1', dialect: 'influxql', database: 'db' },
      ...(o.error ? { error: o.error } : {}),
    });
    return { r, p };
  };
  const at = (values: readonly (number | null)[]) => series(values, Date.parse(DEPLOY));
  const RUNNING = '2026-03-02T10:07:00Z';
  const cases: [
    string,
    SeriesRead,
    SeriesRead,
    { error?: string; now?: string; over?: Record<string, unknown> },
    Outcome,
    string,
    number,
  ][] = [
    ['all signals passing exit 0 (proceed)', at(flat(0.1)), at(flat(20)), {}, 'pass', 'proceed', 0],
    [
      'a warn while the period runs exits 0 (continue monitoring)',
      at(flat(0.1, 8)),
      at(flat(75, 8)),
      { now: RUNNING },
      'warn',
      'continue-monitoring',
      0,
    ],
    [
      'a warn still standing when the period ended is a hotfix (warnAtEnd default), exit 2',
      at(flat(0.1)),
      at(flat(75)),
      {},
      'warn',
      'hotfix',
      2,
    ],
    [
      'with warnAtEnd proceed-with-warning, the same warn proceeds (exit 0)',
      at(flat(0.1)),
      at(flat(75)),
      { over: { signalDefaults: { warnAtEnd: 'proceed-with-warning' } } },
      'warn',
      'proceed',
      0,
    ],
    [
      'a warn that cleared in the recent intervals proceeds at the end',
      at(flat(0.1)),
      at([80, 80, 80, 80, 80, 80, 30, 30, 30, 30]),
      {},
      'warn',
      'proceed',
      0,
    ],
    ['a major breach exits 1 (rollback)', at(flat(5)), at(flat(20)), {}, 'fail', 'rollback', 1],
    ['only a minor breach exits 2 (hotfix)', at(flat(0.1)), at(flat(95)), {}, 'fail', 'hotfix', 2],
    ['a major breach wins over an inconclusive signal (rollback)', at(flat(5)), at([]), {}, 'fail', 'rollback', 1],
    ['an inconclusive signal wins over a minor breach (inconclusive)', at([]), at(flat(95)), {}, 'fail', 'inconclusive', 3],
    ['no data exits 3 (inconclusive)', at([]), at([]), {}, 'inconclusive', 'inconclusive', 3],
    [
      'a gate that could not run is inconclusive',
      failed('unreachable', 'down'),
      failed('unreachable', 'down'),
      { error: 'InfluxDB is unreachable' },
      'inconclusive',
      'inconclusive',
      3,
    ],
  ];
  for (const [name, errors, cpu, o, outcome, decision, exit] of cases)
    test(name, () => {
      const { r, p } = report(errors, cpu, o);
      assert.equal(r.outcome, outcome, JSON.stringify(r.signals.map((s) => s.reason)));
      const d = healthDecision(r, p.verdict);
      assert.equal(d, decision);
      assert.equal(exitCodeFor(d), exit);
    });

  test('the report names the windows, the checking period and the source', () => {
    const { r } = report(at(flat(0.1)), at(flat(20)));
    assert.equal(r.schemaVersion, 1);
    assert.deepEqual(r.window.current, { start: '2026-03-02T09:59:00.000Z', end: '2026-03-02T10:09:00.000Z' });
    assert.equal(r.window.intervalSeconds, 60);
    assert.deepEqual(r.checkingPeriod, { ms: 600_000, monitorUntil: '2026-03-02T10:09:00.000Z', complete: true });
    assert.equal(r.source.dialect, 'influxql');
    assert.equal(r.signals.length, 2);
  });

  const early = (p: ReturnType<typeof policy>, now: string, changeSize: 'patch' = 'patch') =>
    computeWindows({ deployedAt: '2026-03-02T10:00:10Z', changeSize, policy: p, now: new Date(now) });
  const bare = {
    generatedAt: '',
    service: 's',
    version: '2',
    previousVersion: '1',
    deployedAt: '2026-03-02T10:00:10Z',
    changeSize: 'patch' as const,
    source: { url: '', dialect: 'influxql' as const, database: '' },
  };

  test('when InfluxDB could not be read, every signal names that cause, even right after a deploy', () => {
    const p = policy();
    const error = 'InfluxDB unreachable at http://127.0.0.1:9 (connect ECONNREFUSED)';
    const r = buildHealthReport({ ...bare, policy: p, measurements: [], windows: early(p, '2026-03-02T10:00:50Z'), error });
    assert.equal(r.outcome, 'inconclusive');
    assert.equal(r.error, error);
    for (const s of r.signals) assert.equal(s.reason, error);
  });

  test('right after a deploy, with no whole interval yet, every signal is inconclusive and says when to look again', () => {
    const p = policy();
    const r = buildHealthReport({ ...bare, policy: p, measurements: [], windows: early(p, '2026-03-02T10:00:50Z') });
    assert.equal(r.outcome, 'inconclusive');
    for (const s of r.signals)
      assert.match(
        s.reason,
        /no whole 60 s interval since the deploy plus warm-up yet .* run the health gate again after 2026-03-02T10:02:00Z/,
      );
  });

  test('a warm-up as long as a checking period is refused when the policy loads', () => {
    assert.throws(() => policy({ warmup: '15m' }), /warmup = "15m": is as long as the patch checking period/);
  });

  test('a period that can hold no whole interval says to fix the policy, never to wait', () => {
    // Shorter than the period, but with the deploy between interval edges no whole interval fits after it.
    const p = policy({ warmup: '9m30s' });
    const r = buildHealthReport({ ...bare, policy: p, measurements: [], windows: early(p, '2026-03-02T11:00:00Z') });
    for (const s of r.signals) {
      assert.match(s.reason, /holds no whole 60 s interval after the warm-up .* fix the policy/);
      assert.doesNotMatch(s.reason, /wait|again/);
    }
  });
});
