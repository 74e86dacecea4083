// Integration test of the demo shop's metrics against a real influxd: the reference schema, exact counts, and memory-leak's RSS climb.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startDemo, type RunningDemo } from '../../demo/launch.ts';
import { MemoryLeak } from '../../demo/src/faults.ts';
import { runTraffic } from '../../demo/traffic.ts';
import { influxqlString } from '../../scripts/adapters/influx/escape.ts';
import { DEMO_ACCOUNT } from '../../scripts/config/env.ts';
import { startInfluxd, type Influxd } from '../../scripts/setup/influxd.ts';
import { ShopClient } from '../helpers/demo-client.ts';

const DATABASE = 'demo_metrics_test';
const INTERVAL_MS = 250;
const HEALTHY = 'healthy-1.0.0';
const LEAKY = 'leaky-1.0.1';
const SERVICE = 'demo-shop-test';
const HOST = 'test-host-1';

interface Series {
  name: string;
  columns: string[];
  values: unknown[][];
}
interface QueryAnswer {
  results: { series?: Series[] }[];
}

let influx: Influxd;
let healthy: RunningDemo;
let leaky: RunningDemo;

async function rows(q: string): Promise<Record<string, unknown>[]> {
  const answer = (await influx.query(q, DATABASE)) as QueryAnswer;
  return (answer.results[0]?.series ?? []).flatMap((s) => s.values.map((v) => Object.fromEntries(s.columns.map((c, i) => [c, v[i]]))));
}

/** Polls until the check passes or the deadline: metrics arrive asynchronously, every interval. */
async function eventually<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!ok(last) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, INTERVAL_MS));
    last = await read();
  }
  assert.ok(ok(last), `${what}: last value ${JSON.stringify(last)}`);
  return last;
}

before(async () => {
  influx = await startInfluxd();
  await influx.createDatabase(DATABASE);
  const common = {
    influx: { url: influx.url, database: DATABASE },
    metricsIntervalMs: INTERVAL_MS,
    env: { DEMO_SERVICE: SERVICE, DEMO_HOSTNAME: HOST },
  };
  [healthy, leaky] = await Promise.all([
    startDemo({ ...common, version: HEALTHY, faults: [] }),
    startDemo({ ...common, version: LEAKY, faults: ['memory-leak'] }),
  ]);
});

after(async () => {
  await Promise.all([healthy?.stop(), leaky?.stop()]);
  await influx?.stop();
});

const sumWhere = (field: string, measurement: string, version: string) =>
  `SELECT sum("${field}") AS v FROM "${measurement}" WHERE "version" = ${influxqlString(version)}`;

describe('demo shop metrics in a real InfluxDB', () => {
  it('counts every request exactly, and business metrics leave out the synthetic order', async () => {
    const monitor = new ShopClient(healthy.url, { 'X-Synthetic-Check': 'metrics-test' });
    await monitor.signIn(DEMO_ACCOUNT.username, DEMO_ACCOUNT.password);
    await monitor.buy(1, 2); // synthetic: $25.00
    const shopper = new ShopClient(healthy.url);
    await shopper.signIn(DEMO_ACCOUNT.username, DEMO_ACCOUNT.password);
    await shopper.buy(4, 1); // real: $39.00
    assert.equal((await shopper.get('/nope')).status, 404);
    // 2 sign-ins + 2 × (add to cart + checkout) + one 404 = 7 requests, and nothing else reaches this shop.
    await eventually(
      'http_requests count',
      async () => (await rows(sumWhere('count', 'http_requests', HEALTHY)))[0]?.v,
      (v) => v === 7,
    );
    assert.deepEqual((await rows(sumWhere('errors', 'http_requests', HEALTHY)))[0]?.v, 0, '404 is not an error');
    await eventually(
      'orders count',
      async () => (await rows(sumWhere('count', 'orders', HEALTHY)))[0]?.v,
      (v) => v === 1,
    );
    assert.equal((await rows(sumWhere('revenue', 'orders', HEALTHY)))[0]?.v, 39);
  });

  const SCHEMA: Record<string, Record<string, 'integer' | 'float'>> = {
    http_requests: { count: 'integer', errors: 'integer', latency_p50_ms: 'float', latency_p95_ms: 'float', latency_p99_ms: 'float' },
    process: { cpu_percent: 'float', rss_mb: 'float', heap_used_mb: 'float' },
    db_pool: { in_use: 'integer', size: 'integer' },
    queue: { depth: 'integer' },
    orders: { count: 'integer', revenue: 'float' },
  };

  for (const [measurement, fields] of Object.entries(SCHEMA)) {
    it(`writes ${measurement} with fields ${Object.keys(fields).join(', ')} and the service, version and host tags`, async () => {
      const keys = await eventually(
        `field keys of ${measurement}`,
        () => rows(`SHOW FIELD KEYS FROM "${measurement}"`),
        (r) => r.length >= Object.keys(fields).length,
      );
      assert.deepEqual(Object.fromEntries(keys.map((k) => [k.fieldKey, k.fieldType])), fields);
      const tags = await rows(`SHOW TAG KEYS FROM "${measurement}"`);
      assert.deepEqual(tags.map((t) => t.tagKey).sort(), ['host', 'service', 'version']);
      const versions = await rows(`SHOW TAG VALUES FROM "${measurement}" WITH KEY = "version"`);
      assert.deepEqual(versions.map((v) => v.value).sort(), [HEALTHY, LEAKY]);
      for (const [key, value] of [
        ['service', SERVICE],
        ['host', HOST],
      ] as const) {
        assert.deepEqual(
          (await rows(`SHOW TAG VALUES FROM "${measurement}" WITH KEY = "${key}"`)).map((v) => v.value),
          [value],
        );
      }
    });
  }

  it('writes points every interval with plausible process, pool and latency values', async () => {
    const query = `SELECT cpu_percent, rss_mb, heap_used_mb FROM process WHERE "version" = ${influxqlString(HEALTHY)}`;
    const proc = await eventually(
      'process points',
      () => rows(query),
      (r) => r.length >= 4,
    );
    for (const p of proc) {
      assert.ok((p.cpu_percent as number) >= 0 && (p.cpu_percent as number) < 400);
      assert.ok((p.rss_mb as number) > 20 && (p.rss_mb as number) < 2000);
      assert.ok((p.heap_used_mb as number) > 1 && (p.heap_used_mb as number) < (p.rss_mb as number));
    }
    const pool = await rows(
      `SELECT max(in_use) AS peak, min("size") AS lo, max("size") AS hi FROM db_pool WHERE "version" = ${influxqlString(HEALTHY)}`,
    );
    assert.deepEqual([pool[0]?.lo, pool[0]?.hi], [10, 10]);
    assert.ok((pool[0]?.peak as number) >= 1, 'requests checked out a connection');
    const latency = await rows(
      `SELECT latency_p50_ms, latency_p95_ms, latency_p99_ms FROM http_requests WHERE "version" = ${influxqlString(HEALTHY)} AND "count" > 0`,
    );
    assert.ok(latency.length >= 1);
    for (const l of latency)
      assert.ok(
        (l.latency_p50_ms as number) > 0 &&
          (l.latency_p50_ms as number) <= (l.latency_p95_ms as number) &&
          (l.latency_p95_ms as number) <= (l.latency_p99_ms as number),
      );
  });

  it('points written before the database exists are kept and arrive once it is created', async () => {
    const late = await startDemo({
      influx: { url: influx.url, database: 'created_later' },
      metricsIntervalMs: INTERVAL_MS,
      version: 'late-1',
      faults: [],
    });
    try {
      const client = new ShopClient(late.url);
      for (const p of ['/health', '/', '/api/products']) assert.equal((await client.get(p)).status, 200);
      // Several intervals of writes answered 404 "database not found" before the database appears.
      await new Promise((r) => setTimeout(r, INTERVAL_MS * 4));
      await influx.createDatabase('created_later');
      const total = async () =>
        ((await influx.query(`SELECT sum("count") AS v FROM http_requests`, 'created_later')) as QueryAnswer).results[0]?.series?.[0]
          ?.values[0]?.[1];
      await eventually('requests counted in the late database', total, (v) => v === 3);
    } finally {
      await late.stop();
    }
  });

  it('a shifted metrics clock stamps every point that far from the wall clock (how health-demo fills two windows at once)', async () => {
    const HOUR = 3_600_000;
    await influx.createDatabase('shifted_clock');
    const started = Date.now();
    const shifted = await startDemo({
      influx: { url: influx.url, database: 'shifted_clock' },
      metricsIntervalMs: INTERVAL_MS,
      metricsClockOffsetMs: -HOUR,
      version: 'shifted-1',
      faults: [],
    });
    try {
      assert.equal((await new ShopClient(shifted.url).get('/health')).status, 200);
      const times = async () =>
        (
          ((await influx.query(`SELECT "count" FROM http_requests`, 'shifted_clock')) as QueryAnswer).results[0]?.series?.[0]?.values ?? []
        ).map((v) => Date.parse(String(v[0])));
      const stamped = await eventually('points of the shifted shop', times, (t) => t.length >= 2);
      const ended = Date.now();
      for (const t of stamped)
        assert.ok(
          t >= started - HOUR - 1000 && t <= ended - HOUR + 1000,
          `${new Date(t).toISOString()} is an hour before [${new Date(started).toISOString()}, ${new Date(ended).toISOString()}]`,
        );
    } finally {
      await shifted.stop();
    }
  });

  it("memory-leak makes rss_mb climb far more than the healthy shop's under the same traffic", async () => {
    const since = new Date();
    const [, leakTraffic] = await Promise.all([
      runTraffic({ url: healthy.url, rps: 8, durationMs: 8000 }),
      runTraffic({ url: leaky.url, rps: 8, durationMs: 8000 }),
    ]);
    await new Promise((r) => setTimeout(r, INTERVAL_MS * 3));
    // Mean of the last three samples minus mean of the first three: garbage collection moves single samples by several MB.
    const growth = async (version: string) => {
      const r = await rows(`SELECT rss_mb FROM process WHERE "version" = ${influxqlString(version)} AND time >= ${since.getTime()}ms`);
      const mean = (xs: Record<string, unknown>[]) => xs.reduce((sum, x) => sum + (x.rss_mb as number), 0) / xs.length;
      assert.ok(r.length >= 20, `${r.length} samples for ${version}`);
      return mean(r.slice(-3)) - mean(r.slice(0, 3));
    };
    const [good, bad] = [await growth(HEALTHY), await growth(LEAKY)];
    console.log(
      `rss growth over 8 s of traffic: healthy ${good.toFixed(1)} MB, memory-leak ${bad.toFixed(1)} MB (${leakTraffic.requests} requests)`,
    );
    // What the fault retains for the requests that were actually served (a busy machine serves fewer), with slack.
    const retainedMb = (leakTraffic.requests * MemoryLeak.perRequestBytes + 8 * MemoryLeak.perSecondBytes) / 1024 / 1024;
    assert.ok(retainedMb >= 20, `enough traffic to tell: ${leakTraffic.requests} requests`);
    assert.ok(bad >= retainedMb * 0.5, `memory-leak grew ${bad.toFixed(1)} MB; it retained about ${retainedMb.toFixed(1)} MB`);
    assert.ok(bad > good + 10, `memory-leak ${bad.toFixed(1)} MB vs healthy ${good.toFixed(1)} MB`);
    const errors = await rows(`SELECT sum(errors) AS v FROM http_requests WHERE time >= ${since.getTime()}ms`);
    assert.equal(errors[0]?.v, 0, 'the leak moves memory only, not the error rate');
  });
});

describe('demo shop metrics into an InfluxDB 1.x with authentication', () => {
  it('a user:password token is sent as Basic auth and the points arrive', async () => {
    const secured = await startInfluxd({ auth: { username: 'writer', password: 'writer-Pa55' } });
    let shop: RunningDemo | undefined;
    try {
      await secured.createDatabase(DATABASE);
      shop = await startDemo({
        version: 'auth-1.0.0',
        faults: [],
        influx: { url: secured.url, database: DATABASE, token: 'writer:writer-Pa55' },
        metricsIntervalMs: INTERVAL_MS,
      });
      await new ShopClient(shop.url).get('/');
      const deadline = Date.now() + 5000;
      let count = 0;
      while (count === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, INTERVAL_MS));
        const answer = (await secured.query(
          `SELECT count(count) AS n FROM http_requests WHERE "version" = ${influxqlString('auth-1.0.0')}`,
          DATABASE,
        )) as QueryAnswer;
        count = Number(answer.results[0]?.series?.[0]?.values[0]?.[1] ?? 0);
      }
      assert.ok(count > 0, 'points written with Basic auth are stored');
    } finally {
      await shop?.stop();
      await secured.stop();
    }
  });
});
