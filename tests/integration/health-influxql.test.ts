// Health gate against a real influxd with seeded series: each rule type passing and failing, inconclusive data, hostile versions.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startInfluxd, type Influxd } from '../../scripts/setup/influxd.ts';
import { runHealthGate, type HealthManifest } from '../../scripts/gates/health-gate.ts';
import { createInfluxReader } from '../../scripts/adapters/influx/reader.ts';
import type { HealthReport, Outcome, RuleKind } from '../../scripts/engine/types.ts';
import { MINUTE, seed, testEnv, testPolicy, type SeedSpec } from './health-support.ts';

const DB = 'health';
const DEPLOY = Date.parse('2026-01-10T12:00:00Z');
const NOW = new Date(DEPLOY + 30 * MINUTE);
const BASELINE_FROM = DEPLOY - 10 * MINUTE;
const jitter = (i: number, size: number) => ((((i * 7) % 5) - 2) * size) / 2;

let influx: Influxd;

before(async () => {
  influx = await startInfluxd();
  await influx.createDatabase(DB);
});
after(async () => {
  await influx?.stop();
});

const manifest = (over: Partial<HealthManifest> = {}): HealthManifest => ({
  version: '2.0.0',
  previousVersion: '1.9.0',
  deployedAt: new Date(DEPLOY).toISOString(),
  changeSize: 'patch',
  ...over,
});

async function gate(service: string, signals: Record<string, unknown>[], m: HealthManifest = manifest()): Promise<HealthReport> {
  const env = testEnv({ AFTERCHECK_INFLUX_URL: influx.url, AFTERCHECK_INFLUX_DATABASE: DB, AFTERCHECK_SERVICE: service });
  return runHealthGate({ env, policy: testPolicy(signals), manifest: m, now: NOW });
}

/** Twenty points 30 s apart on each side of the deploy: ten one-minute intervals per window, two points each. */
function windows(
  service: string,
  measurement: string,
  baseline: (i: number) => Record<string, number>,
  current: (i: number) => Record<string, number>,
  ints?: string[],
): SeedSpec[] {
  return [
    { measurement, service, version: '1.9.0', from: BASELINE_FROM, count: 20, fields: baseline, ...(ints ? { ints } : {}) },
    { measurement, service, version: '2.0.0', from: DEPLOY, count: 20, fields: current, ...(ints ? { ints } : {}) },
  ];
}

interface RuleCase {
  readonly name: string;
  readonly signal: Record<string, unknown>;
  readonly data: (service: string) => SeedSpec[];
  readonly outcome: Outcome;
  readonly rule: RuleKind;
  /** The window summary the database aggregation must produce. */
  readonly current?: number;
  readonly baseline?: number;
}

const latency = (fields: Record<string, unknown>) => ({
  id: 'latency_p95',
  title: 'Latency p95',
  unit: 'ms',
  query: { template: 'latency_p95' },
  severity: 'major',
  ...fields,
});
const p95 = (v: number) => ({ latency_p95_ms: v });

const cases: RuleCase[] = [
  {
    name: 'absolute: an error rate of 0.5 % passes a 1 % limit',
    signal: {
      id: 'error_rate',
      title: 'Error rate',
      unit: '%',
      query: { template: 'error_rate' },
      severity: 'major',
      absolute: { fail: 1 },
    },
    data: (s) =>
      windows(
        s,
        'http_requests',
        () => ({ count: 200, errors: 1 }),
        () => ({ count: 200, errors: 1 }),
        ['count', 'errors'],
      ),
    outcome: 'pass',
    rule: 'absolute',
    current: 0.5,
    baseline: 0.5,
  },
  {
    name: 'absolute: an error rate of 5 % fails a 1 % limit',
    signal: {
      id: 'error_rate',
      title: 'Error rate',
      unit: '%',
      query: { template: 'error_rate' },
      severity: 'major',
      absolute: { warn: 0.5, fail: 1 },
    },
    // Idle points (count 0) are skipped by the template, so they cannot dilute the rate.
    data: (s) =>
      windows(
        s,
        'http_requests',
        () => ({ count: 100, errors: 0 }),
        (i) => (i % 2 ? { count: 0, errors: 0 } : { count: 100, errors: 5 }),
        ['count', 'errors'],
      ),
    outcome: 'fail',
    rule: 'absolute',
    current: 5,
    baseline: 0,
  },
  {
    name: 'relative: p95 at baseline × 1.2 passes a × 1.5 limit',
    signal: latency({ relative: { maxRatio: 1.5 } }),
    data: (s) =>
      windows(
        s,
        'http_requests',
        () => p95(100),
        () => p95(120),
      ),
    outcome: 'pass',
    rule: 'relative',
    current: 120,
    baseline: 100,
  },
  {
    name: 'relative: p95 at baseline × 4 fails a × 1.5 limit',
    signal: latency({ relative: { maxRatio: 1.5, maxIncrease: 50 } }),
    data: (s) =>
      windows(
        s,
        'http_requests',
        () => p95(100),
        () => p95(400),
      ),
    outcome: 'fail',
    rule: 'relative',
    current: 400,
    baseline: 100,
  },
  {
    name: 'trend: flat memory passes a 2 MB/min slope limit',
    signal: {
      id: 'memory_rss',
      title: 'RSS',
      unit: 'MB',
      query: { template: 'memory_rss' },
      severity: 'major',
      trend: { maxSlopePerMinute: 2 },
    },
    data: (s) =>
      windows(
        s,
        'process',
        () => ({ rss_mb: 100 }),
        (i) => ({ rss_mb: 100 + jitter(i, 1) }),
      ),
    outcome: 'pass',
    rule: 'trend',
  },
  {
    name: 'trend: memory growing 5 MB a minute fails a 2 MB/min slope limit',
    signal: {
      id: 'memory_rss',
      title: 'RSS',
      unit: 'MB',
      query: { template: 'memory_rss' },
      severity: 'major',
      trend: { maxSlopePerMinute: 2 },
    },
    data: (s) =>
      windows(
        s,
        'process',
        () => ({ rss_mb: 100 }),
        (i) => ({ rss_mb: 100 + 2.5 * i }),
      ),
    outcome: 'fail',
    rule: 'trend',
  },
  {
    name: 'statistical: samples from the same distribution pass Mann-Whitney',
    signal: latency({ statistical: {} }),
    data: (s) =>
      windows(
        s,
        'http_requests',
        (i) => p95(100 + jitter(i, 8)),
        (i) => p95(100 + jitter(i + 3, 8)),
      ),
    outcome: 'pass',
    rule: 'statistical',
  },
  {
    name: 'statistical: latency doubled fails Mann-Whitney beyond the tolerance',
    signal: latency({ statistical: {} }),
    data: (s) =>
      windows(
        s,
        'http_requests',
        (i) => p95(100 + jitter(i, 8)),
        (i) => p95(200 + jitter(i, 8)),
      ),
    outcome: 'fail',
    rule: 'statistical',
  },
];

describe('health rules against a real InfluxDB', () => {
  cases.forEach((c, n) => {
    test(c.name, async () => {
      const service = `rules-${n}`;
      await seed(influx, DB, c.data(service));
      const report = await gate(service, [c.signal]);
      const s = report.signals[0]!;
      assert.equal(s.outcome, c.outcome, s.reason);
      assert.equal(report.outcome, c.outcome);
      assert.equal(s.rules.find((r) => r.rule === c.rule)?.outcome, c.outcome, JSON.stringify(s.rules));
      assert.deepEqual(s.samples, { current: 10, baseline: 10 });
      if (c.current !== undefined) assert.ok(Math.abs(s.current! - c.current) < 1e-9, `current ${s.current}`);
      if (c.baseline !== undefined) assert.ok(Math.abs(s.baseline! - c.baseline) < 1e-9, `baseline ${s.baseline}`);
      // Aggregated in the database: one value per one-minute interval, the query bounded by the windows.
      assert.match(s.query.current, /GROUP BY time\(1m\)/);
      assert.match(s.query.current, /time >= '2026-01-10T12:00:00\.000Z' AND time < '2026-01-10T12:10:00\.000Z'/);
      assert.match(
        s.query.baseline,
        /"version" = '1\.9\.0' AND .*time >= '2026-01-10T11:50:00\.000Z' AND time < '2026-01-10T12:00:00\.000Z'/,
      );
      assert.equal(s.series.current.length, 10);
    });
  });

  test('metrics that stop three minutes in are inconclusive, never a pass, and say when they stopped', async () => {
    await seed(influx, DB, [
      { measurement: 'http_requests', service: 'few', version: '1.9.0', from: BASELINE_FROM, count: 20, fields: () => p95(100) },
      { measurement: 'http_requests', service: 'few', version: '2.0.0', from: DEPLOY, count: 6, fields: () => p95(100) },
    ]);
    const report = await gate('few', [latency({ minSamples: 5, absolute: { fail: 500 } })]);
    const s = report.signals[0]!;
    assert.equal(s.outcome, 'inconclusive');
    assert.equal(s.samples.current, 3);
    assert.equal(s.stoppedAt, '2026-01-10T12:03:00Z');
    assert.match(s.reason, /metrics stopped at 2026-01-10T12:03:00Z: no data in the last 7 intervals/);
    assert.doesNotMatch(s.reason, /wait/);
  });

  test('data in only half of the intervals is inconclusive, naming the share', async () => {
    await seed(influx, DB, [
      { measurement: 'http_requests', service: 'gappy', version: '1.9.0', from: BASELINE_FROM, count: 20, fields: () => p95(100) },
      // One point every two minutes: every other one-minute interval is empty.
      {
        measurement: 'http_requests',
        service: 'gappy',
        version: '2.0.0',
        from: DEPLOY,
        count: 5,
        everyMs: 2 * MINUTE,
        fields: () => p95(100),
      },
    ]);
    const report = await gate('gappy', [latency({ minSamples: 3, absolute: { fail: 500 } })]);
    const s = report.signals[0]!;
    assert.equal(s.outcome, 'inconclusive');
    assert.match(s.reason, /data for 5 of 10 intervals \(50 %\), needs ≥ 80 %/);
  });

  test('no data for the new version is inconclusive and names the version', async () => {
    await seed(influx, DB, [
      { measurement: 'http_requests', service: 'nodata', version: '1.9.0', from: BASELINE_FROM, count: 40, fields: () => p95(100) },
    ]);
    const report = await gate('nodata', [latency({ absolute: { fail: 500 } })]);
    assert.equal(report.outcome, 'inconclusive');
    assert.equal(report.signals[0]!.samples.current, 0);
    assert.match(report.signals[0]!.reason, /no data for version "2\.0\.0" in the current window/);
  });

  test('a missing database is inconclusive with the cause named', async () => {
    const env = testEnv({ AFTERCHECK_INFLUX_URL: influx.url, AFTERCHECK_INFLUX_DATABASE: 'does_not_exist', AFTERCHECK_SERVICE: 'x' });
    const report = await runHealthGate({ env, policy: testPolicy([latency({ absolute: { fail: 500 } })]), manifest: manifest(), now: NOW });
    assert.equal(report.outcome, 'inconclusive');
    assert.match(report.signals[0]!.reason, /\(query\): InfluxDB could not run the query: database not found: does_not_exist/);
  });

  test('auto mode reads the server version from /ping and picks InfluxQL', async () => {
    const reader = createInfluxReader({ url: influx.url, database: DB, timeoutMs: 5000 });
    const c = await reader.connect();
    assert.equal(c.kind, 'ok');
    assert.match(c.source.serverVersion ?? '', /^1\./);
    assert.equal(c.source.dialect, 'influxql');
  });
});

describe('hostile versions and tags cannot change the query', () => {
  const service = 'hostile';
  const real = `it's "quoted" \\ v3`;
  before(async () => {
    // Two real versions that an injected OR would match, and one real version full of quoting characters.
    await seed(influx, DB, [
      ...windows(
        service,
        'http_requests',
        () => p95(100),
        () => p95(100),
      ),
      { measurement: 'http_requests', service, version: '1.0.0', from: DEPLOY, count: 20, fields: () => p95(999) },
      { measurement: 'http_requests', service, version: real, from: DEPLOY, count: 20, fields: () => p95(333) },
    ]);
  });

  const hostile: [string, string, RegExp][] = [
    ['a quote and OR', `2.0.0' OR "version" = '1.0.0`, /"version" = '2\.0\.0\\' OR \\"version\\" = \\'1\.0\.0' AND/],
    [
      'a statement separator and DROP',
      `x'; DROP DATABASE "health"; SELECT '1`,
      /"version" = 'x\\'; DROP DATABASE \\"health\\"; SELECT \\'1' AND/,
    ],
    ['a newline', `2.0.0'\nOR 1=1`, /"version" = '2\.0\.0\\'\\nOR 1=1' AND/],
    ["' OR 1=1", `' OR 1=1`, /"version" = '\\' OR 1=1' AND/],
    ['a backslash before the quote', `2.0.0\\' OR 1=1 --`, /"version" = '2\.0\.0\\\\\\' OR 1=1 --' AND/],
  ];
  for (const [name, version, literal] of hostile) {
    test(`a version with ${name} matches no rows and is one escaped literal in the query`, async () => {
      const report = await gate(service, [latency({ absolute: { fail: 500 } })], manifest({ version }));
      const s = report.signals[0]!;
      assert.equal(s.samples.current, 0, `the hostile value must match nothing, got ${s.samples.current} samples`);
      assert.equal(s.outcome, 'inconclusive');
      assert.match(s.query.current, literal);
      assert.equal(s.samples.baseline, 10, 'the baseline query is unaffected');
    });
  }

  test('a hostile service tag matches no rows either', async () => {
    const env = testEnv({
      AFTERCHECK_INFLUX_URL: influx.url,
      AFTERCHECK_INFLUX_DATABASE: DB,
      AFTERCHECK_SERVICE: `x' OR "service" = 'hostile`,
    });
    const report = await runHealthGate({ env, policy: testPolicy([latency({ absolute: { fail: 500 } })]), manifest: manifest(), now: NOW });
    assert.equal(report.signals[0]!.samples.current, 0);
    assert.match(report.signals[0]!.query.current, /"service" = 'x\\' OR \\"service\\" = \\'hostile'/);
  });

  test('the database still exists after the DROP attempt', async () => {
    const dbs = (await influx.query('SHOW DATABASES')) as { results: { series: { values: string[][] }[] }[] };
    assert.ok(dbs.results[0]!.series[0]!.values.some((v) => v[0] === DB));
  });

  test('a real version full of quotes and backslashes is found exactly (escaping, not refusal)', async () => {
    const report = await gate(service, [latency({ absolute: { fail: 500 } })], manifest({ version: real }));
    const s = report.signals[0]!;
    assert.equal(s.samples.current, 10);
    assert.equal(s.current, 333);
    assert.equal(s.outcome, 'pass');
  });
});

describe('the influxd launcher', () => {
  test('a missing influxd binary fails with the apt package to install', async () => {
    await assert.rejects(
      startInfluxd({ binary: '/nonexistent/influxd' }),
      /InfluxDB server not found at \/nonexistent\/influxd\. Install it with `apt-get install -y influxdb`/,
    );
  });

  test('stop() ends the server and removes the temp dir it created', async () => {
    const own = await startInfluxd();
    const res = await fetch(`${own.url}/ping`);
    assert.equal(res.status, 204);
    await own.stop();
    assert.ok(!fs.existsSync(own.dir), 'temp dir removed');
    assert.throws(() => process.kill(own.pid, 0), /ESRCH/, 'process gone');
    await assert.rejects(fetch(`${own.url}/ping`, { signal: AbortSignal.timeout(1000) }));
  });
});
