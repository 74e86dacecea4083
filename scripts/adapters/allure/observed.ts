// What each health rule observed, in words with units, for the report: never "no data" when the rule had data to judge.
import type { SignalPolicy } from '../../config/policy.ts';
import { effectSize, hodgesLehmann, mannWhitneyU } from '../../engine/stats.ts';
import type { RuleResult, SignalResult } from '../../engine/types.ts';
import { withUnit } from './chart.ts';

const values = (points: SignalResult['series']['current']) =>
  points.map((p) => p.v).filter((v): v is number => v !== null && Number.isFinite(v));
const signed = (v: number, unit: string) => `${v >= 0 ? '+' : ''}${withUnit(v, unit)}`;
const pValue = (p: number) => (p < 1e-4 ? p.toExponential(1) : String(Number(p.toPrecision(2))));

/**
 * The statistic the Mann-Whitney rule compared, from the same samples it read: p-value, effect (ratio of means) and
 * shift. The rule keeps only the effect as its number, and that is undefined for a zero baseline; the p-value is what
 * people ask for first.
 */
function statistical(s: SignalResult): string {
  const cur = values(s.series.current);
  const base = values(s.series.baseline);
  if (!cur.length || !base.length) return `no samples to compare (${cur.length} current, ${base.length} baseline)`;
  const mw = mannWhitneyU(cur, base);
  const effect = effectSize(cur, base);
  const effectText = Number.isFinite(effect) ? `effect ×${Number(effect.toPrecision(3))}` : 'effect undefined (baseline mean 0)';
  return `p = ${pValue(mw.pValue)}, ${effectText}, shift ${signed(hodgesLehmann(cur, base), s.unit)}`;
}

/** One line per rule: what it looked at, in the signal's unit. */
export function observedText(r: RuleResult, s: SignalResult, p?: SignalPolicy): string {
  const how = p?.aggregation ?? 'summary';
  const o = r.observed;
  switch (r.rule) {
    case 'samples':
      return o === null ? 'no readable data' : `${o} current, ${s.samples.baseline} baseline samples`;
    case 'absolute':
      return o === null ? 'no data' : `${how} ${withUnit(o, s.unit)}`;
    case 'relative': {
      if (o === null) return 'no data';
      if (s.baseline === null) return `${how} ${withUnit(o, s.unit)}, no baseline`;
      const pct = s.baseline !== 0 ? ` (${signed(((o - s.baseline) / Math.abs(s.baseline)) * 100, '%')})` : '';
      return `${how} ${withUnit(o, s.unit)} vs baseline ${withUnit(s.baseline, s.unit)}${pct}`;
    }
    case 'trend':
      return o === null ? 'fewer than two samples' : `slope ${signed(o, s.unit ? `${s.unit}/min` : '/min')}`;
    case 'statistical':
      return statistical(s);
    default:
      return o === null ? 'see the reason' : withUnit(o, s.unit);
  }
}
