// The numeric warn and fail levels of a signal: absolute, relative to a baseline (ratio, amount, percent with a floor), combined.
import type { SignalPolicy } from '../../config/policy.ts';
import type { IntervalState } from '../types.ts';
import { wilson } from '../stats.ts';
import { formatNumber, formatValue } from './format.ts';

export type Direction = SignalPolicy['direction'];

/** Levels in the signal unit; null where there is none. A value beyond a level is judged at that level. */
export interface Levels {
  readonly warn: number | null;
  readonly fail: number | null;
}

export const NO_LEVELS: Levels = { warn: null, fail: null };

/** Worse than the level in the signal's direction (equal is not beyond). */
export function beyond(direction: Direction, v: number, level: number | null): boolean {
  if (level === null) return false;
  return direction === 'higher-is-worse' ? v > level : v < level;
}

/**
 * Beyond the level, and for a percentage of `w` counted things (errors of requests) beyond it even at the near end of
 * its Wilson interval: one error in a hundred requests is 1 %, but no evidence of a 1 % error rate.
 */
export function surelyBeyond(direction: Direction, v: number, level: number | null, w?: number): boolean {
  if (!beyond(direction, v, level)) return false;
  if (w === undefined) return true;
  const ci = wilson(v / 100, w);
  if (!ci) return false;
  return beyond(direction, (direction === 'higher-is-worse' ? ci.low : ci.high) * 100, level);
}

export function stateOf(direction: Direction, v: number | null, levels: Levels, w?: number): IntervalState {
  if (v === null) return 'missing';
  if (surelyBeyond(direction, v, levels.fail, w)) return 'breach';
  if (surelyBeyond(direction, v, levels.warn, w)) return 'warn';
  return 'ok';
}

export function absoluteLevels(s: SignalPolicy): Levels {
  return s.absolute ? { warn: s.absolute.warn ?? null, fail: s.absolute.fail } : NO_LEVELS;
}

type Relative = NonNullable<SignalPolicy['relative']>;
export type RelativeCombine = Relative['combine'];

/**
 * The allowance around the baseline b. Each given limit is a candidate: maxRatio (worsen by that factor: ×r up for
 * higher-is-worse, ÷r down for lower-is-worse), maxIncrease (by that amount), and a percent with a floor (by
 * max(pct % of |b|, floor): a tiny baseline cannot make noise a breach, and no baseline shields a rise above both).
 * With several, `combine` decides: 'all' (the default) — every limit must hold, the stricter applies; 'any' — the more
 * permissive applies, for tiny baselines where a ratio alone is meaningless.
 */
export function relativeLimit(
  b: number,
  direction: Direction,
  ratio: number | undefined,
  increase: number | undefined,
  combine: RelativeCombine = 'all',
  pct?: { readonly pct: number; readonly floor: number },
): number {
  const hi = direction === 'higher-is-worse';
  const worse = (amount: number) => (hi ? b + amount : b - amount);
  const candidates: number[] = [];
  if (ratio !== undefined) candidates.push(hi ? b + Math.abs(b) * (ratio - 1) : b - Math.abs(b) * (1 - 1 / ratio));
  if (increase !== undefined) candidates.push(worse(increase));
  if (pct !== undefined) candidates.push(worse(Math.max((Math.abs(b) * pct.pct) / 100, pct.floor)));
  // The stricter limit is the lower ceiling for higher-is-worse and the higher floor for lower-is-worse.
  const strictest = hi === (combine === 'all');
  return strictest ? Math.min(...candidates) : Math.max(...candidates);
}

export function relativeLevels(s: SignalPolicy, baseline: number): Levels {
  const r = s.relative;
  if (!r) return NO_LEVELS;
  const pct = (p: number | undefined) => (p === undefined ? undefined : { pct: p, floor: s.floor });
  const fail = relativeLimit(baseline, s.direction, r.maxRatio, r.maxIncrease, r.combine, pct(r.maxIncreasePct));
  const hasWarn = r.warnRatio !== undefined || r.warnIncreasePct !== undefined;
  const warn = hasWarn ? relativeLimit(baseline, s.direction, r.warnRatio, r.maxIncrease, r.combine, pct(r.warnIncreasePct)) : null;
  return { warn, fail };
}

/** The stricter of two sets of levels: a value beyond either is beyond the combination. */
export function strictest(direction: Direction, ...sets: readonly Levels[]): Levels {
  const pick = (xs: (number | null)[]) => {
    const present = xs.filter((x): x is number => x !== null);
    if (present.length === 0) return null;
    return direction === 'higher-is-worse' ? Math.min(...present) : Math.max(...present);
  };
  const anyWarn = sets.some((l) => l.warn !== null);
  return { warn: anyWarn ? pick(sets.map((l) => l.warn ?? l.fail)) : null, fail: pick(sets.map((l) => l.fail)) };
}

/** The relative limit's formula for people; `min(…)` / `max(…)` names how the candidates combine. */
export function relativeFormula(s: SignalPolicy, which: 'fail' | 'warn' = 'fail'): string {
  const r = s.relative!;
  const hi = s.direction === 'higher-is-worse';
  const ratio = which === 'fail' ? r.maxRatio : r.warnRatio;
  const pct = which === 'fail' ? r.maxIncreasePct : r.warnIncreasePct;
  const sign = hi ? '+' : '−';
  const parts = [
    ...(ratio !== undefined ? [`baseline ${hi ? '×' : '÷'} ${ratio}`] : []),
    ...(r.maxIncrease !== undefined ? [`baseline ${sign} ${formatValue(r.maxIncrease, s.unit)}`] : []),
    ...(pct !== undefined
      ? [`baseline ${sign} ${formatNumber(pct)} %${s.floor > 0 ? ` (at least ${formatValue(s.floor, s.unit)})` : ''}`]
      : []),
  ];
  return parts.length > 1 ? `${hi === (r.combine === 'all') ? 'min' : 'max'}(${parts.join(', ')})` : (parts[0] ?? 'baseline');
}
