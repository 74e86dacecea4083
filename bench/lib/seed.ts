// Writes one healthy release of the accuracy corpus's simulated shop (the demo schema, 3 hosts, yesterday's history) at a data density.
import path from 'node:path';
import type { Influxd } from '../../scripts/setup/influxd.ts';
import { CASES, type Case } from '../accuracy/cases.ts';
import { scaleOf, type ScaleSpec } from '../accuracy/corpus.ts';
import { deployTime, evaluateTime, generate, VERSIONS } from '../accuracy/model.ts';

/** A steady release at 14:00 with yesterday's history: every read of the gate (including time-of-day baselines) finds data. */
export const SEED_CASE: Case = CASES.find((c) => c.id === 'h01')!;
/** 1×: a point per host every 10 s, as the accuracy corpus writes at the shipped policy's scale; 10× and 100× write more often. */
export const BASE_EVERY_MS = 10_000;

export interface Seeded {
  readonly density: number;
  readonly scale: ScaleSpec;
  readonly lines: number;
  /** `npm run health` flags that judge this release as of the end of its checking period. */
  readonly healthArgs: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

export async function seedDensity(influx: Influxd, root: string, density: number): Promise<Seeded> {
  const shipped = scaleOf('shipped', root);
  const scale: ScaleSpec = { ...shipped, database: `bench_${density}x`, writeEveryMs: BASE_EVERY_MS / density };
  await influx.createDatabase(scale.database);
  const lines = generate(SEED_CASE, scale);
  for (let i = 0; i < lines.length; i += 5000) await influx.write(scale.database, lines.slice(i, i + 5000), 'ms');
  const healthArgs = [
    '--policy',
    path.join(root, scale.policy),
    '--version',
    VERSIONS.current,
    '--previous-version',
    VERSIONS.previous,
    '--deployed-at',
    new Date(deployTime(SEED_CASE, scale)).toISOString(),
    '--change-size',
    'minor',
    '--now',
    new Date(evaluateTime(SEED_CASE, scale)).toISOString(),
  ];
  const env = {
    AFTERCHECK_INFLUX_URL: influx.url,
    AFTERCHECK_INFLUX_DATABASE: scale.database,
    AFTERCHECK_INFLUX_DIALECT: 'influxql',
    AFTERCHECK_SERVICE: `acc-${SEED_CASE.id}`,
  };
  return { density, scale, lines: lines.length, healthArgs, env };
}
