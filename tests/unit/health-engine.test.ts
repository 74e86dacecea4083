// Unit tests of the pure health engine: each rule passing, warning and failing, inconclusive cases, worst wins, decisions.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicy, type SignalPolicy } from '../../scripts/config/policy.ts';
import {
  buildHealthReport,
  combineOutcomes,
  evaluateSignal,
  exitCodeFor,
  healthDecision,
  relativeLimit,
} from '../../scripts/engine/health.ts';
import { computeWindows } from '../../scripts/engine/windows.ts';
import type { Outcome, SamplePoint, SeriesRead, SignalMeasurement } from '../../scripts/engine/types.ts';

const T0 = Date.parse('2026-03-02T10:00:00Z');

function policyOf(signals: Record<string, unknown>[]) {
  return parsePolicy(
    {
      name: 'engine test',
      owner: { team: 'qa', rollbackDecider: 'the on-call lead' },
      checkingPeriods: { patch: '10m', minor: '30m', major: '4h', migration: '4h', infrastructure: '2h' },
      signals,
    },
    'test',
  );
}

function signal(fields: Record<string, unknown>): SignalPolicy {
  return policyOf([
    { id: 'sig', title: 'Signal', unit: 'ms', query: { template: 'latency_p95' }, severity: 'major', minSamples: 5, ...fields },
  ]).signals[0]!;
}

/** A series sampled once a minute from T0 (or from `start`). */
const series = (values: readonly (number | null)[], start = T0): SeriesRead => ({
  kind: 'ok',
  query: 'SELECT … (test)',
  points: values.map((v, i): SamplePoint => ({ t: new Date(start + i * 60_000).toISOString(), v })),
});
const failed = (cause: Extract<SeriesRead, { kind: 'error' }>['cause'], message: string): SeriesRead => ({
  kind: 'error',
  cause,
  message,
  query: 'SELECT … (test)',
});
const m = (current: SeriesRead, baseline: SeriesRead): SignalMeasurement => ({ signalId: 'sig', current, baseline });
const ctx = { version: '2.0.0', previousVersion: '1.9.0' };
const flat = (v: number, n = 10) => Array.from({ length: n }, () => v);
/** Deterministic jitter so the samples are not all tied. */
const around = (v: number, spread: number, n = 12) => Array.from({ length: n }, (_, i) => v + (spread * (((i * 7) % 5) - 2)) / 2);

interface Case {
  readonly name: string;
  readonly signal: Record<string, unknown>;
  readonly current: SeriesRead;
  readonly baseline: SeriesRead;
  readonly outcome: Outcome;
  /** The rule whose outcome decided, and a fragment of the reason. */
  readonly rule: string;
  readonly reason: RegExp;
}

const cases: Case[] = [
  // absolute
  {
    name: 'a mean below the fail level passes the absolute rule',
    signal: { absolute: { fail: 500 } },
    current: series(flat(120)),
    baseline: series(flat(100)),
    outcome: 'pass',
    rule: 'absolute',
    reason: /within ≤ 500 ms/,
  },
  {
    name: 'a mean between warn and fail levels warns',
    signal: { absolute: { warn: 300, fail: 500 } },
    current: series(flat(350)),
    baseline: series(flat(100)),
    outcome: 'warn',
    rule: 'absolute',
    reason: /above the warn level 300 ms/,
  },
  {
    name: 'a mean above the fail level fails the absolute rule',
    signal: { absolute: { warn: 300, fail: 500 } },
    current: series(flat(650)),
    baseline: series(flat(100)),
    outcome: 'fail',
    rule: 'absolute',
    reason: /above the fail level 500 ms/,
  },
  {
    name: 'for lower-is-worse, a value under the fail level fails',
    signal: { unit: 'req/s', direction: 'lower-is-worse', absolute: { warn: 5, fail: 2 } },
    current: series(flat(1)),
    baseline: series(flat(8)),
    outcome: 'fail',
    rule: 'absolute',
    reason: /below the fail level 2 req\/s/,
  },
  {
    name: 'for lower-is-worse, a high value passes',
    signal: { unit: 'req/s', direction: 'lower-is-worse', absolute: { warn: 5, fail: 2 } },
    current: series(flat(9)),
    baseline: series(flat(8)),
    outcome: 'pass',
    rule: 'absolute',
    reason: /within ≥ 2 req\/s/,
  },
  // relative
  {
    name: 'a latency within baseline × 1.5 passes the relative rule',
    signal: { relative: { maxRatio: 1.5 } },
    current: series(flat(140)),
    baseline: series(flat(100)),
    outcome: 'pass',
    rule: 'relative',
    reason: /within 150 ms/,
  },
  {
    name: 'a latency beyond baseline × 1.5 fails the relative rule',
    signal: { relative: { maxRatio: 1.5 } },
    current: series(flat(160)),
    baseline: series(flat(100)),
    outcome: 'fail',
    rule: 'relative',
    reason: /beyond the allowed 150 ms/,
  },
  {
    name: 'with ratio and increase, both limits must hold by default: +40 ms on a 1 s baseline passes',
    signal: { relative: { maxRatio: 1.2, maxIncrease: 50 } },
    current: series(flat(1040)),
    baseline: series(flat(1000)),
    outcome: 'pass',
    rule: 'relative',
    reason: /within 1050 ms \(min\(baseline × 1\.2, baseline \+ 50 ms\)\)/,
  },
  {
    name: 'with ratio and increase, exceeding the increase alone fails by default (the stricter limit applies)',
    signal: { relative: { maxRatio: 1.2, maxIncrease: 50 } },
    current: series(flat(1060)),
    baseline: series(flat(1000)),
    outcome: 'fail',
    rule: 'relative',
    reason: /beyond the allowed 1050 ms \(min\(baseline × 1\.2, baseline \+ 50 ms\)\)/,
  },
  {
    name: 'with ratio and increase, exceeding the ratio alone fails by default',
    signal: { relative: { maxRatio: 1.5, maxIncrease: 50 } },
    current: series(flat(40)),
    baseline: series(flat(5)),
    outcome: 'fail',
    rule: 'relative',
    reason: /beyond the allowed 7.5 ms/,
  },
  {
    name: "with combine 'any', a small baseline may grow by the increase (both must be exceeded)",
    signal: { relative: { maxRatio: 1.5, maxIncrease: 50, combine: 'any' } },
    current: series(flat(40)),
    baseline: series(flat(5)),
    outcome: 'pass',
    rule: 'relative',
    reason: /within 55 ms \(max\(baseline × 1\.5, baseline \+ 50 ms\)\)/,
  },
  {
    name: "with combine 'any', exceeding both fails",
    signal: { relative: { maxRatio: 1.5, maxIncrease: 50, combine: 'any' } },
    current: series(flat(900)),
    baseline: series(flat(5)),
    outcome: 'fail',
    rule: 'relative',
    reason: /beyond the allowed 55 ms/,
  },
  {
    name: 'for lower-is-worse with both limits, a drop beyond either fails by default (the higher floor applies)',
    signal: { unit: 'req/s', direction: 'lower-is-worse', relative: { maxRatio: 2, maxIncrease: 2 } },
    current: series(flat(7)),
    baseline: series(flat(10)),
    outcome: 'fail',
    rule: 'relative',
    reason: /beyond the allowed 8 req\/s \(max\(baseline ÷ 2, baseline − 2 req\/s\)\)/,
  },
  {
    name: "for lower-is-worse with combine 'any', a drop must pass both to fail (the lower floor applies)",
    signal: { unit: 'req/s', direction: 'lower-is-worse', relative: { maxRatio: 2, maxIncrease: 2, combine: 'any' } },
    current: series(flat(7)),
    baseline: series(flat(10)),
    outcome: 'pass',
    rule: 'relative',
    reason: /within 5 req\/s \(min\(baseline ÷ 2, baseline − 2 req\/s\)\)/,
  },
  {
    name: 'with both limits, the warn level combines the warn ratio with the increase the same way',
    signal: { relative: { maxRatio: 2, warnRatio: 1.2, maxIncrease: 50 } },
    current: series(flat(130)),
    baseline: series(flat(100)),
    outcome: 'warn',
    rule: 'relative',
    reason: /warn level 120 ms \(min\(baseline × 1\.2, baseline \+ 50 ms\); fail beyond 150 ms\)/,
  },
  {
    name: 'beyond the warn ratio but within the fail ratio warns',
    signal: { relative: { maxRatio: 2, warnRatio: 1.2 } },
    current: series(flat(130)),
    baseline: series(flat(100)),
    outcome: 'warn',
    rule: 'relative',
    reason: /warn level 120 ms/,
  },
  {
    name: 'for lower-is-worse, a rate that halves fails ÷ 1.5',
    signal: { unit: 'req/s', direction: 'lower-is-worse', relative: { maxRatio: 1.5 } },
    current: series(flat(4)),
    baseline: series(flat(8)),
    outcome: 'fail',
    rule: 'relative',
    reason: /beyond the allowed 5.33 req\/s/,
  },
  {
    name: 'for lower-is-worse, a rate that rises passes',
    signal: { unit: 'req/s', direction: 'lower-is-worse', relative: { maxRatio: 1.5 } },
    current: series(flat(12)),
    baseline: series(flat(8)),
    outcome: 'pass',
    rule: 'relative',
    reason: /within 5.33 req\/s/,
  },
  // trend
  {
    name: 'a flat series passes the trend rule',
    signal: { unit: 'MB', trend: { maxSlopePerMinute: 2 } },
    current: series(around(100, 1)),
    baseline: series(flat(100)),
    outcome: 'pass',
    rule: 'trend',
    reason: /within the limit/,
  },
  {
    name: 'memory climbing 5 MB a minute fails a 2 MB/min trend limit',
    signal: { unit: 'MB', trend: { maxSlopePerMinute: 2 } },
    current: series(Array.from({ length: 10 }, (_, i) => 100 + 5 * i)),
    baseline: series(flat(100)),
    outcome: 'fail',
    rule: 'trend',
    reason: /slope \+5 MB\/min over the window exceeds \+2 MB\/min/,
  },
  {
    name: 'a climb between the warn and fail slopes warns',
    signal: { unit: 'MB', trend: { maxSlopePerMinute: 2, warnSlopePerMinute: 1 } },
    current: series(Array.from({ length: 10 }, (_, i) => 100 + 1.5 * i)),
    baseline: series(flat(100)),
    outcome: 'warn',
    rule: 'trend',
    reason: /warn rate/,
  },
  {
    name: 'for lower-is-worse, a steady decline fails the trend rule',
    signal: { unit: 'req/s', direction: 'lower-is-worse', trend: { maxSlopePerMinute: 0.5 } },
    current: series(Array.from({ length: 10 }, (_, i) => 20 - i)),
    baseline: series(flat(20)),
    outcome: 'fail',
    rule: 'trend',
    reason: /slope -1 req\/s\/min/,
  },
  // statistical
  {
    name: 'samples from the same distribution pass the statistical rule',
    signal: { statistical: {} },
    current: series(around(100, 10)),
    baseline: series(around(100, 10)),
    outcome: 'pass',
    rule: 'statistical',
    reason: /no significant difference/,
  },
  {
    name: 'a significant shift beyond the tolerance fails the statistical rule',
    signal: { statistical: {} },
    current: series(around(200, 10)),
    baseline: series(around(100, 10)),
    outcome: 'fail',
    rule: 'statistical',
    reason: /significantly higher than the baseline beyond the 25 % tolerance \(p=/,
  },
  {
    name: 'a significant shift within the 25 % tolerance passes',
    signal: { statistical: {} },
    current: series(around(110, 2)),
    baseline: series(around(100, 2)),
    outcome: 'pass',
    rule: 'statistical',
    reason: /within the 25 % tolerance/,
  },
  {
    name: 'a significant improvement passes',
    signal: { statistical: {} },
    current: series(around(50, 2)),
    baseline: series(around(100, 2)),
    outcome: 'pass',
    rule: 'statistical',
    reason: /better direction/,
  },
  {
    name: 'a significant ×3 shift smaller than the minShift floor passes as harmless',
    signal: { unit: 'ms', statistical: { minShift: 50 } },
    current: series(around(15, 1)),
    baseline: series(around(5, 1)),
    outcome: 'pass',
    rule: 'statistical',
    reason: /smaller than the 50 ms that matters/,
  },
  {
    name: 'a significant shift beyond both the tolerance and the minShift floor fails',
    signal: { unit: 'ms', statistical: { minShift: 50 } },
    current: series(around(900, 10)),
    baseline: series(around(5, 1)),
    outcome: 'fail',
    rule: 'statistical',
    reason: /significantly higher/,
  },
  {
    name: 'errors appearing over a zero baseline fail (infinite effect)',
    signal: { unit: '%', statistical: {} },
    current: series(around(5, 1)),
    baseline: series(flat(0, 12)),
    outcome: 'fail',
    rule: 'statistical',
    reason: /from a zero baseline/,
  },
  // samples
  {
    name: 'fewer samples than minSamples is inconclusive, never a pass',
    signal: { absolute: { fail: 500 } },
    current: series([100, 100, 100]),
    baseline: series(flat(100)),
    outcome: 'inconclusive',
    rule: 'samples',
    reason: /only 3 current samples \(needs ≥ 5\)/,
  },
  {
    name: 'empty intervals do not count as samples',
    signal: { absolute: { fail: 500 } },
    current: series([100, null, null, 100, null, 100, 100, null]),
    baseline: series(flat(100)),
    outcome: 'inconclusive',
    rule: 'samples',
    reason: /only 4 current samples/,
  },
  {
    name: 'no data at all is inconclusive and names the version',
    signal: { absolute: { fail: 500 } },
    current: series([]),
    baseline: series(flat(100)),
    outcome: 'inconclusive',
    rule: 'samples',
    reason: /no data for version "2.0.0"/,
  },
  {
    name: 'an unreadable current series is inconclusive with its cause',
    signal: { absolute: { fail: 500 } },
    current: failed('timeout', 'InfluxDB did not answer within 300 ms'),
    baseline: series(flat(100)),
    outcome: 'inconclusive',
    rule: 'samples',
    reason: /current data could not be read \(timeout\): InfluxDB did not answer/,
  },
  {
    name: 'a relative rule without baseline data is inconclusive',
    signal: { relative: { maxRatio: 1.5 } },
    current: series(flat(100)),
    baseline: series([]),
    outcome: 'inconclusive',
    rule: 'relative',
    reason: /no baseline data for version "1.9.0"/,
  },
  {
    name: 'a statistical rule with too few baseline samples is inconclusive',
    signal: { statistical: {} },
    current: series(flat(100)),
    baseline: series([1, 2]),
    outcome: 'inconclusive',
    rule: 'statistical',
    reason: /only 2 baseline samples/,
  },
  {
    name: 'an absolute breach stands even when the baseline is missing',
    signal: { absolute: { fail: 500 }, relative: { maxRatio: 1.5 } },
    current: series(flat(900)),
    baseline: failed('auth', 'refused'),
    outcome: 'fail',
    rule: 'absolute',
    reason: /above the fail level/,
  },
  {
    name: 'a pass with a missing baseline is inconclusive (no data is never success)',
    signal: { absolute: { fail: 500 }, relative: { maxRatio: 1.5 } },
    current: series(flat(100)),
    baseline: failed('unreachable', 'down'),
    outcome: 'inconclusive',
    rule: 'relative',
    reason: /baseline data could not be read \(unreachable\)/,
  },
];

describe('health rules', () => {
  for (const c of cases) {
    test(c.name, () => {
      const r = evaluateSignal(signal(c.signal), m(c.current, c.baseline), ctx);
      assert.equal(r.outcome, c.outcome, `outcome; reason: ${r.reason}`);
      const decided = r.rules.find((x) => x.outcome === c.outcome && c.reason.test(x.reason));
      assert.ok(decided, `a ${c.outcome} rule with reason ${c.reason}; rules: ${JSON.stringify(r.rules, null, 1)}`);
      assert.equal(decided.rule, c.rule);
      assert.match(r.reason, c.reason);
    });
  }

  test('the result carries current, baseline, delta, samples, queries and both series', () => {
    const r = evaluateSignal(
      signal({ absolute: { fail: 500 }, relative: { maxRatio: 1.5 } }),
      m(series(flat(150)), series(flat(100))),
      ctx,
    );
    assert.equal(r.current, 150);
    assert.equal(r.baseline, 100);
    assert.equal(r.delta, 50);
    assert.equal(r.deltaPct, 50);
    assert.equal(r.limitValue, 500);
    assert.deepEqual(r.samples, { current: 10, baseline: 10 });
    assert.equal(r.query.current, 'SELECT … (test)');
    assert.equal(r.series.current.length, 10);
    assert.equal(r.series.baseline.length, 10);
    assert.match(r.limit, /≤ 500 ms; ≤ baseline × 1.5 = 150 ms/);
  });

  test('a missing measurement is inconclusive, never a pass', () => {
    const r = evaluateSignal(signal({ absolute: { fail: 500 } }), undefined, ctx);
    assert.equal(r.outcome, 'inconclusive');
  });
});

describe('relative limits', () => {
  const cases: [string, number, 'higher-is-worse' | 'lower-is-worse', number | undefined, number | undefined, 'all' | 'any', number][] = [
    ['ratio only, higher-is-worse', 100, 'higher-is-worse', 1.2, undefined, 'all', 120],
    ['increase only, higher-is-worse', 100, 'higher-is-worse', undefined, 50, 'all', 150],
    ['both, all: the stricter (smaller) limit', 100, 'higher-is-worse', 1.2, 50, 'all', 120],
    ['both on a large baseline, all: the increase is stricter', 1000, 'higher-is-worse', 1.2, 50, 'all', 1050],
    ['both, any: the more permissive (larger) limit', 100, 'higher-is-worse', 1.2, 50, 'any', 150],
    ['both on a large baseline, any: the ratio wins', 1000, 'higher-is-worse', 1.2, 50, 'any', 1200],
    ['ratio only, lower-is-worse divides', 9, 'lower-is-worse', 1.5, undefined, 'all', 6],
    ['both, lower-is-worse, all: the higher floor', 9, 'lower-is-worse', 1.5, 5, 'all', 6],
    ['both, lower-is-worse, any: the lower floor', 9, 'lower-is-worse', 1.5, 5, 'any', 4],
  ];
  for (const [name, b, dir, ratio, inc, combine, expected] of cases) {
    test(`${name}: baseline ${b} → ${expected}`, () => assert.ok(Math.abs(relativeLimit(b, dir, ratio, inc, combine) - expected) < 1e-9));
  }

  test("a policy without combine reads as 'all'", () =>
    assert.equal(signal({ relative: { maxRatio: 1.5, maxIncrease: 50 } }).relative?.combine, 'all'));

  test('the limit text names how the two limits combine', () => {
    const limitOf = (combine: 'all' | 'any') =>
      evaluateSignal(signal({ relative: { maxRatio: 1.2, maxIncrease: 50, combine } }), m(series(flat(100)), series(flat(100))), ctx).limit;
    assert.equal(limitOf('all'), '≤ min(baseline × 1.2, baseline + 50 ms) = 120 ms');
    assert.equal(limitOf('any'), '≤ max(baseline × 1.2, baseline + 50 ms) = 150 ms');
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
  const policy = policyOf([
    { id: 'errors', title: 'Errors', unit: '%', query: { template: 'error_rate' }, severity: 'major', absolute: { fail: 1 } },
    { id: 'cpu', title: 'CPU', unit: '%', query: { template: 'cpu' }, severity: 'minor', absolute: { warn: 70, fail: 90 } },
  ]);
  const windows = computeWindows({
    deployedAt: '2026-03-02T09:59:00Z',
    changeSize: 'patch',
    policy,
    now: new Date('2026-03-02T10:20:00Z'),
  });
  const report = (errors: SeriesRead, cpu: SeriesRead, error?: string) =>
    buildHealthReport({
      policy,
      measurements: [
        { signalId: 'errors', current: errors, baseline: series(flat(0)) },
        { signalId: 'cpu', current: cpu, baseline: series(flat(20)) },
      ],
      windows,
      generatedAt: '2026-03-02T10:20:00Z',
      service: 'shop',
      version: '2.0.0',
      previousVersion: '1.9.0',
      deployedAt: '2026-03-02T09:59:00Z',
      changeSize: 'patch',
      source: { url: 'http://127.0.0.1:1', dialect: 'influxql', database: 'db' },
      ...(error ? { error } : {}),
    });
  const cases: [string, SeriesRead, SeriesRead, string | undefined, Outcome, string, number][] = [
    ['all signals passing exit 0 (proceed)', series(flat(0.1)), series(flat(20)), undefined, 'pass', 'proceed', 0],
    ['a warn only exits 0 (continue monitoring)', series(flat(0.1)), series(flat(75)), undefined, 'warn', 'continue-monitoring', 0],
    ['a major breach exits 1 (rollback)', series(flat(5)), series(flat(20)), undefined, 'fail', 'rollback', 1],
    ['only a minor breach exits 2 (hotfix)', series(flat(0.1)), series(flat(95)), undefined, 'fail', 'hotfix', 2],
    ['a major breach wins over an inconclusive signal (rollback)', series(flat(5)), series([]), undefined, 'fail', 'rollback', 1],
    ['an inconclusive signal wins over a minor breach (inconclusive)', series([]), series(flat(95)), undefined, 'fail', 'inconclusive', 3],
    ['no data exits 3 (inconclusive)', series([]), series([]), undefined, 'inconclusive', 'inconclusive', 3],
    [
      'a gate that could not run is inconclusive',
      failed('unreachable', 'down'),
      failed('unreachable', 'down'),
      'InfluxDB is unreachable',
      'inconclusive',
      'inconclusive',
      3,
    ],
  ];
  for (const [name, errors, cpu, error, outcome, decision, exit] of cases) {
    test(name, () => {
      const r = report(errors, cpu, error);
      assert.equal(r.outcome, outcome);
      const d = healthDecision(r, policy.verdict);
      assert.equal(d, decision);
      assert.equal(exitCodeFor(d), exit);
    });
  }

  test('the report names the windows, the checking period and the source', () => {
    const r = report(series(flat(0.1)), series(flat(20)));
    assert.equal(r.schemaVersion, 1);
    assert.deepEqual(r.window.current, { start: '2026-03-02T09:59:00.000Z', end: '2026-03-02T10:09:00.000Z' });
    assert.equal(r.window.intervalSeconds, 60);
    assert.deepEqual(r.checkingPeriod, { ms: 600_000, monitorUntil: '2026-03-02T10:09:00.000Z', complete: true });
    assert.equal(r.source.dialect, 'influxql');
    assert.equal(r.signals.length, 2);
  });

  test('when InfluxDB could not be read, every signal names that cause, even right after a deploy', () => {
    const early = computeWindows({
      deployedAt: '2026-03-02T10:00:10Z',
      changeSize: 'patch',
      policy,
      now: new Date('2026-03-02T10:00:50Z'),
    });
    const error = 'InfluxDB unreachable at http://127.0.0.1:9 (connect ECONNREFUSED)';
    const r = buildHealthReport({
      policy,
      measurements: [],
      windows: early,
      generatedAt: '',
      service: 's',
      version: '2',
      previousVersion: '1',
      deployedAt: '2026-03-02T10:00:10Z',
      changeSize: 'patch',
      source: { url: '', dialect: 'influxql', database: '' },
      error,
    });
    assert.equal(r.outcome, 'inconclusive');
    assert.equal(r.error, error);
    for (const s of r.signals) assert.equal(s.reason, error);
  });

  test('right after a deploy, with no whole interval yet, every signal is inconclusive and says why', () => {
    const early = computeWindows({
      deployedAt: '2026-03-02T10:00:10Z',
      changeSize: 'patch',
      policy,
      now: new Date('2026-03-02T10:00:50Z'),
    });
    const r = buildHealthReport({
      policy,
      measurements: [],
      windows: early,
      generatedAt: '',
      service: 's',
      version: '2',
      previousVersion: '1',
      deployedAt: '2026-03-02T10:00:10Z',
      changeSize: 'patch',
      source: { url: '', dialect: 'influxql', database: '' },
    });
    assert.equal(r.outcome, 'inconclusive');
    for (const s of r.signals) assert.match(s.reason, /no whole 60s interval since the deploy/);
  });
});
