// Section 4: `npm run report` against a bare `npx allure generate` of the same allure-results.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bareAllureGenerate } from '../floors/allure-generate.ts';
import { aftercheckSmoke, npmRun, sampled, suiteEnv, tail } from '../lib/commands.ts';
import { ROOT, type BenchContext } from '../lib/context.ts';
import { measure } from '../lib/measure.ts';
import type { SectionResult } from '../lib/model.ts';
import { alternate, pairRow, rssRow } from '../lib/rounds.ts';
import { cleanEnv } from '../../tests/helpers/commands.ts';

// Expected before running: the same `allure generate` underneath, plus npm, tsx, a wrapper config, the categories,
// history and a staging swap.
const EXPECT = '1.1–1.6×: the same generator, plus npm and tsx start-up and the staging swap';

/** A reports folder with a full @smoke run and its verdict: from section 1 when it ran, else made here. */
async function results(ctx: BenchContext): Promise<string> {
  let reports = ctx.smokeReports;
  if (!reports) {
    const shop = await ctx.shop();
    const m = await aftercheckSmoke(ctx, shop.url, { name: 'smoke-for-report' });
    if (m.code !== 0) throw new Error(`the @smoke run for the report failed: ${tail(m)}`);
    reports = m.reportsDir;
  }
  // The verdict adds its Release verdict result to allure-results, as in every real run (inconclusive here: no InfluxDB).
  const shop = await ctx.shop();
  await npmRun('verdict', [], suiteEnv(shop.url, reports, { AFTERCHECK_INFLUX_URL: 'http://127.0.0.1:9' }));
  return reports;
}

export async function reportSection(ctx: BenchContext): Promise<SectionResult> {
  const reports = await results(ctx);
  const resultsDir = path.join(reports, 'allure-results');
  const files = fs.readdirSync(resultsDir).filter((f) => f.endsWith('-result.json')).length;
  const shop = await ctx.shop();
  const out = ctx.dir('bare-allure');
  ctx.log(`  npm run report vs bare allure generate on ${files} results`);
  const s = await alternate(
    [
      {
        id: 'npm run report',
        run: async () => {
          // Every run starts from the same state: no earlier report, no history.
          for (const f of ['allure-report', 'allure-history.jsonl']) fs.rmSync(path.join(reports, f), { recursive: true, force: true });
          return sampled(await npmRun('report', [], suiteEnv(shop.url, reports)));
        },
      },
      {
        id: 'allure generate',
        run: async (r) => {
          const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-bench-allure-'));
          const c = bareAllureGenerate(resultsDir, path.join(out, `report-${r}`), empty, ROOT);
          const m = await measure(c.command, c.args, { cwd: c.cwd, env: cleanEnv({}) });
          fs.rmSync(empty, { recursive: true, force: true });
          return sampled(m);
        },
      },
    ],
    { rounds: ctx.options.rounds, warmup: ctx.options.warmup, log: ctx.log },
  );
  ctx.footprint.push(rssRow('`npm run report`', s['npm run report'], s['allure generate'], 'bare `npx allure generate`', '1.0–1.5×'));
  return {
    section: 4,
    title: 'Report generation',
    rows: [
      pairRow({
        what: `\`npm run report\` (${files} results: one @smoke run and its Release verdict)`,
        unit: 'ms',
        a: s['npm run report'],
        b: s['allure generate'],
        floorName: 'bare `npx allure generate <results> -o <dir>` (bench/floors/allure-generate.ts)',
        expected: EXPECT,
      }),
    ],
    tables: [],
    notes: [],
  };
}
