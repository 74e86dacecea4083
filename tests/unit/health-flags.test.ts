// Unit tests of the health CLI's setup: flags, manifest overrides, and one ConfigError listing every problem.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadHealthSetup, parseHealthFlags, type HealthSetup } from '../../scripts/gates/health-setup.ts';
import { ConfigError } from '../../scripts/config/errors.ts';
import { policyTemplate } from '../../scripts/init/policy-template.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-health-flags-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, content: unknown) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};
const policyFile = write('policy.json', policyTemplate({ app: 'notes' }));
const manifestFile = write('manifest.json', {
  version: '2.0.0',
  previousVersion: '1.9.0',
  deployedAt: '2026-01-01T10:00:00Z',
  changeSize: 'minor',
  features: [],
});
const env = (over: Record<string, string> = {}) => ({
  AFTERCHECK_INFLUX_URL: 'http://127.0.0.1:8086',
  AFTERCHECK_INFLUX_DATABASE: 'db',
  AFTERCHECK_POLICY: policyFile,
  AFTERCHECK_MANIFEST: manifestFile,
  AFTERCHECK_REPORTS_DIR: dir,
  ...over,
});

function problemsOf(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${p.field}: ${p.message}`);
    throw e;
  }
  assert.fail('expected a ConfigError');
}

describe('health flags', () => {
  test('known flags with values parse without problems', () => {
    const { flags, problems } = parseHealthFlags([
      '--version',
      '3',
      '--previous-version=2',
      '--deployed-at',
      '2026-01-01T00:00:00+01:00',
      '--change-size',
      'major',
      '--now',
      '2026-01-01T01:00:00Z',
      '--out',
      'x.json',
      '--json',
    ]);
    assert.deepEqual(problems, []);
    assert.equal(flags.version, '3');
    assert.equal(flags.previousVersion, '2');
    assert.equal(flags.changeSize, 'major');
    assert.equal(flags.json, true);
  });
  const bad: [string, string[], RegExp][] = [
    ['an unknown flag', ['--verbose'], /--verbose: is not a known option/],
    ['a positional argument', ['report'], /arguments: is not an option/],
    ['a date without a zone', ['--deployed-at', '2026-01-01T10:00:00'], /--deployed-at: is not an ISO-8601 date-time with a zone/],
    ['an unknown change size', ['--change-size', 'tiny'], /--change-size: is not a change size/],
    ['a value on a boolean flag', ['--json=yes'], /--json: takes no value/],
    ['a missing value', ['--policy'], /--policy: needs a value/],
  ];
  for (const [name, argv, re] of bad) {
    test(`${name} is a problem`, () => {
      const { problems } = parseHealthFlags(argv);
      assert.equal(problems.length, 1);
      assert.match(`${problems[0]!.field}: ${problems[0]!.message}`, re);
    });
  }
});

describe('health setup', () => {
  test('the manifest supplies the release and flags override its fields', () => {
    const s = loadHealthSetup(['--version', '2.0.1', '--now', '2026-01-01T10:20:00Z'], env()) as HealthSetup;
    assert.deepEqual(s.manifest, {
      version: '2.0.1',
      previousVersion: '1.9.0',
      deployedAt: '2026-01-01T10:00:00Z',
      changeSize: 'minor',
      features: [],
    });
    assert.equal(s.now.toISOString(), '2026-01-01T10:20:00.000Z');
    assert.equal(s.out, path.join(dir, 'health.json'));
    assert.equal(s.policy.signals.length, policyTemplate({ app: 'notes' }).signals.length);
  });

  test('without a manifest file, flags alone describe the release', () => {
    const s = loadHealthSetup(
      ['--version', '5', '--previous-version', '4', '--deployed-at', '2026-01-01T10:00:00Z', '--change-size', 'patch'],
      env({ AFTERCHECK_MANIFEST: path.join(dir, 'absent.json') }),
    ) as HealthSetup;
    assert.equal(s.manifest.version, '5');
    assert.equal(s.manifest.changeSize, 'patch');
  });

  test('problems from flags, policy queries and the manifest come in one ConfigError', () => {
    const badPolicy = write('bad-policy.json', {
      name: 'p',
      owner: { team: 't', rollbackDecider: 'd' },
      checkingPeriods: { patch: '10m', minor: '30m', major: '4h', migration: '4h', infrastructure: '2h' },
      signals: [
        {
          id: 'x',
          title: 'X',
          query: { influxql: "SELECT v FROM m WHERE version = '$version'" },
          severity: 'minor',
          absolute: { fail: 1 },
        },
      ],
    });
    const text = problemsOf(() => loadHealthSetup(['--bogus', '--version', '1.9.0'], env({ AFTERCHECK_POLICY: badPolicy }))).join('\n');
    assert.match(text, /--bogus: is not a known option/);
    assert.match(text, /signals\[0\]\.query\.influxql: puts \$version inside quotes/);
    assert.match(text, /signals\[0\]\.query\.influxql: does not bound the time range/);
    assert.match(text, /signals\[0\]\.query\.influxql: does not aggregate per interval/);
    assert.match(text, /--version: equals the previous version/);
  });

  test('environment problems are listed with the flag problems', () => {
    const text = problemsOf(() => loadHealthSetup(['--bogus'], env({ AFTERCHECK_INFLUX_TIMEOUT_MS: 'soon' }))).join('\n');
    assert.match(text, /--bogus: is not a known option/);
    assert.match(text, /AFTERCHECK_INFLUX_TIMEOUT_MS: must be a whole number/);
  });

  test('an invalid manifest file is reported with its fields', () => {
    const bad = write('bad-manifest.json', { version: '', previousVersion: '1', deployedAt: 'Tuesday', changeSize: 'patch' });
    const text = problemsOf(() => loadHealthSetup([], env({ AFTERCHECK_MANIFEST: bad }))).join('\n');
    assert.match(text, /version: must not be empty/);
    assert.match(text, /deployedAt: must be an ISO-8601 date-time/);
  });

  test('InfluxDB not configured is a configuration problem', () => {
    const text = problemsOf(() => loadHealthSetup([], { AFTERCHECK_POLICY: policyFile, AFTERCHECK_MANIFEST: manifestFile })).join('\n');
    assert.match(text, /AFTERCHECK_INFLUX_URL: health signals need InfluxDB/);
  });

  test('--help alone asks for the usage', () => assert.equal(loadHealthSetup(['--help'], env()), 'help'));
});
