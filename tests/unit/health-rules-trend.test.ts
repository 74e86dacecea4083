// Trend rule, table-driven: Theil–Sen growth beyond the baseline's, leak projection to the limit (horizon), warm-up, sawtooth.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Outcome } from '../../scripts/engine/types.ts';
import { evaluate, flat, ramp, ruleOf } from './health-fixtures.ts';

const MEM = { unit: 'MB', query: { template: 'memory_rss' }, absolute: { fail: 1024 } };
/** A GC sawtooth: +40 MB over five minutes, then collected. */
const saw = (n: number, base = 300, perMin = 0) => Array.from({ length: n }, (_, i) => base + perMin * i + 40 * ((i % 5) / 5));
/** A fresh process approaching its steady state: W MB short of it, closing with time constant tau minutes. */
const warming = (n: number, w: number, tau: number, base = 300) => Array.from({ length: n }, (_, i) => base - w * Math.exp(-(i + 1) / tau));

interface Case {
  readonly name: string;
  readonly trend: Record<string, unknown>;
  readonly signal?: Record<string, unknown>;
  readonly current: readonly number[];
  readonly baseline: readonly number[];
  readonly running?: boolean;
  readonly outcome: Outcome;
  readonly reason: RegExp;
}

const cases: Case[] = [
  {
    name: 'a flat series passes',
    trend: { maxSlopePerMinute: 2 },
    current: flat(300, 12),
    baseline: flat(300, 12),
    outcome: 'pass',
    reason: /slope \+0 MB\/min.*within the limit/,
  },
  {
    name: 'memory climbing 5 MB a minute fails a 2 MB/min limit',
    trend: { maxSlopePerMinute: 2 },
    current: ramp(300, 5),
    baseline: flat(300),
    outcome: 'fail',
    reason: /growth \+5 MB\/min exceeds 2 MB\/min/,
  },
  {
    name: 'a climb between the warn and fail rates warns',
    trend: { maxSlopePerMinute: 2, warnSlopePerMinute: 1 },
    current: ramp(300, 1.5),
    baseline: flat(300),
    outcome: 'warn',
    reason: /exceeds the warn rate 1 MB\/min/,
  },
  {
    name: 'for lower-is-worse, a steady decline fails',
    signal: { unit: 'req/s', direction: 'lower-is-worse', absolute: undefined },
    trend: { maxSlopePerMinute: 0.5 },
    current: ramp(20, -1),
    baseline: flat(20),
    outcome: 'fail',
    reason: /slope −1 req\/s\/min/,
  },
  {
    name: 'growth the previous version shared is not this release’s leak',
    trend: { maxSlopePerMinute: 2 },
    current: ramp(300, 3),
    baseline: ramp(270, 3),
    outcome: 'pass',
    reason: /baseline \+3 MB\/min: within the limit/,
  },
  {
    name: 'a 2 MB/min leak (just under a 2 MB/min slope limit) fails by projection: the limit is hours away, within 24 h',
    trend: { maxSlopePerMinute: 5, horizon: '24h' },
    current: saw(30, 300, 2),
    baseline: saw(30),
    outcome: 'fail',
    reason: /reaches 1024 MB in about 5 h 25 min .* within the 24 h horizon/,
  },
  {
    name: 'a 0.3 MB/min drift reaches the limit beyond the horizon and passes',
    trend: { horizon: '24h' },
    current: ramp(300, 0.3, 30),
    baseline: flat(300, 30),
    outcome: 'pass',
    reason: /in about 39 h 44 min .*beyond the 24 h horizon/,
  },
  {
    name: 'a GC sawtooth without growth passes (Theil–Sen is not fooled by the drops)',
    trend: { horizon: '24h' },
    current: saw(30),
    baseline: saw(30),
    outcome: 'pass',
    reason: /no lasting growth/,
  },
  {
    name: 'a fresh process climbing to steady state passes the projection: its later half is flat',
    trend: { horizon: '24h' },
    current: warming(30, 150, 4),
    baseline: flat(300, 30),
    outcome: 'pass',
    reason: /within the limit/,
  },
  {
    name: 'without a warm-up, a steep start-up climb exceeds a 2 MB/min slope limit',
    trend: { maxSlopePerMinute: 2 },
    current: warming(30, 200, 5),
    baseline: flat(300, 30),
    outcome: 'fail',
    reason: /growth \+2.59 MB\/min exceeds 2 MB\/min/,
  },
  {
    name: 'a 5 minute trend warm-up ignores that climb',
    trend: { maxSlopePerMinute: 2, warmup: '5m' },
    current: warming(30, 200, 5),
    baseline: flat(300, 30),
    outcome: 'pass',
    reason: /slope \+1.44 MB\/min.*within the limit/,
  },
  {
    name: 'too few intervals after the warm-up while the period runs says when to look again',
    trend: { maxSlopePerMinute: 2, warmup: '8m' },
    current: flat(300, 10),
    baseline: flat(300, 10),
    running: true,
    outcome: 'inconclusive',
    reason: /a trend needs ≥ 5 intervals with data after the warm-up \(2026-03-02T10:08:00Z\), has 2; wait until 2026-03-02T10:13:00Z/,
  },
];

describe('trend rule', () => {
  for (const c of cases) {
    test(c.name, () => {
      const r = evaluate({ ...MEM, ...c.signal, trend: c.trend }, c.current, c.baseline, { ctx: { complete: !c.running } });
      const rule = ruleOf(r, 'trend');
      assert.ok(rule, JSON.stringify(r.rules, null, 1));
      assert.equal(rule.outcome, c.outcome, rule.reason);
      assert.match(rule.reason, c.reason);
    });
  }

  test('the evidence of a deciding trend carries the fitted line and marks the warm-up as skipped', () => {
    const r = evaluate({ ...MEM, trend: { maxSlopePerMinute: 2, warmup: '2m' } }, ramp(300, 5), flat(300));
    assert.equal(r.evidence?.rule, 'trend');
    assert.deepEqual(
      r.evidence?.intervals.slice(0, 3).map((i) => i.state),
      ['skipped', 'skipped', 'ok'],
    );
    assert.ok(Math.abs(r.evidence!.intervals[5]!.expected! - 325) < 1e-9);
  });

  test('a horizon without an absolute level is refused when the policy loads', () => {
    assert.throws(
      () => evaluate({ unit: 'MB', trend: { horizon: '24h' } }, flat(1), flat(1)),
      /projects when the absolute fail level is reached/,
    );
  });
});
