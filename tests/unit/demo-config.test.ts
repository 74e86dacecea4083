// Unit tests for the demo shop's configuration reader (demo/config.ts): defaults, validation, every problem at once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadDemoConfig } from '../../demo/config.ts';
import { KNOWN_FAULTS } from '../../demo/src/faults.ts';
import { ConfigError } from '../../scripts/config/errors.ts';
import { parseTrafficArgs } from '../../demo/traffic.ts';

function problemsOf(source: Record<string, string>): ConfigError {
  try {
    loadDemoConfig(source);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  assert.fail(`expected a ConfigError for ${JSON.stringify(source)}`);
}

describe('demo shop configuration', () => {
  it('an empty environment gives the documented defaults', () => {
    const c = loadDemoConfig({});
    assert.equal(c.port, 0);
    assert.equal(c.version, '1.0.0');
    assert.deepEqual(c.faults, []);
    assert.equal(c.dataDir, undefined);
    assert.equal(c.service, 'demo-shop');
    assert.ok(c.hostname.length > 0);
    assert.equal(c.influx, undefined);
    assert.equal(c.metricsIntervalMs, 1000);
    assert.equal(c.metricsClockOffsetMs, 0);
    assert.equal(c.syntheticHeader, 'X-Synthetic-Check');
    assert.deepEqual(c.syntheticAccount, { username: 'synthetic.monitor@demo.shop', password: 'demo-synthetic-password' });
  });

  it('the configuration is frozen so nothing downstream can change it', () => {
    const c = loadDemoConfig({ DEMO_FAULTS: 'slow' });
    assert.ok(Object.isFrozen(c) && Object.isFrozen(c.faults) && Object.isFrozen(c.syntheticAccount));
  });

  const accepted: { name: string; env: Record<string, string>; check: (c: ReturnType<typeof loadDemoConfig>) => void }[] = [
    {
      name: 'a fault list with spaces and repeats is trimmed and de-duplicated',
      env: { DEMO_FAULTS: ' slow, errors ,slow,,' },
      check: (c) => assert.deepEqual(c.faults, ['slow', 'errors']),
    },
    {
      name: 'an InfluxDB URL turns metrics on, without a trailing slash',
      env: { DEMO_INFLUX_URL: 'http://127.0.0.1:8086/', DEMO_INFLUX_TOKEN: 'tok-1234' },
      check: (c) => assert.deepEqual(c.influx, { url: 'http://127.0.0.1:8086', database: 'aftercheck', token: 'tok-1234' }),
    },
    {
      name: 'an empty value counts as unset, as in a shell',
      env: { DEMO_PORT: '', DEMO_VERSION: '' },
      check: (c) => assert.deepEqual([c.port, c.version], [0, '1.0.0']),
    },
    {
      name: 'a port and a version are taken as given',
      env: { DEMO_PORT: '3456', DEMO_VERSION: '2.1.0-rc.1' },
      check: (c) => assert.deepEqual([c.port, c.version], [3456, '2.1.0-rc.1']),
    },
    {
      name: 'the metrics clock may be shifted back by a window, or forward',
      env: { DEMO_METRICS_CLOCK_OFFSET_MS: '-36000' },
      check: (c) => assert.equal(c.metricsClockOffsetMs, -36_000),
    },
    { name: 'the host tag can be set explicitly', env: { DEMO_HOSTNAME: 'web-1' }, check: (c) => assert.equal(c.hostname, 'web-1') },
  ];
  for (const t of accepted) it(t.name, () => t.check(loadDemoConfig(t.env)));

  it('an unknown fault is rejected and the message lists every known fault', () => {
    const err = problemsOf({ DEMO_FAULTS: 'slow,explode' });
    assert.equal(err.exitCode, 4);
    assert.match(err.message, /DEMO_FAULTS = "slow,explode"/);
    assert.match(err.message, /unknown fault "explode"/);
    for (const f of KNOWN_FAULTS) assert.ok(err.message.includes(f), `the message names ${f}`);
  });

  it('every bad key is reported at once, each with its value and a fix', () => {
    const err = problemsOf({
      DEMO_PORT: '70000',
      DEMO_VERSION: 'has space',
      DEMO_INFLUX_URL: 'ftp://x',
      DEMO_METRICS_INTERVAL_MS: '10',
      DEMO_METRICS_CLOCK_OFFSET_MS: '1.5',
      DEMO_SYNTHETIC_HEADER: 'Bad Header',
      DEMO_SYNTHETIC_USERNAME: 'not-an-email',
    });
    const fields = err.problems.map((p) => p.field);
    assert.deepEqual(fields, [
      'DEMO_PORT',
      'DEMO_VERSION',
      'DEMO_INFLUX_URL',
      'DEMO_METRICS_INTERVAL_MS',
      'DEMO_METRICS_CLOCK_OFFSET_MS',
      'DEMO_SYNTHETIC_HEADER',
      'DEMO_SYNTHETIC_USERNAME',
    ]);
    for (const p of err.problems) assert.ok(p.fix.length > 10, `${p.field} has a fix`);
    assert.match(err.message, /DEMO_PORT = "70000": must be 0 to 65535/);
  });

  it('a bad secret is reported without its value', () => {
    const err = problemsOf({ DEMO_SYNTHETIC_PASSWORD: 'short' });
    assert.equal(err.problems[0]!.value, '(redacted)');
    assert.ok(!err.message.includes('short'));
  });
});

describe('traffic generator command line', () => {
  it('reads --url, --rps and --duration, with 8 rps and 60 s as defaults', () => {
    assert.deepEqual(parseTrafficArgs(['--url', 'http://127.0.0.1:3000']), { url: 'http://127.0.0.1:3000', rps: 8, durationMs: 60_000 });
    assert.deepEqual(parseTrafficArgs(['--url', 'http://127.0.0.1:3000', '--rps', '2.5', '--duration', '1m30s']), {
      url: 'http://127.0.0.1:3000',
      rps: 2.5,
      durationMs: 90_000,
    });
    assert.equal(parseTrafficArgs(['--help']), 'help');
  });

  it('reports every bad option at once, with exit code 4', () => {
    let err: unknown;
    try {
      parseTrafficArgs(['--rps', '0', '--duration', 'forever', '--bogus']);
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof ConfigError && err.exitCode === 4);
    assert.deepEqual(
      err.problems.map((p) => p.field),
      ['--bogus', '--url', '--rps', '--duration'],
    );
  });

  const unbounded: [string, string[]][] = [
    ['a duration over 24 hours is refused: traffic always stops by itself', ['--url', 'http://x', '--duration', '2d']],
    ['an unknown flag is refused', ['--url', 'http://x', '--forever']],
    ['a URL that is not http(s) is refused before any request is sent', ['--url', 'nope']],
  ];
  for (const [name, argv] of unbounded) it(name, () => assert.throws(() => parseTrafficArgs(argv), ConfigError));
});
