// Turns transport and HTTP failures into a named SeriesRead cause with a message that says what, observed value and fix.
import { redact, redactUrl } from '../../config/redact.ts';
import type { SeriesRead } from '../../engine/types.ts';

export type FailureCause = Extract<SeriesRead, { kind: 'error' }>['cause'];

export interface Failure {
  readonly cause: FailureCause;
  readonly message: string;
}

/** Connection facts the messages mention (the URL without credentials; the timeout in force). */
export interface FailureContext {
  readonly url: string;
  readonly timeoutMs: number;
  readonly secrets: readonly string[];
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The URL as shown to people: credentials removed, no trailing slash (paths are appended to it). */
function shownUrl(ctx: FailureContext): string {
  return redactUrl(ctx.url, ctx.secrets).replace(/\/+$/, '');
}

function errorCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && typeof cur === 'object' && depth < 4; cur = (cur as { cause?: unknown }).cause, depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

export function timeoutFailure(ctx: FailureContext): Failure {
  return {
    cause: 'timeout',
    message: `InfluxDB at ${shownUrl(ctx)} did not answer within ${ctx.timeoutMs} ms (AFTERCHECK_INFLUX_TIMEOUT_MS); check the server's health and load, or raise the timeout`,
  };
}

/** A thrown error from fetch or the Flux client (no HTTP status). */
export function thrownFailure(e: unknown, ctx: FailureContext): Failure {
  const name = (e as { name?: string } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError' || name === 'RequestTimedOutError') return timeoutFailure(ctx);
  const code = errorCode(e);
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return timeoutFailure(ctx);
  if ((code && NETWORK_CODES.has(code)) || (e instanceof TypeError && /fetch failed/.test(e.message))) {
    return {
      cause: 'unreachable',
      message: `InfluxDB at ${shownUrl(ctx)} is unreachable (${code ?? (e as Error).message}); check AFTERCHECK_INFLUX_URL and that InfluxDB is running and reachable from here`,
    };
  }
  return {
    cause: 'malformed',
    message: redact(`reading from InfluxDB at ${shownUrl(ctx)} failed: ${(e as Error)?.message ?? String(e)}`, ctx.secrets),
  };
}

/** A non-2xx HTTP answer. `detail` is the server's own error text, if any. */
export function httpFailure(status: number, detail: string, path: string, ctx: FailureContext): Failure {
  const where = `${shownUrl(ctx)}${path}`;
  const said = redact(detail.trim().slice(0, 300), ctx.secrets) || '(no error text)';
  if (status === 401 || status === 403) {
    return {
      cause: 'auth',
      message: `InfluxDB refused the credentials at ${where} (HTTP ${status}: ${said}); check AFTERCHECK_INFLUX_TOKEN (user:password for InfluxDB 1.x, an API token for 2.x/3.x) and its read permission`,
    };
  }
  if (status === 404) {
    return {
      cause: 'config',
      message: `InfluxDB has no ${path.split('?')[0]} at ${shownUrl(ctx)} (HTTP 404: ${said}); check that AFTERCHECK_INFLUX_URL is the InfluxDB base URL and AFTERCHECK_INFLUX_DIALECT matches the server`,
    };
  }
  if (status === 502 || status === 503 || status === 504) {
    return {
      cause: 'unreachable',
      message: `InfluxDB at ${where} is unavailable (HTTP ${status}: ${said}); check the server and any proxy in front of it`,
    };
  }
  return {
    cause: 'query',
    message: `InfluxDB rejected the query at ${where} (HTTP ${status}: ${said}); fix the signal's query in the policy`,
  };
}

export function toSeriesError(f: Failure, query: string): SeriesRead {
  return { kind: 'error', cause: f.cause, message: f.message, query };
}
