// The release policy, decided before the release: health signals and their rules, checking periods, verdict rules, owners.
import fs from 'node:fs';
import crypto from 'node:crypto';
import { z } from 'zod';
import { ConfigError, zodProblems, type Problem } from './errors.ts';
import { deepFreeze } from './freeze.ts';
import { CHANGE_SIZES, SEVERITIES, type ChangeSize } from './manifest.ts';
import { customQueryProblems, type CustomQueryDialect } from './policy-queries.ts';
import { signalSchema } from './policy-signal.ts';
import { BASELINE_SOURCES, resolveSignal, signalDefaultsSchema } from './signal-rules.ts';
import { DURATION_RE, parseDuration } from './durations.ts';

export { DURATION_RE, parseDuration } from './durations.ts';
export {
  customQueryProblems,
  PLACEHOLDER_RE,
  QUERY_PLACEHOLDERS,
  QUERY_TEMPLATES,
  type CustomQueryDialect,
  type QueryProblem,
  type QuerySpec,
  type QueryTemplate,
} from './policy-queries.ts';
export { signalSchema, type SignalInput } from './policy-signal.ts';
// Two checks, so that "999999999d" is named as too long rather than as not a duration.
const duration = z
  .string()
  .refine((s) => s !== '' && DURATION_RE.test(s) && /[1-9]/.test(s), { message: 'must be a duration such as 30s, 10m, 4h or 1h30m' })
  .refine((s) => !DURATION_RE.test(s) || parseDuration(s) !== null, { message: 'must be at most 24d (2147483647 ms, the longest timer)' });

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
  // Every signal carries its settings with the defaults merged in, and every duration is parsed once, here: the engine
  // and the gates read milliseconds (the texts stay for people: reports quote the policy as written).
  .transform((p) => ({
    ...p,
    signals: p.signals.map((s) => resolveSignal(s, p.signalDefaults, p.baseline.window)),
    ms: durationsMs(p),
  }));

/** The policy's durations in milliseconds; called after validation, so every one parses. */
export function durationsMs(p: {
  interval: string;
  warmup: string;
  checkingPeriods: Record<ChangeSize, string>;
  watch?: { every: string };
}) {
  const ms = (text: string) => parseDuration(text)!;
  const interval = ms(p.interval);
  return Object.freeze({
    interval,
    warmup: ms(p.warmup),
    /** How often the watch re-evaluates: watch.every, else the interval. */
    watchEvery: p.watch ? ms(p.watch.every) : interval,
    checkingPeriods: Object.freeze(
      Object.fromEntries(CHANGE_SIZES.map((c) => [c, ms(p.checkingPeriods[c])])) as Record<ChangeSize, number>,
    ),
  });
}

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

/** Consecutive failed synthetic runs before an alert (policy alerting.afterFailedRuns, default 2). */
export const DEFAULT_AFTER_FAILED_RUNS = 2;

export function policyJsonSchema(): unknown {
  return z.toJSONSchema(policySchema, { io: 'input', unrepresentable: 'any' });
}
