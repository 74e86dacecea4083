// One health signal of the policy as written: what it reads, how its samples become one number, its levels and rules (defaults merged later, in policy.ts).
import { z } from 'zod';
import { querySchema } from './policy-queries.ts';
import { signalOverrides, trendSchema, worstHostSchema } from './signal-rules.ts';

// Limits are amounts of a measured quantity: a negative fail level on a higher-is-worse signal would fail every release.
const limit = z.number().nonnegative('must be 0 or more (a negative limit would fail, or pass, every release)');
const levels = z.object({ warn: limit.optional(), fail: limit }).strict();

export const signalSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case, e.g. error_rate'),
    title: z.string().min(1),
    unit: z.string().default(''),
    query: querySchema,
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
