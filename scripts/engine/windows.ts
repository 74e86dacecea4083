// Pure time arithmetic: the current window after a deploy, the baseline window it is compared with, and the checking period.
import { parseDuration, type Policy } from '../config/policy.ts';
import type { ChangeSize } from '../config/manifest.ts';
import type { TimeWindow } from './types.ts';

export interface WindowInput {
  /** ISO-8601 deploy time. */
  readonly deployedAt: string;
  readonly changeSize: ChangeSize;
  readonly policy: Pick<Policy, 'checkingPeriods' | 'interval' | 'warmup' | 'baseline'>;
  readonly now: Date;
}

export interface Windows {
  readonly current: TimeWindow;
  readonly baseline: TimeWindow;
  readonly intervalMs: number;
  readonly periodMs: number;
  /** deployedAt + the checking period for the change size. */
  readonly monitorUntil: string;
  /** The checking period has fully elapsed. */
  readonly complete: boolean;
  /** Whole intervals in the current window (0 right after a deploy: nothing can be judged yet). */
  readonly intervals: number;
}

const DAY = 86_400_000;
const SHIFT: Record<'before-deploy' | 'yesterday' | 'last-week', number> = { 'before-deploy': 0, yesterday: DAY, 'last-week': 7 * DAY };

const floorTo = (t: number, step: number) => Math.floor(t / step) * step;
const ceilTo = (t: number, step: number) => Math.ceil(t / step) * step;
const iso = (t: number) => new Date(t).toISOString();

/**
 * current  = [deployedAt + warmup, min(now, deployedAt + period)), shrunk to whole intervals. InfluxDB's GROUP BY
 *            time() and Flux's aggregateWindow bucket on multiples of the interval since the epoch, so a window edge
 *            inside a bucket would make a partial first or last sample (a request-rate dip that is only an artefact).
 * baseline = a window of the same length: just before the deploy (default), or the current window shifted back by a
 *            day or a week (same time of day: daily traffic patterns cancel out).
 */
export function computeWindows(input: WindowInput): Windows {
  const { policy } = input;
  const deployed = Date.parse(input.deployedAt);
  if (Number.isNaN(deployed)) throw new RangeError(`deployedAt is not a date: ${input.deployedAt}`);
  const intervalMs = parseDuration(policy.interval)!;
  const warmupMs = parseDuration(policy.warmup) ?? 0;
  const periodMs = parseDuration(policy.checkingPeriods[input.changeSize])!;
  const now = input.now.getTime();
  const monitorUntil = deployed + periodMs;

  const start = ceilTo(deployed + warmupMs, intervalMs);
  const end = Math.max(start, floorTo(Math.min(now, monitorUntil), intervalMs));
  const length = end - start;

  let baseline: TimeWindow;
  const kind = policy.baseline.window;
  if (kind === 'before-deploy') {
    const bEnd = floorTo(deployed, intervalMs);
    baseline = { start: iso(bEnd - length), end: iso(bEnd) };
  } else {
    const bStart = floorTo(start - SHIFT[kind], intervalMs);
    baseline = { start: iso(bStart), end: iso(bStart + length) };
  }
  return {
    current: { start: iso(start), end: iso(end) },
    baseline,
    intervalMs,
    periodMs,
    monitorUntil: iso(monitorUntil),
    complete: now >= monitorUntil,
    intervals: length / intervalMs,
  };
}
