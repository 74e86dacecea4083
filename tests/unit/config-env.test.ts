// Unit tests for the one config reader: validation, all-problems-at-once reporting, defaults, redaction, .env.example parity.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { loadEnv, ENV_KEYS, DEMO_ACCOUNT, type Requirement } from '../../scripts/config/env.ts';
import { ConfigError, EXIT } from '../../scripts/config/errors.ts';

function problemsOf(source: Record<string, string>, require: Requirement[] = []) {
  try {
    loadEnv({ source, require });
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    return e;
  }
  return undefined;
}

describe('loading the environment', () => {
  it('reports every bad key at once, naming each key, its value and the fix', () => {
    const err = problemsOf({
      AFTERCHECK_BASE_URL: 'ftp://shop',
      AFTERCHECK_RETRIES: 'many',
      AFTERCHECK_INFLUX_DIALECT: 'sql',
      AFTERCHECK_INFLUX_TIMEOUT_MS: '-5',
      AFTERCHECK_VERIFY_ALL: 'maybe',
      AFTERCHECK_SYNTHETIC_HEADER: 'X Synthetic',
    });
    assert.ok(err);
    assert.deepEqual(err.problems.map((p) => p.field).sort(), [
      'AFTERCHECK_BASE_URL',
      'AFTERCHECK_INFLUX_DIALECT',
      'AFTERCHECK_INFLUX_TIMEOUT_MS',
      'AFTERCHECK_RETRIES',
      'AFTERCHECK_SYNTHETIC_HEADER',
      'AFTERCHECK_VERIFY_ALL',
    ]);
    for (const p of err.problems) {
      assert.match(err.message, new RegExp(`${p.field} = `));
      assert.ok(p.fix.length > 10, `${p.field} has a fix`);
      assert.ok(err.message.includes(`Fix: ${p.fix.slice(0, 20)}`), `${p.field}'s fix is printed`);
    }
    assert.match(err.message, /6 problems in the environment/);
    assert.equal(err.exitCode, EXIT.config);
  });

  const cases: Array<{ name: string; source: Record<string, string>; require: Requirement[]; fields: string[] }> = [
    {
      name: 'a run that needs a target stops when AFTERCHECK_BASE_URL is unset',
      source: {},
      require: ['target'],
      fields: ['AFTERCHECK_BASE_URL'],
    },
    {
      name: 'a real target without credentials names both credential keys',
      source: { AFTERCHECK_BASE_URL: 'https://shop.example.com' },
      require: ['target', 'credentials'],
      fields: ['AFTERCHECK_PASSWORD', 'AFTERCHECK_USERNAME'],
    },
    {
      name: 'the health gate without InfluxDB names the URL and the database',
      source: {},
      require: ['influx'],
      fields: ['AFTERCHECK_INFLUX_DATABASE', 'AFTERCHECK_INFLUX_URL'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const err = problemsOf(c.source, c.require);
      assert.ok(err, 'a ConfigError was thrown');
      assert.deepEqual(err.problems.map((p) => p.field).sort(), c.fields);
    });
  }

  it('never shows a secret value in the message, even when it is invalid elsewhere', () => {
    const err = problemsOf(
      { AFTERCHECK_BASE_URL: 'https://shop.example.com', AFTERCHECK_PASSWORD: 'hunter2-planted', AFTERCHECK_RETRIES: 'x' },
      ['credentials'],
    );
    assert.ok(err);
    assert.doesNotMatch(err.message, /hunter2-planted/);
  });

  it('uses the demo account only when the target is the bundled demo', () => {
    const demo = loadEnv({ source: { AFTERCHECK_BASE_URL: 'demo' }, require: ['target', 'credentials'] });
    assert.deepEqual(demo.credentials, DEMO_ACCOUNT);
    assert.equal(demo.allowWrites, true);
    const real = loadEnv({
      source: { AFTERCHECK_BASE_URL: 'https://shop.example.com', AFTERCHECK_USERNAME: 'u@x', AFTERCHECK_PASSWORD: 'secret-pw' },
    });
    assert.equal(real.allowWrites, false, 'production is read-only by default');
    assert.deepEqual(real.secrets, ['secret-pw']);
  });

  it('returns a frozen result that cannot be changed downstream', () => {
    const env = loadEnv({ source: { AFTERCHECK_BASE_URL: 'demo' } });
    assert.ok(Object.isFrozen(env));
    assert.ok(Object.isFrozen(env.influx));
    assert.throws(() => {
      (env as { retries: number }).retries = 9;
    });
  });

  it('treats an empty value as unset, the way shells do', () => {
    const env = loadEnv({ source: { AFTERCHECK_BASE_URL: 'demo', AFTERCHECK_RETRIES: '', AFTERCHECK_INFLUX_DATABASE: '' } });
    assert.equal(env.retries, 1);
    assert.equal(env.influx.database, undefined);
  });
});

describe('.env.example', () => {
  it('documents exactly the keys the config reader knows', () => {
    const documented = fs
      .readFileSync(new URL('../../.env.example', import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => l.split('=')[0]!)
      .sort();
    assert.deepEqual(documented, Object.keys(ENV_KEYS).sort());
  });
});

describe('the .env file', () => {
  it('fills only unset keys, never overrides the environment, and leaves KEY= lines unset', async () => {
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-dotenv-'));
    fs.writeFileSync(path.join(dir, '.env'), 'AFTERCHECK_RETRIES=3\nNO_COLOR=\nAFTERCHECK_SERVICE=from-dotenv\n');
    const saved = { ...process.env };
    try {
      delete process.env.AFTERCHECK_RETRIES;
      delete process.env.NO_COLOR;
      process.env.AFTERCHECK_SERVICE = 'from-environment';
      const env = loadEnv({ cwd: dir });
      assert.equal(env.retries, 3, '.env fills an unset key');
      assert.equal(env.service, 'from-environment', 'the environment wins over .env');
      assert.equal(env.noColor, false);
      assert.equal(process.env.NO_COLOR, undefined, 'an empty .env value is not passed on to child processes');
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
