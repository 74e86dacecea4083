// Flux through @influxdata/influxdb-client's QueryApi (InfluxDB 2.x): annotated CSV into one time series, failures named, with a hard timeout.
import http from 'node:http';
import https from 'node:https';
import { HttpError, InfluxDB, linesToTables, type Cancellable, type FluxTableMetaData } from '@influxdata/influxdb-client';
import { redact } from '../../config/redact.ts';
import type { HostSeriesRead, SamplePoint, SeriesRead } from '../../engine/types.ts';
import { httpFailure, thrownFailure, timeoutFailure, toSeriesError, type Failure, type FailureContext } from './failure.ts';
import type { InfluxConnection } from './influxql.ts';

export interface FluxConnection extends InfluxConnection {
  readonly org: string;
}

type Parsed = { kind: 'ok'; points: SamplePoint[] } | ({ kind: 'error' } & Failure);
type FluxRow = { t: number; v: number | null; w?: number };
type Tables = { kind: 'ok'; tables: Map<string, { host: string; rows: FluxRow[] }> } | ({ kind: 'error' } & Failure);
const toPoint = (r: FluxRow): SamplePoint => ({ t: new Date(r.t).toISOString(), v: r.v, ...(r.w !== undefined ? { w: r.w } : {}) });

/**
 * Parses the annotated CSV lines of a Flux answer. Aggregated answers are small (one row per interval), so the lines
 * are collected first: that lets a non-CSV body (an HTML error page, JSON from a proxy) be told apart from "no data",
 * which the client alone reports the same way (no rows).
 */
export function parseAnnotatedCsv(lines: readonly string[]): Parsed {
  const parsed = readTables(lines);
  if (parsed.kind === 'error') return parsed;
  const { tables } = parsed;
  // Several tables are fine when they cover different times (the server may split one series); two values for the same
  // interval mean the query left a tag grouping in place, and the samples would be double-counted.
  const byTime = new Map<number, FluxRow>();
  for (const { rows } of tables.values()) {
    for (const r of rows) {
      if (byTime.has(r.t)) {
        return {
          kind: 'error',
          cause: 'query',
          message: `the Flux query returned ${tables.size} tables with overlapping times (grouped by a tag?); add |> group() before aggregating so that each interval has one value`,
        };
      }
      byTime.set(r.t, r);
    }
  }
  return { kind: 'ok', points: [...byTime.values()].sort((a, b) => a.t - b.t).map(toPoint) };
}

/** Parses a Flux answer grouped by a tag (one table per value) into one series per tag value. */
export function parseAnnotatedCsvByTag(
  lines: readonly string[],
  tag: string,
): { kind: 'ok'; hosts: { host: string; points: SamplePoint[] }[] } | ({ kind: 'error' } & Failure) {
  const parsed = readTables(lines, tag);
  if (parsed.kind === 'error') return parsed;
  const byHost = new Map<string, Map<number, FluxRow>>();
  for (const { host, rows } of parsed.tables.values()) {
    const series = byHost.get(host) ?? new Map<number, FluxRow>();
    for (const r of rows) {
      if (series.has(r.t))
        return {
          kind: 'error',
          cause: 'query',
          message: `the per-${tag} Flux query returned two values for one interval of ${JSON.stringify(host)}`,
        };
      series.set(r.t, r);
    }
    byHost.set(host, series);
  }
  return {
    kind: 'ok',
    hosts: [...byHost.entries()]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([host, m]) => ({
        host,
        points: [...m.values()].sort((a, b) => a.t - b.t).map(toPoint),
      })),
  };
}

/** The tables of an annotated-CSV answer, each with its rows and (when asked) the value of one tag column. */
function readTables(lines: readonly string[], tag?: string): Tables {
  const content = lines.filter((l) => l.trim() !== '');
  if (content.length === 0) return { kind: 'ok', tables: new Map() };
  const head = content[0]!;
  if (!head.startsWith('#datatype') && !head.startsWith(',')) {
    return {
      kind: 'error',
      cause: 'malformed',
      message: `InfluxDB answered with something that is not annotated CSV (${JSON.stringify(head.slice(0, 80))}); is AFTERCHECK_INFLUX_URL an InfluxDB 2.x server?`,
    };
  }
  const tables = new Map<string, { host: string; rows: FluxRow[] }>();
  let problem: ({ kind: 'error' } & Failure) | undefined;
  const sink = linesToTables({
    next(values: string[], meta: FluxTableMetaData) {
      if (problem) return;
      const labels = meta.columns.map((c) => c.label);
      if (labels.includes('error')) {
        problem = {
          kind: 'error',
          cause: 'query',
          message: `InfluxDB could not run the Flux query: ${String(meta.get(values, 'error'))}; fix the signal's query in the policy`,
        };
        return;
      }
      if (!labels.includes('_time') || !labels.includes('_value')) {
        problem = {
          kind: 'error',
          cause: 'malformed',
          message: `the Flux answer has no _time/_value columns (columns: ${labels.join(', ')}); end the query with rows of _time and _value`,
        };
        return;
      }
      const t = Date.parse(String(meta.get(values, '_time')));
      const v = meta.get(values, '_value') as unknown;
      if (Number.isNaN(t)) {
        problem = {
          kind: 'error',
          cause: 'malformed',
          message: `the Flux answer has a _time that is not a time (${JSON.stringify(meta.get(values, '_time'))})`,
        };
        return;
      }
      if (v !== null && v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) {
        problem = {
          kind: 'error',
          cause: 'malformed',
          message: `the Flux answer has a non-numeric _value (${JSON.stringify(v)}); map it to a float`,
        };
        return;
      }
      // One series per table; the `result` and `table` columns identify it.
      const key = `${String(meta.get(values, 'result') ?? '')}/${String(meta.get(values, 'table') ?? '')}`;
      const table = tables.get(key) ?? { host: tag && labels.includes(tag) ? String(meta.get(values, tag) ?? '') : '', rows: [] };
      // A ratio's weight (the count it is a percentage of) rides along in its own column.
      const w = labels.includes('weight') ? (meta.get(values, 'weight') as unknown) : undefined;
      table.rows.push({ t, v: typeof v === 'number' ? v : null, ...(typeof w === 'number' && Number.isFinite(w) ? { w } : {}) });
      tables.set(key, table);
    },
    error(e: Error) {
      problem ??= { kind: 'error', cause: 'malformed', message: `the Flux answer is not valid annotated CSV (${e.message})` };
    },
    complete() {},
  });
  for (const l of lines) sink.next(l);
  sink.complete();
  if (problem) return problem;
  return { kind: 'ok', tables };
}

/** Runs one Flux query through the client's QueryApi; the result is data or a named failure, never a throw. */
export async function queryFlux(conn: FluxConnection, text: string): Promise<SeriesRead> {
  const got = await fluxLines(conn, text);
  if ('failure' in got) return toSeriesError({ cause: got.failure.cause, message: redact(got.failure.message, conn.secrets) }, text);
  const parsed = parseAnnotatedCsv(got.lines);
  if (parsed.kind === 'error') return toSeriesError({ cause: parsed.cause, message: redact(parsed.message, conn.secrets) }, text);
  return { kind: 'ok', points: parsed.points, query: text };
}

/** Runs one Flux query grouped by a tag: one series per tag value. */
export async function queryFluxByTag(conn: FluxConnection, text: string, tag: string): Promise<HostSeriesRead> {
  const got = await fluxLines(conn, text);
  const fail = (f: Failure) => toSeriesError({ cause: f.cause, message: redact(f.message, conn.secrets) }, text) as HostSeriesRead;
  if ('failure' in got) return fail(got.failure);
  const parsed = parseAnnotatedCsvByTag(got.lines, tag);
  if (parsed.kind === 'error') return fail(parsed);
  return { kind: 'ok', hosts: parsed.hosts, query: text };
}

async function fluxLines(conn: FluxConnection, text: string): Promise<{ lines: string[] } | { failure: Failure }> {
  const ctx: FailureContext = { url: conn.url, timeoutMs: conn.timeoutMs, secrets: conn.secrets };
  // `timeout` is the client's socket idle timeout; the timer below also bounds a server that trickles bytes forever.
  // The QueryApi cannot take an AbortSignal, and cancelling only stops reading: a private agent lets a timed-out
  // request's socket be destroyed, so nothing keeps the process (or the verdict that called us) alive.
  const agent = conn.url.startsWith('https:') ? new https.Agent() : new http.Agent();
  const client = new InfluxDB({ url: conn.url, token: conn.token, timeout: conn.timeoutMs, transportOptions: { agent } });
  const api = client.getQueryApi({ org: conn.org, gzip: false });
  const outcome = await new Promise<{ lines: string[] } | { failure: Failure }>((resolve) => {
    const lines: string[] = [];
    let cancellable: Cancellable | undefined;
    let settled = false;
    const settle = (r: { lines: string[] } | { failure: Failure }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const timer = setTimeout(() => {
      // Settle first: cancelling makes the client report `complete`, which must not read as an empty answer.
      settle({ failure: timeoutFailure(ctx) });
      cancellable?.cancel();
    }, conn.timeoutMs);
    api.queryLines(text, {
      next(line: string) {
        lines.push(line);
      },
      error(e: Error) {
        if (e instanceof HttpError) {
          const j = e.json as { message?: unknown } | undefined;
          settle({
            failure: httpFailure(e.statusCode, typeof j?.message === 'string' ? j.message : (e.body ?? e.message), '/api/v2/query', ctx),
          });
        } else settle({ failure: thrownFailure(e, ctx) });
      },
      complete() {
        settle({ lines });
      },
      useCancellable(c: Cancellable) {
        cancellable = c;
      },
    });
  });
  agent.destroy();
  return outcome;
}
