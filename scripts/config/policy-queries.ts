// What a policy signal reads: the built-in query templates, custom InfluxQL/Flux with their placeholders, and the checks that keep them read-only and well-shaped.
import { z } from 'zod';
import { fluxSafetyProblems, influxqlSafetyProblems } from './query-safety.ts';

/** Built-in query templates for the reference metric layout (README, "Metrics schema"). */
export const QUERY_TEMPLATES = [
  'error_rate',
  'latency_p50',
  'latency_p95',
  'latency_p99',
  'request_rate',
  'cpu',
  'memory_rss',
  'heap_used',
  'db_pool_utilization',
  'queue_depth',
  'synthetic_failure_rate',
] as const;
export type QueryTemplate = (typeof QUERY_TEMPLATES)[number];

/**
 * Placeholders allowed in custom queries; values are always escaped for the dialect before substitution.
 * `intervalSeconds` (a number) turns per-interval sums into per-second rates; `bucket` is the bucket (Flux) or the
 * database as a quoted identifier (InfluxQL).
 */
export const QUERY_PLACEHOLDERS = ['start', 'end', 'version', 'service', 'interval', 'intervalSeconds', 'bucket'] as const;

const PLACEHOLDER_NAMES: readonly string[] = QUERY_PLACEHOLDERS;
/** A `$name` in a custom query; shared with the adapter that substitutes them, so both agree on what a placeholder is. */
export const PLACEHOLDER_RE = /\$([A-Za-z_][A-Za-z0-9_]*)/g;

export type CustomQueryDialect = 'influxql' | 'flux';
export interface QueryProblem {
  readonly dialect: CustomQueryDialect;
  readonly message: string;
  readonly fix: string;
}

/**
 * Why a custom query could never be judged: an unknown or quoted placeholder (substitution would fail or double-quote),
 * no $start/$end bound (it would read all history), no per-interval aggregation (raw points are not samples). Pure, so
 * the policy reports these when it loads (exit 4) and the health gate can re-check a policy built in code.
 */
export function customQueryProblems(
  q: { readonly influxql?: string; readonly flux?: string } | { readonly template: string },
): QueryProblem[] {
  const problems: QueryProblem[] = [];
  const customs: [CustomQueryDialect, string][] = [];
  if ('influxql' in q && typeof q.influxql === 'string') customs.push(['influxql', q.influxql]);
  if ('flux' in q && typeof q.flux === 'string') customs.push(['flux', q.flux]);
  for (const [dialect, text] of customs) {
    for (const p of dialect === 'influxql' ? influxqlSafetyProblems(text) : fluxSafetyProblems(text)) problems.push({ dialect, ...p });
    for (const m of text.matchAll(PLACEHOLDER_RE)) {
      if (!PLACEHOLDER_NAMES.includes(m[1]!)) {
        problems.push({
          dialect,
          message: `uses unknown placeholder $${m[1]}`,
          fix: `use only ${QUERY_PLACEHOLDERS.map((p) => `$${p}`).join(', ')}`,
        });
      }
      const before = text[(m.index ?? 0) - 1];
      if (before === "'" || before === '"') {
        problems.push({
          dialect,
          message: `puts $${m[1]} inside quotes`,
          fix: `write $${m[1]} bare: it is replaced by a complete, escaped literal (quotes included)`,
        });
      }
    }
    const usesStart = /\$start\b/.test(text) || (dialect === 'flux' && /\bparams\.start\b/.test(text));
    const usesEnd = /\$end\b/.test(text) || (dialect === 'flux' && /\bparams\.stop\b/.test(text));
    if (!usesStart || !usesEnd) {
      problems.push({
        dialect,
        message: 'does not bound the time range with $start and $end',
        fix: dialect === 'influxql' ? 'add WHERE time >= $start AND time < $end' : 'add |> range(start: $start, stop: $end)',
      });
    }
    const aggregates = dialect === 'influxql' ? /group\s+by\s+time\s*\(/i.test(text) : /aggregateWindow\s*\(|\bwindow\s*\(/.test(text);
    if (!aggregates) {
      problems.push({
        dialect,
        message: 'does not aggregate per interval in the database',
        fix:
          dialect === 'influxql'
            ? 'add GROUP BY time($interval) with an aggregate such as mean(), sum() or percentile()'
            : 'add |> aggregateWindow(every: $interval, fn: mean)',
      });
    }
  }
  return problems;
}

/** What a signal reads: a built-in template, or custom InfluxQL and/or Flux. */
export type QuerySpec =
  | { readonly template: QueryTemplate }
  | { readonly influxql: string }
  | { readonly flux: string }
  | { readonly influxql: string; readonly flux: string };

// One object with optional kinds (not a union), so that a typo in a template name is reported with the valid names
// instead of a union's bare "Invalid input".
export const querySchema = z
  .object({
    template: z.enum(QUERY_TEMPLATES, { error: `must be one of ${QUERY_TEMPLATES.join(', ')}` }).optional(),
    influxql: z
      .string()
      .min(1)
      .optional()
      .describe(
        'InfluxQL with $start, $end, $version, $service, $interval, $intervalSeconds placeholders (bare: each becomes a complete escaped literal); one read-only SELECT returning one value column per GROUP BY time($interval)',
      ),
    flux: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Flux with $start, $end, $version, $service, $interval, $intervalSeconds, $bucket placeholders (or params.start, params.stop, params.version, params.service, params.every, params.bucket); read-only functions only; must yield _time/_value rows',
      ),
  })
  .strict()
  // On the query itself (not the whole policy), so these are listed together with every other problem in the file.
  .superRefine((q, ctx) => {
    const custom = q.influxql !== undefined || q.flux !== undefined;
    if (q.template === undefined && !custom) {
      ctx.addIssue({
        code: 'custom',
        message: 'names no query kind',
        params: { fix: `write { "template": one of ${QUERY_TEMPLATES.join(', ')} }, or { "influxql": "…" } and/or { "flux": "…" }` },
      });
    } else if (q.template !== undefined && custom) {
      ctx.addIssue({
        code: 'custom',
        message: 'has both a template and a custom query',
        params: { fix: 'keep either the template or the custom query' },
      });
    } else if (custom) {
      for (const p of customQueryProblems(q))
        ctx.addIssue({ code: 'custom', path: [p.dialect], message: p.message, params: { fix: p.fix } });
    }
  })
  .transform((q) => q as QuerySpec);
