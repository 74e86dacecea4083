// Scheduled runs' pure parts: one point per test with the right tags and fields, retention by count and age, the
// index page, and the command's flags.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { syntheticPoints, toLineProtocol } from '../../scripts/adapters/synthetic/points.ts';
import { expiredRuns, renderIndex, runDirName, RUN_DIR_RE } from '../../scripts/adapters/synthetic/runs.ts';
import { syntheticOptions } from '../../scripts/cli/synthetic.ts';
import type { Problem } from '../../scripts/config/errors.ts';
import { test } from './verdict-fixtures.ts';

const TAGS = { source: 'scheduled' as const, location: 'eu west,1', app: 'shop', service: 'shop-api', version: '2.0.0' };
const AT = new Date('2026-11-26T10:00:00.000Z');
const H = 3_600_000;

describe('synthetic_check points', () => {
  it('turn each test into one line with its tags (escaped) and status, duration, retries, failed and ran fields', () => {
    const lines = toLineProtocol(
      syntheticPoints(
        [
          test('main page loads', ['@smoke']),
          { ...test('search, then buy', ['@verify', '@feature:search'], 'failed'), project: 'verify' },
          { ...test('flaky one', ['@smoke']), flaky: true, attempts: 2, startedAt: '2026-11-26T10:00:05.000Z' },
          test('skipped one', ['@smoke'], 'skipped'),
        ],
        TAGS,
        AT,
      ),
    );
    assert.equal(lines.length, 4);
    assert.match(
      lines[0]!,
      /^synthetic_check,app=shop,feature=none,location=eu\\ west\\,1,project=\S+,service=shop-api,source=scheduled,test=main\\ page\\ loads,version=2\.0\.0 /,
    );
    assert.match(lines[0]!, / duration_ms=100,failed=0i,ran=1i,retries=0i,status="passed" 1795687200000$/);
    assert.match(lines[1]!, /feature=search,/);
    assert.match(lines[1]!, /test=search\\,\\ then\\ buy/);
    assert.match(lines[1]!, /failed=1i,ran=1i,retries=1i,status="failed" 1795687200001$/);
    assert.match(lines[2]!, /retries=1i,status="flaky" 1795687205000$/, 'stamped with its own start');
    assert.match(lines[3]!, /failed=0i,ran=0i,.*status="skipped"/, 'a skipped test does not count for the failure rate');
  });
});

describe('retention', () => {
  const runs = [0, 1, 2, 3, 4].map((h) => ({ name: `r${h}`, startedAt: AT.getTime() - h * H }));

  it('keeps the newest runs up to the count and deletes the oldest', () => {
    assert.deepEqual(expiredRuns(runs, { keep: 3, maxAgeMs: 100 * H }, AT.getTime()), ['r3', 'r4']);
  });
  it('deletes every run older than the age limit, whatever the count', () => {
    assert.deepEqual(expiredRuns(runs, { keep: 50, maxAgeMs: 1.5 * H }, AT.getTime()), ['r2', 'r3', 'r4']);
  });
  it('never deletes the run being written, even when it is beyond both limits', () => {
    assert.deepEqual(expiredRuns(runs, { keep: 1, maxAgeMs: 0 }, AT.getTime() + H, 'r0'), ['r1', 'r2', 'r3', 'r4']);
  });
  it('names run folders by their start, so sorting by name is sorting by time, and only such names are runs', () => {
    assert.equal(runDirName(AT), '2026-11-26T10.00.00.000Z');
    assert.ok(RUN_DIR_RE.test('2026-11-26T10.00.00.000Z') && RUN_DIR_RE.test('2026-11-26T10.00.00.000Z-2'));
    for (const other of ['index.html', 'notes', '2026-11-26', '2026-11-26T10.00.00Z']) assert.ok(!RUN_DIR_RE.test(other), other);
  });
});

describe('the index page', () => {
  it('links each run, newest first, escapes what the tests said, and counts skips', () => {
    const summary = (n: number, status: 'passed' | 'failed', skips: number) => ({
      schemaVersion: 1 as const,
      run: `run${n}`,
      number: n,
      startedAt: AT.toISOString(),
      endedAt: AT.toISOString(),
      source: 'scheduled' as const,
      location: 'local',
      grep: null,
      exitCode: status === 'passed' ? 0 : 1,
      status,
      tests: { total: 2, passed: status === 'passed' ? 2 : 1, failed: status === 'passed' ? 0 : 1, flaky: 0, skipped: 0 },
      failures: status === 'passed' ? [] : [{ title: '<script>alert(1)</script>' }],
      points: { written: 2 },
      skippedDuring: skips,
      consecutiveFailures: 0,
      alert: null,
    });
    const html = renderIndex(
      [
        { name: '2026-11-26T11.00.00.000Z', startedAt: AT.getTime() + H, summary: summary(2, 'failed', 1) },
        { name: '2026-11-26T10.00.00.000Z', startedAt: AT.getTime(), summary: summary(1, 'passed', 2) },
      ],
      'Runs',
    );
    assert.ok(html.indexOf('2026-11-26T11.00.00.000Z/html/index.html') < html.indexOf('2026-11-26T10.00.00.000Z/html/index.html'));
    assert.ok(!html.includes('<script>alert'), 'test titles are escaped');
    assert.match(html, /&lt;script&gt;/);
    assert.match(html, /3 run\(s\) skipped because the one before was still going/);
  });
});

describe('npm run synthetic flags', () => {
  const parse = (f: Record<string, string>) => {
    const problems: Problem[] = [];
    return { o: syntheticOptions(f, problems), fields: problems.map((p) => p.field) };
  };
  it('every 10s, three runs: croner every second spaced by ten, the defaults for retention and source', () => {
    const { o, fields } = parse({ every: '10s', 'max-runs': '3' });
    assert.deepEqual(fields, []);
    assert.deepEqual(o, {
      pattern: '* * * * * *',
      intervalSeconds: 10,
      grep: null,
      maxRuns: 3,
      retention: { keep: 50, maxAgeMs: 7 * 24 * H },
      source: 'scheduled',
    });
  });
  it('a cron expression instead of --every', () => {
    const { o, fields } = parse({ cron: '*/5 * * * *' });
    assert.deepEqual(fields, []);
    assert.equal(o.pattern, '*/5 * * * *');
  });
  it('reports every bad flag at once', () => {
    const { fields } = parse({ every: '1.5s', 'max-runs': '0', keep: 'x', 'keep-for': 'soon', source: 'nightly', grep: ' ' });
    assert.deepEqual(fields, ['--every', '--keep-for', '--source', '--grep', '--max-runs', '--keep']);
    assert.deepEqual(parse({}).fields, ['--every']);
    assert.deepEqual(parse({ every: '5m', cron: '* * * * *' }).fields, ['--every']);
    assert.deepEqual(parse({ cron: 'every tuesday' }).fields, ['--cron']);
  });
});
