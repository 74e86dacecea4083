// Section 3: time to verdict in `npm run demo` (deploy → first decision) and watch detection latency (fault switched on → rollback).
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { loadPolicy, parseDuration } from '../../scripts/config/policy.ts';
import { floorSpec, npmRun, sampled, tail } from '../lib/commands.ts';
import { ROOT, type BenchContext } from '../lib/context.ts';
import type { Row, SectionResult, Table } from '../lib/model.ts';
import { formatStat } from '../lib/render.ts';
import { alternate, pairRow, type Sample } from '../lib/rounds.ts';
import { stat } from '../lib/stats.ts';
import { readTimeline } from '../lib/timeline.ts';

// Expected before running: the first decision waits for the whole suite (smoke, then @verify of four features) and the
// next evaluation after it; the README measured detection 10–11 s after the switch, "within two evaluations".
const EXPECT = {
  first: '30–60 s after the deploy: 10–25× the floor (the suite runs @verify too, then waits for an evaluation)',
  detect: '10–11 s after the switch (README): about 1–1.1 evaluations (5–6 intervals of 2 s)',
};

const verdictFile = z.looseObject({
  decision: z.string(),
  detectedAt: z.string().nullable().optional(),
  evaluations: z.array(z.looseObject({ at: z.string(), decision: z.string(), rule: z.string() })).optional(),
  watch: z.looseObject({ everySeconds: z.number() }).optional(),
});
const manifestFile = z.looseObject({ deployedAt: z.string() });

export interface DemoRun {
  readonly decision: string;
  readonly firstDecisionMs?: number;
  readonly firstDecision?: string;
  readonly testsDoneMs?: number;
  readonly detectionMs?: number;
  readonly everyMs?: number;
}

/** One `npm run demo` into its own reports folder, read back from what it wrote. */
async function demo(ctx: BenchContext, args: readonly string[], env: Record<string, string>): Promise<Sample & { run?: DemoRun }> {
  const dir = ctx.dir('demo');
  const m = await npmRun('demo', args, { AFTERCHECK_REPORTS_DIR: dir, ...env }, { timeoutMs: 15 * 60_000, pollMs: 250 });
  try {
    const v = verdictFile.parse(JSON.parse(fs.readFileSync(path.join(dir, 'verdict.json'), 'utf8')));
    const deployed = Date.parse(
      manifestFile.parse(JSON.parse(fs.readFileSync(path.join(dir, 'release-manifest.json'), 'utf8'))).deployedAt,
    );
    const first = v.evaluations?.find((e) => e.decision !== 'inconclusive');
    const timeline = readTimeline(path.join(dir, 'results.json'));
    const testsEnd = timeline?.tests.length ? Math.max(...timeline.tests.map((t) => t.start + t.durationMs)) : undefined;
    const switched = /fault switch:.* on at (\S+)/.exec(m.stdout)?.[1];
    const run: DemoRun = {
      decision: v.decision,
      ...(first ? { firstDecisionMs: Date.parse(first.at) - deployed, firstDecision: first.decision } : {}),
      ...(testsEnd ? { testsDoneMs: testsEnd - deployed } : {}),
      ...(switched && v.detectedAt ? { detectionMs: Date.parse(v.detectedAt) - Date.parse(switched) } : {}),
      ...(v.watch ? { everyMs: v.watch.everySeconds * 1000 } : {}),
    };
    return { value: run.firstDecisionMs, ok: m.code !== null && !m.timedOut, note: tail(m), peakRssKb: m.peakRssKb, run };
  } catch (e) {
    return { value: undefined, ok: false, note: `${(e as Error).message.slice(0, 200)}; ${tail(m)}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Quick mode's policy: the demo's, with a 12 s checking period of 1 s intervals (enough for each signal's minimum of
 * samples) evaluated every 4 s, so one story takes about a minute.
 */
function quickPolicy(ctx: BenchContext): string {
  const policy = JSON.parse(fs.readFileSync(path.join(ROOT, 'apps', 'demo-shop', 'policy.demo.json'), 'utf8')) as Record<string, unknown>;
  const periods = Object.fromEntries(Object.keys(policy.checkingPeriods as object).map((k) => [k, '12s']));
  const file = path.join(ctx.dir('quick-policy'), 'policy.quick.json');
  delete policy.$schema;
  fs.writeFileSync(file, JSON.stringify({ ...policy, interval: '1s', checkingPeriods: periods, watch: { every: '4s' } }, null, 2));
  loadPolicy(file);
  return file;
}

/** The demo stories (healthy, and with the fault switched on later; quick: only the latter) alternating with the floor. */
async function stories(ctx: BenchContext, env: Record<string, string>, faultArgs: readonly string[]) {
  const shop = await ctx.shop();
  const runs: DemoRun[] = [];
  const keep = (s: Sample & { run?: DemoRun }) => (s.run && runs.push(s.run), s);
  ctx.log(`  npm run demo${ctx.quick ? ' (quick policy)' : ' (healthy, and errors switched on 20 s after the deploy)'}`);
  const s = await alternate(
    [
      ...(ctx.quick ? [] : [{ id: 'demo healthy', run: async () => keep(await demo(ctx, [], env)) }]),
      { id: 'floor', run: async () => sampled(await floorSpec(ctx, shop.url)) },
      { id: 'demo fault', run: async () => keep(await demo(ctx, faultArgs, env)) },
    ],
    // At most three: each story runs a baseline window, the suite and a whole watched period (minutes).
    { rounds: ctx.quick ? 1 : Math.min(3, ctx.options.rounds), warmup: 0, log: ctx.log },
  );
  return { s, runs };
}

/** Detection latency against the watch's cadence (no watch can decide between two evaluations): the ratio is in evaluations. */
function detectionRow(fault: readonly (Sample & { run?: DemoRun })[], faultArgs: readonly string[]): Row {
  const detection: Sample[] = fault.map((x) => ({
    value: x.run?.detectionMs,
    ok: x.ok && x.run?.detectionMs !== undefined,
    note: x.run && x.run.detectionMs === undefined ? `not detected (decision ${x.run.decision})` : x.note,
  }));
  const cadence: Sample[] = fault.map((x) => ({ value: x.run?.everyMs, ok: x.run?.everyMs !== undefined }));
  const row = pairRow({
    what: `watch detection: errors switched on → rollback decided (\`${faultArgs.join(' ')}\`)`,
    unit: 'ms',
    a: detection,
    b: cadence,
    floorName: 'one watch evaluation (the policy’s `watch.every`): the ratio is in evaluations',
    expected: EXPECT.detect,
  });
  // Met only when every story detected the fault, each within two evaluations of the switch.
  const met = row.ratio ? detection.every((d) => d.ok) && row.ratio.max <= 2 : undefined;
  return { ...row, target: { kind: 'judged', met, text: 'within two evaluations (README)' } };
}

function storyTable(runs: readonly DemoRun[], intervalMs: number): Table {
  const ms = (x: number | undefined) => formatStat(stat([x]), 'ms');
  return {
    title: 'Each demo story',
    head: ['Decision', 'Deploy → tests done', 'Deploy → first decision', 'First decision', 'Detection latency', 'in intervals'],
    rows: runs.map((r) => [
      r.decision,
      ms(r.testsDoneMs),
      ms(r.firstDecisionMs),
      r.firstDecision ?? '—',
      ms(r.detectionMs),
      r.detectionMs === undefined ? '—' : (r.detectionMs / intervalMs).toFixed(1),
    ]),
    note: `An interval is the policy’s \`interval\` (${intervalMs / 1000} s); the first decision is the first evaluation that is not inconclusive. Each story first runs the previous version for a baseline window, which is not counted.`,
  };
}

export async function verdictTimeSection(ctx: BenchContext): Promise<SectionResult> {
  const env: Record<string, string> = ctx.quick ? { AFTERCHECK_POLICY: quickPolicy(ctx) } : {};
  const faultArgs = ['--faults', 'errors', '--fault-after', ctx.quick ? '4s' : '20s', ...(ctx.quick ? ['--features', 'search'] : [])];
  const { s, runs } = await stories(ctx, env, faultArgs);
  const policyFile = env.AFTERCHECK_POLICY ?? path.join(ROOT, 'apps', 'demo-shop', 'policy.demo.json');
  return {
    section: 3,
    title: 'Time to verdict',
    rows: [
      pairRow({
        what: `deploy → first decision (\`npm run demo\`${ctx.quick ? ' with the fault, quick policy' : ', healthy'})`,
        unit: 'ms',
        a: s[ctx.quick ? 'demo fault' : 'demo healthy'],
        b: s.floor,
        floorName: 'the single-spec smoke floor on a running shop (the least a decision needs)',
        expected: EXPECT.first,
      }),
      detectionRow((s['demo fault'] ?? []) as (Sample & { run?: DemoRun })[], faultArgs),
    ],
    tables: [storyTable(runs, parseDuration(loadPolicy(policyFile).policy.interval)!)],
    notes: ctx.quick
      ? [
          'Quick mode compresses the demo’s policy further (12 s period of 1 s intervals, evaluations every 4 s) and verifies one feature: its numbers only show the harness works.',
        ]
      : [],
  };
}
