// `npm run bench`: measures aftercheck's speed (engine, statistics, real InfluxDB queries, smoke wall time) and writes bench results; nothing here asserts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { Point } from '@influxdata/influxdb-client';
import { loadEnv, childEnv } from '../scripts/config/env.ts';
import { loadProfile } from '../scripts/config/profile.ts';
import { loadPolicy } from '../scripts/config/policy.ts';
import { buildHealthReport } from '../scripts/engine/health.ts';
import { computeWindows } from '../scripts/engine/windows.ts';
import { mannWhitneyU } from '../scripts/engine/stats.ts';
import { runHealthGate } from '../scripts/gates/health-gate.ts';
import { startInfluxd } from '../scripts/setup/influxd.ts';
import type { SamplePoint, SignalMeasurement } from '../scripts/engine/types.ts';

interface Row {
  name: string;
  value: number;
  unit: string;
  note: string;
}
const rows: Row[] = [];

/** Runs fn repeatedly for about `ms` and records the mean time per call. */
function timeIt(name: string, fn: () => unknown, note: string, ms = 1500): void {
  for (let i = 0; i < 5; i++) fn();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    fn();
    n++;
  }
  rows.push({ name, value: (performance.now() - start) / n, unit: 'ms/op', note: `${note}; ${n} runs` });
}

function series(n: number, start: number, level: number, noise: number): SamplePoint[] {
  return Array.from({ length: n }, (_, i) => ({ t: new Date(start + i * 60_000).toISOString(), v: level + Math.sin(i * 12.9898) * noise }));
}

/** The bundled demo's production policy: the benches measure against the signals a real release is judged by. */
const BENCH_POLICY = (await loadProfile('demo-shop')).policyFile;

function engineBenches(): void {
  const { policy } = loadPolicy(BENCH_POLICY);
  const deployedAt = new Date('2026-11-26T10:00:00Z');
  const windows = computeWindows({
    deployedAt: deployedAt.toISOString(),
    changeSize: 'major',
    policy,
    now: new Date(deployedAt.getTime() + 4 * 3_600_000),
  });
  const n = 240;
  const measurements: SignalMeasurement[] = policy.signals.map((s) => ({
    signalId: s.id,
    current: { kind: 'ok', query: 'q', points: series(n, deployedAt.getTime(), 100, 5) },
    baselines: [
      {
        source: 'before-deploy' as const,
        window: windows.baseline,
        anyVersion: false,
        read: { kind: 'ok' as const, query: 'q', points: series(n, deployedAt.getTime() - n * 60_000, 100, 5) },
      },
    ],
  }));
  const source = { url: 'http://bench', dialect: 'influxql' as const, database: 'bench' };
  timeIt(
    `health engine: ${policy.signals.length} signals × ${n} intervals`,
    () =>
      buildHealthReport({
        policy,
        measurements,
        windows,
        generatedAt: deployedAt.toISOString(),
        service: 's',
        version: '2',
        previousVersion: '1',
        deployedAt: deployedAt.toISOString(),
        changeSize: 'major',
        source,
      }),
    'all rules incl. Mann-Whitney and trend',
  );
  for (const size of [60, 240, 1000]) {
    const a = Array.from({ length: size }, (_, i) => 100 + Math.sin(i) * 10);
    const b = Array.from({ length: size }, (_, i) => 105 + Math.cos(i) * 10);
    timeIt(`Mann-Whitney U, n=${size} per side`, () => mannWhitneyU(a, b), 'tie-corrected normal approximation');
  }
}

async function influxBenches(work: string): Promise<void> {
  const influx = await startInfluxd({ dir: path.join(work, 'influx') });
  try {
    await influx.createDatabase('bench');
    const deployedAt = Date.now() - 30 * 60_000;
    // One hour of 1 s points for two versions: the size of a real checking window plus its baseline.
    for (const [version, from] of [
      ['1.0.0', deployedAt - 30 * 60_000],
      ['2.0.0', deployedAt],
    ] as const) {
      const lines: string[] = [];
      for (let t = from; t < from + 30 * 60_000; t += 1000) {
        const tags = (p: Point) => p.tag('service', 'bench').tag('version', version).tag('host', 'h1').timestamp(new Date(t));
        lines.push(
          tags(
            new Point('http_requests')
              .intField('count', 10)
              .intField('errors', t % 97 === 0 ? 1 : 0)
              .floatField('latency_p50_ms', 5)
              .floatField('latency_p95_ms', 12)
              .floatField('latency_p99_ms', 20),
          ).toLineProtocol()!,
        );
        lines.push(
          tags(
            new Point('process').floatField('cpu_percent', 10).floatField('rss_mb', 200).floatField('heap_used_mb', 40),
          ).toLineProtocol()!,
        );
        lines.push(tags(new Point('db_pool').intField('in_use', 2).intField('size', 10)).toLineProtocol()!);
        lines.push(tags(new Point('queue').intField('depth', 1)).toLineProtocol()!);
      }
      for (let i = 0; i < lines.length; i += 5000) await influx.write('bench', lines.slice(i, i + 5000).join('\n'), 'ns');
    }
    const env = loadEnv({
      source: childEnv({
        AFTERCHECK_INFLUX_URL: influx.url,
        AFTERCHECK_INFLUX_DATABASE: 'bench',
        AFTERCHECK_SERVICE: 'bench',
        AFTERCHECK_INFLUX_DIALECT: 'influxql',
      }),
    });
    const { policy } = loadPolicy(BENCH_POLICY);
    const manifest = {
      version: '2.0.0',
      previousVersion: '1.0.0',
      deployedAt: new Date(deployedAt).toISOString(),
      changeSize: 'minor' as const,
    };
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const report = await runHealthGate({ env, policy, manifest, now: new Date() });
      runs.push(performance.now() - t0);
      if (i === 0 && report.outcome === 'inconclusive')
        console.warn(`bench: health gate inconclusive: ${report.error ?? report.signals.map((s) => s.reason).join('; ')}`);
    }
    runs.sort((a, b) => a - b);
    rows.push({
      name: `health gate on real influxd: ${policy.signals.length} signals × 2 windows, 1 s points`,
      value: runs[2]!,
      unit: 'ms (median of 5)',
      note: `${policy.signals.length * 2} InfluxQL queries, 4 in flight, 30+30 min of data`,
    });
  } finally {
    await influx.stop();
  }
}

function wall(args: string[], env: Record<string, string>): Promise<{ ms: number; code: number }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [path.resolve('node_modules/@playwright/test/cli.js'), ...args], { env, stdio: 'ignore' });
    child.on('exit', (code) => resolve({ ms: performance.now() - t0, code: code ?? 1 }));
  });
}

async function smokeBenches(work: string): Promise<void> {
  const base = { AFTERCHECK_REPORTS_DIR: path.join(work, 'reports') };
  const dead = await wall(['test', '--grep', '@smoke'], childEnv({ ...base, AFTERCHECK_BASE_URL: 'http://127.0.0.1:9' }));
  rows.push({
    name: 'smoke against a closed port (fail fast)',
    value: dead.ms,
    unit: 'ms wall',
    note: `exit ${dead.code}; includes Playwright start-up`,
  });
  const demo = await wall(['test', '--grep', '@smoke'], childEnv({ ...base, AFTERCHECK_BASE_URL: 'demo' }));
  rows.push({
    name: 'smoke against the demo shop (healthy)',
    value: demo.ms,
    unit: 'ms wall',
    note: `exit ${demo.code}; includes starting the demo and Chromium`,
  });
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-bench-'));
  try {
    if (!only.length || only.includes('engine')) engineBenches();
    if (!only.length || only.includes('influx')) await influxBenches(work);
    if (!only.length || only.includes('smoke')) await smokeBenches(work);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const width = Math.max(...rows.map((r) => r.name.length));
  console.log(`aftercheck bench on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}\n`);
  for (const r of rows) console.log(`${r.name.padEnd(width)}  ${r.value.toFixed(r.value < 1 ? 4 : 1).padStart(10)} ${r.unit}  (${r.note})`);
  const out = path.join(loadEnv().reportsDir, 'bench.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(
    out,
    `${JSON.stringify({ at: new Date().toISOString(), node: process.version, cpus: os.cpus().length, rows }, null, 2)}\n`,
  );
  console.log(`\nwritten ${path.relative(process.cwd(), out)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
