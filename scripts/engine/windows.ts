// Pure time arithmetic: the current window after a deploy, the baseline windows it may be compared with, and the checking period.
import type { Policy } from '../config/policy.ts';
import type { BaselineChoice } from '../config/signal-rules.ts';
import type { ChangeSize } from '../config/manifest.ts';
import type { BaselineSource, TimeWindow } from './types.ts';

export interface WindowInput {
  /** ISO-8601 deploy time. */
  readonly deployedAt: string;
  readonly changeSize: ChangeSize;
  readonly policy: Pick<Policy, 'checkingPeriods' | 'interval' | 'warmup' | 'baseline' | 'ms'>;
  readonly now: Date;
}

export interface Windows {
  readonly current: TimeWindow;
  /** The policy's default baseline window (before the deploy, or the current window a day or a week back). */
  readonly baseline: TimeWindow;
  readonly deployedAt: string;
  readonly intervalMs: number;
  readonly periodMs: number;
  /** deployedAt + the checking period for the change size. */
  readonly monitorUntil: string;
  /** The checking period has fully elapsed. */
  readonly complete: boolean;
  /** Whole intervals in the current window (0 right after a deploy: nothing can be judged yet). */
  readonly intervals: number;
}

/** One place a baseline may be read from, in the order a signal tries them. */
export interface BaselineCandidate {
  readonly source: BaselineSource;
  readonly window: TimeWindow;
  /** Read for the service whatever version ran then (yesterday's traffic), not only the previous version. */
  readonly anyVersion: boolean;
}

const DAY = 86_400_000;
const SHIFT: Record<Exclude<BaselineSource, 'before-deploy'>, number> = { yesterday: DAY, 'last-week': 7 * DAY };

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
  const intervalMs = policy.ms.interval;
  const warmupMs = policy.ms.warmup;
  const periodMs = policy.ms.checkingPeriods[input.changeSize];
  const now = input.now.getTime();
  const monitorUntil = deployed + periodMs;

  const start = ceilTo(deployed + warmupMs, intervalMs);
  const end = Math.max(start, floorTo(Math.min(now, monitorUntil), intervalMs));
  const windows: Windows = {
    current: { start: iso(start), end: iso(end) },
    baseline: { start: iso(start), end: iso(start) },
    deployedAt: iso(deployed),
    intervalMs,
    periodMs,
    monitorUntil: iso(monitorUntil),
    complete: now >= monitorUntil,
    intervals: (end - start) / intervalMs,
  };
  const kind = policy.baseline.window === 'time-of-day' ? 'yesterday' : policy.baseline.window;
  return { ...windows, baseline: baselineWindow(windows, kind) };
}

/** The window of one baseline source, as long as the current window. */
export function baselineWindow(w: Windows, source: BaselineSource): TimeWindow {
  const start = Date.parse(w.current.start);
  const length = Date.parse(w.current.end) - start;
  if (source === 'before-deploy') {
    const bEnd = floorTo(Date.parse(w.deployedAt), w.intervalMs);
    return { start: iso(bEnd - length), end: iso(bEnd) };
  }
  const bStart = floorTo(start - SHIFT[source], w.intervalMs);
  return { start: iso(bStart), end: iso(bStart + length) };
}

/**
 * The baselines a signal tries, in order. `time-of-day` tries the same window yesterday, then last week (any version:
 * it is the service's traffic at that hour that matters), then falls back to before the deploy. A shifted window that
 * would reach into the release itself (a checking period longer than the shift) is left out.
 */
export function baselineCandidates(w: Windows, choice: BaselineChoice): BaselineCandidate[] {
  const deployed = Date.parse(w.deployedAt);
  const sources: BaselineSource[] = choice === 'time-of-day' ? ['yesterday', 'last-week', 'before-deploy'] : [choice];
  return sources
    .map((source) => ({ source, window: baselineWindow(w, source), anyVersion: choice === 'time-of-day' && source !== 'before-deploy' }))
    .filter((c) => c.source === 'before-deploy' || Date.parse(c.window.end) <= deployed);
}

/** Start times (epoch ms) of every whole interval of a window. */
export function intervalStarts(window: TimeWindow, intervalMs: number): number[] {
  const start = Date.parse(window.start);
  const n = Math.max(0, Math.floor((Date.parse(window.end) - start) / intervalMs));
  return Array.from({ length: n }, (_, i) => start + i * intervalMs);
}
