// Builds each signal's query text for a dialect: template or custom query, placeholders replaced by escaped literals only.
import { fluxDateTime, fluxFloat, fluxString } from '@influxdata/influxdb-client';
import { PLACEHOLDER_RE, QUERY_PLACEHOLDERS, type SignalPolicy } from '../../config/policy.ts';
import { durationLiteral, influxqlIdent, influxqlString, influxqlTime, numberLiteral } from './escape.ts';
import { fluxTemplate, influxqlTemplate, type TemplateOptions } from './templates.ts';

export type Dialect = 'influxql' | 'flux';
export type Placeholder = (typeof QUERY_PLACEHOLDERS)[number];

/** Everything a query may be parameterised with. Values are data: they are escaped for the dialect, never spliced raw. */
export interface QueryParams {
  readonly start: Date;
  readonly end: Date;
  readonly version: string;
  readonly service: string;
  readonly intervalMs: number;
  /** The bucket (Flux) or database (InfluxQL) read from. */
  readonly bucket: string;
}

function literalsFor(dialect: Dialect, p: QueryParams): Record<Placeholder, string> {
  const seconds = p.intervalMs / 1000;
  if (dialect === 'influxql') {
    return {
      start: influxqlTime(p.start),
      end: influxqlTime(p.end),
      version: influxqlString(p.version),
      service: influxqlString(p.service),
      interval: durationLiteral(p.intervalMs),
      intervalSeconds: numberLiteral(seconds),
      bucket: influxqlIdent(p.bucket),
    };
  }
  // The client's own serialisers (the same ones its `flux` tagged template uses) quote and escape Flux literals.
  return {
    start: fluxDateTime(p.start.toISOString()).toString(),
    end: fluxDateTime(p.end.toISOString()).toString(),
    version: fluxString(p.version).toString(),
    service: fluxString(p.service).toString(),
    // A duration literal is generated from a number here (digits and a unit), never from user text.
    interval: durationLiteral(p.intervalMs),
    intervalSeconds: fluxFloat(seconds).toString(),
    bucket: fluxString(p.bucket).toString(),
  };
}

/**
 * Replaces every $placeholder with the escaped literal for the dialect. Unknown placeholders are an error (they are
 * reported when the policy loads, so reaching one here is a programming error).
 * Flux queries may also use `params.start`, `params.stop`, `params.version`, `params.service`, `params.every`,
 * `params.bucket` (the InfluxDB Cloud parameterised-query style): a `params` record of escaped literals is prepended.
 */
export function substitute(text: string, dialect: Dialect, params: QueryParams): string {
  const lit = literalsFor(dialect, params);
  const out = text.replace(PLACEHOLDER_RE, (whole, name: string) => {
    if (!(QUERY_PLACEHOLDERS as readonly string[]).includes(name)) throw new Error(`unknown placeholder ${whole}`);
    return lit[name as Placeholder];
  });
  if (dialect === 'flux' && /\bparams\./.test(text)) {
    const record = `params = {start: ${lit.start}, stop: ${lit.end}, version: ${lit.version}, service: ${lit.service}, every: ${lit.interval}, intervalSeconds: ${lit.intervalSeconds}, bucket: ${lit.bucket}}`;
    return `${record}\n${out}`;
  }
  return out;
}

export type BuiltQuery = { readonly kind: 'ok'; readonly text: string } | { readonly kind: 'error'; readonly message: string };

/** The query text for one signal, one window and one version, in the dialect the server speaks. */
export function buildQuery(signal: SignalPolicy, dialect: Dialect, params: QueryParams, opts: TemplateOptions): BuiltQuery {
  const q = signal.query;
  if (opts.byHost && !('template' in q))
    return {
      kind: 'error',
      message: `signal "${signal.id}": a per-host read needs a built-in template (a custom query cannot be regrouped)`,
    };
  let text: string | undefined;
  if ('template' in q) text = dialect === 'influxql' ? influxqlTemplate(q.template, opts) : fluxTemplate(q.template, opts);
  else if (dialect === 'influxql' && 'influxql' in q) text = q.influxql;
  else if (dialect === 'flux' && 'flux' in q) text = q.flux;
  if (text === undefined) {
    const other = dialect === 'flux' ? 'influxql' : 'flux';
    return {
      kind: 'error',
      message: `signal "${signal.id}" has only a custom ${other === 'flux' ? 'Flux' : 'InfluxQL'} query, but the server is read with ${dialect === 'flux' ? 'Flux' : 'InfluxQL'}; add a "${dialect}" query to the signal or set AFTERCHECK_INFLUX_DIALECT=${other}`,
    };
  }
  try {
    return { kind: 'ok', text: substitute(text, dialect, params) };
  } catch (e) {
    return { kind: 'error', message: `signal "${signal.id}": ${(e as Error).message}` };
  }
}

// The checks live with the policy (they run when it loads); re-exported for the health gate's callers.
export { validateQueries } from '../../config/policy.ts';
