// Section 2: `npm run health` against the same InfluxQL requests sent straight over HTTP, at 1×, 10× and 100× data density.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { loadEnv } from '../../scripts/config/env.ts';
import { loadPolicy } from '../../scripts/config/policy.ts';
import { runHealthGate } from '../../scripts/gates/health-gate.ts';
import { npmRun, tail, tsxRun } from '../lib/commands.ts';
import { ROOT, type BenchContext } from '../lib/context.ts';
import { startCaptureProxy } from '../lib/capture-proxy.ts';
import type { Row, SectionResult } from '../lib/model.ts';
import { alternate, pairRow, rssRow, type Sample } from '../lib/rounds.ts';
import { seedDensity, type Seeded } from '../lib/seed.ts';
import { FLOOR_CONCURRENCY, type CapturedRequest } from '../floors/raw-queries.ts';

// Expected before running (the issue: 5.8× for one release, 3.3× at 100× denser data; the gate has not changed since):
const EXPECT: Record<number, string> = {
  1: '4–7× (the issue: 5.8×): start-up dominates a 0.1 s floor',
  10: '2.5–4×',
  100: '2–3.5× (the issue: 3.3×); target not met',
};

const healthOut = z.looseObject({
  outcome: z.string(),
  signals: z.array(z.looseObject({ query: z.object({ current: z.string(), baseline: z.string() }) })),
});
const floorOut = z.object({ elapsedMs: z.number(), queries: z.number(), bytes: z.number(), failures: z.array(z.string()) });

/** One run of `npm run health` through a capturing proxy: the exact /query requests it sent, checked against its own report. */
async function capture(ctx: BenchContext, s: Seeded, out: string): Promise<{ requests: CapturedRequest[]; outcome: string }> {
  const proxy = await startCaptureProxy(s.env.AFTERCHECK_INFLUX_URL!);
  try {
    const m = await npmRun('health', [...s.healthArgs, '--out', out], {
      ...s.env,
      AFTERCHECK_INFLUX_URL: proxy.url,
      AFTERCHECK_REPORTS_DIR: path.dirname(out),
    });
    if (!fs.existsSync(out)) throw new Error(`npm run health wrote no report (${tail(m)})`);
    const report = healthOut.parse(JSON.parse(fs.readFileSync(out, 'utf8')));
    const requests = proxy.requests.filter((r) => r.path.startsWith('/query'));
    const sent = new Set(requests.map((r) => new URLSearchParams(r.body ?? r.path.split('?')[1] ?? '').get('q')));
    const unseen = report.signals.flatMap((x) => [x.query.current, x.query.baseline]).filter((q) => q && !sent.has(q));
    if (unseen.length)
      throw new Error(`${unseen.length} queries of health.json were not seen on the wire, e.g. ${unseen[0]!.slice(0, 120)}`);
    return { requests, outcome: report.outcome };
  } finally {
    await proxy.close();
  }
}

/** The gate in this process (no process start, no table, no file): what the gate itself adds to the database's time. */
async function inProcess(s: Seeded): Promise<Sample> {
  const env = loadEnv({ source: { ...s.env, AFTERCHECK_INFLUX_TIMEOUT_MS: '60000' } });
  const { policy } = loadPolicy(s.healthArgs[1]!);
  const flag = (name: string) => s.healthArgs[s.healthArgs.indexOf(name) + 1]!;
  const manifest = {
    version: flag('--version'),
    previousVersion: flag('--previous-version'),
    deployedAt: flag('--deployed-at'),
    changeSize: 'minor' as const,
  };
  const t0 = performance.now();
  const report = await runHealthGate({ env, policy, manifest, now: new Date(flag('--now')) });
  return { value: performance.now() - t0, ok: !report.error, note: report.error ?? '' };
}

async function density(ctx: BenchContext, d: number): Promise<{ rows: Row[]; facts: string[] }> {
  const influx = await ctx.influx();
  const t0 = Date.now();
  const s = await seedDensity(influx, ROOT, d);
  ctx.log(`  ${d}×: wrote ${s.lines} points in ${Math.round((Date.now() - t0) / 1000)} s`);
  const dir = ctx.dir(`health-${d}x`);
  const { requests, outcome } = await capture(ctx, s, path.join(dir, 'captured-health.json'));
  const queriesFile = path.join(dir, 'queries.json');
  fs.writeFileSync(queriesFile, JSON.stringify(requests));
  const samples = await alternate(
    [
      {
        id: 'npm run health',
        run: async (r) => {
          const out = path.join(dir, `health-${r}.json`);
          const m = await npmRun('health', [...s.healthArgs, '--out', out], { ...s.env, AFTERCHECK_REPORTS_DIR: dir });
          return { value: m.wallMs, ok: fs.existsSync(out), note: tail(m), peakRssKb: m.peakRssKb };
        },
      },
      {
        id: 'raw queries',
        run: async () => {
          const m = await tsxRun('bench/floors/raw-queries.ts', [queriesFile, influx.url], {});
          const parsed = floorOut.safeParse(JSON.parse(m.stdout.trim().split('\n').pop() || '{}'));
          const ok = parsed.success && m.code === 0;
          return { value: parsed.success ? parsed.data.elapsedMs : undefined, ok, note: tail(m), peakRssKb: m.peakRssKb };
        },
      },
      { id: 'in-process gate', run: () => inProcess(s) },
    ],
    { rounds: ctx.options.rounds, warmup: ctx.options.warmup, log: ctx.log },
  );
  ctx.footprint.push(
    rssRow(
      `\`npm run health\` (${d}× data)`,
      samples['npm run health'],
      samples['raw queries'],
      'raw-query floor process',
      '2–4×: npm, tsx and the gate’s modules against one Node with fetch',
    ),
  );
  const floorName = `the same ${requests.length} InfluxQL requests over HTTP, ${FLOOR_CONCURRENCY} in flight (bench/floors/raw-queries.ts)`;
  return {
    rows: [
      pairRow({
        what: `\`npm run health\`, ${d}× data`,
        unit: 'ms',
        a: samples['npm run health'],
        b: samples['raw queries'],
        floorName,
        expected: EXPECT[d] ?? '',
        ...(d === 100 ? { target: { kind: 'ratio', max: 1.5, text: '≤ 1.5× at 100×' } as const } : {}),
      }),
      pairRow({
        what: `the health gate in-process (no start-up, no output), ${d}× data`,
        unit: 'ms',
        a: samples['in-process gate'],
        b: samples['raw queries'],
        floorName: 'the same raw requests',
        expected: '1.0–1.5×: the queries are the gate’s work',
      }),
    ],
    facts: [`${d}×`, String(s.lines), String(requests.length), outcome],
  };
}

export async function healthSection(ctx: BenchContext): Promise<SectionResult> {
  const densities = ctx.quick ? [1, 10] : [1, 10, 100];
  const rows: Row[] = [];
  const facts: string[][] = [];
  for (const d of densities) {
    const r = await density(ctx, d);
    rows.push(...r.rows);
    facts.push(r.facts);
  }
  return {
    section: 2,
    title: 'Health gate',
    rows,
    tables: [
      {
        title: 'The data behind each density (one healthy release of the accuracy corpus’s shop, case h01, shipped policy)',
        head: ['Density', 'Points written', 'Requests to /query (captured)', 'Health outcome'],
        rows: facts,
        note: '1× is a point per host every 10 s (3 hosts, 4 measurements, today’s two windows and yesterday’s), 10× every second, 100× every 100 ms. The floor replays the requests the gate sent, captured at the HTTP level in the same run.',
      },
    ],
    notes: [],
  };
}
