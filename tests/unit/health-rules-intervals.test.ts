// Per-interval health rules, table-driven: coverage share and stopped metrics, the recent window, consecutive and total breaches.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Outcome } from '../../scripts/engine/types.ts';
import { evaluate, failed, flat, MIN, ruleOf, T0 } from './health-fixtures.ts';

const ERRORS = { unit: '%', query: { template: 'error_rate' }, absolute: { warn: 0.5, fail: 1 } };
/** `n` intervals at `v`, with the given values at the given positions. */
const withAt = (n: number, v: number, at: Record<number, number | null>) => Array.from({ length: n }, (_, i) => (i in at ? at[i]! : v));
const tail = (n: number, v: number, k: number, w: number) => [...flat(v, n - k), ...flat(w, k)];

interface Case {
  readonly name: string;
  readonly current: readonly (number | null)[];
  readonly signal?: Record<string, unknown>;
  /** The period still running (default: over). */
  readonly running?: boolean;
  readonly n?: number;
  readonly outcome: Outcome;
  readonly rule: string;
  readonly reason: RegExp;
  /** Must not appear in the signal's reason (e.g. "wait" once the period is over). */
  readonly not?: RegExp;
}

const coverage: Case[] = [
  {
    name: 'data in every interval passes',
    current: flat(0.2, 30),
    outcome: 'pass',
    rule: 'coverage',
    reason: /data for 30 of 30 intervals \(100 %\)/,
  },
  {
    name: 'data in 60 % of the intervals is inconclusive and names the gaps',
    current: withAt(10, 0.2, { 1: null, 3: null, 5: null, 7: null }),
    outcome: 'inconclusive',
    rule: 'coverage',
    reason: /data for 6 of 10 intervals \(60 %\), needs ≥ 80 %.*missing 10:01, 10:03, 10:05, 10:07/,
  },
  {
    name: 'metrics that stop 8 minutes into a 30-minute period are inconclusive, naming when (the issue’s silent pass)',
    current: [...flat(0.2, 8), ...Array<null>(22).fill(null)],
    outcome: 'inconclusive',
    rule: 'coverage',
    reason: /metrics stopped at 2026-03-02T10:08:00Z: no data in the last 22 intervals \(the checking period ended/,
    not: /wait/,
  },
  {
    name: 'metrics that stopped while the period runs say so, without "wait"',
    current: [...flat(0.2, 12), null, null, null, null],
    running: true,
    outcome: 'inconclusive',
    rule: 'coverage',
    reason: /metrics stopped at 2026-03-02T10:12:00Z: no data in the last 4 intervals;/,
    not: /wait/,
  },
  {
    name: 'two empty intervals at the end are not yet "stopped" (stoppedAfter 3)',
    current: [...flat(0.2, 28), null, null],
    outcome: 'pass',
    rule: 'coverage',
    reason: /data for 28 of 30/,
  },
  {
    name: 'right after the deploy, too few intervals say when there will be enough',
    current: flat(0.2, 3),
    running: true,
    outcome: 'inconclusive',
    rule: 'coverage',
    reason: /only 3 whole intervals since the deploy and warm-up \(needs ≥ 5\); wait: enough data by 2026-03-02T10:05:00Z/,
  },
  {
    name: 'a period too short for minSamples says to fix the policy, not to wait',
    current: flat(0.2, 3),
    outcome: 'inconclusive',
    rule: 'coverage',
    reason: /holds only 3 intervals after the warm-up, fewer than the 5 this signal needs; lengthen the period/,
    not: /wait/,
  },
  {
    name: 'no data at all names the version',
    current: [],
    n: 10,
    outcome: 'inconclusive',
    rule: 'coverage',
    reason: /no data for version "2.0.0" in the current window \(10 intervals\)/,
  },
  {
    name: 'a breach already seen stands when the metrics stop afterwards (fail beats inconclusive)',
    current: [...flat(6, 8), ...Array<null>(22).fill(null)],
    outcome: 'fail',
    rule: 'absolute',
    reason: /above the fail level 1 %/,
  },
];

const recent: Case[] = [
  {
    name: 'a late onset (errors ~4 % in the last 5 of 30 minutes) fails the recent window while the mean only warns',
    current: tail(30, 0.2, 5, 4),
    outcome: 'fail',
    rule: 'recent',
    reason: /the last 5 intervals \(10:25–10:30\) have a median of 4 %, beyond the fail level 1 %/,
  },
  {
    name: 'a single spike at the very end passes (the median of the last 5 ignores it)',
    current: tail(30, 0.2, 1, 8),
    outcome: 'pass',
    rule: 'recent',
    reason: /median of 0.2 %/,
  },
  {
    name: 'a recent window at warn level warns',
    current: tail(30, 0.2, 5, 0.7),
    outcome: 'warn',
    rule: 'recent',
    reason: /beyond the warn level 0.5 %/,
  },
  {
    name: 'recent.intervals 0 turns the rule off',
    current: tail(30, 0.2, 5, 4),
    signal: { recent: { intervals: 0 } },
    outcome: 'fail',
    rule: 'intervals',
    reason: /5 intervals in a row beyond the fail level/,
  },
];

const intervals: Case[] = [
  {
    name: 'four breaches in a row fail (consecutiveFailureLimit 3) although the mean only warns',
    current: withAt(30, 0.2, { 10: 3, 11: 3, 12: 3, 13: 3 }),
    outcome: 'fail',
    rule: 'intervals',
    reason: /4 intervals in a row beyond the fail level \(at most 3 allowed\)/,
  },
  {
    name: 'three breaches in a row pass',
    current: withAt(30, 0.2, { 10: 3, 11: 3, 12: 3 }),
    outcome: 'pass',
    rule: 'intervals',
    reason: /3 of 30 intervals beyond the fail level; longest run 3/,
  },
  {
    name: 'eight scattered breaches in 30 exceed the 25 % failureLimit',
    current: withAt(30, 0.2, { 1: 1.2, 4: 1.2, 7: 1.2, 10: 1.2, 13: 1.2, 16: 1.2, 19: 1.2, 22: 1.2 }),
    outcome: 'fail',
    rule: 'intervals',
    reason: /8 breached intervals, more than the 25 % = 7.5 allowed/,
  },
  {
    name: 'seven scattered breaches in 30 are within 25 %',
    current: withAt(30, 0.2, { 1: 1.2, 4: 1.2, 7: 1.2, 10: 1.2, 13: 1.2, 16: 1.2, 19: 1.2 }),
    outcome: 'pass',
    rule: 'intervals',
    reason: /7 of 30 intervals beyond the fail level/,
  },
  {
    name: 'a failureLimit count of 2 fails the third scattered breach',
    current: withAt(30, 0.2, { 1: 2, 10: 2, 20: 2 }),
    signal: { intervals: { failureLimit: 2 } },
    outcome: 'fail',
    rule: 'intervals',
    reason: /3 breached intervals, more than the 2 allowed/,
  },
  {
    name: 'a single spike passes',
    current: withAt(30, 0.2, { 12: 9 }),
    outcome: 'pass',
    rule: 'intervals',
    reason: /1 of 30 intervals beyond the fail level/,
  },
  {
    name: 'a sustained run at warn level warns',
    current: withAt(30, 0.2, { 5: 0.8, 6: 0.8, 7: 0.8, 8: 0.8, 9: 0.8 }),
    outcome: 'warn',
    rule: 'intervals',
    reason: /5 intervals in a row at warn level or worse/,
  },
];

for (const [group, cases] of [
  ['coverage', coverage],
  ['recent-window', recent],
  ['per-interval', intervals],
] as const) {
  describe(`${group} rule`, () => {
    for (const c of cases) {
      test(c.name, () => {
        const r = evaluate({ ...ERRORS, ...c.signal }, c.current, flat(0.2, c.n ?? c.current.length), {
          ctx: { complete: !c.running },
          ...(c.n ? { n: c.n } : {}),
        });
        const rule = ruleOf(r, c.rule);
        assert.ok(rule, `a ${c.rule} rule; rules: ${JSON.stringify(r.rules, null, 1)}`);
        assert.equal(rule.outcome, c.outcome, rule.reason);
        assert.match(rule.reason, c.reason);
        assert.equal(r.outcome, c.outcome, `signal outcome; reason: ${r.reason}`);
        if (c.not) assert.doesNotMatch(r.reason, c.not);
      });
    }
  });
}

describe('coverage details', () => {
  test('the report says when the metrics stopped, and how much of the period has data', () => {
    const r = evaluate(ERRORS, [...flat(0.2, 8), ...Array<null>(22).fill(null)], flat(0.2, 30));
    assert.equal(r.stoppedAt, '2026-03-02T10:08:00Z');
    assert.deepEqual(r.coverage, { elapsed: 30, withData: 8, share: 8 / 30, minShare: 0.8 });
  });
  test('an unreadable current series is inconclusive with its cause', () => {
    const r = evaluate(ERRORS, failed('timeout', 'InfluxDB did not answer within 300 ms'), flat(0.2));
    assert.equal(r.outcome, 'inconclusive');
    assert.match(r.reason, /current data could not be read \(timeout\): InfluxDB did not answer/);
  });
  test('a policy share of 0.5 accepts 60 % of the intervals', () => {
    const r = evaluate({ ...ERRORS, coverage: { minShare: 0.5 } }, withAt(10, 0.2, { 1: null, 3: null, 5: null, 7: null }), flat(0.2));
    assert.equal(r.outcome, 'pass', r.reason);
  });
});

describe('a standing warn', () => {
  test('is one the recent window still shows', () => {
    const r = evaluate(ERRORS, tail(30, 0.2, 5, 0.7), flat(0.2, 30));
    assert.equal(r.outcome, 'warn');
    assert.equal(r.warnStanding, true);
    assert.equal(r.warnAtEnd, 'hotfix');
  });
  test('is not an early warn that has cleared in the recent intervals', () => {
    const r = evaluate(ERRORS, [...flat(0.9, 15), ...flat(0.2, 15)], flat(0.2, 30));
    assert.equal(r.outcome, 'warn', r.reason);
    assert.equal(ruleOf(r, 'recent')?.outcome, 'pass');
    assert.equal(r.warnStanding, false);
  });
  test('carries the policy choice for the end of the period', () => {
    const r = evaluate(ERRORS, tail(30, 0.2, 5, 0.7), flat(0.2, 30), { policy: { signalDefaults: { warnAtEnd: 'proceed-with-warning' } } });
    assert.equal(r.warnAtEnd, 'proceed-with-warning');
  });
});

describe('ratios with their counts (errors of requests)', () => {
  /** Error rates with the requests each interval had. */
  const weighted = (values: readonly number[], requests: number | readonly number[]) => ({
    kind: 'ok' as const,
    query: 'q',
    points: values.map((v, i) => ({
      t: new Date(T0 + i * MIN).toISOString(),
      v,
      w: typeof requests === 'number' ? requests : requests[i]!,
    })),
  });
  const cases: [string, readonly number[], number, string, Outcome, RegExp][] = [
    [
      'one error in 100 requests (1 %) is no evidence of a 1 % error rate: no breach',
      withAt(17, 0, { 2: 1, 5: 1.2, 9: 1.4, 12: 1, 15: 1.1 }),
      100,
      'intervals',
      'pass',
      /0 of 17 intervals beyond the fail level/,
    ],
    [
      '5 % of 100 requests in six intervals in a row is a breach every time',
      tail(17, 0, 6, 5),
      100,
      'intervals',
      'fail',
      /6 intervals in a row/,
    ],
    [
      'the last five intervals pooled: 15 errors in 500 requests fail a 1 % level',
      tail(17, 0, 3, 5),
      100,
      'recent',
      'fail',
      /have 3 % over 500 counted, beyond the fail level 1 % \(beyond it even at the near end of its 95 % interval\)/,
    ],
    [
      'the last five intervals pooled: 2 errors in 100 requests are not sure to be above 1 %',
      tail(17, 0, 2, 1),
      50,
      'recent',
      'pass',
      /have 0.4 % over 250 counted, within the levels/,
    ],
  ];
  for (const [name, values, requests, kind, outcome, reason] of cases)
    test(name, () => {
      const r = evaluate(ERRORS, weighted(values, requests), weighted(flat(0, 17), requests), { n: 17 });
      const rule = ruleOf(r, kind)!;
      assert.equal(rule.outcome, outcome, rule.reason);
      assert.match(rule.reason, reason);
    });
  test('the window value of a ratio is pooled over its counts (the real error rate), not a mean of percentages', () => {
    // 10 % of 10 requests and 0 % of 990: 1 error in 1000 requests is 0.1 %, where a mean of the two would say 5 %.
    const r = evaluate(ERRORS, weighted([10, 0, 0, 0, 0, 0], [10, 990, 990, 990, 990, 990]), weighted(flat(0, 6), 1000), { n: 6 });
    assert.ok(Math.abs(r.current! - 1 / 49.6) < 1e-9, String(r.current));
    assert.equal(r.outcome, 'pass', r.reason);
  });
});
