// Built-in queries for the reference metric layout, in InfluxQL and Flux; each aggregates per interval inside the database.
import type { QueryTemplate } from '../../config/policy.ts';
import { influxqlIdent } from './escape.ts';

/**
 * How a template reads the reference schema (README, "Metrics schema"). Two shapes cover every signal:
 * - `mean`: the per-interval mean of one field, across all hosts of the service/version;
 * - `ratio`: 100 × sum(numerator) / sum(denominator) per interval, skipping points whose denominator is 0
 *   (an idle interval has no error rate; it must not count as a 0 % sample), with sum(denominator) as its weight;
 * - `rate`: sum(field) per interval divided by the interval in seconds (per-second rate).
 */
export type TemplateShape =
  | { readonly kind: 'mean'; readonly measurement: string; readonly field: string }
  | { readonly kind: 'ratio'; readonly measurement: string; readonly numerator: string; readonly denominator: string }
  | { readonly kind: 'rate'; readonly measurement: string; readonly field: string };

export interface TemplateInfo {
  readonly shape: TemplateShape;
  readonly unit: string;
  readonly description: string;
}

export const TEMPLATE_INFO: Readonly<Record<QueryTemplate, TemplateInfo>> = Object.freeze({
  error_rate: {
    shape: { kind: 'ratio', measurement: 'http_requests', numerator: 'errors', denominator: 'count' },
    unit: '%',
    description: '5xx responses as a percentage of requests, per interval',
  },
  latency_p50: {
    shape: { kind: 'mean', measurement: 'http_requests', field: 'latency_p50_ms' },
    unit: 'ms',
    description: 'mean of the reported p50 latency, per interval',
  },
  latency_p95: {
    shape: { kind: 'mean', measurement: 'http_requests', field: 'latency_p95_ms' },
    unit: 'ms',
    description: 'mean of the reported p95 latency, per interval',
  },
  latency_p99: {
    shape: { kind: 'mean', measurement: 'http_requests', field: 'latency_p99_ms' },
    unit: 'ms',
    description: 'mean of the reported p99 latency, per interval',
  },
  request_rate: {
    shape: { kind: 'rate', measurement: 'http_requests', field: 'count' },
    unit: 'req/s',
    description: 'requests per second, per interval',
  },
  cpu: { shape: { kind: 'mean', measurement: 'process', field: 'cpu_percent' }, unit: '%', description: 'mean process CPU, per interval' },
  memory_rss: {
    shape: { kind: 'mean', measurement: 'process', field: 'rss_mb' },
    unit: 'MB',
    description: 'mean resident set size, per interval',
  },
  heap_used: {
    shape: { kind: 'mean', measurement: 'process', field: 'heap_used_mb' },
    unit: 'MB',
    description: 'mean V8 heap in use, per interval',
  },
  db_pool_utilization: {
    shape: { kind: 'ratio', measurement: 'db_pool', numerator: 'in_use', denominator: 'size' },
    unit: '%',
    description: 'connections in use as a percentage of the pool size, per interval',
  },
  queue_depth: {
    shape: { kind: 'mean', measurement: 'queue', field: 'depth' },
    unit: 'jobs',
    description: 'mean queue depth, per interval',
  },
  // Written by `npm run synthetic` (scripts/adapters/synthetic/points.ts): one point per test, failed and ran 0 or 1.
  synthetic_failure_rate: {
    shape: { kind: 'ratio', measurement: 'synthetic_check', numerator: 'failed', denominator: 'ran' },
    unit: '%',
    description: 'failed synthetic checks as a percentage of the checks that ran (skipped ones left out), per interval',
  },
});

// Names in the templates are constants of the reference schema, written already quoted; only placeholders vary.

/** The tag that names the instance a point came from, in the reference schema. */
export const HOST_TAG = 'host';

export interface TemplateOptions {
  readonly matchVersion: boolean;
  /** One series per host (GROUP BY the host tag) instead of one for the whole service. */
  readonly byHost?: boolean;
}

/** The InfluxQL text of a template, with $placeholders still in it. */
export function influxqlTemplate(template: QueryTemplate, opts: TemplateOptions): string {
  const { shape } = TEMPLATE_INFO[template];
  const where = [`"service" = $service`, ...(opts.matchVersion ? [`"version" = $version`] : [])];
  const tail = `time >= $start AND time < $end GROUP BY time($interval)${opts.byHost ? `, ${influxqlIdent(HOST_TAG)}` : ''} fill(null)`;
  switch (shape.kind) {
    case 'mean':
      return `SELECT mean("${shape.field}") AS "value" FROM "${shape.measurement}" WHERE ${where.join(' AND ')} AND ${tail}`;
    case 'ratio':
      return `SELECT sum("${shape.numerator}") * 100 / sum("${shape.denominator}") AS "value", sum("${shape.denominator}") AS "weight" FROM "${shape.measurement}" WHERE ${where.join(' AND ')} AND "${shape.denominator}" > 0 AND ${tail}`;
    case 'rate':
      return `SELECT sum("${shape.field}") / $intervalSeconds AS "value" FROM "${shape.measurement}" WHERE ${where.join(' AND ')} AND ${tail}`;
  }
}

/** The Flux text of a template, with $placeholders still in it. Windows are labelled by their start, like InfluxQL. */
export function fluxTemplate(template: QueryTemplate, opts: TemplateOptions): string {
  const { shape } = TEMPLATE_INFO[template];
  const tags = `r.service == $service${opts.matchVersion ? ' and r.version == $version' : ''}`;
  // Per host: the host tag stays in the group key (one table per host) and in every row the parser reads.
  const group = opts.byHost ? `group(columns: ["${HOST_TAG}"])` : 'group()';
  const keepHost = opts.byHost ? `, ${HOST_TAG}: r.${HOST_TAG}` : '';
  const head = [`from(bucket: $bucket)`, `  |> range(start: $start, stop: $end)`];
  switch (shape.kind) {
    case 'mean':
      return [
        ...head,
        `  |> filter(fn: (r) => r._measurement == "${shape.measurement}" and r._field == "${shape.field}")`,
        `  |> filter(fn: (r) => ${tags})`,
        `  |> ${group}`,
        `  |> aggregateWindow(every: $interval, fn: mean, createEmpty: false, timeSrc: "_start")`,
        `  |> keep(columns: ["_time", "_value"${opts.byHost ? `, "${HOST_TAG}"` : ''}])`,
      ].join('\n');
    case 'ratio':
      return [
        ...head,
        `  |> filter(fn: (r) => r._measurement == "${shape.measurement}" and (r._field == "${shape.numerator}" or r._field == "${shape.denominator}"))`,
        `  |> filter(fn: (r) => ${tags})`,
        `  |> group(columns: ["_field"${opts.byHost ? `, "${HOST_TAG}"` : ''}])`,
        `  |> aggregateWindow(every: $interval, fn: sum, createEmpty: false, timeSrc: "_start")`,
        `  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")`,
        `  |> filter(fn: (r) => exists r.${shape.denominator} and r.${shape.denominator} > 0)`,
        `  |> map(fn: (r) => ({_time: r._time, _value: float(v: if exists r.${shape.numerator} then r.${shape.numerator} else 0) * 100.0 / float(v: r.${shape.denominator}), weight: float(v: r.${shape.denominator})${keepHost}}))`,
      ].join('\n');
    case 'rate':
      return [
        ...head,
        `  |> filter(fn: (r) => r._measurement == "${shape.measurement}" and r._field == "${shape.field}")`,
        `  |> filter(fn: (r) => ${tags})`,
        `  |> ${group}`,
        `  |> aggregateWindow(every: $interval, fn: sum, createEmpty: false, timeSrc: "_start")`,
        `  |> map(fn: (r) => ({_time: r._time, _value: float(v: r._value) / $intervalSeconds${keepHost}}))`,
      ].join('\n');
  }
}
