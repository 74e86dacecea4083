// A Playwright run laid out in time from its results.json: start-up, each project's phase and the gaps between, the tail after the last test.
import fs from 'node:fs';
import { playwrightReportSchema, type JsonSuite } from '../../scripts/schemas/playwright-report.ts';

export interface TimedTest {
  readonly project: string;
  readonly title: string;
  readonly start: number;
  readonly durationMs: number;
  readonly workerIndex: number | undefined;
  readonly annotations: readonly { readonly type: string; readonly description?: string | undefined }[];
}

export interface Timeline {
  /** Epoch ms when Playwright says the run began (after the runner loaded the config and collected the tests). */
  readonly runStart: number;
  readonly tests: readonly TimedTest[];
  /** Workers that ran a test (distinct workerIndex). */
  readonly workers: number;
}

function flatten(suite: JsonSuite, out: TimedTest[]): void {
  for (const spec of suite.specs ?? [])
    for (const t of spec.tests)
      for (const r of t.results) {
        const start = Date.parse(r.startTime ?? '');
        if (Number.isNaN(start)) continue;
        const workerIndex = (r as { workerIndex?: unknown }).workerIndex;
        out.push({
          project: t.projectName,
          title: spec.title,
          start,
          durationMs: r.duration,
          workerIndex: typeof workerIndex === 'number' ? workerIndex : undefined,
          annotations: [...(t.annotations ?? []), ...(r.annotations ?? [])],
        });
      }
  for (const child of suite.suites ?? []) flatten(child, out);
}

/** The run's timeline, or undefined when the file is missing or not a Playwright JSON report. */
export function readTimeline(file: string): Timeline | undefined {
  if (!fs.existsSync(file)) return undefined;
  const parsed = playwrightReportSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success || !parsed.data.stats) return undefined;
  const tests: TimedTest[] = [];
  for (const s of parsed.data.suites) flatten(s, tests);
  tests.sort((a, b) => a.start - b.start);
  return {
    runStart: Date.parse(parsed.data.stats.startTime),
    tests,
    workers: new Set(tests.map((t) => t.workerIndex).filter((w) => w !== undefined)).size,
  };
}

export interface Segment {
  readonly name: string;
  readonly ms: number;
}

/**
 * Where one run's wall time went, in order: start-up (process start to the run's start: config load and test
 * collection in the runner), then per project (in the order they ran) the wait before its first test (new workers,
 * the config evaluated again in each, worker fixtures such as the browser), its tests' own durations, and the time
 * between them (a worker switching files or starting), and the tail after the last test (reporters finishing, global
 * teardown, workers and browsers closing, exit). The segments add up to the wall time.
 */
export function segments(t: Timeline, spawnedAt: number, exitedAt: number): Segment[] {
  const out: Segment[] = [{ name: 'start-up: process start → run start (config load, test collection)', ms: t.runStart - spawnedAt }];
  const projects = [...new Set(t.tests.map((x) => x.project))];
  let cursor = t.runStart;
  for (const p of projects) {
    const mine = t.tests.filter((x) => x.project === p);
    const first = Math.min(...mine.map((x) => x.start));
    const last = Math.max(...mine.map((x) => x.start + x.durationMs));
    const own = mine.reduce((sum, x) => sum + x.durationMs, 0);
    out.push({ name: `${p}: wait before its first test (workers, config, fixtures)`, ms: first - cursor });
    out.push({ name: `${p}: its ${mine.length} test(s)' own durations`, ms: own });
    out.push({ name: `${p}: between its tests (worker switches, fixtures)`, ms: last - first - own });
    cursor = Math.max(cursor, last);
  }
  out.push({ name: 'tail: last test end → exit (reporters, global teardown, shutdown)', ms: exitedAt - cursor });
  return out;
}
