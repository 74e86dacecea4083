// InfluxQL over the v1 HTTP API (/query, /ping) with fetch and AbortSignal timeouts; serves InfluxDB 1.x, 2.x (v1 compatibility) and 3.x.
import { redact } from '../../config/redact.ts';
import type { HostSeriesRead, SamplePoint, SeriesRead } from '../../engine/types.ts';
import { httpFailure, thrownFailure, toSeriesError, type Failure, type FailureContext } from './failure.ts';

export interface InfluxConnection {
  /** Base URL, e.g. http://127.0.0.1:8086 (no trailing path). */
  readonly url: string;
  readonly token: string | undefined;
  readonly timeoutMs: number;
  /** Every secret in force, redacted from every message. */
  readonly secrets: readonly string[];
}

/**
 * The Authorization header for a token. InfluxDB 1.x understands only Basic auth (or u/p query parameters, which would
 * put the password in URLs and logs): a `user:password` token is sent as Basic. 2.x's v1 compatibility API accepts the
 * same Basic form with the API token as password, and `Token <token>` for a bare token, which 2.x and 3.x expect.
 * (1.6 answers "unable to parse authentication credentials" to `Token user:password`, hence the split.)
 */
export function authHeaders(token: string | undefined): Record<string, string> {
  if (!token) return {};
  if (token.includes(':')) return { authorization: `Basic ${Buffer.from(token, 'utf8').toString('base64')}` };
  return { authorization: `Token ${token}` };
}

function base(url: string): string {
  return url.replace(/\/+$/, '');
}

function ctxOf(conn: InfluxConnection): FailureContext {
  return { url: conn.url, timeoutMs: conn.timeoutMs, secrets: conn.secrets };
}

export type PingResult = { readonly kind: 'ok'; readonly version: string | null } | ({ readonly kind: 'error' } & Failure);

/** GET /ping: reachability plus the server's version header, which decides the dialect in `auto` mode. */
export async function ping(conn: InfluxConnection): Promise<PingResult> {
  try {
    const res = await fetch(`${base(conn.url)}/ping`, { headers: authHeaders(conn.token), signal: AbortSignal.timeout(conn.timeoutMs) });
    await res.arrayBuffer();
    if (res.status === 204 || res.status === 200) return { kind: 'ok', version: res.headers.get('x-influxdb-version') };
    return { kind: 'error', ...httpFailure(res.status, res.statusText, '/ping', ctxOf(conn)) };
  } catch (e) {
    return { kind: 'error', ...thrownFailure(e, ctxOf(conn)) };
  }
}

interface V1Series {
  name?: string;
  tags?: unknown;
  columns?: unknown;
  values?: unknown;
}

/** [epoch ms, value] or [epoch ms, value, weight]. */
type Row = [number, number | null] | [number, number | null, number];
type Rows = { readonly tags: Readonly<Record<string, string>>; readonly rows: readonly Row[] }[];

/** Reads InfluxQL's JSON answer into its series (tags and [epoch ms, value] rows); anything else is a named failure. */
function parseSeries(body: unknown): { kind: 'ok'; series: Rows } | ({ kind: 'error' } & Failure) {
  const malformed = (why: string) => ({
    kind: 'error' as const,
    cause: 'malformed' as const,
    message: `InfluxDB answered with ${why}; is AFTERCHECK_INFLUX_URL an InfluxDB /query endpoint?`,
  });
  if (!body || typeof body !== 'object') return malformed('a body that is not a JSON object');
  const { results, error } = body as { results?: unknown; error?: unknown };
  if (typeof error === 'string')
    return { kind: 'error', cause: 'query', message: `InfluxDB rejected the query: ${error}; fix the signal's query in the policy` };
  if (!Array.isArray(results) || results.length === 0) return malformed('JSON without "results"');
  const first = results[0] as { error?: unknown; series?: unknown };
  if (typeof first.error === 'string') {
    const fix = /database not found/.test(first.error)
      ? 'create it or set AFTERCHECK_INFLUX_DATABASE to the database your service writes to'
      : "fix the signal's query in the policy";
    return { kind: 'error', cause: 'query', message: `InfluxDB could not run the query: ${first.error}; ${fix}` };
  }
  if (first.series === undefined) return { kind: 'ok', series: [] };
  if (!Array.isArray(first.series)) return malformed('"series" that is not a list');
  const out: { tags: Record<string, string>; rows: Row[] }[] = [];
  for (const s of first.series as V1Series[]) {
    if (!Array.isArray(s.columns) || s.columns[0] !== 'time') return malformed('a series without a leading "time" column');
    // One value per interval, optionally followed by its weight (the count a ratio is a percentage of).
    const weighted = s.columns.length === 3 && s.columns[2] === 'weight';
    if (s.columns.length !== 2 && !weighted) {
      return {
        kind: 'error',
        cause: 'query',
        message: `the query returned ${s.columns.length - 1} value columns (${s.columns.slice(1).join(', ')}); select exactly one aggregate per interval (and optionally its "weight")`,
      };
    }
    if (!Array.isArray(s.values)) return malformed('a series without "values"');
    const rows: Row[] = [];
    for (const row of s.values as unknown[]) {
      if (!Array.isArray(row) || typeof row[0] !== 'number') return malformed('a row whose time is not epoch milliseconds');
      const v = row[1];
      if (v !== null && (typeof v !== 'number' || !Number.isFinite(v))) return malformed(`a non-numeric value ${JSON.stringify(v)}`);
      const w = weighted ? row[2] : undefined;
      if (w !== undefined && w !== null && (typeof w !== 'number' || !Number.isFinite(w)))
        return malformed(`a non-numeric weight ${JSON.stringify(w)}`);
      rows.push(typeof w === 'number' ? [row[0], v as number | null, w] : [row[0], v as number | null]);
    }
    const tags = s.tags && typeof s.tags === 'object' ? (s.tags as Record<string, string>) : {};
    out.push({ tags, rows });
  }
  return { kind: 'ok', series: out };
}

const toPoints = (byTime: Map<number, Row>): SamplePoint[] =>
  [...byTime.values()]
    .sort((a, b) => a[0] - b[0])
    .map((r) => ({ t: new Date(r[0]).toISOString(), v: r[1], ...(r[2] !== undefined ? { w: r[2] } : {}) }));

/** Reads InfluxQL's JSON answer into one time series; anything else is a named failure. */
export function parseInfluxqlJson(body: unknown): { kind: 'ok'; points: SamplePoint[] } | ({ kind: 'error' } & Failure) {
  const parsed = parseSeries(body);
  if (parsed.kind === 'error') return parsed;
  const byTime = new Map<number, Row>();
  for (const s of parsed.series)
    for (const row of s.rows) {
      const t = row[0];
      if (byTime.has(t)) {
        return {
          kind: 'error',
          cause: 'query',
          message: `the query returned ${parsed.series.length} series with overlapping times (grouped by a tag?); aggregate across them so that each interval has one value`,
        };
      }
      byTime.set(t, row);
    }
  return { kind: 'ok', points: toPoints(byTime) };
}

/** Reads a GROUP BY "<tag>" answer into one time series per tag value (points without the tag: an empty name). */
export function parseInfluxqlByTag(
  body: unknown,
  tag: string,
): { kind: 'ok'; hosts: { host: string; points: SamplePoint[] }[] } | ({ kind: 'error' } & Failure) {
  const parsed = parseSeries(body);
  if (parsed.kind === 'error') return parsed;
  const byHost = new Map<string, Map<number, Row>>();
  for (const s of parsed.series) {
    const host = s.tags[tag] ?? '';
    const series = byHost.get(host) ?? new Map<number, Row>();
    for (const row of s.rows) {
      const t = row[0];
      if (series.has(t))
        return {
          kind: 'error',
          cause: 'query',
          message: `the per-${tag} query returned two values for one interval of ${JSON.stringify(host)}`,
        };
      series.set(t, row);
    }
    byHost.set(host, series);
  }
  return {
    kind: 'ok',
    hosts: [...byHost.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([host, m]) => ({ host, points: toPoints(m) })),
  };
}

/** Runs one read-only InfluxQL statement against `database`; the result is data or a named failure, never a throw. */
export async function queryInfluxql(conn: InfluxConnection, database: string, text: string): Promise<SeriesRead> {
  const got = await fetchInfluxql(conn, database, text);
  if (got.kind === 'error') return got;
  const parsed = parseInfluxqlJson(got.body);
  if (parsed.kind === 'error') return toSeriesError({ cause: parsed.cause, message: redact(parsed.message, conn.secrets) }, text);
  return { kind: 'ok', points: parsed.points, query: text };
}

/** Runs one read-only InfluxQL statement grouped by a tag: one series per tag value. */
export async function queryInfluxqlByTag(conn: InfluxConnection, database: string, text: string, tag: string): Promise<HostSeriesRead> {
  const got = await fetchInfluxql(conn, database, text);
  if (got.kind === 'error') return got;
  const parsed = parseInfluxqlByTag(got.body, tag);
  if (parsed.kind === 'error')
    return toSeriesError({ cause: parsed.cause, message: redact(parsed.message, conn.secrets) }, text) as HostSeriesRead;
  return { kind: 'ok', hosts: parsed.hosts, query: text };
}

type Fetched = { readonly kind: 'ok'; readonly body: unknown } | Extract<SeriesRead, { kind: 'error' }>;

/** POSTs the statement and parses the JSON body; transport, HTTP and non-JSON answers become named failures. */
async function fetchInfluxql(conn: InfluxConnection, database: string, text: string): Promise<Fetched> {
  const ctx = ctxOf(conn);
  const params = new URLSearchParams({ db: database, q: text, epoch: 'ms' });
  const fail = (f: Failure) => toSeriesError(f, text) as Extract<SeriesRead, { kind: 'error' }>;
  try {
    // POST keeps the statement out of access logs' URLs; /query accepts a form body for SELECT too.
    const res = await fetch(`${base(conn.url)}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...authHeaders(conn.token) },
      body: params.toString(),
      signal: AbortSignal.timeout(conn.timeoutMs),
    });
    const raw = await res.text();
    if (!res.ok) {
      let detail = raw;
      try {
        const j = JSON.parse(raw) as { error?: unknown; message?: unknown };
        detail = typeof j.error === 'string' ? j.error : typeof j.message === 'string' ? j.message : raw;
      } catch {
        /* not JSON: keep the text */
      }
      return fail(httpFailure(res.status, detail, '/query', ctx));
    }
    try {
      return { kind: 'ok', body: JSON.parse(raw) };
    } catch {
      return fail({
        cause: 'malformed',
        message: redact(
          `InfluxDB answered HTTP ${res.status} with a body that is not JSON (${JSON.stringify(raw.slice(0, 80))}); is AFTERCHECK_INFLUX_URL an InfluxDB 1.x/2.x/3.x server?`,
          conn.secrets,
        ),
      });
    }
  } catch (e) {
    return fail(thrownFailure(e, ctx));
  }
}
