// Shared helpers for the health integration tests: seeding line protocol with Point, test policies and environments.
import { Point } from '@influxdata/influxdb-client';
import { loadEnv, type AftercheckEnv } from '../../scripts/config/env.ts';
import { parsePolicy, type Policy } from '../../scripts/config/policy.ts';
import type { Influxd } from '../../scripts/setup/influxd.ts';

export const MINUTE = 60_000;

export interface SeedSpec {
  readonly measurement: string;
  readonly service: string;
  readonly version: string;
  readonly host?: string;
  /** First point's time (epoch ms). */
  readonly from: number;
  /** Number of points. */
  readonly count: number;
  /** Time between points (default 30 s: two points per one-minute interval, so the database has to aggregate). */
  readonly everyMs?: number;
  /** Field values of the i-th point; integers are written as ints when `ints` names them. */
  readonly fields: (i: number) => Record<string, number>;
  readonly ints?: readonly string[];
}

export function points(spec: SeedSpec): Point[] {
  const every = spec.everyMs ?? 30_000;
  return Array.from({ length: spec.count }, (_, i) => {
    const p = new Point(spec.measurement)
      .tag('service', spec.service)
      .tag('version', spec.version)
      .tag('host', spec.host ?? 'host-1')
      .timestamp(new Date(spec.from + i * every));
    for (const [k, v] of Object.entries(spec.fields(i))) {
      if (spec.ints?.includes(k)) p.intField(k, Math.round(v));
      else p.floatField(k, v);
    }
    return p;
  });
}

/** Writes the points as line protocol (nanosecond timestamps, as Point renders them). */
export async function seed(influx: Influxd, database: string, specs: readonly SeedSpec[]): Promise<void> {
  const lines = specs.flatMap((s) => points(s).map((p) => p.toLineProtocol()!));
  await influx.write(database, lines, 'ns');
}

const PERIODS = { patch: '10m', minor: '30m', major: '4h', migration: '4h', infrastructure: '2h' };

/** A validated policy around the given signals (defaults filled in by the real schema). */
export function testPolicy(signals: readonly Record<string, unknown>[], over: Record<string, unknown> = {}): Policy {
  return parsePolicy(
    {
      name: 'integration test',
      owner: { team: 'qa', rollbackDecider: 'the release manager' },
      checkingPeriods: PERIODS,
      interval: '1m',
      signals,
      ...over,
    },
    'test',
  );
}

/** A real AftercheckEnv (through the one env reader) pointing at the test's InfluxDB. */
export function testEnv(vars: Record<string, string | undefined>): AftercheckEnv {
  return loadEnv({ source: { AFTERCHECK_INFLUX_TIMEOUT_MS: '5000', ...vars } });
}
