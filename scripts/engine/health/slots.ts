// The current window as a grid of whole intervals: each slot's value or a gap, whatever the database returned.
import type { SamplePoint, SeriesRead, TimeWindow } from '../types.ts';
import { intervalStarts } from '../windows.ts';

export interface Slot {
  /** Interval start, epoch ms. */
  readonly t: number;
  readonly v: number | null;
}

/**
 * Places the points on the window's interval grid. InfluxQL's fill(null) returns every interval, Flux only those
 * with data; on the grid both read the same, and a gap is a gap. Points outside the window are dropped.
 */
export function toSlots(points: readonly SamplePoint[], window: TimeWindow, intervalMs: number): Slot[] {
  const byStart = new Map<number, number | null>();
  for (const p of points) {
    const t = Date.parse(p.t);
    if (p.v !== null && Number.isFinite(p.v)) byStart.set(Math.floor(t / intervalMs) * intervalMs, p.v);
  }
  return intervalStarts(window, intervalMs).map((t) => ({ t, v: byStart.get(t) ?? null }));
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
