// Per-host reads and time-of-day baselines against a real influxd: GROUP BY "host" finds the one slow host; yesterday's window serves.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startInfluxd, type Influxd } from '../../scripts/setup/influxd.ts';
import { runHealthGate, type HealthManifest } from '../../scripts/gates/health-gate.ts';
import type { HealthReport } from '../../scripts/engine/types.ts';
import { MINUTE, seed, testEnv, testPolicy, type SeedSpec } from './health-support.ts';

const DB = 'hosts';
const DEPLOY = Date.parse('2026-02-03T14:00:00Z');
const DAY = 86_400_000;
const NOW = new Date(DEPLOY + 11 * MINUTE);

let influx: Influxd;
before(async () => {
  influx = await startInfluxd();
  await influx.createDatabase(DB);
});
after(async () => {
  await influx?.stop();
});

const manifest: HealthManifest = {
  version: '2.0.0',
  previousVersion: '1.9.0',
  deployedAt: new Date(DEPLOY).toISOString(),
  changeSize: 'patch',
};

async function gate(service: string, signals: Record<string, unknown>[]): Promise<HealthReport> {
  const env = testEnv({ AFTERCHECK_INFLUX_URL: influx.url, AFTERCHECK_INFLUX_DATABASE: DB, AFTERCHECK_SERVICE: service });
  return runHealthGate({ env, policy: testPolicy(signals), manifest, now: NOW });
}

/** Twenty points 30 s apart for one host of one version from `from`. */
const side = (
  service: string,
  version: string,
  host: string,
  from: number,
  fields: (i: number) => Record<string, number>,
  ints?: string[],
): SeedSpec => ({
  measurement: 'http_requests',
  service,
  version,
  host,
  from,
  count: 20,
  fields,
  ...(ints ? { ints } : {}),
});

describe('the worst host', () => {
  const service = 'fleet';
  before(async () => {
    const specs: SeedSpec[] = [];
    for (const host of ['web-1', 'web-2', 'web-3']) {
      specs.push(side(service, '1.9.0', host, DEPLOY - 10 * MINUTE, (i) => ({ latency_p95_ms: 100 + (i % 3) })));
      // web-2 is 70 % slower after the deploy; the service as a whole moves about +23 %.
      specs.push(side(service, '2.0.0', host, DEPLOY, (i) => ({ latency_p95_ms: (host === 'web-2' ? 170 : 100) + (i % 3) })));
    }
    await seed(influx, DB, specs);
  });

  const signal = {
    id: 'latency_p95',
    title: 'Latency p95',
    unit: 'ms',
    query: { template: 'latency_p95' },
    severity: 'major',
    relative: { maxIncreasePct: 25 },
  };

  test('a slow host passes the service-wide limit but fails its own, named, read through GROUP BY "host"', async () => {
    const report = await gate(service, [{ ...signal, worstHost: { maxIncreasePct: 40 } }]);
    const s = report.signals[0]!;
    assert.equal(s.rules.find((r) => r.rule === 'relative')?.outcome, 'pass', s.reason);
    const host = s.rules.find((r) => r.rule === 'host')!;
    assert.equal(host.outcome, 'fail', host.reason);
    assert.match(host.reason, /worst of 3 hosts is web-2 with mean 170.9 ms, beyond its limit 141.3 ms/);
    assert.deepEqual({ ...s.worstHost, value: Math.round(s.worstHost!.value) }, { host: 'web-2', value: 171, hosts: 3 });
    assert.match(s.rules.find((r) => r.rule === 'host')!.limit, /within 40 %/);
    assert.equal(s.outcome, 'fail');
    assert.equal(s.evidence?.rule, 'host');
  });

  test('without a worstHost limit the same release passes: the average hides the host', async () => {
    const report = await gate(service, [signal]);
    assert.equal(report.signals[0]!.outcome, 'pass', report.signals[0]!.reason);
    assert.equal(report.signals[0]!.worstHost, null);
  });
});

describe('time-of-day baselines', () => {
  const rate = {
    id: 'request_rate',
    title: 'Request rate',
    unit: 'req/s',
    query: { template: 'request_rate' },
    severity: 'minor',
    direction: 'lower-is-worse',
    aggregation: 'median',
    relative: { maxIncreasePct: 30 },
  };
  const evening = (level: number) => (i: number) => ({ count: Math.round(level * (1 - 0.01 * i)) });

  test('request_rate compares with the same window yesterday, whichever version served it, and an evening decline passes', async () => {
    const service = 'evening';
    await seed(influx, DB, [
      // Today before the deploy traffic was 50 % higher (the evening decline); yesterday at the same hour it matched.
      side(service, '1.9.0', 'web-1', DEPLOY - 10 * MINUTE, evening(900), ['count']),
      side(service, '2.0.0', 'web-1', DEPLOY, evening(600), ['count']),
      side(service, '1.8.0', 'web-1', DEPLOY - DAY, evening(600), ['count']),
    ]);
    const s = (await gate(service, [rate])).signals[0]!;
    assert.equal(s.baselineUsed?.source, 'yesterday');
    assert.equal(s.baselineUsed?.anyVersion, true);
    assert.doesNotMatch(s.query.baseline, /"version"/);
    assert.match(s.query.baseline, /time >= '2026-02-02T14:00:00\.000Z' AND time < '2026-02-02T14:10:00\.000Z'/);
    assert.equal(s.outcome, 'pass', s.reason);
  });

  test('without history it falls back to before the deploy, with a note, and the same decline fails', async () => {
    const service = 'new-service';
    await seed(influx, DB, [
      side(service, '1.9.0', 'web-1', DEPLOY - 10 * MINUTE, evening(900), ['count']),
      side(service, '2.0.0', 'web-1', DEPLOY, evening(600), ['count']),
    ]);
    const s = (await gate(service, [rate])).signals[0]!;
    assert.equal(s.baselineUsed?.source, 'before-deploy');
    assert.match(
      s.baselineUsed!.note!,
      /no baseline data for the service in the same window yesterday .* compared with the baseline before the deploy instead/,
    );
    assert.equal(s.outcome, 'fail', s.reason);
  });
});
