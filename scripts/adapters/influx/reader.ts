// The InfluxDB adapter the health gate is given: connects once (ping + dialect), then reads one aggregated series per request.
import type { AftercheckEnv } from '../../config/env.ts';
import type { SignalPolicy } from '../../config/policy.ts';
import type { HostSeriesRead, SeriesRead, TimeWindow } from '../../engine/types.ts';
import { chooseDialect } from './dialect.ts';
import type { FailureCause } from './failure.ts';
import { queryFlux, queryFluxByTag } from './flux.ts';
import { ping, queryInfluxql, queryInfluxqlByTag } from './influxql.ts';
import { buildQuery, type BuiltQuery, type Dialect } from './query.ts';
import { HOST_TAG } from './templates.ts';

/** One series to read: a signal, for one version, over one window, bucketed by the policy interval. */
export interface SeriesRequest {
  readonly signal: SignalPolicy;
  readonly role: 'current' | 'baseline';
  readonly window: TimeWindow;
  readonly intervalMs: number;
  readonly version: string;
  readonly service: string;
  /** false: the baseline is "same window, any version" (policy.baseline.matchVersion). */
  readonly matchVersion: boolean;
}

export interface SourceInfo {
  readonly url: string;
  readonly dialect: Dialect;
  /** Database (InfluxQL) or bucket (Flux). */
  readonly database: string;
  readonly serverVersion: string | null;
  readonly dialectReason: string;
}

export type Connection =
  | { readonly kind: 'ok'; readonly source: SourceInfo }
  | { readonly kind: 'error'; readonly source: SourceInfo; readonly cause: FailureCause; readonly message: string };

/** What runHealthGate needs from a metrics store; tests and other stores can implement it. */
export interface MetricsReader {
  /** Checks reachability and settles the dialect; called once, later calls reuse the answer. */
  connect(): Promise<Connection>;
  read(request: SeriesRequest): Promise<SeriesRead>;
  /** The same series, one per host (the reference schema's `host` tag). */
  readHosts(request: SeriesRequest): Promise<HostSeriesRead>;
}

export interface InfluxReaderOptions {
  readonly url: string;
  readonly token?: string | undefined;
  readonly org?: string | undefined;
  readonly bucket?: string | undefined;
  readonly database?: string | undefined;
  readonly dialect?: 'auto' | 'influxql' | 'flux';
  readonly timeoutMs: number;
  readonly secrets?: readonly string[];
}

export function createInfluxReader(o: InfluxReaderOptions): MetricsReader {
  const secrets = [...(o.secrets ?? []), ...(o.token ? [o.token] : [])];
  const conn = { url: o.url, token: o.token, timeoutMs: o.timeoutMs, secrets };
  let connection: Promise<Connection> | undefined;

  const connect = (): Promise<Connection> =>
    (connection ??= (async (): Promise<Connection> => {
      const pinged = await ping(conn);
      const serverVersion = pinged.kind === 'ok' ? pinged.version : null;
      const choice = chooseDialect({ configured: o.dialect ?? 'auto', serverVersion, org: o.org, bucket: o.bucket, database: o.database });
      const database = (choice.dialect === 'flux' ? o.bucket : o.database) ?? '';
      const source: SourceInfo = { url: o.url, dialect: choice.dialect, database, serverVersion, dialectReason: choice.reason };
      if (pinged.kind === 'error') return { kind: 'error', source, cause: pinged.cause, message: pinged.message };
      if (!database) {
        const key = choice.dialect === 'flux' ? 'AFTERCHECK_INFLUX_BUCKET' : 'AFTERCHECK_INFLUX_DATABASE';
        return {
          kind: 'error',
          source,
          cause: 'config',
          message: `no ${choice.dialect === 'flux' ? 'bucket' : 'database'} to read from; set ${key}`,
        };
      }
      if (choice.dialect === 'flux' && !o.org) {
        return {
          kind: 'error',
          source,
          cause: 'config',
          message: 'Flux needs an organisation; set AFTERCHECK_INFLUX_ORG (or AFTERCHECK_INFLUX_DIALECT=influxql with a DBRP mapping)',
        };
      }
      return { kind: 'ok', source };
    })());

  /** The query for a request in the dialect the server speaks, with the connection's state. */
  const prepare = async (req: SeriesRequest, byHost: boolean): Promise<{ c: Connection; built: BuiltQuery }> => {
    const c = await connect();
    const params = {
      start: new Date(req.window.start),
      end: new Date(req.window.end),
      version: req.version,
      service: req.service,
      intervalMs: req.intervalMs,
      bucket: c.source.database || '(unset)',
    };
    return { c, built: buildQuery(req.signal, c.source.dialect, params, { matchVersion: req.matchVersion, byHost }) };
  };

  return {
    connect,
    async read(req) {
      const { c, built } = await prepare(req, false);
      if (built.kind === 'error') return { kind: 'error', cause: 'config', message: built.message, query: '' };
      // Nothing is sent when the connection already failed: the read carries that failure and the query it would have run.
      if (c.kind === 'error') return { kind: 'error', cause: c.cause, message: c.message, query: built.text };
      if (c.source.dialect === 'flux') return queryFlux({ ...conn, org: o.org! }, built.text);
      return queryInfluxql(conn, c.source.database, built.text);
    },
    async readHosts(req) {
      const { c, built } = await prepare(req, true);
      if (built.kind === 'error') return { kind: 'error', cause: 'config', message: built.message, query: '' };
      if (c.kind === 'error') return { kind: 'error', cause: c.cause, message: c.message, query: built.text };
      if (c.source.dialect === 'flux') return queryFluxByTag({ ...conn, org: o.org! }, built.text, HOST_TAG);
      return queryInfluxqlByTag(conn, c.source.database, built.text, HOST_TAG);
    },
  };
}

/** The reader for the configured InfluxDB (env.ts has already checked that the URL is set when the gate runs). */
export function influxReaderFromEnv(env: AftercheckEnv): MetricsReader {
  return createInfluxReader({
    url: env.influx.url ?? '',
    token: env.influx.token,
    org: env.influx.org,
    bucket: env.influx.bucket,
    database: env.influx.database,
    dialect: env.influx.dialect,
    timeoutMs: env.influx.timeoutMs,
    secrets: env.secrets,
  });
}
