// Chooses a signal's baseline among the windows it tries (time-of-day falls back to before-deploy, with a note).
import type { SignalPolicy } from '../../config/policy.ts';
import type { BaselineMeasurement, BaselineSource, SeriesRead, SignalResult } from '../types.ts';
import { formatNumber, formatTime } from './format.ts';
import { toSlots, valuesOf, type Slot } from './slots.ts';

export type ChosenBaseline =
  | { readonly kind: 'ok'; readonly used: NonNullable<SignalResult['baselineUsed']>; readonly slots: Slot[]; readonly values: number[] }
  | { readonly kind: 'missing'; readonly reason: string; readonly read: SeriesRead | undefined };

const NAMES: Record<BaselineSource, string> = {
  'before-deploy': 'before the deploy',
  yesterday: 'in the same window yesterday',
  'last-week': 'in the same window last week',
};

const windowText = (m: BaselineMeasurement) => `${formatTime(m.window.start)} – ${formatTime(m.window.end)}`;

/** Why a candidate cannot serve, or null when it can: read errors, too few samples, too little of its window covered. */
function problem(s: SignalPolicy, m: BaselineMeasurement, slots: readonly Slot[], previousVersion: string): string | null {
  if (m.read.kind === 'error') return `baseline data ${NAMES[m.source]} could not be read (${m.read.cause}): ${m.read.message}`;
  const n = slots.filter((x) => x.v !== null).length;
  const who = m.anyVersion ? 'for the service' : `for version ${JSON.stringify(previousVersion)}`;
  if (n === 0) return `no baseline data ${who} ${NAMES[m.source]} (${windowText(m)})`;
  const share = slots.length ? n / slots.length : 0;
  if (n < s.minSamples || share < s.coverage.minShare)
    return `baseline ${NAMES[m.source]} has data for only ${n} of ${slots.length} intervals (${formatNumber(share * 100)} %; needs ≥ ${formatNumber(s.coverage.minShare * 100)} % and ≥ ${s.minSamples})`;
  return null;
}

/** The first candidate with enough data; a fallback names what it fell back from. */
export function chooseBaseline(
  s: SignalPolicy,
  candidates: readonly BaselineMeasurement[],
  intervalMs: number,
  previousVersion: string,
): ChosenBaseline {
  if (candidates.length === 0)
    return {
      kind: 'missing',
      reason: `no baseline window for "${s.baseline}": it would overlap the release itself (a checking period longer than the shift)`,
      read: undefined,
    };
  const skipped: string[] = [];
  for (const m of candidates) {
    const slots = toSlots(m.read.kind === 'ok' ? m.read.points : [], m.window, intervalMs);
    const why = problem(s, m, slots, previousVersion);
    if (why === null) {
      const note = skipped.length
        ? `${skipped.join('; ')}; compared with the baseline ${NAMES[m.source]} instead${m.source === 'before-deploy' ? ' (a time-of-day swing is not cancelled out)' : ''}`
        : null;
      return {
        kind: 'ok',
        used: { source: m.source, window: m.window, anyVersion: m.anyVersion, note },
        slots,
        values: valuesOf(slots),
      };
    }
    skipped.push(why);
  }
  return { kind: 'missing', reason: skipped.join('; '), read: candidates[candidates.length - 1]!.read };
}
