// What every section hands back: headline rows (a command against its floor, as a ratio) and tables that break the time down.
import type { Stat } from './stats.ts';

export type Unit = 'ms' | 'kB' | 'count' | 'bytes';

/** A target of the issue: a ratio (or absolute value) not above `max`, or a condition judged by the section. */
export type Target =
  | { readonly kind: 'ratio'; readonly max: number; readonly text: string }
  | { readonly kind: 'absolute'; readonly max: number; readonly text: string }
  | { readonly kind: 'judged'; readonly met: boolean | undefined; readonly text: string };

export interface Row {
  readonly what: string;
  readonly unit: Unit;
  readonly value?: Stat;
  readonly floorName: string;
  readonly floor?: Stat;
  /** Median, min and max of the per-round ratios (value ÷ floor in the same round). */
  readonly ratio?: Stat;
  readonly target?: Target;
  /** What we expected before running, written in the section's source. */
  readonly expected: string;
  /** Why a value is missing, a failed run, the sample count. */
  readonly note?: string;
}

export interface Table {
  readonly title: string;
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly note?: string;
}

export interface SectionResult {
  /** The section number, 1–5; several modules may add to one section. */
  readonly section: 1 | 2 | 3 | 4 | 5;
  readonly title: string;
  readonly rows: readonly Row[];
  readonly tables: readonly Table[];
  readonly notes: readonly string[];
}

export const SECTION_TITLES: Readonly<Record<SectionResult['section'], string>> = {
  1: 'Smoke overhead',
  2: 'Health gate and CLI start-up',
  3: 'Time to verdict',
  4: 'Report generation',
  5: 'Footprint',
};

/** Whether a row meets its target: undefined when it has none, or nothing was measured. */
export function targetMet(row: Row): boolean | undefined {
  const t = row.target;
  if (!t) return undefined;
  if (t.kind === 'judged') return t.met;
  const v = t.kind === 'ratio' ? row.ratio?.median : row.value?.median;
  return v === undefined ? undefined : v <= t.max;
}
