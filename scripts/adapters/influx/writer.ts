// Writes line protocol to InfluxDB: /api/v2/write for a Flux setup (org and bucket), else the v1 /write every version
// serves; bounded by the configured timeout. Writes only points aftercheck made itself (synthetic_check).
import type { AftercheckEnv } from '../../config/env.ts';
import { redact, redactUrl } from '../../config/redact.ts';
import { authHeaders } from './influxql.ts';

export type WriteResult = { readonly ok: true; readonly lines: number } | { readonly ok: false; readonly error: string };

/** The write endpoint for the configured InfluxDB, or why there is none. */
export function writeEndpoint(env: AftercheckEnv): { url: string } | { problem: string } {
  const i = env.influx;
  if (!i.url) return { problem: 'InfluxDB is not configured (AFTERCHECK_INFLUX_URL is unset)' };
  const base = i.url.replace(/\/+$/, '');
  if (i.dialect === 'flux' && i.org && i.bucket)
    return { url: `${base}/api/v2/write?${new URLSearchParams({ org: i.org, bucket: i.bucket, precision: 'ms' })}` };
  if (!i.database) return { problem: 'no database or bucket configured (AFTERCHECK_INFLUX_DATABASE / AFTERCHECK_INFLUX_BUCKET)' };
  return { url: `${base}/write?${new URLSearchParams({ db: i.database, precision: 'ms' })}` };
}

/** Posts the lines (millisecond timestamps); never throws: a failed write is a result that names the cause. */
export async function writeLines(env: AftercheckEnv, lines: readonly string[]): Promise<WriteResult> {
  if (lines.length === 0) return { ok: true, lines: 0 };
  const endpoint = writeEndpoint(env);
  if ('problem' in endpoint) return { ok: false, error: endpoint.problem };
  const where = redactUrl(endpoint.url, env.secrets);
  try {
    const res = await fetch(endpoint.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8', ...authHeaders(env.influx.token) },
      body: lines.join('\n'),
      signal: AbortSignal.timeout(env.influx.timeoutMs),
    });
    const detail = (await res.text()).slice(0, 300).trim();
    if (res.ok) return { ok: true, lines: lines.length };
    return { ok: false, error: redact(`${where} answered HTTP ${res.status}${detail ? `: ${detail}` : ''}`, env.secrets) };
  } catch (e) {
    const err = e as Error & { cause?: Error };
    const why =
      err.name === 'TimeoutError'
        ? `no answer within ${env.influx.timeoutMs} ms`
        : `${err.message}${err.cause ? `: ${err.cause.message}` : ''}`;
    return { ok: false, error: redact(`${where}: ${why}`, env.secrets) };
  }
}
