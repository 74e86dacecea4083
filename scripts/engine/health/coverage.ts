// Coverage: enough intervals with data, as a share of the elapsed period, and no silence at the end (metrics stopped).
import type { SignalPolicy } from '../../config/policy.ts';
import type { RuleResult, SignalResult } from '../types.ts';
import { formatNumber, formatTime, plural } from './format.ts';
import type { Slot } from './slots.ts';

export interface PeriodContext {
  readonly version: string;
  readonly intervalMs: number;
  /** The checking period has ended: data that is missing now will not come. */
  readonly complete: boolean;
  readonly monitorUntil: string;
}

export interface CoverageResult {
  readonly rule: RuleResult;
  readonly coverage: SignalResult['coverage'];
  readonly stoppedAt: string | null;
}

/** Ranges of consecutive gaps, for the message ("10:05–10:12, 10:20"). */
function gaps(slots: readonly Slot[], intervalMs: number, max = 4): string {
  const out: string[] = [];
  let i = 0;
  while (i < slots.length) {
    if (slots[i]!.v !== null) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < slots.length && slots[j + 1]!.v === null) j++;
    const from = formatTime(slots[i]!.t).slice(11, 16);
    out.push(i === j ? from : `${from}–${formatTime(slots[j]!.t + intervalMs).slice(11, 16)}`);
    i = j + 1;
  }
  return out.length > max ? `${out.slice(0, max).join(', ')} and ${out.length - max} more` : out.join(', ');
}

/**
 * Inconclusive when the metrics stopped (no data in the last `stoppedAfter` intervals), when it is too early to have
 * `minSamples` intervals, or when fewer than `minShare` of the elapsed intervals have data. Messages say "wait" only
 * while the checking period is still running and waiting can help.
 */
export function judgeCoverage(s: SignalPolicy, slots: readonly Slot[], ctx: PeriodContext): CoverageResult {
  const elapsed = slots.length;
  const withData = slots.filter((x) => x.v !== null).length;
  const share = elapsed ? withData / elapsed : null;
  const { minShare, stoppedAfter } = s.coverage;
  const coverage = { elapsed, withData, share, minShare };
  const limit = `data in ≥ ${formatNumber(minShare * 100)} % of intervals, ≥ ${s.minSamples} in all, none of the last ${stoppedAfter} empty`;
  const result = (outcome: RuleResult['outcome'], reason: string, stoppedAt: string | null = null): CoverageResult => ({
    rule: { rule: 'coverage', outcome, observed: withData, limit, reason },
    coverage,
    stoppedAt,
  });
  const have = `data for ${withData} of ${plural(elapsed, 'interval')}${share === null ? '' : ` (${formatNumber(share * 100)} %)`}`;

  if (withData === 0)
    return result(
      'inconclusive',
      `no data for version ${JSON.stringify(ctx.version)} in the current window (${plural(elapsed, 'interval')}); check that the service writes metrics with this version tag`,
    );
  let last = slots.length - 1;
  while (slots[last]!.v === null) last--;
  const silent = elapsed - 1 - last;
  if (silent >= stoppedAfter) {
    const at = formatTime(slots[last]!.t + ctx.intervalMs);
    return result(
      'inconclusive',
      `metrics stopped at ${at}: no data in the last ${plural(silent, 'interval')}${ctx.complete ? ` (the checking period ended ${formatTime(ctx.monitorUntil)})` : ''}; check that the service is running and still writes metrics`,
      at,
    );
  }
  if (elapsed < s.minSamples) {
    const reason = ctx.complete
      ? `the checking period holds only ${plural(elapsed, 'interval')} after the warm-up, fewer than the ${s.minSamples} this signal needs; lengthen the period or shorten the interval in the policy`
      : `only ${plural(elapsed, 'whole interval')} since the deploy and warm-up (needs ≥ ${s.minSamples}); wait: enough data by ${formatTime(slots[0]!.t + s.minSamples * ctx.intervalMs)}`;
    return result('inconclusive', reason);
  }
  if ((share ?? 0) < minShare || withData < s.minSamples)
    return result(
      'inconclusive',
      `${have}, needs ≥ ${formatNumber(minShare * 100)} % and ≥ ${s.minSamples}: missing ${gaps(slots, ctx.intervalMs)}; check the service's metrics writer`,
    );
  return result('pass', have);
}
