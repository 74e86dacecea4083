// Pure statistics for health rules: window summaries, Mann-Whitney U, Hodges–Lehmann, effect sizes (ratio, Cliff's delta), Theil–Sen.
import { errorFunction, mean, median, probit, quantile } from 'simple-statistics';

export type Aggregation = 'mean' | 'median' | 'p95' | 'max' | 'min' | 'last';

/** One number for a window of per-interval samples; null for no samples (never 0: no data is not a good value). */
export function summarize(values: readonly number[], aggregation: Aggregation): number | null {
  if (values.length === 0) return null;
  const xs = [...values];
  switch (aggregation) {
    case 'mean':
      return mean(xs);
    case 'median':
      return median(xs);
    case 'p95':
      return quantile(xs, 0.95);
    case 'max':
      return Math.max(...xs);
    case 'min':
      return Math.min(...xs);
    case 'last':
      return xs[xs.length - 1]!;
  }
}

/** Standard normal CDF through the error function. */
export function normalCdf(z: number): number {
  if (z === Infinity) return 1;
  if (z === -Infinity) return 0;
  return 0.5 * (1 + errorFunction(z / Math.SQRT2));
}

export interface MannWhitneyResult {
  /** U of the first sample ("current"): how often a current value beats a baseline value (ties count ½). */
  readonly u: number;
  readonly n1: number;
  readonly n2: number;
  /** Normal-approximation z, with tie and continuity corrections; 0 when every value is tied. */
  readonly z: number;
  /** Two-sided p-value. */
  readonly pValue: number;
}

/** Mid-ranks (1-based) of the values, and the tie groups' sizes. */
function midRanks(values: readonly number[]): { ranks: number[]; tieSizes: number[] } {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(values.length);
  const tieSizes: number[] = [];
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.v === order[start]!.v) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]!.i] = rank;
    if (end > start) tieSizes.push(end - start + 1);
    start = end + 1;
  }
  return { ranks, tieSizes };
}

/**
 * Two-sided Mann-Whitney U (Wilcoxon rank-sum) test with the normal approximation, tie-corrected variance and the
 * continuity correction, i.e. R's wilcox.test(x, y, exact = FALSE, correct = TRUE), which Kayenta's judge ports.
 */
export function mannWhitneyU(current: readonly number[], baseline: readonly number[]): MannWhitneyResult {
  const n1 = current.length;
  const n2 = baseline.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('Mann-Whitney U needs at least one value in each sample');
  const { ranks, tieSizes } = midRanks([...current, ...baseline]);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranks[i]!;
  const u = r1 - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const tieTerm = tieSizes.reduce((s, t) => s + (t ** 3 - t), 0);
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { u, n1, n2, z: 0, pValue: 1 };
  const diff = u - (n1 * n2) / 2;
  const z = (diff - Math.sign(diff) * 0.5) / Math.sqrt(variance);
  const pValue = Math.min(1, 2 * Math.min(normalCdf(z), 1 - normalCdf(z)));
  return { u, n1, n2, z, pValue };
}

/** Hodges–Lehmann estimate of the shift current − baseline: the median of all pairwise differences. */
export function hodgesLehmann(current: readonly number[], baseline: readonly number[]): number {
  if (current.length === 0 || baseline.length === 0) throw new RangeError('Hodges–Lehmann needs at least one value in each sample');
  const diffs: number[] = [];
  for (const c of current) for (const b of baseline) diffs.push(c - b);
  return median(diffs);
}

/**
 * Kayenta's effect size: mean(current) / mean(baseline). A zero baseline has no ratio: equal means give 1 (no
 * effect), otherwise ±Infinity in the direction of the change.
 */
export function effectSize(current: readonly number[], baseline: readonly number[]): number {
  if (current.length === 0 || baseline.length === 0) throw new RangeError('an effect size needs at least one value in each sample');
  const c = mean([...current]);
  const b = mean([...baseline]);
  if (b === 0) return c === 0 ? 1 : c > 0 ? Infinity : -Infinity;
  return c / b;
}

/**
 * Cliff's delta: P(current > baseline) − P(current < baseline) over all pairs, in [−1, 1]. A rank effect size that
 * says how far the two distributions separate, whatever their scale (0 none; |δ| ≈ 0.15 small, 0.33 medium,
 * 0.47 large in Romano et al.'s reading). Computed from U: δ = 2U / (n1·n2) − 1.
 */
export function cliffsDelta(current: readonly number[], baseline: readonly number[]): number {
  if (current.length === 0 || baseline.length === 0) throw new RangeError("Cliff's delta needs at least one value in each sample");
  const { ranks } = midRanks([...current, ...baseline]);
  let r1 = 0;
  for (let i = 0; i < current.length; i++) r1 += ranks[i]!;
  const u = r1 - (current.length * (current.length + 1)) / 2;
  return (2 * u) / (current.length * baseline.length) - 1;
}

export interface TheilSen {
  /** Median of the pairwise slopes, value units per minute. */
  readonly slope: number;
  /** Sen's distribution-free confidence interval of the slope at the requested level. */
  readonly low: number;
  readonly high: number;
  /** The line through the median point: value at time t (epoch ms) is intercept + slope × (t − t0) / 60 000. */
  readonly intercept: number;
  readonly t0: number;
  readonly n: number;
}

/**
 * Theil–Sen slope (median of all pairwise slopes) with Sen's (1968) confidence interval from Kendall's S variance.
 * Robust: up to ~29 % of the points may be outliers (a GC sawtooth's drops, single spikes) without moving it much,
 * where least squares follows them. `points` are [epoch ms, value]; null below two distinct times.
 */
export function theilSen(points: readonly (readonly [number, number])[], confidence = 0.9): TheilSen | null {
  if (new Set(points.map((p) => p[0])).size < 2) return null;
  const t0 = points[0]![0];
  const xs = points.map(([t]) => (t - t0) / 60_000);
  const ys = points.map(([, v]) => v);
  const slopes: number[] = [];
  for (let i = 0; i < xs.length; i++)
    for (let j = i + 1; j < xs.length; j++) if (xs[j] !== xs[i]) slopes.push((ys[j]! - ys[i]!) / (xs[j]! - xs[i]!));
  slopes.sort((a, b) => a - b);
  const slope = median(slopes);
  const n = xs.length;
  // Sen: the interval's ranks are (N ∓ z·sqrt(Var S)) / 2 among the N ordered slopes (ties in x are few here).
  const z = probit(1 - (1 - confidence) / 2);
  const c = z * Math.sqrt((n * (n - 1) * (2 * n + 5)) / 18);
  const N = slopes.length;
  const lowRank = Math.max(0, Math.min(N - 1, Math.floor((N - c) / 2)));
  const highRank = Math.max(0, Math.min(N - 1, Math.ceil((N + c) / 2)));
  const intercept = median(ys.map((y, i) => y - slope * xs[i]!));
  return { slope, low: slopes[lowRank]!, high: slopes[highRank]!, intercept, t0, n };
}

/**
 * Wilson score interval of a proportion p observed over n trials, at z (1.645: one-sided 95 %). A few requests say
 * little: 1 error in 100 is 1 % but could well be 0.2 %; 100 in 10 000 could not. Null for no trials.
 */
export function wilson(p: number, n: number, z = 1.6448536269514722): { readonly low: number; readonly high: number } | null {
  if (!(n > 0)) return null;
  const q = Math.min(1, Math.max(0, p));
  const z2 = z * z;
  const centre = q + z2 / (2 * n);
  const spread = z * Math.sqrt((q * (1 - q)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, (centre - spread) / (1 + z2 / n)), high: Math.min(1, (centre + spread) / (1 + z2 / n)) };
}
