// Policy queries may only read: one InfluxQL SELECT, or a Flux pipeline of allow-listed functions; placeholders never
// inside a regex. Checked when the policy loads, so a hostile or careless query never reaches the database.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fluxSafetyProblems, influxqlSafetyProblems } from '../../scripts/config/query-safety.ts';
import { QUERY_TEMPLATES } from '../../scripts/config/policy.ts';
import { fluxTemplate, influxqlTemplate } from '../../scripts/adapters/influx/templates.ts';

const TAIL = 'WHERE time >= $start AND time < $end GROUP BY time($interval)';

const influxql: [string, string, RegExp | null][] = [
  ['a plain aggregate SELECT is read-only', `SELECT mean("v") FROM "m" ${TAIL}`, null],
  ['a division by $intervalSeconds is arithmetic, not a regex', `SELECT sum("count") / $intervalSeconds FROM "m" ${TAIL}`, null],
  [
    'a semicolon inside a string literal is text',
    `SELECT mean("v") FROM "m" WHERE "n" = 'a;b' AND time >= $start AND time < $end GROUP BY time($interval)`,
    null,
  ],
  ['a second statement after ";" is refused', `SELECT mean("v") FROM "m" ${TAIL}; DROP DATABASE "x"`, /more than one statement/],
  ['SELECT … INTO writes elsewhere and is refused', `SELECT mean("v") INTO "other"."autogen"."m" FROM "m" ${TAIL}`, /INTO, which writes/],
  ['DROP on its own is refused', 'DROP MEASUREMENT "m"', /not a SELECT/],
  ['DELETE is refused', `DELETE FROM "m" WHERE time < $end`, /not a SELECT/],
  ['CREATE hidden after a comment is refused', `-- read\nCREATE DATABASE "x"`, /not a SELECT/],
  ['GRANT is refused', 'GRANT ALL TO "mallory"', /not a SELECT/],
  ['SHOW is refused', 'SHOW USERS', /not a SELECT/],
  [
    'a placeholder inside a regex literal is refused',
    `SELECT mean("v") FROM "m" WHERE "version" =~ /$version/ AND time >= $start AND time < $end GROUP BY time($interval)`,
    /inside the regex literal/,
  ],
  [
    'a constant regex is fine',
    `SELECT mean("v") FROM "m" WHERE "host" =~ /^web-/ AND time >= $start AND time < $end GROUP BY time($interval)`,
    null,
  ],
];

const flux: [string, string, RegExp | null][] = [
  [
    'from |> range |> filter |> aggregateWindow is read-only',
    'from(bucket: $bucket) |> range(start: $start, stop: $end) |> filter(fn: (r) => r.version == $version) |> aggregateWindow(every: $interval, fn: mean)',
    null,
  ],
  ['to() writes and is refused', 'from(bucket: $bucket) |> range(start: $start, stop: $end) |> to(bucket: "x")', /to\(\), which can write/],
  [
    'experimental.to() is refused',
    'from(bucket: $bucket) |> range(start: $start, stop: $end) |> experimental.to(bucket: "x")',
    /experimental\.to\(\)/,
  ],
  ['importing http is refused', 'import "http"\nfrom(bucket: $bucket) |> range(start: $start, stop: $end)', /imports the package "http"/],
  [
    'sql.from reaches outside the bucket',
    'import "sql"\nsql.from(driverName: "postgres", dataSourceName: "x", query: "select 1")',
    /sql\.from\(\)/,
  ],
  [
    'importing strings is fine',
    'import "strings"\nfrom(bucket: $bucket) |> range(start: $start, stop: $end) |> filter(fn: (r) => strings.hasPrefix(v: r.host, prefix: "web"))',
    null,
  ],
  [
    'a call name inside a string is text',
    'from(bucket: $bucket) |> range(start: $start, stop: $end) |> filter(fn: (r) => r._measurement == "to(x)")',
    null,
  ],
  [
    'a placeholder inside a Flux regex is refused',
    'from(bucket: $bucket) |> range(start: $start, stop: $end) |> filter(fn: (r) => r.version =~ /$version/)',
    /inside the regex literal/,
  ],
];

describe('InfluxQL policy queries', () => {
  for (const [name, q, want] of influxql) {
    it(name, () => {
      const messages = influxqlSafetyProblems(q)
        .map((p) => p.message)
        .join('; ');
      if (want) assert.match(messages, want);
      else assert.equal(messages, '');
    });
  }
});

describe('Flux policy queries', () => {
  for (const [name, q, want] of flux) {
    it(name, () => {
      const messages = fluxSafetyProblems(q)
        .map((p) => p.message)
        .join('; ');
      if (want) assert.match(messages, want);
      else assert.equal(messages, '');
    });
  }
});

describe('the built-in templates', () => {
  for (const t of QUERY_TEMPLATES) {
    it(`${t} passes the same checks in both dialects`, () => {
      assert.deepEqual(influxqlSafetyProblems(influxqlTemplate(t, { matchVersion: true })), []);
      assert.deepEqual(fluxSafetyProblems(fluxTemplate(t, { matchVersion: true })), []);
    });
  }
});
