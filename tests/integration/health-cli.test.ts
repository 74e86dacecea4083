// `npm run health` as a subprocess (tsx scripts/cli/health.ts) against a real influxd: table, health.json, exit codes 0-4.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childEnv } from '../../scripts/config/env.ts';
import { startInfluxd, type Influxd } from '../../scripts/setup/influxd.ts';
import type { HealthReport } from '../../scripts/engine/types.ts';
import { MINUTE, seed, type SeedSpec } from './health-support.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const DB = 'cli';
const DEPLOY = Date.parse('2026-06-01T14:00:00Z');
const NOW = new Date(DEPLOY + 15 * MINUTE).toISOString();

let influx: Influxd;
let work: string;

const POLICY = {
  name: 'cli test policy',
  owner: { team: 'shop', rollbackDecider: 'Dana (release manager)' },
  checkingPeriods: { patch: '10m', minor: '30m', major: '4h', migration: '4h', infrastructure: '2h' },
  interval: '1m',
  signals: [
    {
      id: 'error_rate',
      title: 'Error rate',
      unit: '%',
      query: { template: 'error_rate' },
      severity: 'major',
      absolute: { warn: 0.5, fail: 1 },
    },
    {
      id: 'latency_p95',
      title: 'Latency p95',
      unit: 'ms',
      query: { template: 'latency_p95' },
      severity: 'major',
      absolute: { fail: 500 },
      relative: { maxRatio: 1.5, maxIncrease: 50 },
    },
    { id: 'cpu', title: 'CPU', unit: '%', query: { template: 'cpu' }, severity: 'minor', absolute: { warn: 70, fail: 90 } },
  ],
};

/** Both versions of a service: 10 minutes each side of the deploy, a point every 30 s. */
function service(name: string, current: { errors: number; latency: number; cpu: number }): SeedSpec[] {
  const side = (version: string, from: number, v: { errors: number; latency: number; cpu: number }): SeedSpec[] => [
    {
      measurement: 'http_requests',
      service: name,
      version,
      from,
      count: 20,
      fields: (i) => ({ count: 100, errors: v.errors, latency_p95_ms: v.latency + (i % 3) }),
      ints: ['count', 'errors'],
    },
    { measurement: 'process', service: name, version, from, count: 20, fields: (i) => ({ cpu_percent: v.cpu + (i % 2) }) },
  ];
  return [...side('1.9.0', DEPLOY - 10 * MINUTE, { errors: 0, latency: 80, cpu: 20 }), ...side('2.0.0', DEPLOY, current)];
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  reportsDir: string;
}

async function runCli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const reportsDir = fs.mkdtempSync(path.join(work, 'reports-'));
  const child = spawn(TSX, ['scripts/cli/health.ts', ...args], {
    cwd: ROOT,
    env: childEnv({
      AFTERCHECK_INFLUX_URL: influx.url,
      AFTERCHECK_INFLUX_DATABASE: DB,
      AFTERCHECK_INFLUX_DIALECT: 'auto',
      AFTERCHECK_INFLUX_TOKEN: undefined,
      AFTERCHECK_POLICY: path.join(work, 'policy.json'),
      AFTERCHECK_MANIFEST: path.join(work, 'no-manifest-here.json'),
      AFTERCHECK_REPORTS_DIR: reportsDir,
      AFTERCHECK_SERVICE: 'shop-ok',
      NO_COLOR: '1',
      ...env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr, reportsDir };
}

const flags = (version = '2.0.0') => [
  '--version',
  version,
  '--previous-version',
  '1.9.0',
  '--deployed-at',
  new Date(DEPLOY).toISOString(),
  '--change-size',
  'patch',
  '--now',
  NOW,
];
const readReport = (run: Run): HealthReport =>
  JSON.parse(fs.readFileSync(path.join(run.reportsDir, 'health.json'), 'utf8')) as HealthReport;

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-health-cli-'));
  fs.writeFileSync(path.join(work, 'policy.json'), JSON.stringify(POLICY));
  fs.writeFileSync(
    path.join(work, 'manifest.json'),
    JSON.stringify({
      version: '2.0.0',
      previousVersion: '1.9.0',
      deployedAt: new Date(DEPLOY).toISOString(),
      changeSize: 'patch',
      features: [],
    }),
  );
  influx = await startInfluxd();
  await influx.createDatabase(DB);
  await seed(influx, DB, [
    ...service('shop-ok', { errors: 0, latency: 85, cpu: 22 }),
    ...service('shop-major', { errors: 5, latency: 85, cpu: 22 }),
    ...service('shop-minor', { errors: 0, latency: 85, cpu: 95 }),
  ]);
});
after(async () => {
  await influx?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('npm run health (subprocess)', () => {
  test('a major breach prints the table, writes health.json and exits 1', async () => {
    const run = await runCli(['--manifest', path.join(work, 'manifest.json'), '--now', NOW], { AFTERCHECK_SERVICE: 'shop-major' });
    assert.equal(run.code, 1, run.stderr + run.stdout);
    assert.match(run.stdout, /^signal +\| current +\| baseline +\| delta +\| limit +\| data +\| result$/m);
    assert.match(run.stdout, /^error_rate +\| 5 % +\| 0 % +\| \+5 % +\| ≤ 1 % \(warn beyond 0\.5 %\) +\| 10\/10 +\| fail$/m);
    assert.match(run.stdout, /^latency_p95 .*\| pass$/m);
    assert.match(run.stdout, /error_rate: fail \(major\) — mean 5 % is above the fail level 1 %/);

    const report = readReport(run);
    assert.equal(report.outcome, 'fail');
    assert.equal(report.service, 'shop-major');
    assert.equal(report.source.dialect, 'influxql');
    const s = report.signals.find((x) => x.id === 'error_rate')!;
    assert.equal(s.current, 5);
    assert.equal(s.baseline, 0);
    assert.equal(s.delta, 5);
    assert.equal(s.limitValue, 1);
    assert.match(s.limit, /≤ 1 %/);
    assert.deepEqual(s.samples, { current: 10, baseline: 10 });
    assert.match(
      s.query.current,
      /^SELECT sum\("errors"\) \* 100 \/ sum\("count"\) AS "value", sum\("count"\) AS "weight" FROM "http_requests" WHERE "service" = 'shop-major' AND "version" = '2\.0\.0'/,
    );
    assert.equal(s.outcome, 'fail');
    assert.match(s.reason, /above the fail level/);
    assert.equal(s.series.current.length, 10);
    assert.equal(s.series.baseline.length, 10);
    assert.deepEqual(Object.keys(s.series.current[0]!), ['t', 'v', 'w']);
  });

  test('only a minor breach exits 2', async () => {
    const run = await runCli(flags(), { AFTERCHECK_SERVICE: 'shop-minor' });
    assert.equal(run.code, 2, run.stderr + run.stdout);
    assert.match(run.stdout, /^cpu +\| 95\.5 % .*\| fail$/m);
    assert.equal(readReport(run).signals.find((s) => s.id === 'cpu')!.outcome, 'fail');
  });

  test('a healthy release exits 0', async () => {
    const run = await runCli(flags());
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.match(run.stdout, /Health: pass/);
    assert.equal(readReport(run).outcome, 'pass');
  });

  test('no data for the version exits 3 (inconclusive) and says why', async () => {
    const run = await runCli(flags('9.9.9'));
    assert.equal(run.code, 3, run.stderr + run.stdout);
    assert.match(run.stdout, /no data for version "9\.9\.9"/);
    assert.equal(readReport(run).outcome, 'inconclusive');
  });

  test('--json prints the same report as health.json', async () => {
    const run = await runCli([...flags(), '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), readReport(run));
  });

  test('bad flags exit 4 with one message listing every problem, and write no report', async () => {
    const run = await runCli(['--nope', '--deployed-at', 'yesterday', '--change-size', 'huge', '--version=', '--now']);
    assert.equal(run.code, 4);
    assert.match(run.stderr, /problems in the health gate configuration/);
    assert.match(run.stderr, /--nope = \(flag\): is not a known option/);
    assert.match(run.stderr, /--deployed-at = "yesterday": is not an ISO-8601 date-time with a zone/);
    assert.match(
      run.stderr,
      /--change-size = "huge": is not a change size.*\n.*Fix: use one of patch, minor, major, migration, infrastructure/,
    );
    assert.match(run.stderr, /--now = \(missing\): needs a value/);
    assert.match(run.stderr, /--version = \(missing\): needs a value/);
    assert.match(run.stderr, /--previous-version = \(unset\): is needed: there is no release manifest/);
    // A flag given with a bad value is reported once, not again as missing.
    assert.equal(run.stderr.match(/--deployed-at = /g)?.length, 1);
    assert.match(run.stderr, /aftercheck: 6 problems/);
    assert.ok(!fs.existsSync(path.join(run.reportsDir, 'health.json')));
  });

  test('a bad custom query fails when the policy loads: exit 4 naming the field and the fix, before any query runs', async () => {
    const bad = {
      ...POLICY,
      signals: [
        ...POLICY.signals,
        {
          id: 'custom',
          title: 'Custom',
          unit: 'ms',
          query: { influxql: 'SELECT mean("d") FROM "req" WHERE host = $host' },
          severity: 'minor',
          absolute: { fail: 1 },
        },
      ],
    };
    const policyPath = path.join(work, 'bad-query-policy.json');
    fs.writeFileSync(policyPath, JSON.stringify(bad));
    const run = await runCli(flags(), { AFTERCHECK_POLICY: policyPath });
    assert.equal(run.code, 4, run.stderr);
    assert.match(run.stderr, /signals\[3\]\.query\.influxql = .*: uses unknown placeholder \$host/);
    assert.match(
      run.stderr,
      /signals\[3\]\.query\.influxql = .*: does not bound the time range with \$start and \$end.\n\s*Fix: add WHERE time >= \$start AND time < \$end/,
    );
    assert.match(run.stderr, /signals\[3\]\.query\.influxql = .*: does not aggregate per interval in the database/);
    // Each problem once: the load-time check is the only one that reports it.
    assert.equal(run.stderr.match(/unknown placeholder \$host/g)?.length, 1, run.stderr);
    assert.ok(!fs.existsSync(path.join(run.reportsDir, 'health.json')));
  });

  test('--help prints the usage and the exit codes', async () => {
    const run = await runCli(['--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /Exit codes: 0 all signals pass/);
  });
});
