// The health gate end to end: real influxd, the real demo shop under traffic, healthy and faulty releases judged by the policy.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startInfluxd, type Influxd } from '../../scripts/setup/influxd.ts';
import { startDemo, type RunningDemo } from '../../demo/launch.ts';
import { runTraffic } from '../../demo/traffic.ts';
import { parsePolicy, type Policy } from '../../scripts/config/policy.ts';
import { runHealthGate } from '../../scripts/gates/health-gate.ts';
import { renderHealthTable } from '../../scripts/adapters/health-table.ts';
import type { HealthReport } from '../../scripts/engine/types.ts';
import { testEnv } from './health-support.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DB = 'aftercheck';
const SERVICE = 'demo-shop';
const BASELINE = '1.0.0';
/** The new releases run side by side, told apart by their `version` tag, each with its own traffic. */
const RELEASES = {
  healthy: { version: '1.1.0', faults: [] },
  errors: { version: '1.1.0-errors', faults: ['errors'] },
  slow: { version: '1.1.0-slow', faults: ['slow'] },
  leak: { version: '1.1.0-leak', faults: ['memory-leak'] },
} as const;
type Release = keyof typeof RELEASES;

const INTERVAL_MS = 2000;
/** Let every process get past start-up (JIT, first SQLite pages) before the baseline window opens. */
const WARMUP_MS = 12_000;
/** Each window: 18 two-second intervals. */
const WINDOW_MS = 36_000;
const RPS = 5;

/**
 * The demo's own policy (apps/demo-shop/policy.demo.json): aftercheck.policy.json at the demo's time scale — the same signals,
 * rules and limits, a 2 s interval, trend warm-up and horizon scaled with the period — with a checking period of one
 * window here, so every release is judged on the same 18 intervals.
 */
function demoPolicy(): Policy {
  const raw = JSON.parse(fs.readFileSync(path.join(ROOT, 'apps/demo-shop/policy.demo.json'), 'utf8')) as Record<string, unknown>;
  const period = `${WINDOW_MS / 1000}s`;
  return parsePolicy(
    {
      ...raw,
      warmup: '0s',
      checkingPeriods: { patch: period, minor: period, major: period, migration: period, infrastructure: period },
    },
    'apps/demo-shop/policy.demo.json (one window per period)',
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let influx: Influxd | undefined;
let work: string | undefined;
const demos: RunningDemo[] = [];
const traffic = new AbortController();
const trafficRuns: Promise<unknown>[] = [];
const reports = new Map<Release, HealthReport>();

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-health-demo-'));
  influx = await startInfluxd({ dir: path.join(work, 'influxdb') });
  await influx.createDatabase(DB);
  const demoOpts = { influx: { url: influx.url, database: DB }, metricsIntervalMs: 1000, env: { DEMO_SERVICE: SERVICE } };

  // Baseline and new releases run at the same time so that both windows see the same machine load: on two cores a
  // lone baseline would make every release look slower. Versions, not processes, separate the series. The baseline's
  // metrics clock runs one window behind: the points it writes while the releases fill the current window land in the
  // window before the deploy, so both windows fill in the same real 36 s instead of one after the other.
  const starting = await Promise.allSettled([
    startDemo({ ...demoOpts, version: BASELINE, faults: [], dataDir: path.join(work, 'baseline'), metricsClockOffsetMs: -WINDOW_MS }),
    ...(Object.keys(RELEASES) as Release[]).map((r) =>
      startDemo({ ...demoOpts, version: RELEASES[r].version, faults: [...RELEASES[r].faults], dataDir: path.join(work!, r) }),
    ),
  ]);
  // Keep hold of every shop that did start, so `after` stops them even when another one failed to.
  for (const s of starting) if (s.status === 'fulfilled') demos.push(s.value);
  const failedStart = starting.find((s) => s.status === 'rejected');
  if (failedStart) throw failedStart.reason;
  const started = demos;
  const t0 = Date.now();
  for (const d of started)
    trafficRuns.push(runTraffic({ url: d.url, rps: RPS, durationMs: WARMUP_MS + WINDOW_MS + 10_000, signal: traffic.signal }));

  // "Deploy" after the warm-up (the baseline window, shifted, is filled from then on too); judge once the current window
  // and one write interval are over.
  const deployedAt = new Date(Math.ceil((t0 + WARMUP_MS) / INTERVAL_MS) * INTERVAL_MS);
  const now = new Date(deployedAt.getTime() + WINDOW_MS);
  await sleep(now.getTime() + 1500 - Date.now());
  traffic.abort();
  await Promise.allSettled(trafficRuns);

  const policy = demoPolicy();
  const env = testEnv({ AFTERCHECK_INFLUX_URL: influx.url, AFTERCHECK_INFLUX_DATABASE: DB, AFTERCHECK_SERVICE: SERVICE });
  for (const r of Object.keys(RELEASES) as Release[]) {
    const manifest = {
      version: RELEASES[r].version,
      previousVersion: BASELINE,
      deployedAt: deployedAt.toISOString(),
      changeSize: 'patch' as const,
    };
    reports.set(r, await runHealthGate({ env, policy, manifest, now }));
  }
});

after(async () => {
  traffic.abort();
  await Promise.allSettled(trafficRuns);
  await Promise.allSettled(demos.map((d) => d.stop()));
  await influx?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

function failing(r: Release): string[] {
  return reports
    .get(r)!
    .signals.filter((s) => s.outcome === 'fail')
    .map((s) => s.id)
    .sort();
}

function explain(r: Release): string {
  return `\n${renderHealthTable(reports.get(r)!, { color: false })}`;
}

describe('the demo shop under the health gate (real influxd, real traffic)', () => {
  test('every signal of every release has enough samples to be judged', (t) => {
    for (const r of Object.keys(RELEASES) as Release[]) {
      // The tables go to the test log: when a limit needs tuning, the margins are right there.
      for (const line of `${r}:${explain(r)}`.split('\n')) t.diagnostic(line);
      for (const s of reports.get(r)!.signals)
        assert.ok(
          s.samples.current >= 8 && s.samples.baseline >= 8,
          `${r}/${s.id}: ${s.samples.current}/${s.samples.baseline} samples${explain(r)}`,
        );
    }
  });

  test('the healthy release passes: no signal fails or is inconclusive', () => {
    const report = reports.get('healthy')!;
    assert.deepEqual(failing('healthy'), [], explain('healthy'));
    assert.ok(report.outcome === 'pass' || report.outcome === 'warn', explain('healthy'));
  });

  test('the `errors` fault fails exactly error_rate', () => {
    assert.deepEqual(failing('errors'), ['error_rate'], explain('errors'));
  });

  test('the `slow` fault fails exactly the latency signals', () => {
    assert.deepEqual(failing('slow'), ['latency_p95', 'latency_p99'], explain('slow'));
  });

  test('the `memory-leak` fault fails exactly memory_rss, through its trend rule', () => {
    assert.deepEqual(failing('leak'), ['memory_rss'], explain('leak'));
    const rss = reports.get('leak')!.signals.find((s) => s.id === 'memory_rss')!;
    assert.equal(rss.rules.find((x) => x.rule === 'trend')?.outcome, 'fail', explain('leak'));
  });
});
