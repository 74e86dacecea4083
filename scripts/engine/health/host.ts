// Worst-host rule: the worst host's window summary against its own limit, so one bad host cannot hide in the average.
import type { SignalPolicy } from '../../config/policy.ts';
import type { HostSeriesRead, RuleResult, SignalResult, TimeWindow } from '../types.ts';
import { formatNumber, formatValue, plural } from './format.ts';
import { beyond, relativeLimit, type Levels } from './levels.ts';
import { breachSummary, judged, slotEvidence, type Judged } from './judged.ts';
import { summaryOf, toSlots, valuesOf } from './slots.ts';

export interface HostJudged extends Judged {
  readonly worst: SignalResult['worstHost'];
}

/**
 * Each host with data in at least the policy's share of the intervals is summarised like the whole service; the worst
 * one must stay within `worstHost.fail` and within `maxIncreasePct` (with the unit floor) of the service's baseline.
 */
export function hostRule(
  s: SignalPolicy,
  read: HostSeriesRead | undefined,
  window: TimeWindow,
  intervalMs: number,
  baseline: number | null,
): HostJudged | null {
  const w = s.worstHost;
  if (!w) return null;
  const hi = s.direction === 'higher-is-worse';
  const parts = [
    ...(w.fail !== undefined ? [`${hi ? '≤' : '≥'} ${formatValue(w.fail, s.unit)}`] : []),
    ...(w.maxIncreasePct !== undefined
      ? [`within ${formatNumber(w.maxIncreasePct)} % of the service baseline (at least ${formatValue(s.floor, s.unit)})`]
      : []),
  ];
  const limit = `worst host ${parts.join(' and ')}`;
  const r = (outcome: RuleResult['outcome'], observed: number | null, reason: string, j: Partial<HostJudged> = {}): HostJudged => ({
    ...judged({ rule: 'host', outcome, observed, limit, reason }, j.evidence ?? null),
    worst: j.worst ?? null,
  });
  if (!read) return r('inconclusive', null, 'no per-host measurement was taken for this signal');
  if (read.kind === 'error') return r('inconclusive', null, `per-host data could not be read (${read.cause}): ${read.message}`);
  const hosts = read.hosts
    .map((h) => ({ host: h.host, slots: toSlots(h.points, window, intervalMs) }))
    .map((h) => ({ ...h, values: valuesOf(h.slots) }))
    .filter((h) => h.slots.length > 0 && h.values.length >= Math.max(1, s.coverage.minShare * h.slots.length));
  if (hosts.length < 2)
    return r('pass', null, `${plural(hosts.length, 'host')} with enough data: the whole service is judged as that host`);
  const summaries = hosts.map((h) => ({ ...h, value: summaryOf(h.slots, s.aggregation)! }));
  const worst = summaries.reduce((a, b) => (beyond(s.direction, b.value, a.value) ? b : a));
  const levels: number[] = [];
  if (w.fail !== undefined) levels.push(w.fail);
  if (w.maxIncreasePct !== undefined) {
    if (baseline === null) return r('inconclusive', worst.value, 'no service baseline to compare the worst host with');
    levels.push(relativeLimit(baseline, s.direction, undefined, undefined, 'all', { pct: w.maxIncreasePct, floor: s.floor }));
  }
  const failAt = hi ? Math.min(...levels) : Math.max(...levels);
  const hostLevels: Levels = { warn: null, fail: failAt };
  const intervals = slotEvidence(s.direction, worst.slots, hostLevels);
  const info = { host: worst.host, value: worst.value, hosts: hosts.length };
  const evidence = {
    scope: `host ${worst.host} (worst of ${hosts.length})`,
    levels: hostLevels,
    summary: breachSummary(intervals, intervalMs),
    intervals,
  };
  const seen = `worst of ${plural(hosts.length, 'host')} is ${worst.host} with ${s.aggregation} ${formatValue(worst.value, s.unit)}`;
  if (beyond(s.direction, worst.value, failAt))
    return r('fail', worst.value, `${seen}, beyond its limit ${formatValue(failAt, s.unit)}`, { evidence, worst: info });
  return r('pass', worst.value, `${seen}, within ${formatValue(failAt, s.unit)}`, { evidence, worst: info });
}
