// Statistical rule (Kayenta style): Mann-Whitney U between the baseline's and the current per-interval samples, with effect sizes.
import type { SignalPolicy } from '../../config/policy.ts';
import { cliffsDelta, effectSize, hodgesLehmann, mannWhitneyU, summarize } from '../stats.ts';
import { formatNumber, formatTime, formatValue } from './format.ts';
import { judged, type Judged } from './judged.ts';
import type { Slot } from './slots.ts';

/**
 * Fails only when every test agrees the current samples are worse: significant (p < 1 − confidence) in the worse
 * direction, the ratio of means beyond the tolerance, the Hodges–Lehmann shift beyond minShift, and Cliff's delta (how
 * far the two samples separate) at least minEffectSize. A significant but small change, or one for the better, passes.
 */
export function statisticalRule(s: SignalPolicy, slots: readonly Slot[], current: readonly number[], baseline: readonly number[]): Judged {
  const st = s.statistical!;
  const hi = s.direction === 'higher-is-worse';
  const alpha = 1 - st.confidence;
  const floor = st.minShift > 0 ? `, shift ${hi ? '> +' : '< −'}${formatValue(st.minShift, s.unit)}` : '';
  const limit = `fails if Mann-Whitney p < ${formatNumber(alpha)}, effect ${hi ? '>' : '<'} ×${formatNumber(hi ? 1 + st.tolerance : 1 - st.tolerance)}${floor} and |Cliff's δ| ≥ ${formatNumber(st.minEffectSize)}`;
  const mw = mannWhitneyU(current, baseline);
  const shift = hodgesLehmann(current, baseline);
  const effect = effectSize(current, baseline);
  const delta = cliffsDelta(current, baseline);
  const effectText = Number.isFinite(effect) ? `×${formatNumber(effect)}` : 'from a zero baseline';
  const stats = `p=${formatNumber(mw.pValue)}, effect ${effectText} of the baseline mean, Hodges–Lehmann shift ${shift >= 0 ? '+' : ''}${formatValue(shift, s.unit)}, Cliff's δ ${formatNumber(delta)}`;
  const observed = Number.isFinite(effect) ? effect : null;
  const significant = mw.pValue < alpha;
  const worse = hi ? mw.z > 0 : mw.z < 0;
  const beyond = hi ? effect > 1 + st.tolerance : effect < 1 - st.tolerance;
  const material = (hi ? shift : -shift) > st.minShift;
  const separated = (hi ? delta : -delta) >= st.minEffectSize;
  // Per-interval evidence: each current interval against the baseline median (the centre the test compares with).
  const centre = summarize(baseline, 'median');
  const evidence = {
    scope: 'every current interval against the baseline median',
    levels: { warn: null, fail: null },
    summary: stats,
    intervals: slots.map((x) => ({
      t: formatTime(x.t),
      v: x.v,
      state: x.v === null ? ('missing' as const) : ('ok' as const),
      ...(centre !== null ? { expected: centre } : {}),
    })),
  };
  if (significant && worse && beyond && material && separated)
    return judged(
      {
        rule: 'statistical',
        outcome: 'fail',
        observed,
        limit,
        reason: `current is significantly ${hi ? 'higher' : 'lower'} than the baseline beyond the ${formatNumber(st.tolerance * 100)} % tolerance (${stats})`,
      },
      evidence,
    );
  const why = !significant
    ? 'no significant difference from the baseline'
    : !worse
      ? 'a significant change in the better direction'
      : !beyond
        ? `a significant change within the ${formatNumber(st.tolerance * 100)} % tolerance`
        : !material
          ? `a significant change smaller than the ${formatValue(st.minShift, s.unit)} that matters`
          : `a significant change with a small effect (|δ| < ${formatNumber(st.minEffectSize)})`;
  return judged({ rule: 'statistical', outcome: 'pass', observed, limit, reason: `${why} (${stats})` }, evidence);
}
