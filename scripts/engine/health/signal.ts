// Evaluates one signal: coverage, then every rule it has, worst wins; keeps the deciding rule's per-interval evidence.
import type { SignalPolicy } from '../../config/policy.ts';
import type { RuleResult, SeriesRead, SignalMeasurement, SignalResult, TimeWindow } from '../types.ts';
import { summarize } from '../stats.ts';
import { absoluteRule } from './absolute.ts';
import { chooseBaseline } from './baseline.ts';
import { judgeCoverage } from './coverage.ts';
import { formatValue } from './format.ts';
import { hostRule, type HostJudged } from './host.ts';
import { intervalsRule } from './intervals.ts';
import { absoluteLevels, relativeFormula, relativeLevels, strictest, type Levels } from './levels.ts';
import { judged, type Judged } from './judged.ts';
import { combineOutcomes, decidingRule } from './outcome.ts';
import { recentRule } from './recent.ts';
import { relativeRule } from './relative.ts';
import { pointsOf, summaryOf, toSlots, valuesOf, type Slot } from './slots.ts';
import { statisticalRule } from './statistical.ts';
import { trendRule } from './trend.ts';

export interface SignalContext {
  readonly version: string;
  readonly previousVersion: string;
  readonly window: TimeWindow;
  readonly intervalMs: number;
  readonly deployedAt: string;
  readonly complete: boolean;
  readonly monitorUntil: string;
}

const NO_READ: SeriesRead = { kind: 'error', cause: 'config', message: 'no measurement was taken for this signal', query: '' };

const inconclusive = (rule: RuleResult['rule'], limit: string, reason: string, observed: number | null = null): Judged =>
  judged({ rule, outcome: 'inconclusive', observed, limit, reason });

/**
 * The baseline value each current interval is compared with. A baseline from the same time yesterday or last week is
 * aligned interval by interval (the median of its five nearest intervals), so a daily swing inside the window cancels
 * out too; a before-deploy baseline is another time of day, so every interval is compared with its summary.
 */
export function baselineReference(
  base: { readonly used: { readonly source: string }; readonly slots: readonly Slot[] } | null,
  summary: number | null,
): { at(i: number): number | null; last(k: number): number | null } {
  if (!base || summary === null) return { at: () => summary, last: () => summary };
  if (base.used.source === 'before-deploy') return { at: () => summary, last: () => summary };
  const around = (from: number, to: number) =>
    summarize(valuesOf(base.slots.slice(Math.max(0, from), Math.max(0, to))), 'median') ?? summary;
  return { at: (i) => around(i - 2, i + 3), last: (k) => around(base.slots.length - k, base.slots.length) };
}

/** The levels an interval is judged against: absolute, and relative to its reference once there is one (stricter wins). */
function levelsFor(s: SignalPolicy, reference: number | null): Levels {
  const abs = absoluteLevels(s);
  return s.relative && reference !== null ? strictest(s.direction, abs, relativeLevels(s, reference)) : abs;
}

function levelText(s: SignalPolicy, aligned: boolean, hasBaseline: boolean): string {
  const hi = s.direction === 'higher-is-worse';
  return [
    ...(s.absolute ? [`${hi ? '≤' : '≥'} ${formatValue(s.absolute.fail, s.unit)}`] : []),
    ...(s.relative && hasBaseline ? [`${hi ? '≤' : '≥'} ${relativeFormula(s)}${aligned ? ' (baseline aligned by time of day)' : ''}`] : []),
  ].join(' and ');
}

interface Data {
  readonly read: SeriesRead;
  readonly slots: readonly Slot[];
  readonly values: readonly number[];
  readonly current: number | null;
  readonly cov: ReturnType<typeof judgeCoverage>;
  readonly chosen: ReturnType<typeof chooseBaseline> | null;
  readonly base: Extract<ReturnType<typeof chooseBaseline>, { kind: 'ok' }> | null;
  readonly baseline: number | null;
}

/** Every rule the signal has, in the order that makes the first worst one the best explanation. */
function judgeRules(
  s: SignalPolicy,
  m: SignalMeasurement | undefined,
  ctx: SignalContext,
  d: Data,
): { rules: Judged[]; host: HostJudged | null } {
  const { read, slots, values, current, cov, chosen, base, baseline } = d;
  const rules: Judged[] = [];
  if (read.kind === 'error')
    rules.push(inconclusive('coverage', cov.rule.limit, `current data could not be read (${read.cause}): ${read.message}`));
  else rules.push(judged(cov.rule));
  // Rules run on whatever data there is once there are enough samples: a breach already seen stands even when the
  // metrics stopped later (fail beats inconclusive); a pass on partial data does not (coverage stays inconclusive).
  const enough = read.kind === 'ok' && current !== null && values.length >= s.minSamples;
  if (enough) {
    const missing = chosen?.kind === 'missing' ? chosen.reason : 'no baseline measurement was taken for this signal';
    const ref = baselineReference(base, baseline);
    const text = levelText(s, !!base && base.used.source !== 'before-deploy', baseline !== null);
    // Window-level rules first: when several fail, the first explains it best (the deciding rule).
    if (s.absolute) rules.push(absoluteRule(s, current, slots, ctx.intervalMs));
    if (s.relative)
      rules.push(
        baseline !== null
          ? relativeRule(s, current, baseline, slots, ctx.intervalMs)
          : inconclusive('relative', 'relative to the baseline', missing, current),
      );
    if (s.statistical)
      rules.push(
        base ? statisticalRule(s, slots, values, base.values) : inconclusive('statistical', 'Mann-Whitney vs the baseline', missing),
      );
    if (s.trend)
      rules.push(
        trendRule(s, slots, base?.slots ?? null, {
          deployedAt: Date.parse(ctx.deployedAt),
          intervalMs: ctx.intervalMs,
          complete: ctx.complete,
        }),
      );
    // Then the per-interval rules, which catch what a window summary dilutes (a late onset, a sustained run).
    const recent = recentRule(s, slots, levelsFor(s, ref.last(s.recent.intervals)), text, ctx.intervalMs);
    if (recent) rules.push(recent);
    const perInterval = intervalsRule(s, slots, (i) => levelsFor(s, ref.at(i)), text, ctx.intervalMs);
    if (perInterval) rules.push(perInterval);
  }
  const host = enough ? hostRule(s, m?.hosts, ctx.window, ctx.intervalMs, baseline) : null;
  if (host) rules.push(host);
  return { rules, host };
}

/** Evaluates one signal. Rules that need a baseline are inconclusive without one; the others still decide. */
export function evaluateSignal(s: SignalPolicy, m: SignalMeasurement | undefined, ctx: SignalContext): SignalResult {
  const read = m?.current ?? NO_READ;
  const slots = toSlots(pointsOf(read), ctx.window, ctx.intervalMs);
  const values = valuesOf(slots);
  const current = summaryOf(slots, s.aggregation);
  const period = { version: ctx.version, intervalMs: ctx.intervalMs, complete: ctx.complete, monitorUntil: ctx.monitorUntil };
  const cov = judgeCoverage(s, slots, period);
  // Every signal shows its baseline (current vs baseline, delta); only the rules that need one go inconclusive without.
  const chosen = m && m.baselines.length ? chooseBaseline(s, m.baselines, ctx.intervalMs, ctx.previousVersion) : null;
  const base = chosen?.kind === 'ok' ? chosen : null;
  const baseline = base ? summaryOf(base.slots, s.aggregation) : null;
  const { rules, host } = judgeRules(s, m, ctx, { read, slots, values, current, cov, chosen, base, baseline });

  const baseRead = base
    ? m?.baselines.find((b) => b.source === base.used.source)?.read
    : chosen?.kind === 'missing'
      ? chosen.read
      : undefined;
  const results = rules.map((j) => j.result);
  const outcome = combineOutcomes(results.map((r) => r.outcome));
  const decider = rules[results.indexOf(decidingRule(results))]!;
  const judgedRules = results.filter((r) => r.rule !== 'coverage');
  const headline = judgedRules.filter((r) => r.rule !== 'recent' && r.rule !== 'intervals');
  const reason = outcome === 'pass' && judgedRules.length ? judgedRules.map((r) => r.reason).join('; ') : decider.result.reason;
  const delta = current !== null && baseline !== null ? current - baseline : null;
  const warns = (kind: RuleResult['rule']) => results.some((r) => r.rule === kind && r.outcome === 'warn');
  const hasRecent = results.some((r) => r.rule === 'recent');
  return {
    id: s.id,
    title: s.title,
    unit: s.unit,
    direction: s.direction,
    severity: s.severity,
    outcome,
    reason,
    current,
    baseline,
    delta,
    deltaPct: delta !== null && baseline ? (delta / Math.abs(baseline)) * 100 : null,
    limitValue: s.absolute?.fail ?? null,
    // The recent and per-interval rules apply the same levels again: the summary names each level once.
    limit: headline.length ? headline.map((r) => r.limit).join('; ') : cov.rule.limit,
    samples: { current: values.length, baseline: base?.values.length ?? 0 },
    query: { current: read.query, baseline: baseRead?.query ?? '' },
    rules: results,
    series: { current: pointsOf(read), baseline: base ? pointsOf(baseRead) : [] },
    evidence: decider.evidence ? { rule: decider.result.rule, ...decider.evidence } : null,
    coverage: cov.coverage,
    stoppedAt: cov.stoppedAt,
    baselineUsed: base?.used ?? null,
    worstHost: host?.worst ?? null,
    // A warn stands when it describes the newest data: the recent window or the growth still warns.
    warnStanding: outcome === 'warn' && (warns('recent') || warns('trend') || !hasRecent),
    warnAtEnd: s.warnAtEnd,
  };
}
