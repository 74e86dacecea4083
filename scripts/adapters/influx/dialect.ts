// Chooses InfluxQL or Flux: from AFTERCHECK_INFLUX_DIALECT, or in `auto` mode from /ping's X-Influxdb-Version header.
import type { Dialect } from './query.ts';

export interface DialectInputs {
  readonly configured: 'auto' | 'influxql' | 'flux';
  /** X-Influxdb-Version from /ping; null when the header was absent. */
  readonly serverVersion: string | null;
  readonly org: string | undefined;
  readonly bucket: string | undefined;
  /** AFTERCHECK_INFLUX_DATABASE as resolved by env.ts (it falls back to the bucket when unset). */
  readonly database: string | undefined;
}

export interface DialectChoice {
  readonly dialect: Dialect;
  readonly reason: string;
}

/**
 * - 1.x speaks only InfluxQL (Flux in 1.8 is an opt-in extra that is usually off).
 * - 2.x speaks Flux natively. It also serves InfluxQL through its v1 compatibility API, but only for buckets mapped to
 *   a database/retention policy (DBRP). So a database named separately from the bucket (or no org/bucket for Flux at
 *   all) is taken as "a DBRP mapping exists": InfluxQL; otherwise Flux with the org and bucket.
 * - 3.x dropped Flux; InfluxQL (and SQL) remain, so InfluxQL.
 * An unknown or missing header (a proxy that strips it) falls back to InfluxQL, the one API all three versions share.
 */
export function chooseDialect(i: DialectInputs): DialectChoice {
  if (i.configured !== 'auto') return { dialect: i.configured, reason: `AFTERCHECK_INFLUX_DIALECT=${i.configured}` };
  const v = i.serverVersion?.trim() ?? '';
  const major = /^v?(\d+)\./.exec(v)?.[1];
  if (major === '1') return { dialect: 'influxql', reason: `server ${v} is InfluxDB 1.x` };
  if (major === '3') return { dialect: 'influxql', reason: `server ${v} is InfluxDB 3.x (no Flux)` };
  if (major === '2') {
    const separateDatabase = i.database !== undefined && i.database !== i.bucket;
    if (separateDatabase)
      return {
        dialect: 'influxql',
        reason: `server ${v} is InfluxDB 2.x and AFTERCHECK_INFLUX_DATABASE is set: InfluxQL through the v1 API (DBRP mapping)`,
      };
    if (i.org && i.bucket) return { dialect: 'flux', reason: `server ${v} is InfluxDB 2.x with an org and a bucket: Flux` };
    return {
      dialect: 'influxql',
      reason: `server ${v} is InfluxDB 2.x but AFTERCHECK_INFLUX_ORG is unset: InfluxQL through the v1 API (needs a DBRP mapping)`,
    };
  }
  return {
    dialect: 'influxql',
    reason: v
      ? `unknown server version ${JSON.stringify(v)}: InfluxQL, which every version serves`
      : 'no X-Influxdb-Version header: InfluxQL, which every version serves',
  };
}
