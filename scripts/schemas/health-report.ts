// zod schema of the health report (health.json): what the health gate produces, what `npm run health` writes and what
// `npm run verdict -- --health <file>` reads back. The engine's HealthReport type is derived from it.
import { z } from 'zod';
import { CHANGE_SIZES } from '../config/manifest.ts';
import { WARN_AT_END } from '../config/signal-rules.ts';
import { OUTCOMES } from '../engine/types.ts';

const iso = z.iso.datetime({ offset: true });
const num = z.number().nullable();
const outcome = z.enum(OUTCOMES);

export const RULE_KINDS = ['samples', 'coverage', 'absolute', 'recent', 'intervals', 'relative', 'statistical', 'trend', 'host'] as const;
export const BASELINE_WINDOWS = ['before-deploy', 'yesterday', 'last-week'] as const;

export const timeWindowSchema = z.object({ start: iso, end: iso }).strict();

export const samplePointSchema = z
  .object({
    /** ISO-8601 start of the interval. */
    t: iso,
    /** null where the database returned an empty interval. */
    v: num,
    /** For a ratio (errors of requests, connections of the pool): the count it is a percentage of in this interval. */
    w: z.number().nonnegative().optional(),
  })
  .strict();

export const intervalEvidenceSchema = z
  .object({
    t: iso,
    v: num,
    /** How the interval looked to the rule that decided. */
    state: z.enum(['ok', 'warn', 'breach', 'missing', 'skipped']),
    /** What the rule expected there, when it has a line (the trend's fit, the baseline's centre). */
    expected: z.number().optional(),
    /** The fail level of this interval, when it varies (a baseline aligned by time of day). */
    limit: z.number().optional(),
    /** For a ratio, the count it is a percentage of. */
    weight: z.number().optional(),
  })
  .strict();

export const decidingEvidenceSchema = z
  .object({
    rule: z.enum(RULE_KINDS),
    /** What the intervals are: "the current window", "the last 5 intervals", "host web-2". */
    scope: z.string(),
    levels: z.object({ warn: num, fail: num }).strict(),
    /** One line: "7 of 29 intervals breached; longest run 5 (10:25–10:30)". */
    summary: z.string(),
    intervals: z.array(intervalEvidenceSchema),
  })
  .strict();

export const ruleResultSchema = z
  .object({
    rule: z.enum(RULE_KINDS),
    outcome,
    /** The value the rule looked at (summary, ratio, slope per minute, effect size); null when there was none. */
    observed: num,
    /** The limit it was compared with, as shown to people ("≤ 1 %", "≤ baseline × 1.2 and + 50 ms"). */
    limit: z.string(),
    reason: z.string(),
  })
  .strict();

export const signalResultSchema = z
  .object({
    id: z.string().min(1),
    title: z.string().min(1),
    unit: z.string(),
    direction: z.enum(['higher-is-worse', 'lower-is-worse']),
    /** What a breach of this signal means: minor → hotfix, major → rollback. */
    severity: z.enum(['minor', 'major']),
    outcome,
    /** The first reason of the worst rule. */
    reason: z.string(),
    current: num,
    baseline: num,
    delta: num,
    deltaPct: num,
    /** The absolute fail limit, if any (drawn as the limit line in charts). */
    limitValue: num,
    /** Human-readable summary of all limits. */
    limit: z.string(),
    samples: z.object({ current: z.number().int().nonnegative(), baseline: z.number().int().nonnegative() }).strict(),
    query: z.object({ current: z.string(), baseline: z.string() }).strict(),
    rules: z.array(ruleResultSchema),
    series: z.object({ current: z.array(samplePointSchema), baseline: z.array(samplePointSchema) }).strict(),
    /** Per-interval evidence of the rule that decided the outcome. */
    evidence: decidingEvidenceSchema.nullable(),
    /** Intervals of the current window with data, against the policy's share. */
    coverage: z.object({ elapsed: z.number().int().nonnegative(), withData: z.number().int().nonnegative(), share: num, minShare: z.number() }).strict(),
    /** Set when the metrics stopped: the end of the last interval with data. */
    stoppedAt: iso.nullable(),
    /** The baseline used (after any fallback), or null when none had enough data. */
    baselineUsed: z
      .object({ source: z.enum(BASELINE_WINDOWS), window: timeWindowSchema, anyVersion: z.boolean(), note: z.string().nullable() })
      .strict()
      .nullable(),
    /** The worst host of the current window, for signals judged per host. */
    worstHost: z.object({ host: z.string(), value: z.number(), hosts: z.number().int().positive() }).strict().nullable(),
    /** A warn still standing at the newest data; once the period is over, `warnAtEnd` decides what it means. */
    warnStanding: z.boolean(),
    warnAtEnd: z.enum(WARN_AT_END),
  })
  .strict();

export const healthReportSchema = z
  .object({
    schemaVersion: z.literal(1),
    generatedAt: iso,
    service: z.string().min(1),
    version: z.string().min(1),
    previousVersion: z.string().min(1),
    deployedAt: iso,
    changeSize: z.enum(CHANGE_SIZES),
    window: z.object({ current: timeWindowSchema, baseline: timeWindowSchema, intervalSeconds: z.number().positive() }).strict(),
    /** The checking period the policy set for this change size, and whether it has fully elapsed. */
    checkingPeriod: z.object({ ms: z.number().positive(), monitorUntil: iso, complete: z.boolean() }).strict(),
    source: z.object({ url: z.string(), dialect: z.enum(['influxql', 'flux']), database: z.string() }).strict(),
    outcome,
    signals: z.array(signalResultSchema),
    /** Set when the health gate could not run at all (InfluxDB unreachable, bad config); outcome is then inconclusive. */
    error: z.string().optional(),
  })
  .strict();
