// Baseline choice (time-of-day with fallback and a note) and the worst-host rule, table-driven on plain data.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostSeriesRead } from '../../scripts/engine/types.ts';
import { baselineOf, evaluate, failed, flat, MIN, ruleOf, T0 } from './health-fixtures.ts';

const RATE = {
  id: 'sig',
  unit: 'req/s',
  query: { template: 'request_rate' },
  direction: 'lower-is-worse',
  aggregation: 'median',
  relative: { maxIncreasePct: 30, warnIncreasePct: 20 },
};
const N = 30;
/** An evening: traffic declining 1.5 % a minute, the same today and yesterday (so the decline cancels out). */
const evening = (from: number) => Array.from({ length: N }, (_, i) => from * (1 - 0.015 * i));

describe('time-of-day baselines', () => {
  const cases = [
    {
      name: 'a request_rate signal uses the same window yesterday when it has data',
      baselines: [
        baselineOf(evening(100), 'yesterday', N),
        baselineOf(flat(50, N), 'last-week', N),
        baselineOf(evening(145), 'before-deploy', N),
      ],
      current: evening(100),
      outcome: 'pass',
      source: 'yesterday',
      note: null,
    },
    {
      name: 'a −35 % evening decline against before-deploy would fail; against yesterday it passes',
      baselines: [baselineOf(evening(100), 'yesterday', N), baselineOf(evening(155), 'before-deploy', N)],
      current: evening(100),
      outcome: 'pass',
      source: 'yesterday',
      note: null,
    },
    {
      name: 'a −45 % drop at 2 p.m. fails against yesterday',
      baselines: [baselineOf(flat(100, N), 'yesterday', N), baselineOf(flat(100, N), 'before-deploy', N)],
      current: flat(55, N),
      outcome: 'fail',
      source: 'yesterday',
      note: null,
    },
    {
      name: 'without yesterday, last week serves, with a note',
      baselines: [baselineOf([], 'yesterday', N), baselineOf(flat(100, N), 'last-week', N), baselineOf(flat(100, N), 'before-deploy', N)],
      current: flat(98, N),
      outcome: 'pass',
      source: 'last-week',
      note: /no baseline data for the service in the same window yesterday .*compared with the baseline in the same window last week instead/,
    },
    {
      name: 'without any history, it falls back to before the deploy and says the daily swing is not cancelled out',
      baselines: [
        baselineOf([], 'yesterday', N),
        baselineOf(failed('timeout', 'slow'), 'last-week', N),
        baselineOf(flat(100, N), 'before-deploy', N),
      ],
      current: flat(97, N),
      outcome: 'pass',
      source: 'before-deploy',
      note: /baseline data in the same window last week could not be read \(timeout\): slow; compared with the baseline before the deploy instead \(a time-of-day swing is not cancelled out\)/,
    },
    {
      name: 'a sparse yesterday (40 % of its intervals) is not a baseline',
      baselines: [
        baselineOf([...flat(100, 12), ...Array<null>(18).fill(null)], 'yesterday', N),
        baselineOf(flat(100, N), 'before-deploy', N),
      ],
      current: flat(97, N),
      outcome: 'pass',
      source: 'before-deploy',
      note: /baseline in the same window yesterday has data for only 12 of 30 intervals \(40 %/,
    },
  ] as const;
  for (const c of cases)
    test(c.name, () => {
      const r = evaluate(RATE, c.current, c.baselines, { n: N });
      assert.equal(r.outcome, c.outcome, r.reason);
      assert.equal(r.baselineUsed?.source, c.source);
      if (c.note === null) assert.equal(r.baselineUsed?.note, null);
      else assert.match(r.baselineUsed!.note!, c.note);
    });

  test('no usable baseline at all is inconclusive and names every window tried', () => {
    const r = evaluate(
      RATE,
      flat(100, N),
      [baselineOf([], 'yesterday', N), baselineOf([], 'last-week', N), baselineOf([], 'before-deploy', N)],
      { n: N },
    );
    assert.equal(r.outcome, 'inconclusive');
    assert.equal(r.baselineUsed, null);
    assert.match(ruleOf(r, 'relative')!.reason, /yesterday.*last week.*no baseline data for version "1.9.0" before the deploy/);
  });

  test('a signal with before-deploy uses only that window', () => {
    const r = evaluate({ ...RATE, baseline: 'before-deploy' }, flat(55, N), flat(100, N), { n: N });
    assert.equal(r.baselineUsed?.source, 'before-deploy');
    assert.equal(r.baselineUsed?.anyVersion, false);
    assert.equal(r.outcome, 'fail');
  });
});

const hosts = (values: Record<string, readonly number[]>): HostSeriesRead => ({
  kind: 'ok',
  query: 'SELECT … GROUP BY time(1m), "host"',
  hosts: Object.entries(values).map(([host, vs]) => ({ host, points: vs.map((v, i) => ({ t: new Date(T0 + i * MIN).toISOString(), v })) })),
});

describe('worst host', () => {
  const LAT = { unit: 'ms', relative: { maxIncreasePct: 20 }, worstHost: { maxIncreasePct: 40 } };
  const cases = [
    {
      name: 'one of three hosts 60 % slower fails, while the service as a whole stays within +20 %',
      signal: LAT,
      fleet: flat(118, N),
      hosts: { 'web-1': flat(100, N), 'web-2': flat(160, N), 'web-3': flat(100, N) },
      outcome: 'fail',
      reason: /worst of 3 hosts is web-2 with mean 160 ms, beyond its limit 140 ms/,
    },
    {
      name: 'hosts within 40 % of the baseline pass',
      signal: LAT,
      fleet: flat(105, N),
      hosts: { 'web-1': flat(100, N), 'web-2': flat(112, N), 'web-3': flat(103, N) },
      outcome: 'pass',
      reason: /worst of 3 hosts is web-2 with mean 112 ms, within 140 ms/,
    },
    {
      name: 'a single host is the service itself',
      signal: LAT,
      fleet: flat(100, N),
      hosts: { 'web-1': flat(100, N) },
      outcome: 'pass',
      reason: /1 host with enough data/,
    },
    {
      name: 'one host with 2.4 % errors fails an absolute per-host level of 2 %',
      signal: { unit: '%', query: { template: 'error_rate' }, absolute: { warn: 0.5, fail: 1 }, worstHost: { fail: 2 } },
      fleet: flat(0.9, N),
      hosts: { a: flat(0.2, N), b: flat(2.4, N), c: flat(0.1, N) },
      outcome: 'fail',
      reason: /worst of 3 hosts is b with mean 2.4 %, beyond its limit 2 %/,
    },
    {
      name: 'a host with data in too few intervals is left out',
      signal: LAT,
      fleet: flat(100, N),
      hosts: { 'web-1': flat(100, N), 'web-2': [300, 300], 'web-3': flat(101, N) },
      outcome: 'pass',
      reason: /worst of 2 hosts is web-3/,
    },
  ] as const;
  for (const c of cases)
    test(c.name, () => {
      const r = evaluate(c.signal, c.fleet, flat(100, N), { n: N, hosts: hosts(c.hosts) });
      const rule = ruleOf(r, 'host');
      assert.ok(rule, JSON.stringify(r.rules, null, 1));
      assert.equal(rule.outcome, c.outcome, rule.reason);
      assert.match(rule.reason, c.reason);
    });

  test('the report names the worst host, and its intervals are the evidence when it decides', () => {
    const r = evaluate(LAT, flat(118, N), flat(100, N), { n: N, hosts: hosts({ 'web-1': flat(100, N), 'web-2': flat(160, N) }) });
    assert.deepEqual(r.worstHost, { host: 'web-2', value: 160, hosts: 2 });
    assert.equal(r.evidence?.rule, 'host');
    assert.equal(r.evidence?.scope, 'host web-2 (worst of 2)');
    assert.equal(r.outcome, 'fail');
  });

  test('an unreadable per-host series is inconclusive with its cause', () => {
    const r = evaluate(LAT, flat(100, N), flat(100, N), { n: N, hosts: { kind: 'error', cause: 'timeout', message: 'slow', query: 'q' } });
    assert.equal(ruleOf(r, 'host')?.outcome, 'inconclusive');
    assert.match(ruleOf(r, 'host')!.reason, /per-host data could not be read \(timeout\): slow/);
  });
});
