// Section 5: peak memory of each command against its floor, memory and file handles over scheduled synthetic runs, reports/ with retention.
import fs from 'node:fs';
import path from 'node:path';
import { npmRun, suiteEnv, tail } from '../lib/commands.ts';
import type { BenchContext } from '../lib/context.ts';
import { folderBytes, judgeFlat, SchedulerWatch, type FlatJudgement } from '../lib/long-run.ts';
import type { Row, SectionResult } from '../lib/model.ts';
import { formatValue } from '../lib/render.ts';
import { pairRow, type Sample } from '../lib/rounds.ts';

// Expected before running: the scheduler holds no per-run state beyond its run list, so memory and handles stay flat;
// retention deletes whole run folders, so reports/ stays at about `keep` runs.
const EXPECT = {
  rss: 'flat: growth within the early runs’ own spread',
  fds: 'flat: the same handles after every run',
  size: '≈ 1.0× (bounded: the oldest folders go)',
};

const asSamples = (xs: readonly number[]): Sample[] => xs.map((value) => ({ value, ok: true }));

function flatRow(what: string, j: FlatJudgement, unit: 'kB' | 'count', expected: string): Row {
  return {
    ...pairRow({ what, unit, a: asSamples(j.late), b: asSamples(j.early), floorName: 'the same process after the early runs', expected }),
    target: { kind: 'judged', met: j.flat, text: 'flat beyond noise' },
    note: `growth ${unit === 'kB' ? formatValue(j.growth, 'kB') : j.growth.toFixed(1)}, noise ${unit === 'kB' ? formatValue(j.noise, 'kB') : j.noise}; ${j.rule}`,
  };
}

/**
 * `npm run synthetic` into one reports folder: first `--max-runs 1` (reports/ after one run, measured as it is), then the
 * `scheduled` runs back to back in one scheduler process, watched between runs (every 2 s, so each gap is long enough to see).
 */
async function syntheticRuns(ctx: BenchContext, scheduled: number, keep: number) {
  const shop = await ctx.shop();
  const influx = await ctx.influx();
  await influx.createDatabase('synthetic');
  const reports = path.join(ctx.dir('synthetic'), 'reports');
  const synthetic = path.join(reports, 'synthetic');
  const env = suiteEnv(shop.url, reports, {
    AFTERCHECK_INFLUX_URL: influx.url,
    AFTERCHECK_INFLUX_DATABASE: 'synthetic',
    AFTERCHECK_SERVICE: 'demo-shop',
  });
  const args = (n: number) => ['--every', '2s', '--max-runs', String(n), '--grep', '@smoke', '--keep', String(keep)];
  ctx.log(`  npm run synthetic: 1 run, then ${scheduled} back to back in one process, keeping ${keep}`);
  const first = await npmRun('synthetic', args(1), env, { timeoutMs: 300_000 });
  const afterOne = first.code === 0 ? folderBytes(reports) : undefined;
  const watch = new SchedulerWatch('scripts/cli/synthetic.ts');
  // No sample after the last run: that gap is the process winding down (memory freed, files closed), not a gap between runs.
  const m = await npmRun('synthetic', args(scheduled), env, {
    timeoutMs: scheduled * 120_000,
    pollMs: 50,
    onPoll: (tree) => watch.poll(tree),
  });
  const kept = fs.existsSync(synthetic) ? fs.readdirSync(synthetic).filter((f) => /^\d{4}-/.test(f)).length : 0;
  return { m, watch, afterOne, afterAll: folderBytes(reports), kept };
}

export async function footprintSection(ctx: BenchContext): Promise<SectionResult> {
  const scheduled = ctx.quick ? 2 : 50;
  const runs = scheduled + 1;
  const keep = ctx.quick ? 2 : 10;
  const { m, watch, afterOne, afterAll, kept } = await syntheticRuns(ctx, scheduled, keep);
  const rss = judgeFlat(
    watch.perRun.map((s) => s.schedulerKb),
    2048,
    'kB',
  );
  const fds = judgeFlat(
    watch.perRun.map((s) => s.fds),
    1,
    'handles',
  );
  const ok = m.code === 0;
  const sizeRow = pairRow({
    what: `reports/ after ${runs} runs with \`--keep ${keep}\``,
    unit: 'bytes',
    a: [{ value: afterAll, ok }],
    b: [{ value: afterOne === undefined ? undefined : afterOne * keep, ok: afterOne !== undefined }],
    floorName: `${keep} × reports/ after one run (the retention bound)`,
    expected: EXPECT.size,
    ...(ok ? {} : { note: tail(m) }),
  });
  return {
    section: 5,
    title: 'Footprint',
    rows: [
      ...ctx.footprint,
      flatRow(`\`npm run synthetic\` scheduler RSS between runs, ${scheduled} runs in one process`, rss, 'kB', EXPECT.rss),
      flatRow(`its open file handles between runs`, fds, 'count', EXPECT.fds),
      { ...sizeRow, target: { kind: 'ratio', max: 1.1, text: 'bounded by retention (≤ 1.1×)' } },
    ],
    tables: [
      {
        title: 'Scheduled synthetic runs, sampled between runs (the scheduler: the Node process running scripts/cli/synthetic.ts)',
        head: ['What', 'Value'],
        rows: [
          ['runs / exit', `${watch.runsEnded} ended / exit ${m.code}${m.timedOut ? ' (timed out)' : ''}`],
          ['scheduler RSS by run (MB)', watch.perRun.map((s) => Math.round(s.schedulerKb / 1024)).join(', ')],
          ['scheduler with npm, sh and tsx’s CLI (MB)', watch.perRun.map((s) => Math.round(s.chainKb / 1024)).join(', ')],
          ['open file handles by run', watch.perRun.map((s) => s.fds).join(', ')],
          ['RSS slope after warm-up', `${(rss.slopePerRun / 1024).toFixed(2)} MB per run`],
          ['reports/ after one run', afterOne === undefined ? '—' : formatValue(afterOne, 'bytes')],
          [`reports/ after ${runs} runs`, `${formatValue(afterAll, 'bytes')} (${kept} run folders kept)`],
          ['peak RSS of the whole tree (scheduler, Playwright, browsers)', formatValue(m.peakRssKb, 'kB')],
        ],
        note: `One run with \`--max-runs 1\` first (reports/ after one run), then ${scheduled} in one process (\`--every 2s\`), sampled before its first run and after each but the last (the last idle moment before the next starts; after the last run the process is exiting).`,
      },
    ],
    notes: [
      'Peak RSS is the highest sum of VmRSS over a command’s process tree, sampled every 100 ms (shared pages count in every process, as `ps` shows them; the floors are measured the same way).',
    ],
  };
}
