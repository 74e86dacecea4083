// Every test of a run becomes one InfluxDB point, measurement synthetic_check: tags test, feature, project, source,
// location, app, service, version; fields status, duration_ms, retries, and failed/ran (0 or 1) for the failure rate.
import { Point } from '@influxdata/influxdb-client';
import type { TestOutcome } from '../../engine/types.ts';

export const SYNTHETIC_MEASUREMENT = 'synthetic_check';
export const RUN_SOURCES = ['deploy', 'scheduled'] as const;
export type RunSource = (typeof RUN_SOURCES)[number];

export interface RunTags {
  readonly source: RunSource;
  readonly location: string;
  readonly app: string;
  readonly service: string;
  /** The version the run checked (the release manifest's), "unknown" without one. */
  readonly version: string;
}

/** The status a dashboard shows: Playwright's final status, with a pass on a retry told apart as flaky. */
export function pointStatus(t: TestOutcome): string {
  return t.status === 'passed' && t.flaky ? 'flaky' : t.status;
}

/** A tag value can never be empty in line protocol; Point escapes commas, spaces and equals signs. */
const tagValue = (v: string) => (v.trim() ? v : 'none');

/**
 * One point per test, stamped with the test's start (else the run's start plus its index, so two tests never share a
 * series and a timestamp, which InfluxDB would merge into one point).
 */
export function syntheticPoints(tests: readonly TestOutcome[], tags: RunTags, runStartedAt: Date): Point[] {
  return tests.map((t, i) => {
    // A skipped test asked nothing, an interrupted one never finished: neither counts for the failure rate.
    const ran = t.status !== 'skipped' && t.status !== 'interrupted';
    const failed = t.status === 'failed' || t.status === 'timedOut';
    const at = t.startedAt ? new Date(t.startedAt) : new Date(runStartedAt.getTime() + i);
    return new Point(SYNTHETIC_MEASUREMENT)
      .tag('test', tagValue([...(t.titlePath ?? []), t.title].join(' › ')))
      .tag('feature', tagValue(t.features.join(',')))
      .tag('project', tagValue(t.project))
      .tag('source', tags.source)
      .tag('location', tagValue(tags.location))
      .tag('app', tagValue(tags.app))
      .tag('service', tagValue(tags.service))
      .tag('version', tagValue(tags.version))
      .stringField('status', pointStatus(t))
      .floatField('duration_ms', t.durationMs)
      .intField('retries', Math.max(0, t.attempts - 1))
      .intField('failed', failed ? 1 : 0)
      .intField('ran', ran ? 1 : 0)
      .timestamp(at);
  });
}

/** Line protocol with millisecond timestamps (the writer posts with precision=ms). */
export function toLineProtocol(points: readonly Point[]): string[] {
  const ms = (v: string | number | Date | undefined) => (v instanceof Date ? String(v.getTime()) : v === undefined ? undefined : String(v));
  return points.map((p) => p.toLineProtocol({ convertTime: ms })).filter((l): l is string => !!l);
}
