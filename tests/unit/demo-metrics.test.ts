// Unit tests for the demo shop's metrics and load simulation: percentiles, interval stats, line protocol, pool and queue.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectionPool, WorkQueue } from '../../demo/src/load.ts';
import { ThrottledLog } from '../../demo/src/log.ts';
import { collectPoints, OrderStats, percentile, ProcessSampler, RequestStats, toLines } from '../../demo/src/metrics.ts';

describe('percentiles', () => {
  const cases: { name: string; samples: number[]; p: number; expected: number }[] = [
    { name: 'the median of an odd count is the middle value', samples: [1, 2, 3, 4, 5], p: 50, expected: 3 },
    { name: 'the median of an even count interpolates', samples: [1, 2, 3, 4], p: 50, expected: 2.5 },
    { name: 'p95 of 1..100 interpolates between ranks', samples: Array.from({ length: 100 }, (_, i) => i + 1), p: 95, expected: 95.05 },
    { name: 'p99 of a single sample is that sample', samples: [42], p: 99, expected: 42 },
    { name: 'p100 is the maximum', samples: [3, 9, 27], p: 100, expected: 27 },
  ];
  for (const c of cases)
    it(c.name, () => assert.ok(Math.abs(percentile(c.samples, c.p) - c.expected) < 1e-9, `${percentile(c.samples, c.p)} ≈ ${c.expected}`));
  it('a percentile of no samples is an error, never a made-up zero', () => assert.throws(() => percentile([], 50), RangeError));
});

describe('request statistics per interval', () => {
  it('an interval counts requests and 5xx answers and computes latency percentiles from the real durations', () => {
    const stats = new RequestStats();
    for (let ms = 1; ms <= 100; ms++) stats.record(ms, ms % 25 === 0 ? 503 : ms % 10 === 0 ? 404 : 200);
    const r = stats.drain();
    assert.equal(r.count, 100);
    assert.equal(r.errors, 4, '4xx are not errors; 5xx are');
    assert.ok(r.latency && Math.abs(r.latency.p50 - 50.5) < 1e-9 && Math.abs(r.latency.p99 - 99.01) < 1e-9);
  });

  it('draining starts a new interval, and an empty interval has no latency at all', () => {
    const stats = new RequestStats();
    stats.record(5, 200);
    stats.drain();
    assert.deepEqual(stats.drain(), { count: 0, errors: 0, latency: undefined });
  });

  it('synthetic orders are left out of the business figures', () => {
    const orders = new OrderStats();
    orders.orderPlaced(1250, false);
    orders.orderPlaced(9999, true);
    orders.orderPlaced(250, false);
    assert.deepEqual(orders.drain(), { count: 2, revenue: 15 });
    assert.deepEqual(orders.drain(), { count: 0, revenue: 0 });
  });
});

describe('line protocol', () => {
  function lines(requests: RequestStats) {
    const sources = {
      requests,
      orders: new OrderStats(),
      process: new ProcessSampler(),
      pool: new ConnectionPool(10),
      queue: new WorkQueue(),
    };
    return toLines(collectPoints(sources, { service: 'demo shop', version: '1.2.3', host: 'web,1' }, new Date(1_700_000_000_123)));
  }

  it('every point carries the service, version and host tags (escaped) and a millisecond timestamp', () => {
    const out = lines(new RequestStats());
    assert.deepEqual(
      out.map((l) => l.split(',')[0]),
      ['http_requests', 'process', 'db_pool', 'queue', 'orders'],
    );
    for (const l of out) {
      assert.match(l, /^[a-z_]+,host=web\\,1,service=demo\\ shop,version=1\.2\.3 /, 'tags in sorted order, as InfluxDB prefers');
      assert.match(l, / 1700000000123$/);
    }
  });

  it('counts are integers, and latency fields are left out when there were no requests', () => {
    const [http, proc, pool, queue] = lines(new RequestStats());
    assert.match(http!, / count=0i,errors=0i /);
    assert.doesNotMatch(http!, /latency/);
    assert.match(proc!, / cpu_percent=[\d.e-]+,heap_used_mb=[\d.]+,rss_mb=[\d.]+ /);
    assert.match(pool!, / in_use=0i,size=10i /);
    assert.match(queue!, / depth=0i /);
  });

  it('latency fields are floats when there were requests', () => {
    const stats = new RequestStats();
    stats.record(12.5, 200);
    assert.match(lines(stats)[0]!, / count=1i,errors=0i,latency_p50_ms=12\.5,latency_p95_ms=12\.5,latency_p99_ms=12\.5 /);
  });
});

describe('the simulated connection pool', () => {
  it('reports the peak since the last sample, so short bursts are not missed', async () => {
    const pool = new ConnectionPool(3);
    const a = await pool.acquire();
    const b = await pool.acquire();
    b();
    assert.deepEqual(pool.sample(), { inUse: 2, size: 3 });
    assert.deepEqual(pool.sample(), { inUse: 1, size: 3 }, 'the next interval starts from what is still held');
    a();
    a();
    assert.deepEqual(pool.sample(), { inUse: 1, size: 3 });
    assert.deepEqual(pool.sample(), { inUse: 0, size: 3 }, 'releasing twice does not go below zero');
  });

  it('a request waits when every connection is taken and gets the next one released', async () => {
    const pool = new ConnectionPool(1);
    const first = await pool.acquire();
    let got = false;
    const waiting = pool.acquire().then((release) => ((got = true), release));
    await new Promise((r) => setImmediate(r));
    assert.equal(got, false);
    first();
    (await waiting)();
    assert.equal(got, true);
    assert.deepEqual(pool.sample(), { inUse: 1, size: 1 });
  });
});

describe('the work queue', () => {
  it('drains in batches in order', () => {
    const done: number[] = [];
    const q = new WorkQueue(1000, 2);
    for (let i = 0; i < 5; i++) q.enqueue({ kind: 'x', run: () => void done.push(i) });
    q.drain();
    assert.deepEqual([done, q.depth()], [[0, 1], 3]);
    q.drain();
    q.drain();
    assert.deepEqual([done, q.depth()], [[0, 1, 2, 3, 4], 0]);
  });

  it('a failing job stays queued, so work piles up while its dependency is down', () => {
    let down = true;
    const failures: string[] = [];
    const q = new WorkQueue(1000, 10, (job) => failures.push(job.kind));
    q.enqueue({
      kind: 'email',
      run: () => {
        if (down) throw new Error('db down');
      },
    });
    q.enqueue({ kind: 'view', run: () => {} });
    q.drain();
    assert.deepEqual([q.depth(), failures], [2, ['email']]);
    down = false;
    q.drain();
    assert.equal(q.depth(), 0);
  });
});

describe('throttled problem reports', () => {
  it('a repeating problem is reported once a minute, then with the number suppressed, and its recovery once', () => {
    const lines: string[] = [];
    const log = new ThrottledLog(60_000, (m) => lines.push(m));
    log.problem('write', 'influx down', 0);
    log.problem('write', 'influx down', 1_000);
    log.problem('write', 'influx down', 59_999);
    assert.equal(lines.length, 1);
    log.problem('write', 'influx down', 60_000);
    assert.match(lines[1]!, /^influx down \(2 more since the last report\); repeats are reported at most once every 60 s$/);
    log.resolved('write', 'influx back');
    log.resolved('write', 'influx back');
    assert.deepEqual(lines.slice(2), ['influx back']);
  });

  it('different topics are throttled separately', () => {
    const lines: string[] = [];
    const log = new ThrottledLog(60_000, (m) => lines.push(m));
    log.problem('a', 'first', 0);
    log.problem('b', 'second', 1);
    assert.equal(lines.length, 2);
  });
});
