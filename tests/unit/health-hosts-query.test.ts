// Unit tests of per-host and weighted queries: GROUP BY the host tag, a ratio's weight column, and the answers read back.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicy } from '../../scripts/config/policy.ts';
import { buildQuery, type QueryParams } from '../../scripts/adapters/influx/query.ts';
import { parseInfluxqlByTag, parseInfluxqlJson } from '../../scripts/adapters/influx/influxql.ts';
import { parseAnnotatedCsv, parseAnnotatedCsvByTag } from '../../scripts/adapters/influx/flux.ts';

const params: QueryParams = {
  start: new Date('2026-01-01T00:00:00Z'),
  end: new Date('2026-01-01T00:10:00Z'),
  version: '2.0',
  service: 'shop',
  intervalMs: 60_000,
  bucket: 'b',
};
const policy = (query: Record<string, string>) =>
  parsePolicy(
    {
      name: 't',
      owner: { team: 't', rollbackDecider: 'd' },
      checkingPeriods: { patch: '10m', minor: '30m', major: '4h', migration: '4h', infrastructure: '2h' },
      signals: [{ id: 'x', title: 'x', unit: 'ms', query, severity: 'minor', absolute: { fail: 1e9 } }],
    },
    't',
  ).signals[0]!;

describe('per-host templates', () => {
  const cases: [string, RegExp, RegExp][] = [
    [
      'latency_p95',
      /GROUP BY time\(1m\), "host" fill\(null\)$/,
      /group\(columns: \["host"\]\)[\s\S]*keep\(columns: \["_time", "_value", "host"\]\)/,
    ],
    [
      'error_rate',
      /"count" > 0 AND .* GROUP BY time\(1m\), "host" fill\(null\)$/,
      /group\(columns: \["_field", "host"\]\)[\s\S]*host: r\.host\}\)\)$/,
    ],
    [
      'request_rate',
      /sum\("count"\) \/ 60 AS "value" .* GROUP BY time\(1m\), "host"/,
      /group\(columns: \["host"\]\)[\s\S]*\/ 60\.0, host: r\.host\}\)\)$/,
    ],
  ];
  for (const [template, influxql, flux] of cases)
    test(`the ${template} template groups by the host tag in both dialects`, () => {
      const s = policy({ template });
      const ql = buildQuery(s, 'influxql', params, { matchVersion: true, byHost: true });
      const fx = buildQuery(s, 'flux', params, { matchVersion: true, byHost: true });
      assert.ok(ql.kind === 'ok' && fx.kind === 'ok');
      assert.match(ql.text, influxql);
      assert.match(fx.text, flux);
    });
  test('a custom query cannot be regrouped by host, and says so', () => {
    const s = policy({ influxql: 'SELECT mean(v) FROM m WHERE time >= $start AND time < $end GROUP BY time($interval)' });
    const q = buildQuery(s, 'influxql', params, { matchVersion: true, byHost: true });
    assert.equal(q.kind, 'error');
    assert.match(q.kind === 'error' ? q.message : '', /needs a built-in template/);
  });
  test('a worstHost limit on a custom query is refused when the policy loads', () =>
    assert.throws(
      () =>
        parsePolicy(
          {
            name: 't',
            owner: { team: 't', rollbackDecider: 'd' },
            checkingPeriods: { patch: '10m', minor: '30m', major: '4h', migration: '4h', infrastructure: '2h' },
            signals: [
              {
                id: 'x',
                title: 'x',
                query: { influxql: 'SELECT mean(v) FROM m WHERE time >= $start AND time < $end GROUP BY time($interval)' },
                severity: 'minor',
                absolute: { fail: 1 },
                worstHost: { fail: 2 },
              },
            ],
          },
          't',
        ),
      /worstHost.*needs a built-in template query/s,
    ));
});

describe('per-host answers', () => {
  test('InfluxQL series tagged by host become one series per host, sorted', () => {
    const r = parseInfluxqlByTag(
      {
        results: [
          {
            series: [
              {
                name: 'http_requests',
                tags: { host: 'web-2' },
                columns: ['time', 'value'],
                values: [
                  [0, 2],
                  [60_000, null],
                ],
              },
              { name: 'http_requests', tags: { host: 'web-1' }, columns: ['time', 'value'], values: [[0, 1]] },
            ],
          },
        ],
      },
      'host',
    );
    assert.deepEqual(r, {
      kind: 'ok',
      hosts: [
        { host: 'web-1', points: [{ t: '1970-01-01T00:00:00.000Z', v: 1 }] },
        {
          host: 'web-2',
          points: [
            { t: '1970-01-01T00:00:00.000Z', v: 2 },
            { t: '1970-01-01T00:01:00.000Z', v: null },
          ],
        },
      ],
    });
  });
  test('an InfluxQL error stays a named failure', () => {
    const r = parseInfluxqlByTag({ results: [{ error: 'database not found: x' }] }, 'host');
    assert.equal(r.kind, 'error');
  });
  test('Flux tables with a host column become one series per host', () => {
    const head = [
      '#datatype,string,long,dateTime:RFC3339,double,string',
      '#group,false,false,false,false,true',
      '#default,_result,,,,',
      ',result,table,_time,_value,host',
    ];
    const r = parseAnnotatedCsvByTag([...head, ',,0,2026-01-01T00:00:00Z,1.5,a', ',,1,2026-01-01T00:00:00Z,9,b', ''], 'host');
    assert.deepEqual(r, {
      kind: 'ok',
      hosts: [
        { host: 'a', points: [{ t: '2026-01-01T00:00:00.000Z', v: 1.5 }] },
        { host: 'b', points: [{ t: '2026-01-01T00:00:00.000Z', v: 9 }] },
      ],
    });
  });
});

describe('a ratio and its weight', () => {
  test('the error_rate template returns the requests behind each percentage as "weight", in both dialects', () => {
    const s = policy({ template: 'error_rate' });
    const ql = buildQuery(s, 'influxql', params, { matchVersion: true });
    const fx = buildQuery(s, 'flux', params, { matchVersion: true });
    assert.ok(ql.kind === 'ok' && fx.kind === 'ok');
    assert.match(ql.text, /^SELECT sum\("errors"\) \* 100 \/ sum\("count"\) AS "value", sum\("count"\) AS "weight" FROM/);
    assert.match(fx.text, /weight: float\(v: r\.count\)/);
  });
  test('an InfluxQL "weight" column rides along with each point; a third column of another name is refused', () => {
    const body = (col: string) => ({ results: [{ series: [{ columns: ['time', 'value', col], values: [[0, 1.5, 200]] }] }] });
    assert.deepEqual(parseInfluxqlJson(body('weight')), { kind: 'ok', points: [{ t: '1970-01-01T00:00:00.000Z', v: 1.5, w: 200 }] });
    const other = parseInfluxqlJson(body('other'));
    assert.equal(other.kind, 'error');
  });
  test('a Flux "weight" column rides along too', () => {
    const head = [
      '#datatype,string,long,dateTime:RFC3339,double,double',
      '#group,false,false,false,false,false',
      '#default,_result,,,,',
      ',result,table,_time,_value,weight',
    ];
    assert.deepEqual(parseAnnotatedCsv([...head, ',,0,2026-01-01T00:00:00Z,2,50', '']), {
      kind: 'ok',
      points: [{ t: '2026-01-01T00:00:00.000Z', v: 2, w: 50 }],
    });
  });
});
