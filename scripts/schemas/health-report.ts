// zod schema of health.json (what `npm run health` writes and `npm run verdict -- --health <file>` reads back).
import { z } from 'zod';
import { CHANGE_SIZES } from '../config/manifest.ts';

const iso = z.iso.datetime({ offset: true });
const outcome = z.enum(['pass', 'warn', 'fail', 'inconclusive']);
const num = z.number().nullable();
const point = z.object({ t: iso, v: num }).strict();
const window = z.object({ start: iso, end: iso }).strict();

export const ruleResultSchema = z
  .object({
    rule: z.enum(['samples', 'absolute', 'relative', 'trend', 'statistical']),
    outcome,
    observed: num,
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
    severity: z.enum(['minor', 'major']),
    outcome,
    reason: z.string(),
    current: num,
    baseline: num,
    delta: num,
    deltaPct: num,
    limitValue: num,
    limit: z.string(),
    samples: z.object({ current: z.number().int().nonnegative(), baseline: z.number().int().nonnegative() }).strict(),
    query: z.object({ current: z.string(), baseline: z.string() }).strict(),
    rules: z.array(ruleResultSchema),
    series: z.object({ current: z.array(point), baseline: z.array(point) }).strict(),
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
    window: z.object({ current: window, baseline: window, intervalSeconds: z.number().positive() }).strict(),
    checkingPeriod: z.object({ ms: z.number().positive(), monitorUntil: iso, complete: z.boolean() }).strict(),
    source: z.object({ url: z.string(), dialect: z.enum(['influxql', 'flux']), database: z.string() }).strict(),
    outcome,
    signals: z.array(signalResultSchema),
    error: z.string().optional(),
  })
  .strict();
