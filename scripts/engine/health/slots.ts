// The current window as a grid of whole intervals: each slot's value or a gap, whatever the database returned.
import type { SamplePoint, SeriesRead, TimeWindow } from '../types.ts';
import { intervalStarts } from '../windows.ts';
import { summarize, type Aggregation } from '../stats.ts';

export interface Slot {
  /** Interval start, epoch ms. */
  readonly t: number;
  readonly v: number | null;
  /** The count a ratio is a percentage of (requests, pool slots), when the query returns it. */
  readonly w?: number;
}

/**
 * Places the points on the window's interval grid. InfluxQL's fill(null) returns every interval, Flux only those
 * with data; on the grid both read the same, and a gap is a gap. Points outside the window are dropped.
 */
export function toSlots(points: readonly SamplePoint[], window: TimeWindow, intervalMs: number): Slot[] {
  const byStart = new Map<number, SamplePoint>();
  for (const p of points) {
    const t = Date.parse(p.t);
    if (p.v !== null && Number.isFinite(p.v)) byStart.set(Math.floor(t / intervalMs) * intervalMs, p);
  }
  return intervalStarts(window, intervalMs).map((t) => {
    const p = byStart.get(t);
    return p ? { t, v: p.v, ...(p.w !== undefined && p.w > 0 ? { w: p.w } : {}) } : { t, v: null };
  });
}

/** A ratio series: every interval with data says how many requests (or slots) its percentage is of. */
export const isWeighted = (slots: readonly Slot[]): boolean => {
  const withData = slots.filter((s) => s.v !== null);
  return withData.length > 0 && withData.every((s) => s.w !== undefined);
};

/** The ratio over all the intervals together (Σ v·w / Σ w) and the count behind it; null without data. */
export function pooled(slots: readonly Slot[]): { readonly value: number; readonly weight: number } | null {
  let num = 0;
  let weight = 0;
  for (const s of slots)
    if (s.v !== null && s.w !== undefined) {
      num += s.v * s.w;
      weight += s.w;
    }
  return weight > 0 ? { value: num / weight, weight } : null;
}

export const valuesOf = (slots: readonly Slot[]): number[] => slots.filter((s) => s.v !== null).map((s) => s.v as number);

export const pointsOf = (read: SeriesRead | undefined): readonly SamplePoint[] => (read?.kind === 'ok' ? read.points : []);

/** The longest run of consecutive slots that satisfy `hit`, with its first and last index (-1 when none). */
export function longestRun<T>(xs: readonly T[], hit: (x: T) => boolean): { length: number; first: number; last: number } {
  let best = { length: 0, first: -1, last: -1 };
  let start = -1;
  xs.forEach((x, i) => {
    if (hit(x)) {
      if (start < 0) start = i;
      if (i - start + 1 > best.length) best = { length: i - start + 1, first: start, last: i };
    } else start = -1;
  });
  return best;
}

/** The window's one number: a ratio's mean is pooled over its counts (the real error rate); otherwise the aggregation. */
export function summaryOf(slots: readonly Slot[], aggregation: Aggregation): number | null {
  if (aggregation === 'mean' && isWeighted(slots)) return pooled(slots)?.value ?? null;
  return summarize(valuesOf(slots), aggregation);
}
