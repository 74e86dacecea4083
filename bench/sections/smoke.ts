// Section 1: aftercheck's @smoke on an already-running demo shop against its two floors, and against a closed port.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { aftercheckSmoke, floorCore, floorSpec, sampled } from '../lib/commands.ts';
import type { BenchContext } from '../lib/context.ts';
import type { SectionResult } from '../lib/model.ts';
import { alternate, cpuRow, pairRow, rssRow, type Samples } from '../lib/rounds.ts';
import { readTimeline } from '../lib/timeline.ts';
import { smokeBreakdown, type SmokeRunDetail } from './smoke-breakdown.ts';

// Expected before running (the issue measured 3.2× and 4.3–5.2× on this machine; nothing in the suite has changed since):
const EXPECT = {
  spec: '3.0–3.5× (the issue: 3.2×); target not met',
  core: '4–5× (the issue: 4.3–5.2×)',
  closed: '1.0–1.3× (the issue: 1.05×): both end in their start-up time',
  // Added with CPU time, before the second full run: the work itself, which contention inflates less than wall time.
  cpuSpec: '2.5–3.5×: four workers, four browsers, two sign-ins and five reporters against one of each',
  cpuCore: '3–5×',
};

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** aftercheck's @smoke and both floors on the healthy shop, alternating. */
function headline(ctx: BenchContext, url: string): Promise<Samples> {
  ctx.log('  @smoke vs floors, alternating rounds');
  return alternate(
    [
      {
        id: 'aftercheck',
        run: async () => {
          const m = await aftercheckSmoke(ctx, url);
          const timeline = readTimeline(path.join(m.reportsDir, 'results.json'));
          const detail: SmokeRunDetail = { timeline, startedAt: m.startedAt, endedAt: m.endedAt, browsers: m.browsers, nodes: m.nodes };
          // The first good run's reports are kept: the report section generates from them.
          if (m.code === 0 && !ctx.smokeReports) ctx.smokeReports = m.reportsDir;
          else if (m.reportsDir !== ctx.smokeReports) fs.rmSync(m.dir, { recursive: true, force: true });
          return sampled(m, 0, detail);
        },
      },
      {
        id: 'floor-spec',
        run: async () => {
          const m = await floorSpec(ctx, url);
          return sampled(m, 0, { browsers: m.browsers });
        },
      },
      {
        id: 'floor-core',
        run: async () => {
          const m = await floorCore(ctx, url);
          return sampled(m, 0, { phases: m.phases });
        },
      },
    ],
    { rounds: ctx.options.rounds, warmup: ctx.options.warmup, log: ctx.log },
  );
}

/** Both sides against a port nothing listens on: each must fail (exit 1), fast. */
async function closedPortRounds(ctx: BenchContext): Promise<Samples> {
  ctx.log('  @smoke against a closed port vs the single-spec floor');
  const dead = `http://127.0.0.1:${await closedPort()}`;
  return alternate(
    [
      {
        id: 'aftercheck',
        run: async () => {
          const m = await aftercheckSmoke(ctx, dead, { name: 'smoke-closed' });
          fs.rmSync(m.dir, { recursive: true, force: true });
          return sampled(m, 1);
        },
      },
      { id: 'floor-spec', run: async () => sampled(await floorSpec(ctx, dead), 1) },
    ],
    { rounds: ctx.quick ? 1 : 3, warmup: 0, log: ctx.log },
  );
}

export async function smokeSection(ctx: BenchContext): Promise<SectionResult> {
  const shop = await ctx.shop();
  const samples = await headline(ctx, shop.url);
  const closed = await closedPortRounds(ctx);
  ctx.footprint.push(
    rssRow(
      '`@smoke` (healthy shop)',
      samples.aftercheck,
      samples['floor-spec'],
      'single-spec floor',
      '1.2–2× (more processes, one at a time)',
    ),
    rssRow('`@smoke` (healthy shop)', samples.aftercheck, samples['floor-core'], 'playwright-core floor', '2–3×'),
  );
  const breakdown = await smokeBreakdown(ctx, shop.url, samples);
  return {
    section: 1,
    title: 'Smoke overhead',
    rows: [
      pairRow({
        what: '`@smoke` on the running demo shop (wall, all reporters)',
        unit: 'ms',
        a: samples.aftercheck,
        b: samples['floor-spec'],
        floorName: 'single-spec `@playwright/test`, list reporter (bench/floors/smoke-spec)',
        target: { kind: 'ratio', max: 1.5, text: '≤ 1.5×' },
        expected: EXPECT.spec,
      }),
      pairRow({
        what: 'the same `@smoke`',
        unit: 'ms',
        a: samples.aftercheck,
        b: samples['floor-core'],
        floorName: 'bare playwright-core script, one process (bench/floors/smoke-core.ts)',
        expected: EXPECT.core,
      }),
      cpuRow(
        'the same runs’ CPU time (user + sys, every process)',
        samples.aftercheck,
        samples['floor-spec'],
        'the single-spec floor’s CPU time',
        EXPECT.cpuSpec,
      ),
      cpuRow('the same runs’ CPU time', samples.aftercheck, samples['floor-core'], 'the playwright-core floor’s CPU time', EXPECT.cpuCore),
      pairRow({
        what: '`@smoke` against a closed port',
        unit: 'ms',
        a: closed.aftercheck,
        b: closed['floor-spec'],
        floorName: 'the single-spec floor against the same port',
        expected: EXPECT.closed,
      }),
    ],
    tables: breakdown.tables,
    notes: breakdown.notes,
  };
}
