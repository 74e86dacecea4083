// Unit tests of the health statistics: summaries, Mann-Whitney U against reference values, Hodges–Lehmann, effect sizes, Theil–Sen.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { linearRegression } from 'simple-statistics';
import {
  cliffsDelta,
  effectSize,
  hodgesLehmann,
  mannWhitneyU,
  normalCdf,
  summarize,
  theilSen,
  wilson,
  type Aggregation,
} from '../../scripts/engine/stats.ts';

const close = (actual: number, expected: number, tol: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: expected ${expected} ± ${tol}, got ${actual}`);

/** U by its definition (pairwise wins, ties ½), independent of the rank-sum computation under test. */
function pairwiseU(x: readonly number[], y: readonly number[]): number {
  let u = 0;
  for (const a of x) for (const b of y) u += a > b ? 1 : a === b ? 0.5 : 0;
  return u;
}

describe('window summaries', () => {
  const values = [4, 1, 3, 2, 10];
  const cases: [Aggregation, number][] = [
    ['mean', 4],
    ['median', 3],
    ['max', 10],
    ['min', 1],
    ['last', 10],
    // Linear interpolation between closest ranks: rank 0.95 · 4 = 3.8 → 4 + 0.8 · (10 − 4).
    ['p95', 8.8],
  ];
  for (const [agg, expected] of cases) {
    test(`the ${agg} of [${values}] is ${expected}`, () => close(summarize(values, agg)!, expected, 1e-9, agg));
  }
  test('a window without samples has no summary (null, never 0)', () => assert.equal(summarize([], 'mean'), null));
});

describe('Mann-Whitney U', () => {
  // Reference p-values: R's wilcox.test(x, y, exact = FALSE, correct = TRUE) and scipy's mannwhitneyu(method="asymptotic").
  const cases: { name: string; x: number[]; y: number[]; p: number; tol: number }[] = [
    { name: 'fully separated samples (R: W = 25, p = 0.01219)', x: [6, 7, 8, 9, 10], y: [1, 2, 3, 4, 5], p: 0.01219, tol: 5e-5 },
    {
      name: "scipy's documented example (U = 17, p = 0.1113)",
      x: [19, 22, 16, 29, 24],
      y: [20, 11, 17, 12],
      p: 0.11134688653314041,
      tol: 1e-5,
    },
    // By hand: ranks 1, 3, 3, 3, 5.5, 5.5, 7.5, 7.5; Σ(t³−t) = 36; var = 16/12 · (9 − 36/56) = 11.142857;
    // z = (2.5 − 8 + 0.5) / √var = −1.49786; p = 2Φ(z) = 0.13417.
    { name: 'tied values use mid-ranks and the tie-corrected variance', x: [1, 2, 2, 3], y: [2, 3, 4, 4], p: 0.13417, tol: 2e-4 },
  ];
  for (const c of cases) {
    test(`${c.name}`, () => {
      const r = mannWhitneyU(c.x, c.y);
      assert.equal(r.u, pairwiseU(c.x, c.y));
      close(r.pValue, c.p, c.tol, 'p-value');
    });
  }

  test('the test is symmetric: swapping the samples keeps the p-value and flips z', () => {
    const a = mannWhitneyU([1, 5, 9, 12, 3], [2, 2, 7, 8]);
    const b = mannWhitneyU([2, 2, 7, 8], [1, 5, 9, 12, 3]);
    close(a.pValue, b.pValue, 1e-12, 'p-value');
    close(a.z, -b.z, 1e-12, 'z');
  });

  test('identical constant samples give p = 1 (no evidence of a difference)', () => {
    const r = mannWhitneyU([0, 0, 0], [0, 0, 0, 0]);
    assert.equal(r.pValue, 1);
    assert.equal(r.z, 0);
  });

  test('an empty sample is refused rather than judged', () => {
    assert.throws(() => mannWhitneyU([], [1, 2]), RangeError);
  });

  test('the normal CDF matches standard table values', () => {
    for (const [z, p] of [
      [0, 0.5],
      [1.96, 0.975],
      [-2.5067, 0.006093],
    ] as const)
      close(normalCdf(z), p, 2e-5, `Φ(${z})`);
  });
});

describe('Hodges–Lehmann shift and effect size', () => {
  test('the shift between 6..10 and 1..5 is the median pairwise difference, 5', () => {
    assert.equal(hodgesLehmann([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]), 5);
  });
  test('the shift is robust to one outlier', () => {
    assert.equal(hodgesLehmann([10, 10, 10, 1000], [9, 9, 9, 9]), 1);
  });
  const effects: [string, number[], number[], number][] = [
    ['twice the baseline mean is an effect of 2', [2, 4, 6], [1, 2, 3], 2],
    ['equal means are an effect of 1', [1, 3], [2, 2], 1],
    ['both zero is no effect (1)', [0, 0], [0, 0, 0], 1],
    ['growth from a zero baseline is infinite', [0, 1], [0, 0], Infinity],
  ];
  for (const [name, c, b, expected] of effects) test(name, () => assert.equal(effectSize(c, b), expected));
});

describe("Cliff's delta", () => {
  const cases: [string, number[], number[], number][] = [
    ['every current value above every baseline value is +1', [4, 5, 6], [1, 2, 3], 1],
    ['every current value below is −1', [1, 2, 3], [4, 5, 6], -1],
    ['identical samples are 0', [1, 2, 3], [1, 2, 3], 0],
    ['ties count half: [1,2] vs [2,3] is −0.75', [1, 2], [2, 3], -0.75],
  ];
  for (const [name, c, b, expected] of cases) test(name, () => close(cliffsDelta(c, b), expected, 1e-12, name));
  test('an empty sample is refused', () => assert.throws(() => cliffsDelta([], [1]), RangeError));
});

describe('Theil–Sen slope', () => {
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const at = (values: readonly number[], stepMs = 60_000) => values.map((v, i) => [t0 + i * stepMs, v] as const);
  test('values rising 2 units a minute have a slope of 2 per minute, and a zero-width interval', () => {
    const f = theilSen(at([10, 12, 14, 16, 18]))!;
    close(f.slope, 2, 1e-12, 'slope');
    close(f.low, 2, 1e-12, 'low');
    close(f.high, 2, 1e-12, 'high');
    close(f.intercept, 10, 1e-12, 'intercept');
  });
  test('samples every 2 s rising 0.1 a sample are 3 per minute', () =>
    close(
      theilSen(
        at(
          Array.from({ length: 20 }, (_, i) => 50 + 0.1 * i),
          2000,
        ),
      )!.slope,
      3,
      1e-9,
      'slope',
    ));
  test('one spike does not move it', () => close(theilSen(at([10, 12, 14, 90, 18, 20, 22, 24]))!.slope, 2, 1e-12, 'slope'));
  test('GC drops at the end of a flat series fool least squares, not Theil–Sen', () => {
    const values = [...Array(24).fill(300), 250, 250, 250].map((v, i) => v + (i % 2));
    const robust = theilSen(at(values))!.slope;
    const { m: leastSquares } = linearRegression(values.map((v, i) => [i, v]));
    assert.ok(Math.abs(robust) < 0.05, `Theil–Sen ${robust}`);
    assert.ok(leastSquares < -1, `least squares ${leastSquares}`);
  });
  test('the interval holds the estimate and widens with the confidence', () => {
    const noisy = at(Array.from({ length: 30 }, (_, i) => 100 + 0.5 * i + (((i * 7) % 11) - 5)));
    const narrow = theilSen(noisy, 0.5)!;
    const wide = theilSen(noisy, 0.95)!;
    assert.ok(wide.low <= narrow.low && narrow.low <= narrow.slope && narrow.slope <= narrow.high && narrow.high <= wide.high);
    assert.ok(wide.low < 0.5 && wide.high > 0.5, `the true slope 0.5 lies in [${wide.low}, ${wide.high}]`);
  });
  test('one time has no slope (null)', () =>
    assert.equal(
      theilSen([
        [t0, 1],
        [t0, 2],
      ]),
      null,
    ));
});

describe('Wilson interval', () => {
  // Reference: the textbook Wilson score interval at z = 1.6449 (one-sided 95 %), computed independently in Python.
  const cases: [string, number, number, number, number][] = [
    ['1 in 100', 0.01, 100, 0.002234, 0.043582],
    ['50 in 1000', 0.05, 1000, 0.039828, 0.0626],
    ['0 in 20', 0, 20, 0, 0.119158],
  ];
  for (const [name, p, n, low, high] of cases)
    test(`${name}: [${low}, ${high}]`, () => {
      const ci = wilson(p, n)!;
      close(ci.low, low, 5e-4, 'low');
      close(ci.high, high, 5e-4, 'high');
    });
  test('no trials is no interval', () => assert.equal(wilson(0.5, 0), null));
});
