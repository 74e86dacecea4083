// Window-level health rules, table-driven: absolute levels, relative limits (ratio, amount, percent with a floor), Mann-Whitney.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Outcome } from '../../scripts/engine/types.ts';
import { around, evaluate, flat, ruleOf } from './health-fixtures.ts';

interface Case {
  readonly name: string;
  readonly signal: Record<string, unknown>;
  readonly current: readonly number[];
  readonly baseline: readonly number[];
  readonly outcome: Outcome;
  /** The rule that decided, and a fragment of its reason. */
  readonly rule: string;
  readonly reason: RegExp;
}

const absolute: Case[] = [
  {
    name: 'a mean below the fail level passes',
    signal: { absolute: { fail: 500 } },
    current: flat(120),
    baseline: flat(100),
    outcome: 'pass',
    rule: 'absolute',
    reason: /within ≤ 500 ms/,
  },
  {
    name: 'a mean between warn and fail levels warns',
    signal: { absolute: { warn: 300, fail: 500 } },
    current: flat(350),
    baseline: flat(100),
    outcome: 'warn',
    rule: 'absolute',
    reason: /above the warn level 300 ms/,
  },
  {
    name: 'a mean above the fail level fails',
    signal: { absolute: { warn: 300, fail: 500 } },
    current: flat(650),
    baseline: flat(100),
    outcome: 'fail',
    rule: 'absolute',
    reason: /above the fail level 500 ms/,
  },
  {
    name: 'for lower-is-worse, a value under the fail level fails',
    signal: { unit: 'req/s', direction: 'lower-is-worse', absolute: { warn: 5, fail: 2 } },
    current: flat(1),
    baseline: flat(8),
    outcome: 'fail',
    rule: 'absolute',
    reason: /below the fail level 2 req\/s/,
  },
  {
    name: 'for lower-is-worse, a high value passes',
    signal: { unit: 'req/s', direction: 'lower-is-worse', absolute: { warn: 5, fail: 2 } },
    current: flat(9),
    baseline: flat(8),
    outcome: 'pass',
    rule: 'absolute',
    reason: /within ≥ 2 req\/s/,
  },
];

const relative: Case[] = [
  {
    name: 'a latency within baseline × 1.5 passes',
    signal: { relative: { maxRatio: 1.5 } },
    current: flat(140),
    baseline: flat(100),
    outcome: 'pass',
    rule: 'relative',
    reason: /within 150 ms/,
  },
  {
    name: 'a latency beyond baseline × 1.5 fails',
    signal: { relative: { maxRatio: 1.5 } },
    current: flat(160),
    baseline: flat(100),
    outcome: 'fail',
    rule: 'relative',
    reason: /beyond the allowed 150 ms/,
  },
  {
    name: 'with ratio and increase, both must hold by default: +40 ms on a 1 s baseline passes',
    signal: { relative: { maxRatio: 1.2, maxIncrease: 50 } },
    current: flat(1040),
    baseline: flat(1000),
    outcome: 'pass',
    rule: 'relative',
    reason: /within 1050 ms \(min\(baseline × 1\.2, baseline \+ 50 ms\)\)/,
  },
  {
    name: 'with ratio and increase, exceeding the increase alone fails by default',
    signal: { relative: { maxRatio: 1.2, maxIncrease: 50 } },
    current: flat(1060),
    baseline: flat(1000),
    outcome: 'fail',
    rule: 'relative',
    reason: /beyond the allowed 1050 ms/,
  },
  {
    name: "with combine 'any', a small baseline may grow by the increase",
    signal: { relative: { maxRatio: 1.5, maxIncrease: 50, combine: 'any' } },
    current: flat(40),
    baseline: flat(5),
    outcome: 'pass',
    rule: 'relative',
    reason: /within 55 ms \(max\(baseline × 1\.5, baseline \+ 50 ms\)\)/,
  },
  {
    name: 'for lower-is-worse with both limits, the higher floor applies',
    signal: { unit: 'req/s', direction: 'lower-is-worse', relative: { maxRatio: 2, maxIncrease: 2 } },
    current: flat(7),
    baseline: flat(10),
    outcome: 'fail',
    rule: 'relative',
    reason: /beyond the allowed 8 req\/s \(max\(baseline ÷ 2, baseline − 2 req\/s\)\)/,
  },
  {
    name: 'beyond the warn ratio but within the fail ratio warns',
    signal: { relative: { maxRatio: 2, warnRatio: 1.2 } },
    current: flat(130),
    baseline: flat(100),
    outcome: 'warn',
    rule: 'relative',
    reason: /warn level 120 ms/,
  },
  // Percent limits with a unit floor: a small baseline cannot shield a +30 % rise (issue: 111 → 144 ms only warned).
  {
    name: '+30 % on a fast service (111 → 144 ms) fails a 20 % limit',
    signal: { relative: { maxIncreasePct: 20 } },
    current: flat(144),
    baseline: flat(111),
    outcome: 'fail',
    rule: 'relative',
    reason: /beyond the allowed 133.2 ms \(baseline \+ 20 % \(at least 10 ms\)\)/,
  },
  {
    name: '+30 % on 177 ms fails by a clear margin, not by luck',
    signal: { relative: { maxIncreasePct: 20 } },
    current: flat(230),
    baseline: flat(177),
    outcome: 'fail',
    rule: 'relative',
    reason: /allowed 212.4 ms/,
  },
  {
    name: '+30 % of a 5 ms baseline is below the 10 ms floor: noise, a pass',
    signal: { relative: { maxIncreasePct: 20 } },
    current: flat(6.5),
    baseline: flat(5),
    outcome: 'pass',
    rule: 'relative',
    reason: /within 15 ms/,
  },
  {
    name: 'a 10 % rise warns beyond warnIncreasePct 5',
    signal: { relative: { maxIncreasePct: 20, warnIncreasePct: 5 } },
    current: flat(330),
    baseline: flat(300),
    outcome: 'warn',
    rule: 'relative',
    reason: /warn level 315 ms/,
  },
  {
    name: 'for lower-is-worse, a 45 % drop fails a 30 % limit',
    signal: { unit: 'req/s', direction: 'lower-is-worse', relative: { maxIncreasePct: 30 } },
    current: flat(55),
    baseline: flat(100),
    outcome: 'fail',
    rule: 'relative',
    reason: /allowed 70 req\/s/,
  },
  {
    name: 'an explicit floor replaces the unit floor',
    signal: { relative: { maxIncreasePct: 20, floor: 50 } },
    current: flat(144),
    baseline: flat(111),
    outcome: 'pass',
    rule: 'relative',
    reason: /within 161 ms/,
  },
];

const statistical: Case[] = [
  {
    name: 'samples from the same distribution pass',
    signal: { statistical: {} },
    current: around(100, 10),
    baseline: around(100, 10),
    outcome: 'pass',
    rule: 'statistical',
    reason: /no significant difference/,
  },
  {
    name: 'a significant shift beyond the tolerance fails',
    signal: { statistical: {} },
    current: around(200, 10),
    baseline: around(100, 10),
    outcome: 'fail',
    rule: 'statistical',
    reason: /significantly higher than the baseline beyond the 25 % tolerance \(p=.*Cliff's δ 1\)/,
  },
  {
    name: 'a significant shift within the 25 % tolerance passes',
    signal: { statistical: {} },
    current: around(110, 2),
    baseline: around(100, 2),
    outcome: 'pass',
    rule: 'statistical',
    reason: /within the 25 % tolerance/,
  },
  {
    name: 'a significant improvement passes',
    signal: { statistical: {} },
    current: around(50, 2),
    baseline: around(100, 2),
    outcome: 'pass',
    rule: 'statistical',
    reason: /better direction/,
  },
  {
    name: 'a ×3 shift smaller than minShift passes as harmless',
    signal: { statistical: { minShift: 50 } },
    current: around(15, 1),
    baseline: around(5, 1),
    outcome: 'pass',
    rule: 'statistical',
    reason: /smaller than the 50 ms that matters/,
  },
  {
    name: 'errors appearing over a zero baseline fail (infinite effect)',
    signal: { unit: '%', statistical: {} },
    current: around(5, 1),
    baseline: flat(0, 12),
    outcome: 'fail',
    rule: 'statistical',
    reason: /from a zero baseline/,
  },
  {
    // A quarter of the intervals ×3: the mean is ×1.5 and the test significant over 80 intervals, but δ = 0.25.
    name: "a significant shift carried by a few intervals (Cliff's δ 0.25 < 0.33) passes as a small effect",
    signal: { statistical: {} },
    current: [...around(100, 10, 60), ...flat(300, 20)],
    baseline: around(100, 10, 80),
    outcome: 'pass',
    rule: 'statistical',
    reason: /a significant change with a small effect \(\|δ\| < 0\.33\).*Cliff's δ 0\.25/,
  },
];

for (const [group, cases] of [
  ['absolute', absolute],
  ['relative', relative],
  ['statistical', statistical],
] as const) {
  describe(`${group} rule`, () => {
    for (const c of cases) {
      test(c.name, () => {
        const r = evaluate(c.signal, c.current, c.baseline);
        const rule = ruleOf(r, c.rule);
        assert.ok(rule, `a ${c.rule} rule; rules: ${JSON.stringify(r.rules, null, 1)}`);
        assert.equal(rule.outcome, c.outcome, rule.reason);
        assert.match(rule.reason, c.reason);
        assert.equal(r.outcome, c.outcome, `signal outcome; reason: ${r.reason}`);
      });
    }
  });
}

describe('the deciding rule', () => {
  test('is the first window-level rule with the worst outcome, and its per-interval evidence is kept', () => {
    const r = evaluate({ absolute: { fail: 500 }, relative: { maxIncreasePct: 20 } }, flat(650), flat(100));
    assert.equal(r.evidence?.rule, 'absolute');
    assert.equal(r.evidence?.intervals.length, 10);
    assert.ok(r.evidence?.intervals.every((i) => i.state === 'breach'));
    assert.deepEqual(r.evidence?.levels, { warn: null, fail: 500 });
    assert.match(r.evidence!.summary, /10 of 10 intervals beyond the fail level; longest run 10/);
  });
});
