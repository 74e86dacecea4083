// The release policy, decided before the release: health signals and their rules, checking periods, verdict rules, owners.
import fs from 'node:fs';
import crypto from 'node:crypto';
import { z } from 'zod';
import { ConfigError, zodProblems, type Problem } from './errors.ts';
import { deepFreeze } from './freeze.ts';
import { CHANGE_SIZES, SEVERITIES, type ChangeSize } from './manifest.ts';
import { fluxSafetyProblems, influxqlSafetyProblems } from './query-safety.ts';
import { BASELINE_SOURCES, resolveSignal, signalDefaultsSchema, signalOverrides, trendSchema, worstHostSchema } from './signal-rules.ts';
import { DURATION_RE, parseDuration } from './durations.ts';

export { DURATION_RE, parseDuration } from './durations.ts';
// Two checks, so that "999999999d" is named as too long rather than as not a duration.
const duration = z
  .string()
  .refine((s) => s !== '' && DURATION_RE.test(s) && /[1-9]/.test(s), { message: 'must be a duration such as 30s, 10m, 4h or 1h30m' })
  .refine((s) => !DURATION_RE.test(s) || parseDuration(s) !== null, { message: 'must be at most 24d (2147483647 ms, the longest timer)' });

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
const query = z
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

// Limits are amounts of a measured quantity: a negative fail level on a higher-is-worse signal would fail every release.
const limit = z.number().nonnegative('must be 0 or more (a negative limit would fail, or pass, every release)');
const levels = z.object({ warn: limit.optional(), fail: limit }).strict();

export const signalSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case, e.g. error_rate'),
    title: z.string().min(1),
    unit: z.string().default(''),
    query,
    /** How the per-interval samples are summarised into one number for the window. */
    aggregation: z.enum(['mean', 'median', 'p95', 'max', 'min', 'last']).default('mean'),
    direction: z.enum(['higher-is-worse', 'lower-is-worse']).default('higher-is-worse'),
    /** What a breach means: minor → hotfix, major → rollback (per the verdict rules). */
    severity: z.enum(['minor', 'major']),
    minSamples: z.number().int().min(1).default(5),
    absolute: levels.optional().describe('Absolute limits on the window summary: warn and fail levels, in the signal unit'),
    relative: z
      .object({
        maxRatio: z
          .number()
          .min(1, 'must be 1 or more: the factor by which the signal may worsen')
          .optional()
          .describe(
            'The factor by which the signal may worsen: current ≤ baseline × maxRatio (higher-is-worse) or ≥ baseline ÷ maxRatio (lower-is-worse). With maxIncrease too, `combine` decides whether both limits must hold (all, the default) or staying within either is enough (any)',
          ),
        maxIncrease: z
          .number()
          .nonnegative()
          .optional()
          .describe(
            'The amount by which the signal may worsen, in the signal unit: current ≤ baseline + maxIncrease (or ≥ baseline − maxIncrease for lower-is-worse)',
          ),
        warnRatio: z
          .number()
          .min(1, 'must be 1 or more')
          .optional()
          .describe('Warn beyond baseline × warnRatio (÷ for lower-is-worse); at most maxRatio'),
        maxIncreasePct: z
          .number()
          .positive()
          .optional()
          .describe(
            'The percentage by which the signal may worsen: current ≤ baseline + max(maxIncreasePct % of baseline, floor) (− for lower-is-worse). The floor keeps a tiny baseline from making noise a breach; it never lets a small baseline shield a +30 % rise above the floor',
          ),
        warnIncreasePct: z
          .number()
          .positive()
          .optional()
          .describe('Warn beyond baseline + max(warnIncreasePct %, floor); at most maxIncreasePct'),
        floor: z
          .number()
          .nonnegative()
          .optional()
          .describe(
            'The smallest worsening that counts for the percent limits, in the signal unit; default: signalDefaults.unitFloors[unit]',
          ),
        combine: z
          .enum(['all', 'any'])
          .default('all')
          .describe(
            "How maxRatio and maxIncrease combine when both are given: 'all' (default) = every limit must hold, so the stricter one applies (p95 ≤ baseline × 1.2 and at most +50 ms); 'any' = the more permissive one applies, a breach needs both exceeded (for tiny baselines, where a ratio alone is meaningless: 2 ms → 4 ms is ×2)",
          ),
      })
      .strict()
      .refine(
        (r) => r.maxRatio !== undefined || r.maxIncrease !== undefined || r.maxIncreasePct !== undefined,
        'needs maxIncreasePct, maxRatio, maxIncrease or a combination',
      )
      .refine(
        (r) => r.warnIncreasePct === undefined || r.maxIncreasePct === undefined || r.warnIncreasePct <= r.maxIncreasePct,
        'warnIncreasePct must not exceed maxIncreasePct',
      )
      .refine(
        (r) => r.warnRatio === undefined || r.maxRatio === undefined || r.warnRatio <= r.maxRatio,
        'warnRatio must not exceed maxRatio',
      )
      .optional(),
    trend: trendSchema.optional(),
    statistical: z
      .object({
        /** Kayenta's defaults. */
        confidence: z.number().gt(0).lt(1).default(0.98),
        tolerance: z.number().nonnegative().default(0.25),
        /**
         * Practical significance: the Hodges–Lehmann shift must also exceed this many signal units. Ratios alone
         * flag 3 ms → 9 ms as "×3"; a floor keeps statistically real but harmless changes from failing a release.
         */
        minShift: z
          .number()
          .nonnegative()
          .default(0)
          .describe('The median shift (Hodges–Lehmann, signal unit) a change must exceed to fail, e.g. 50 ms; 0 = ratio only, as Kayenta'),
        minEffectSize: z
          .number()
          .min(0)
          .max(1)
          .default(0.33)
          .describe(
            "Cliff's delta (how far the two samples separate, 0–1) a change must reach to fail; default 0.33, a medium effect: with many intervals a tiny but consistent shift is significant, not material",
          ),
      })
      .strict()
      .optional()
      .describe(
        'Kayenta-style Mann-Whitney U between baseline and current samples; fails when significant and the effect exceeds the tolerance',
      ),
    ...signalOverrides,
    worstHost: worstHostSchema.optional(),
  })
  .strict();

/** A signal as written in the policy file (overrides not yet merged with signalDefaults). */
export type SignalInput = z.output<typeof signalSchema>;

const decision = z.enum(['rollback', 'hotfix', 'inconclusive', 'continue-monitoring', 'proceed']);

/** The verdict rules a policy gets when it names none (also what `npm run init` writes out, so people see them). */
export const DEFAULT_VERDICT_RULES = Object.freeze({
  smokeFailure: 'rollback',
  verifyFailure: { blocker: 'rollback', critical: 'rollback', normal: 'hotfix', minor: 'hotfix' },
  healthBreach: { major: 'rollback', minor: 'hotfix' },
  healthWarn: 'continue-monitoring',
  unverifiedFeature: 'inconclusive',
  flaky: 'warn',
  pageErrors: 'hotfix',
  defaultSeverity: 'normal',
} as const);

export const policySchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().min(1),
    owner: z
      .object({
        team: z.string().min(1),
        rollbackDecider: z.string().min(1).describe('Who decides about a rollback; shown in every report'),
        contact: z.string().optional(),
      })
      .strict(),
    alerting: z
      .object({
        channel: z.string().min(1).describe('Where alerts for this service go, e.g. #shop-alerts or a PagerDuty service'),
        thresholdsReviewed: z.boolean().default(true),
        afterFailedRuns: z
          .number()
          .int()
          .min(1)
          .max(100)
          .optional()
          .describe('Scheduled synthetic runs: alert once after this many consecutive failed runs (default 2), and once when they recover'),
      })
      .strict()
      .optional(),
    checkingPeriods: z.object(Object.fromEntries(CHANGE_SIZES.map((c) => [c, duration])) as Record<ChangeSize, typeof duration>).strict(),
    baseline: z
      .object({
        window: z
          .enum(BASELINE_SOURCES)
          .default('before-deploy')
          .describe('The default baseline of every signal; a signal may choose its own (request_rate: time-of-day)'),
        /** The previous version's data is taken by its `version` tag; off means "same window, any version". */
        matchVersion: z.boolean().default(true),
      })
      .strict()
      .default({ window: 'before-deploy', matchVersion: true }),
    /** The per-interval bucket (GROUP BY time). */
    interval: duration.default('1m'),
    watch: z
      .object({
        every: duration.describe(
          'How often `npm run verdict -- --watch` re-evaluates (default: the policy\'s interval). The rules need a few intervals of data to be sure of a breach, so every evaluation in between repeats the same doubt; see the README, "Watching the checking period"',
        ),
      })
      .strict()
      .optional(),
    /** Skip the first part of the checking window (warm-up after a deploy). */
    warmup: z
      .string()
      .refine((s) => s === '0s' || (parseDuration(s) ?? 0) > 0, 'must be a duration such as 0s or 30s')
      .default('0s'),
    signalDefaults: signalDefaultsSchema.prefault({}),
    signals: z.array(signalSchema).min(1, 'needs at least one signal'),
    verdict: z
      .object({
        smokeFailure: decision.default('rollback'),
        verifyFailure: z
          .object(Object.fromEntries(SEVERITIES.map((s) => [s, decision])) as Record<(typeof SEVERITIES)[number], typeof decision>)
          .strict()
          .default({ blocker: 'rollback', critical: 'rollback', normal: 'hotfix', minor: 'hotfix' }),
        healthBreach: z.object({ major: decision, minor: decision }).strict().default({ major: 'rollback', minor: 'hotfix' }),
        healthWarn: decision.default('continue-monitoring'),
        unverifiedFeature: decision.default('inconclusive'),
        flaky: z.enum(['warn', 'hotfix']).default('warn'),
        /** Uncaught page errors seen by any test. */
        pageErrors: decision.default('hotfix'),
        /** Severity for a verify test whose feature and test set none. */
        defaultSeverity: z.enum(SEVERITIES).default('normal'),
      })
      .strict()
      .default(DEFAULT_VERDICT_RULES),
  })
  .strict()
  .superRefine((p, ctx) => {
    // An interval longer than a checking period leaves no whole interval to judge; a warm-up as long as one, no data.
    const intervalMs = parseDuration(p.interval) ?? 0;
    const warmupMs = parseDuration(p.warmup) ?? 0;
    for (const size of CHANGE_SIZES) {
      const periodMs = parseDuration(p.checkingPeriods[size]) ?? 0;
      if (periodMs && intervalMs > periodMs)
        ctx.addIssue({
          code: 'custom',
          path: ['interval'],
          message: `is longer than the ${size} checking period (${p.checkingPeriods[size]}): no whole interval could be judged`,
          params: { fix: 'use an interval of at most a fifth of the shortest checking period' },
        });
      if (periodMs && warmupMs >= periodMs)
        ctx.addIssue({
          code: 'custom',
          path: ['warmup'],
          message: `is as long as the ${size} checking period (${p.checkingPeriods[size]}): nothing would be judged`,
          params: { fix: 'use a warm-up shorter than every checking period' },
        });
    }
    const everyMs = p.watch ? (parseDuration(p.watch.every) ?? 0) : intervalMs;
    if (everyMs && intervalMs && everyMs < intervalMs)
      ctx.addIssue({
        code: 'custom',
        path: ['watch', 'every'],
        message: `is shorter than the interval (${p.interval}): between two intervals there is no new data to judge`,
        params: { fix: `use at least ${p.interval}, or leave watch.every out to evaluate every interval` },
      });
    const seen = new Set<string>();
    p.signals.forEach((s, i) => {
      if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: ['signals', i, 'id'], message: `duplicates signal id "${s.id}"` });
      seen.add(s.id);
      if (s.trend?.horizonMs !== undefined && s.absolute === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['signals', i, 'trend', 'horizon'],
          message: 'projects when the absolute fail level is reached, but the signal has no absolute level',
        });
      if (s.worstHost && !('template' in s.query))
        ctx.addIssue({
          code: 'custom',
          path: ['signals', i, 'worstHost'],
          message: 'needs a built-in template query: a custom query cannot be regrouped by host',
        });
      if (!s.absolute && !s.relative && !s.trend && !s.statistical)
        ctx.addIssue({
          code: 'custom',
          path: ['signals', i],
          message: 'has no rule (absolute, relative, trend or statistical): it could never fail',
        });
      if (s.absolute?.warn !== undefined) {
        const ok = s.direction === 'higher-is-worse' ? s.absolute.warn <= s.absolute.fail : s.absolute.warn >= s.absolute.fail;
        if (!ok)
          ctx.addIssue({
            code: 'custom',
            path: ['signals', i, 'absolute', 'warn'],
            message: `warn level ${s.absolute.warn} is beyond fail level ${s.absolute.fail} for direction ${s.direction}`,
          });
      }
    });
  })
  // Every signal carries its settings with the defaults merged in, so the engine reads one place.
  .transform((p) => ({ ...p, signals: p.signals.map((s) => resolveSignal(s, p.signalDefaults, p.baseline.window)) }));

export type Policy = z.output<typeof policySchema>;
/** A signal with every default filled in: what the health engine and the InfluxDB adapter read. */
export type SignalPolicy = Policy['signals'][number];

/** Every custom-query problem in a policy, as Problems naming the field (for callers holding an already-built Policy). */
export function validateQueries(policy: Pick<Policy, 'signals'>): Problem[] {
  return policy.signals.flatMap((s, i) =>
    customQueryProblems(s.query).map((p) => {
      const text = (s.query as Record<CustomQueryDialect, string>)[p.dialect];
      return {
        field: `signals[${i}].query.${p.dialect}`,
        value: JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text),
        message: p.message,
        fix: p.fix,
      };
    }),
  );
}

export interface LoadedPolicy {
  readonly policy: Policy;
  readonly path: string;
  /** sha256 of the file's bytes, recorded in verdict.json so the verdict names the exact rules that decided it. */
  readonly digest: string;
}

export function parsePolicy(input: unknown, source: string): Policy {
  const result = policySchema.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues;
    const problems = zodProblems(issues, input, '', () => 'see schemas/policy.schema.json (your editor completes it through "$schema")');
    // A check that knows the precise fix (custom queries) carries it in the issue's params.
    throw new ConfigError(
      `policy ${source}`,
      problems.map((p, i) => {
        const fix = (issues[i] as { params?: { fix?: unknown } }).params?.fix;
        return typeof fix === 'string' ? { ...p, fix } : p;
      }),
    );
  }
  return deepFreeze(result.data);
}

export function loadPolicy(path: string): LoadedPolicy {
  if (!fs.existsSync(path)) {
    throw new ConfigError('policy', [
      {
        field: 'AFTERCHECK_POLICY',
        value: JSON.stringify(path),
        message: 'no policy file there',
        fix: "point AFTERCHECK_POLICY at your policy, or write the app profile's apps/<app>/policy.json (npm run init writes one)",
      },
    ]);
  }
  const bytes = fs.readFileSync(path);
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new ConfigError(`policy ${path}`, [
      { field: '(file)', value: path, message: `is not valid JSON (${(e as Error).message})`, fix: 'fix the JSON syntax' },
    ]);
  }
  return { policy: parsePolicy(raw, path), path, digest: `sha256:${crypto.createHash('sha256').update(bytes).digest('hex')}` };
}

export function checkingPeriodMs(policy: Policy, size: ChangeSize): number {
  return parseDuration(policy.checkingPeriods[size])!;
}

/** How often the watch re-evaluates: the policy's watch.every, else its interval. */
export function watchEveryMs(policy: Pick<Policy, 'interval' | 'watch'>): number {
  return parseDuration(policy.watch?.every ?? policy.interval)!;
}

/** Consecutive failed synthetic runs before an alert (policy alerting.afterFailedRuns, default 2). */
export const DEFAULT_AFTER_FAILED_RUNS = 2;

export function policyJsonSchema(): unknown {
  return z.toJSONSchema(policySchema, { io: 'input', unrepresentable: 'any' });
}
