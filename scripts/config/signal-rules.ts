// The health rules a policy signal can carry (zod), the policy-wide signal defaults, and their resolution into one signal.
import { z } from 'zod';
import { parseDuration } from './durations.ts';

const durationMs = (what: string) =>
  z
    .string()
    .refine((s) => s === '0s' || (parseDuration(s) ?? 0) > 0, {
      message: `must be a duration such as 0s, 30s, 5m or 24h, at most 24d (${what})`,
    })
    .transform((s) => parseDuration(s)!);

/** Where a signal's baseline comes from; `time-of-day` tries yesterday, then last week, then falls back to before-deploy. */
export const BASELINE_SOURCES = ['before-deploy', 'yesterday', 'last-week', 'time-of-day'] as const;
export type BaselineChoice = (typeof BASELINE_SOURCES)[number];

export const WARN_AT_END = ['hotfix', 'proceed-with-warning'] as const;
export type WarnAtEnd = (typeof WARN_AT_END)[number];

/** Argo-style limit: a count of breached intervals, or a share of the judged intervals ("25%"). */
const failureLimit = z
  .union([z.number().int().min(0), z.string().regex(/^(\d{1,2}(\.\d+)?|100)%$/, 'must be a count such as 3 or a share such as "25%"')])
  .transform((v) => (typeof v === 'number' ? { count: v } : { share: Number(v.slice(0, -1)) / 100 }));
export type FailureLimit = z.output<typeof failureLimit>;

export const coverageSchema = z
  .object({
    minShare: z
      .number()
      .gt(0)
      .max(1)
      .describe('Share of the elapsed intervals of the checking period that must have data (default 0.8); less is inconclusive'),
    stoppedAfter: z
      .number()
      .int()
      .min(1)
      .describe('No data in this many last intervals means the metrics stopped: inconclusive, "metrics stopped at <time>" (default 3)'),
  })
  .strict();

export const intervalsSchema = z
  .object({
    failureLimit: failureLimit.describe(
      'Per-interval breaches of the fail levels allowed over the window (a count, or a share like "25%"); more fails the signal (Argo failureLimit)',
    ),
    consecutiveFailureLimit: z
      .number()
      .int()
      .min(0)
      .describe('Consecutive breached intervals allowed; a longer run fails the signal even when the window mean is diluted (default 3)'),
  })
  .strict();

export const recentSchema = z
  .object({
    intervals: z
      .number()
      .int()
      .min(0)
      .describe('The last K intervals, judged on their own (their median against the same levels); 0 turns the rule off (default 5)'),
  })
  .strict();

const unitFloors = z
  .record(z.string(), z.number().nonnegative())
  .describe('The smallest worsening that counts, per unit, for percent limits (maxIncreasePct, worstHost.maxIncreasePct)');

export const DEFAULT_UNIT_FLOORS: Readonly<Record<string, number>> = Object.freeze({
  ms: 10,
  '%': 2,
  MB: 32,
  'req/s': 0.2,
  jobs: 10,
});

export const signalDefaultsSchema = z
  .object({
    coverage: coverageSchema.default({ minShare: 0.8, stoppedAfter: 3 }),
    intervals: intervalsSchema.prefault({ failureLimit: '25%', consecutiveFailureLimit: 3 }),
    recent: recentSchema.default({ intervals: 5 }),
    warnAtEnd: z
      .enum(WARN_AT_END)
      .default('hotfix')
      .describe(
        'A warn still standing when the checking period ends: hotfix (default; it must not quietly exit 0) or proceed-with-warning',
      ),
    unitFloors: unitFloors.default({ ...DEFAULT_UNIT_FLOORS }),
  })
  .strict()
  .describe('Settings every signal gets unless it sets its own');
export type SignalDefaults = z.output<typeof signalDefaultsSchema>;

export const trendSchema = z
  .object({
    maxSlopePerMinute: z
      .number()
      .nonnegative()
      .optional()
      .describe(
        "Growth in the worse direction (Theil–Sen slope of the current window minus the baseline's own slope, signal unit per minute) that fails",
      ),
    warnSlopePerMinute: z.number().nonnegative().optional(),
    horizon: durationMs('horizon')
      .optional()
      .describe("Fail when the growth would reach the absolute fail level within this time (like Prometheus' predict_linear), e.g. 24h"),
    warmup: durationMs('warmup')
      .default(0)
      .describe('Ignore this span after the deploy: a fresh process climbing to steady state is not a leak (e.g. 5m)'),
    confidence: z
      .number()
      .gt(0.5)
      .lt(1)
      .default(0.9)
      .describe("Sen's confidence interval of the slope; the projection uses its conservative end (default 0.9)"),
  })
  .strict()
  .refine((t) => t.maxSlopePerMinute !== undefined || t.horizon !== undefined, 'needs maxSlopePerMinute, horizon or both')
  .refine(
    (t) => t.warnSlopePerMinute === undefined || t.maxSlopePerMinute === undefined || t.warnSlopePerMinute <= t.maxSlopePerMinute,
    'warnSlopePerMinute must not exceed maxSlopePerMinute',
  )
  .transform(({ horizon, warmup, ...rest }) => ({ ...rest, warmupMs: warmup, ...(horizon !== undefined ? { horizonMs: horizon } : {}) }));

export const worstHostSchema = z
  .object({
    fail: z.number().optional().describe("The worst host's window summary beyond this level fails (signal unit)"),
    maxIncreasePct: z
      .number()
      .positive()
      .optional()
      .describe("The worst host may be this many percent worse than the whole service's baseline (with the unit floor)"),
  })
  .strict()
  .refine((w) => w.fail !== undefined || w.maxIncreasePct !== undefined, 'needs fail, maxIncreasePct or both')
  .describe('Judge the worst host (tag "host") on its own, so a regression on one of several hosts cannot hide in the average');

/** The per-signal overrides of the defaults (each optional). */
export const signalOverrides = {
  coverage: coverageSchema.partial().optional(),
  intervals: intervalsSchema.partial().optional(),
  recent: recentSchema.optional(),
  warnAtEnd: z.enum(WARN_AT_END).optional(),
  baseline: z
    .enum(BASELINE_SOURCES)
    .optional()
    .describe(
      'This signal\'s baseline. Default: "time-of-day" for request_rate (same window yesterday, else last week, else before-deploy with a note), the policy\'s baseline.window for the others',
    ),
  worstHost: worstHostSchema.optional(),
};

interface Overridable {
  readonly id: string;
  readonly unit: string;
  readonly query: object;
  readonly coverage?: Partial<z.output<typeof coverageSchema>> | undefined;
  readonly intervals?: Partial<z.output<typeof intervalsSchema>> | undefined;
  readonly recent?: z.output<typeof recentSchema> | undefined;
  readonly warnAtEnd?: WarnAtEnd | undefined;
  readonly baseline?: BaselineChoice | undefined;
  readonly relative?: { readonly floor?: number | undefined } | undefined;
}

/** Templates whose level follows the time of day, so a before-deploy window of the same length is a poor baseline. */
const TIME_OF_DAY_TEMPLATES: ReadonlySet<string> = new Set(['request_rate']);

export type Resolved<S extends Overridable> = Omit<S, 'coverage' | 'intervals' | 'recent' | 'warnAtEnd' | 'baseline'> & {
  readonly coverage: z.output<typeof coverageSchema>;
  readonly intervals: z.output<typeof intervalsSchema>;
  readonly recent: z.output<typeof recentSchema>;
  readonly warnAtEnd: WarnAtEnd;
  readonly baseline: BaselineChoice;
  /** The smallest worsening that counts for this signal's percent limits (relative.floor, else the unit's floor, else 0). */
  readonly floor: number;
};

/** One signal with every default filled in: what the engine reads. */
export function resolveSignal<S extends Overridable>(s: S, d: SignalDefaults, policyBaseline: BaselineChoice): Resolved<S> {
  const template = 'template' in s.query ? String((s.query as { template: unknown }).template) : undefined;
  return {
    ...s,
    coverage: { ...d.coverage, ...s.coverage },
    intervals: { ...d.intervals, ...s.intervals },
    recent: s.recent ?? d.recent,
    warnAtEnd: s.warnAtEnd ?? d.warnAtEnd,
    baseline: s.baseline ?? (template && TIME_OF_DAY_TEMPLATES.has(template) ? 'time-of-day' : policyBaseline),
    floor: s.relative?.floor ?? d.unitFloors[s.unit] ?? 0,
  };
}
