// What a health chart shows, decided from generic data (series, limits, markers): the y range, the limits kept in view, each interval's state.
import { scaleLinear } from 'd3-scale';
import type { SamplePoint } from '../../engine/types.ts';

/** One limit line: a level of one rule kind ("absolute", "relative", or any kind the engine grows). */
export interface ChartLimit {
  readonly kind: string;
  readonly level: 'fail' | 'warn';
  readonly value: number;
  /** This limit decided the signal's outcome: drawn bold, and always kept in view. */
  readonly deciding: boolean;
}

/** A compared aggregate (e.g. "mean 4.6 %" of the current window), drawn as a marker over its series. */
export interface ChartMarker {
  readonly series: 'current' | 'baseline';
  readonly label: string;
  readonly value: number;
}

/** How one current interval looked against the limits; "missing" where it had no data. */
export type PointState = 'ok' | 'warn' | 'breach' | 'missing';

export type Direction = 'higher-is-worse' | 'lower-is-worse';

export interface LayoutInput {
  readonly direction: Direction;
  readonly current: readonly SamplePoint[];
  readonly baseline: readonly SamplePoint[];
  readonly limits: readonly ChartLimit[];
  readonly markers: readonly ChartMarker[];
}

export interface Layout {
  /** The y domain: the data, the markers and the limits kept in view, with zero visible and lifted off the axis. */
  readonly domain: readonly [number, number];
  readonly ticks: readonly number[];
  readonly shown: readonly ChartLimit[];
  /** Limits beyond the y range, named in the legend with the side they are on. */
  readonly offChart: readonly (ChartLimit & { readonly side: 'above' | 'below' })[];
}

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Beyond `level` in the worse direction (equal is within). */
export const beyond = (direction: Direction, v: number, level: number): boolean =>
  direction === 'higher-is-worse' ? v > level : v < level;

/** The strictest of some levels: the lowest ceiling (higher-is-worse) or the highest floor (lower-is-worse). */
function strictest(direction: Direction, levels: readonly number[]): number | undefined {
  if (!levels.length) return undefined;
  return direction === 'higher-is-worse' ? Math.min(...levels) : Math.max(...levels);
}

/**
 * Each current interval's state against the fail and warn levels: the deciding limits' when some decided, else all
 * of them. A point beyond the strictest fail level is a breach, beyond the strictest warn level a warn.
 */
export function pointStates(input: Pick<LayoutInput, 'direction' | 'current' | 'limits'>): PointState[] {
  const deciding = input.limits.filter((l) => l.deciding);
  const pool = deciding.length ? deciding : input.limits;
  const fail = strictest(
    input.direction,
    pool.filter((l) => l.level === 'fail').map((l) => l.value),
  );
  const warn = strictest(
    input.direction,
    pool.filter((l) => l.level === 'warn').map((l) => l.value),
  );
  return input.current.map((p) => {
    if (!finite(p.v)) return 'missing';
    if (fail !== undefined && beyond(input.direction, p.v, fail)) return 'breach';
    if (warn !== undefined && beyond(input.direction, p.v, warn)) return 'warn';
    return 'ok';
  });
}

/**
 * The y range: the data and markers, plus the limits that decided and the limit nearest the data (so a 3.75 ms p95
 * is not drawn flat on a 0–500 ms axis when only the relative 7.5 ms limit matters). Zero always shows, a little
 * above the x axis, so a series at zero is not hidden under it. Ticks come from d3's nice scale.
 */
export function chartLayout(input: LayoutInput): Layout {
  const values = [...input.current, ...input.baseline].map((p) => p.v).filter(finite);
  values.push(...input.markers.map((m) => m.value).filter(finite));
  const limits = input.limits.filter((l) => finite(l.value));
  const kept = new Set(limits.filter((l) => l.deciding));
  if (!kept.size && limits.length) {
    // The nearest limit to the data's worse edge (the top for higher-is-worse).
    const edge = values.length ? (input.direction === 'higher-is-worse' ? Math.max(...values) : Math.min(...values)) : 0;
    const nearest = [...limits].sort((a, b) => Math.abs(a.value - edge) - Math.abs(b.value - edge))[0]!;
    for (const l of limits) if (l.value === nearest.value) kept.add(l);
  }
  const span = [0, ...values, ...[...kept].map((l) => l.value)];
  let lo = Math.min(...span);
  let hi = Math.max(...span);
  if (hi - lo < 1e-12) hi = lo + (Math.abs(lo) || 1);
  const nice = scaleLinear().domain([lo, hi]).nice(5);
  [lo, hi] = nice.domain() as [number, number];
  const ticks = nice.ticks(5);
  // Headroom for labels at the top, and zero lifted off the axis line.
  const range = hi - lo;
  const domain: [number, number] = [lo - range * 0.05, hi + range * 0.04];
  const inView = (v: number) => v >= domain[0] && v <= domain[1];
  const shown = limits.filter((l) => inView(l.value));
  const offChart = limits
    .filter((l) => !inView(l.value))
    .map((l) => ({ ...l, side: l.value > domain[1] ? ('above' as const) : ('below' as const) }));
  return { domain, ticks, shown, offChart };
}
