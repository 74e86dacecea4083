// Unit tests of query building: InfluxQL/Flux escaping, placeholder substitution, templates, query validation, dialect choice, answer parsing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { durationLiteral, influxqlIdent, influxqlString, influxqlTime } from '../../scripts/adapters/influx/escape.ts';
import { buildQuery, substitute, validateQueries, type QueryParams } from '../../scripts/adapters/influx/query.ts';
import { chooseDialect, type DialectInputs } from '../../scripts/adapters/influx/dialect.ts';
import { authHeaders, parseInfluxqlJson } from '../../scripts/adapters/influx/influxql.ts';
import { parseAnnotatedCsv } from '../../scripts/adapters/influx/flux.ts';
import { parsePolicy, QUERY_TEMPLATES } from '../../scripts/config/policy.ts';
import { ConfigError, type Problem } from '../../scripts/config/errors.ts';

describe('InfluxQL escaping', () => {
  const strings: [string, string, string][] = [
    ['a plain version', '1.4.0', `'1.4.0'`],
    ['a single quote', "1.4.0' OR 1=1", `'1.4.0\\' OR 1=1'`],
    ['a statement separator and a second statement', "x'; DROP DATABASE aftercheck; --", `'x\\'; DROP DATABASE aftercheck; --'`],
    ['a newline', 'a\nb', `'a\\nb'`],
    ['a backslash before a quote', "a\\' OR 1=1", `'a\\\\\\' OR 1=1'`],
    ['a trailing backslash', 'a\\', `'a\\\\'`],
    ['double quotes', 'say "hi"', `'say \\"hi\\"'`],
  ];
  for (const [name, value, expected] of strings) {
    test(`a string literal with ${name} is escaped: ${expected}`, () => assert.equal(influxqlString(value), expected));
  }

  test('every escaped literal is one token: no unescaped quote or raw newline remains inside it', () => {
    for (const [, value] of strings) {
      const inner = influxqlString(value).slice(1, -1);
      assert.doesNotMatch(inner.replace(/\\[\\'"n]/g, ''), /['\n\\]/);
    }
  });

  const idents: [string, string][] = [
    ['http_requests', '"http_requests"'],
    ['my "odd" name', '"my \\"odd\\" name"'],
    ['a\\b', '"a\\\\b"'],
  ];
  for (const [name, expected] of idents)
    test(`the identifier ${JSON.stringify(name)} is quoted as ${expected}`, () => assert.equal(influxqlIdent(name), expected));
  test('an empty identifier is refused', () => assert.throws(() => influxqlIdent(''), RangeError));

  test('time literals are RFC3339 in UTC, from Date objects only', () => {
    assert.equal(influxqlTime(new Date('2026-01-02T03:04:05+02:00')), `'2026-01-02T01:04:05.000Z'`);
    assert.equal(influxqlTime(0), `'1970-01-01T00:00:00.000Z'`);
    assert.throws(() => influxqlTime(new Date('nope')), RangeError);
  });

  const durations: [number, string][] = [
    [2000, '2s'],
    [60_000, '1m'],
    [90_000, '90s'],
    [3_600_000, '1h'],
    [86_400_000, '1d'],
    [1500, '1500ms'],
  ];
  for (const [ms, lit] of durations) test(`${ms} ms is the duration literal ${lit}`, () => assert.equal(durationLiteral(ms), lit));
  test('a non-integer or non-positive duration is refused', () => {
    assert.throws(() => durationLiteral(0), RangeError);
    assert.throws(() => durationLiteral(1.5), RangeError);
  });
});

const params: QueryParams = {
  start: new Date('2026-01-01T00:00:00Z'),
  end: new Date('2026-01-01T00:10:00Z'),
  version: '2.0\' OR "version" = \'1.0',
  service: 'shop',
  intervalMs: 60_000,
  bucket: 'metrics',
};

describe('placeholder substitution', () => {
  test('InfluxQL placeholders become escaped literals', () => {
    const q = substitute(
      'SELECT mean("v") FROM "m" WHERE "version" = $version AND "service" = $service AND time >= $start AND time < $end GROUP BY time($interval)',
      'influxql',
      params,
    );
    assert.equal(
      q,
      `SELECT mean("v") FROM "m" WHERE "version" = '2.0\\' OR \\"version\\" = \\'1.0' AND "service" = 'shop' AND time >= '2026-01-01T00:00:00.000Z' AND time < '2026-01-01T00:10:00.000Z' GROUP BY time(1m)`,
    );
  });
  test('Flux placeholders become Flux literals through the client serialisers', () => {
    const q = substitute(
      'from(bucket: $bucket) |> range(start: $start, stop: $end) |> filter(fn: (r) => r.version == $version) |> aggregateWindow(every: $interval, fn: mean) |> map(fn: (r) => ({r with _value: r._value / $intervalSeconds}))',
      'flux',
      { ...params, version: 'v"1\n${x}' },
    );
    assert.equal(
      q,
      'from(bucket: "metrics") |> range(start: time(v: "2026-01-01T00:00:00.000Z"), stop: time(v: "2026-01-01T00:10:00.000Z")) |> filter(fn: (r) => r.version == "v\\"1\\n\\${x}") |> aggregateWindow(every: 1m, fn: mean) |> map(fn: (r) => ({r with _value: r._value / 60.0}))',
    );
  });
  test('Flux params.* references get a params record of escaped literals', () => {
    const q = substitute('from(bucket: params.bucket) |> range(start: params.start, stop: params.stop)', 'flux', params);
    assert.match(
      q,
      /^params = \{start: time\(v: "2026-01-01T00:00:00.000Z"\), stop: time\(v: "2026-01-01T00:10:00.000Z"\), version: "2.0' OR \\"version\\" = '1.0", service: "shop", every: 1m, intervalSeconds: 60.0, bucket: "metrics"\}\n/,
    );
  });
  test('an unknown placeholder is an error, not left in the text', () => {
    assert.throws(() => substitute('SELECT $nope', 'influxql', params), /unknown placeholder \$nope/);
  });
});

describe('built-in templates', () => {
  const policy = parsePolicy(
    {
      name: 't',
      owner: { team: 't', rollbackDecider: 'd' },
      checkingPeriods: { patch: '10m', minor: '30m', major: '4h', migration: '4h', infrastructure: '2h' },
      signals: QUERY_TEMPLATES.map((t) => ({ id: t, title: t, query: { template: t }, severity: 'minor', absolute: { fail: 1e9 } })),
    },
    'test',
  );
  for (const s of policy.signals) {
    test(`the ${s.id} template aggregates per interval in InfluxQL and in Flux, filtered by service and version`, () => {
      const ql = buildQuery(s, 'influxql', params, { matchVersion: true });
      const fx = buildQuery(s, 'flux', params, { matchVersion: true });
      assert.equal(ql.kind, 'ok');
      assert.equal(fx.kind, 'ok');
      if (ql.kind !== 'ok' || fx.kind !== 'ok') return;
      assert.match(ql.text, /^SELECT (mean|sum)\(/);
      assert.match(ql.text, /GROUP BY time\(1m\) fill\(null\)$/);
      assert.match(ql.text, /"service" = 'shop' AND "version" = '2\.0\\' OR \\"version\\" = \\'1\.0'/);
      assert.match(ql.text, /time >= '2026-01-01T00:00:00\.000Z' AND time < '2026-01-01T00:10:00\.000Z'/);
      assert.match(fx.text, /aggregateWindow\(every: 1m, fn: (mean|sum), createEmpty: false, timeSrc: "_start"\)/);
      assert.match(fx.text, /r\.service == "shop" and r\.version == "2\.0' OR \\"version\\" = '1\.0"/);
      assert.doesNotMatch(ql.text + fx.text, /\$[a-z]/i, 'no placeholder left');
    });
  }
  test('a baseline that does not match versions drops the version filter', () => {
    const q = buildQuery(policy.signals[0]!, 'influxql', params, { matchVersion: false });
    assert.ok(q.kind === 'ok' && !q.text.includes('"version"'));
  });
  test('a signal with only a custom InfluxQL query cannot be read with Flux, and says how to fix it', () => {
    const p = parsePolicy(
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
          },
        ],
      },
      't',
    );
    const q = buildQuery(p.signals[0]!, 'flux', params, { matchVersion: true });
    assert.equal(q.kind, 'error');
    assert.match(q.kind === 'error' ? q.message : '', /add a "flux" query to the signal or set AFTERCHECK_INFLUX_DIALECT=influxql/);
  });
});

describe('custom query validation', () => {
  const raw = (query: Record<string, string>) => ({
    name: 't',
    owner: { team: 't', rollbackDecider: 'd' },
    checkingPeriods: { patch: '10m', minor: '30m', major: '4h', migration: '4h', infrastructure: '2h' },
    signals: [{ id: 'custom', title: 'Custom', query, severity: 'minor', absolute: { fail: 1 } }],
  });
  /** The problems the policy reports when it loads (none: it parses). */
  const loadProblems = (query: Record<string, string>): Problem[] => {
    try {
      parsePolicy(raw(query), 't');
      return [];
    } catch (e) {
      assert.ok(e instanceof ConfigError, String(e));
      return [...e.problems];
    }
  };
  const cases: [string, Record<string, string>, RegExp[]][] = [
    [
      'a well-formed InfluxQL query has no problems',
      {
        influxql:
          'SELECT percentile("d", 95) FROM "req" WHERE "version" = $version AND time >= $start AND time < $end GROUP BY time($interval)',
      },
      [],
    ],
    [
      'a well-formed Flux query has no problems',
      { flux: 'from(bucket: $bucket) |> range(start: $start, stop: $end) |> aggregateWindow(every: $interval, fn: mean)' },
      [],
    ],
    [
      'params.* style Flux is accepted',
      {
        flux: 'from(bucket: params.bucket) |> range(start: params.start, stop: params.stop) |> aggregateWindow(every: params.every, fn: mean)',
      },
      [],
    ],
    [
      'an unknown placeholder is reported when the policy loads',
      { influxql: 'SELECT mean(v) FROM m WHERE host = $host AND time >= $start AND time < $end GROUP BY time($interval)' },
      [/unknown placeholder \$host/],
    ],
    [
      'a quoted placeholder is reported when the policy loads',
      { influxql: `SELECT mean(v) FROM m WHERE version = '$version' AND time >= $start AND time < $end GROUP BY time($interval)` },
      [/puts \$version inside quotes/],
    ],
    [
      'a query without a time range and without per-interval aggregation reports both when the policy loads',
      { influxql: 'SELECT v FROM m' },
      [/does not bound the time range/, /does not aggregate per interval in the database/],
    ],
    [
      'a Flux query reading all history is reported when the policy loads',
      { flux: 'from(bucket: $bucket) |> aggregateWindow(every: $interval, fn: mean)' },
      [/does not bound the time range/],
    ],
  ];
  for (const [name, query, expected] of cases) {
    test(name, () => {
      const problems = loadProblems(query);
      assert.equal(problems.length, expected.length, JSON.stringify(problems));
      expected.forEach((re, i) => assert.match(problems[i]!.message, re));
      for (const p of problems) {
        assert.match(p.field, /^signals\[0\]\.query\.(influxql|flux)$/);
        // The precise fix, not the generic "see the schema".
        assert.doesNotMatch(p.fix, /schemas\/policy\.schema\.json/);
      }
    });
  }

  test('the health gate finds the same problems in a policy built in code, without loading it', () => {
    // A Policy object that skipped parsePolicy (built in code): validateQueries is the gate's own guard.
    const built = {
      signals: [{ ...raw({}).signals[0]!, query: { influxql: 'SELECT v FROM m WHERE host = $host' } }],
    } as unknown as Parameters<typeof validateQueries>[0];
    const problems = validateQueries(built);
    assert.deepEqual(
      problems.map((p) => [p.field, p.message]),
      [
        ['signals[0].query.influxql', 'uses unknown placeholder $host'],
        ['signals[0].query.influxql', 'does not bound the time range with $start and $end'],
        ['signals[0].query.influxql', 'does not aggregate per interval in the database'],
      ],
    );
  });

  test('query problems are listed together with the other problems of the file', () => {
    const policy = raw({ influxql: 'SELECT v FROM m' });
    const bad = { ...policy, interval: 'soon', signals: [{ ...policy.signals[0]!, severity: 'huge' }] };
    let err: unknown;
    try {
      parsePolicy(bad, 't');
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof ConfigError);
    assert.deepEqual(err.problems.map((p) => p.field).sort(), [
      'interval',
      'signals[0].query.influxql',
      'signals[0].query.influxql',
      'signals[0].severity',
    ]);
  });
});

describe('dialect choice', () => {
  const base: DialectInputs = { configured: 'auto', serverVersion: null, org: undefined, bucket: undefined, database: 'aftercheck' };
  const cases: [string, Partial<DialectInputs>, 'influxql' | 'flux'][] = [
    ['1.x speaks InfluxQL', { serverVersion: '1.6.7~rc0' }, 'influxql'],
    ['1.8 speaks InfluxQL', { serverVersion: '1.8.10' }, 'influxql'],
    ['2.x with an org and a bucket speaks Flux', { serverVersion: 'v2.7.4', org: 'acme', bucket: 'metrics', database: 'metrics' }, 'flux'],
    [
      '2.x with a separately named database uses InfluxQL (DBRP mapping)',
      { serverVersion: '2.7.4', org: 'acme', bucket: 'metrics', database: 'metrics_db' },
      'influxql',
    ],
    ['2.x without an org uses InfluxQL', { serverVersion: '2.7.4', bucket: 'metrics', database: 'metrics' }, 'influxql'],
    ['3.x has no Flux: InfluxQL', { serverVersion: '3.0.1', org: 'acme', bucket: 'metrics', database: 'metrics' }, 'influxql'],
    ['a missing header falls back to InfluxQL', { serverVersion: null }, 'influxql'],
    ['an explicit setting wins over the server version', { configured: 'flux', serverVersion: '1.6.7' }, 'flux'],
  ];
  for (const [name, over, expected] of cases) test(name, () => assert.equal(chooseDialect({ ...base, ...over }).dialect, expected));
});

describe('answers', () => {
  test('InfluxQL JSON becomes ordered points, empty intervals as null', () => {
    const r = parseInfluxqlJson({
      results: [
        {
          statement_id: 0,
          series: [
            {
              name: 'm',
              columns: ['time', 'value'],
              values: [
                [1_700_000_060_000, 2.5],
                [1_700_000_000_000, null],
              ],
            },
          ],
        },
      ],
    });
    assert.deepEqual(r, {
      kind: 'ok',
      points: [
        { t: '2023-11-14T22:13:20.000Z', v: null },
        { t: '2023-11-14T22:14:20.000Z', v: 2.5 },
      ],
    });
  });
  test('an InfluxQL answer without series is no data, not an error', () =>
    assert.deepEqual(parseInfluxqlJson({ results: [{ statement_id: 0 }] }), { kind: 'ok', points: [] }));
  const bad: [string, unknown, string, RegExp][] = [
    [
      'a statement error is a query failure',
      { results: [{ statement_id: 0, error: 'database not found: x' }] },
      'query',
      /database not found: x; create it or set AFTERCHECK_INFLUX_DATABASE/,
    ],
    [
      'two value columns are a query failure',
      { results: [{ series: [{ columns: ['time', 'a', 'b'], values: [] }] }] },
      'query',
      /2 value columns/,
    ],
    [
      'series grouped by a tag overlap in time',
      {
        results: [
          {
            series: [
              { columns: ['time', 'v'], values: [[1, 1]] },
              { columns: ['time', 'v'], values: [[1, 2]] },
            ],
          },
        ],
      },
      'query',
      /overlapping times/,
    ],
    [
      'a string value is malformed',
      { results: [{ series: [{ columns: ['time', 'v'], values: [[1, 'x']] }] }] },
      'malformed',
      /non-numeric value "x"/,
    ],
    ['JSON without results is malformed', { hello: 1 }, 'malformed', /without "results"/],
  ];
  for (const [name, body, cause, re] of bad) {
    test(name, () => {
      const r = parseInfluxqlJson(body);
      assert.equal(r.kind, 'error');
      if (r.kind === 'error') {
        assert.equal(r.cause, cause);
        assert.match(r.message, re);
      }
    });
  }

  const csv = (rows: string[]) => [
    '#datatype,string,long,dateTime:RFC3339,double',
    '#group,false,false,false,false',
    '#default,_result,,,',
    ',result,table,_time,_value',
    ...rows,
    '',
  ];
  test('annotated CSV with several tables at different times becomes one series', () => {
    const r = parseAnnotatedCsv([
      ...csv([',,0,2026-01-01T00:00:00Z,1.5', ',,0,2026-01-01T00:01:00Z,2']),
      ...csv([',,1,2026-01-01T00:02:00Z,3']),
    ]);
    assert.deepEqual(r, {
      kind: 'ok',
      points: [
        { t: '2026-01-01T00:00:00.000Z', v: 1.5 },
        { t: '2026-01-01T00:01:00.000Z', v: 2 },
        { t: '2026-01-01T00:02:00.000Z', v: 3 },
      ],
    });
  });
  test('an empty Flux answer is no data', () => assert.deepEqual(parseAnnotatedCsv(['', '']), { kind: 'ok', points: [] }));
  const badCsv: [string, string[], string, RegExp][] = [
    ['an HTML page is malformed', ['<html><body>Bad gateway</body></html>'], 'malformed', /not annotated CSV/],
    [
      'a Flux error table is a query failure',
      ['#datatype,string,string', '#group,true,true', '#default,,', ',error,reference', ',type error: undefined identifier x,'],
      'query',
      /undefined identifier x/,
    ],
    [
      'rows without _value are malformed',
      [
        '#datatype,string,long,dateTime:RFC3339,double',
        '#group,false,false,false,false',
        '#default,_result,,,',
        ',result,table,_time,other',
        ',,0,2026-01-01T00:00:00Z,1',
      ],
      'malformed',
      /no _time\/_value columns/,
    ],
    [
      'tables overlapping in time are a query failure',
      [...csv([',,0,2026-01-01T00:00:00Z,1']), ...csv([',,1,2026-01-01T00:00:00Z,2'])],
      'query',
      /overlapping times/,
    ],
  ];
  for (const [name, lines, cause, re] of badCsv) {
    test(name, () => {
      const r = parseAnnotatedCsv(lines);
      assert.equal(r.kind, 'error');
      if (r.kind === 'error') {
        assert.equal(r.cause, cause);
        assert.match(r.message, re);
      }
    });
  }

  test('a user:password token is sent as Basic auth (1.x), a bare token as Token (2.x/3.x)', () => {
    assert.deepEqual(authHeaders('admin:s3cret'), { authorization: `Basic ${Buffer.from('admin:s3cret').toString('base64')}` });
    assert.deepEqual(authHeaders('abc123=='), { authorization: 'Token abc123==' });
    assert.deepEqual(authHeaders(undefined), {});
  });
});
