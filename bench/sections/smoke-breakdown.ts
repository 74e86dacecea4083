// Section 1's breakdown: where @smoke's time goes — phases from results.json, each reporter toggled, config load, browsers, sign-ins.
import fs from 'node:fs';
import path from 'node:path';
import { startRecordingProxy } from '../../tests/helpers/recording-proxy.ts';
import { aftercheckSmoke, floorSpec, sampled } from '../lib/commands.ts';
import { ROOT, type BenchContext } from '../lib/context.ts';
import type { Table } from '../lib/model.ts';
import { formatStat } from '../lib/render.ts';
import { alternate, valuesOf, type Samples } from '../lib/rounds.ts';
import { stat } from '../lib/stats.ts';
import { readTimeline, segments, type Timeline } from '../lib/timeline.ts';

export interface SmokeRunDetail {
  readonly timeline: Timeline | undefined;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly browsers: number;
  readonly nodes: number;
}

/** Rounds of the breakdown's own runs (full mode only): fewer than the headline's, as each round is five suite runs. */
const BREAKDOWN_ROUNDS = 3;

const details = (s: Samples, id: string) => (s[id] ?? []).filter((x) => x.ok).map((x) => x.detail as SmokeRunDetail);
const ms = (xs: readonly (number | undefined)[]) => formatStat(stat(xs), 'ms');

/** Median of each named segment over the runs, in the first run's order. */
function segmentTable(title: string, runs: readonly SmokeRunDetail[], wall: readonly (number | undefined)[]): Table {
  const all = runs.filter((r) => r.timeline).map((r) => segments(r.timeline!, r.startedAt, r.endedAt));
  const names = [...new Set(all.flatMap((s) => s.map((x) => x.name)))];
  return {
    title,
    head: ['Segment', 'Time: median (min–max)'],
    rows: [...names.map((n) => [n, ms(all.map((s) => s.find((x) => x.name === n)?.ms))]), ['**wall time**', ms(wall)]],
  };
}

/** Each test's own duration (Playwright's figure: the test body with its fixtures' set-up). */
function testTable(runs: readonly SmokeRunDetail[]): Table {
  const tests = runs.flatMap((r) => r.timeline?.tests ?? []);
  const keys = [...new Set(tests.map((t) => `${t.project} › ${t.title}`))];
  return {
    title: 'Each test of aftercheck’s @smoke (its duration in results.json, all reporters)',
    head: ['Project › test', 'Duration'],
    rows: keys.map((k) => [k, ms(tests.filter((t) => `${t.project} › ${t.title}` === k).map((t) => t.durationMs))]),
  };
}

/** Runs with only some reporters (Playwright's --reporter replaces the configured list); costs are differences per round. */
async function reporterToggles(ctx: BenchContext, url: string): Promise<Table> {
  const only = (id: string, reporters: string) => ({
    id,
    run: async () => {
      const m = await aftercheckSmoke(ctx, url, {
        name: `smoke-${id}`,
        args: ['--reporter', reporters],
        // Outputs into the run's own folder (relative to it): without these, html and junit would write into the repository.
        env: {
          PLAYWRIGHT_JSON_OUTPUT_FILE: 'results.json',
          PLAYWRIGHT_JUNIT_OUTPUT_FILE: 'junit.xml',
          PLAYWRIGHT_HTML_OUTPUT_DIR: 'html',
          PLAYWRIGHT_HTML_OPEN: 'never',
        },
      });
      fs.rmSync(m.dir, { recursive: true, force: true });
      return sampled(m);
    },
  });
  const allure = path.join(ROOT, 'fixtures', 'reporters', 'allure-reporter.ts');
  const contestants = [
    only('list,json', 'list,json'),
    {
      id: 'configured',
      run: async () => {
        const m = await aftercheckSmoke(ctx, url, { name: 'smoke-configured' });
        fs.rmSync(m.dir, { recursive: true, force: true });
        return sampled(m);
      },
    },
    only('+html', 'list,json,html'),
    only('+junit', 'list,json,junit'),
    only('+allure', `list,json,${allure}`),
  ];
  const s = await alternate(contestants, { rounds: BREAKDOWN_ROUNDS, warmup: 0, log: ctx.log });
  const cpu = (id: string) => (s[id] ?? []).map((x) => (x.ok ? x.cpuMs : undefined));
  const minus = (of: (id: string) => (number | undefined)[], id: string) => {
    const base = of('list,json');
    return of(id).map((v, i) => (v === undefined || base[i] === undefined ? undefined : v - base[i]!));
  };
  const wall = (id: string) => valuesOf(s[id]);
  const both = (label: string, id: string) => [label, ms(minus(wall, id)), ms(minus(cpu, id))];
  return {
    title: 'Reporters toggled (`--reporter …`, alternating rounds; a cost is the difference within a round)',
    head: ['Run', 'Wall time', 'CPU time (user + sys)'],
    rows: [
      ['list + json only (the minimum that still writes results.json)', ms(wall('list,json')), ms(cpu('list,json'))],
      both('every configured reporter (list, html, json, junit, allure, selection, scrub): cost over list + json', 'configured'),
      both('html reporter: cost over list + json', '+html'),
      both('junit reporter: cost over list + json', '+junit'),
      both('allure reporter: cost over list + json', '+allure'),
    ],
    note: 'Failed runs are left out. The selection and scrub reporters need their options and run only in the configured set. On a busy machine the CPU column is the steadier one.',
  };
}

/** Config load and test collection alone: `--list` on both sides. */
async function listing(ctx: BenchContext, url: string): Promise<string[][]> {
  const s = await alternate(
    [
      {
        id: 'aftercheck --list',
        run: async () => {
          return sampled(await aftercheckSmoke(ctx, url, { name: 'smoke-list', args: ['--list'] }));
        },
      },
      {
        id: 'floor --list',
        run: async () => {
          return sampled(await floorSpec(ctx, url, { args: ['--list'] }));
        },
      },
    ],
    { rounds: BREAKDOWN_ROUNDS, warmup: 0, log: ctx.log },
  );
  return [
    ['config load + test collection: aftercheck `--list --grep @smoke`', ms(valuesOf(s['aftercheck --list']))],
    ['config load + test collection: single-spec floor `--list`', ms(valuesOf(s['floor --list']))],
  ];
}

/** One run of each side through a recording proxy (untimed): how many sign-ins and requests reach the shop. */
async function signIns(ctx: BenchContext, url: string): Promise<string[][]> {
  const count = async (run: (proxied: string) => Promise<unknown>) => {
    const proxy = await startRecordingProxy(url);
    try {
      await run(proxy.url);
      return {
        logins: proxy.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/login')).length,
        all: proxy.requests.length,
      };
    } finally {
      await proxy.close();
    }
  };
  const a = await count((u) => aftercheckSmoke(ctx, u, { name: 'smoke-proxied' }));
  const f = await count((u) => floorSpec(ctx, u));
  return [
    ['sign-ins (POST /login reaching the shop): aftercheck / floor', `${a.logins} / ${f.logins}`],
    ['requests reaching the shop: aftercheck / floor', `${a.all} / ${f.all}`],
  ];
}

export async function smokeBreakdown(ctx: BenchContext, url: string, samples: Samples): Promise<{ tables: Table[]; notes: string[] }> {
  const runs = details(samples, 'aftercheck');
  const wall = valuesOf(samples.aftercheck);
  // Quick mode keeps to what the headline runs show: the toggled, listed and proxied runs would double its time.
  if (!ctx.quick) ctx.log('  breakdown: reporters toggled, --list, sign-ins (3 rounds)');
  const toggles = ctx.quick ? undefined : await reporterToggles(ctx, url);
  const counts: string[][] = [
    ...(ctx.quick ? [] : await listing(ctx, url)),
    ['workers that ran a test (results.json)', formatStat(stat(runs.map((r) => r.timeline?.workers)), 'count')],
    ['browsers launched (Chromium processes seen in the process tree): aftercheck', formatStat(stat(runs.map((r) => r.browsers)), 'count')],
    [
      'browsers launched: single-spec floor',
      formatStat(stat((samples['floor-spec'] ?? []).filter((x) => x.ok).map((x) => (x.detail as { browsers: number }).browsers)), 'count'),
    ],
    ['Node processes seen: aftercheck (runner, workers, the config in each)', formatStat(stat(runs.map((r) => r.nodes)), 'count')],
    ...(ctx.quick ? [] : await signIns(ctx, url)),
  ];
  const core = (samples['floor-core'] ?? []).filter((s) => s.ok).map((s) => (s.detail as { phases?: Record<string, number> }).phases ?? {});
  const phaseNames = [...new Set(core.flatMap((p) => Object.keys(p)))];
  return {
    tables: [
      segmentTable('Where aftercheck’s @smoke wall time goes (from results.json and the process’s start and exit)', runs, wall),
      testTable(runs),
      ...(toggles ? [toggles] : []),
      { title: 'Configuration, processes, browsers and sign-ins', head: ['What', 'Value'], rows: counts },
      {
        title: 'The playwright-core floor’s own phases (what one browser launch, one sign-in and each check cost without a runner)',
        head: ['Phase', 'Time'],
        rows: phaseNames.map((n) => [n, ms(core.map((p) => p[n]))]),
      },
    ],
    notes: [
      ...(ctx.quick ? ['Quick mode leaves out the reporter toggles, the `--list` runs and the proxied sign-in count.'] : []),
      'Both Playwright sides run `node node_modules/@playwright/test/cli.js test -c <config>` (what `npx playwright test` starts, without npx’s own launcher); the core floor runs `node --import tsx`, so its wall time includes tsx’s loader (section 2 measures it alone).',
      'The floors do the same checks on the same evidence (bench/floors/shop-checks.ts) but sign in once, launch one browser, and keep no trace, screenshot, report or evidence.',
    ],
  };
}
