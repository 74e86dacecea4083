// Unit tests for app profiles: which profile AFTERCHECK_APP selects, loading one (fixture profiles, never the demo's), and every problem of a bad one at once.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultApp, listProfiles, resolveApp } from '../../scripts/config/apps.ts';
import { ConfigError } from '../../scripts/config/errors.ts';
import { loadProfile } from '../../scripts/config/profile.ts';
import { loadEnv } from '../../scripts/config/env.ts';

const FIXTURE_APPS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/apps');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-profiles-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** An apps/ folder holding these profiles (a folder with an aftercheck.config.ts each), plus a stray folder without one. */
function appsWith(...names: string[]): string {
  const dir = fs.mkdtempSync(path.join(scratch, 'apps-'));
  for (const n of names) {
    fs.mkdirSync(path.join(dir, n));
    fs.writeFileSync(path.join(dir, n, 'aftercheck.config.ts'), '');
  }
  fs.mkdirSync(path.join(dir, 'not-a-profile'));
  return dir;
}

describe('selecting the app profile', () => {
  const cases: { name: string; present: string[]; requested?: string; app: string; problem?: RegExp }[] = [
    { name: 'no profile at all: demo-shop (whose absence the loader reports)', present: [], app: 'demo-shop' },
    { name: 'the only profile', present: ['billing'], app: 'billing' },
    { name: 'several, one of them demo-shop: demo-shop', present: ['billing', 'demo-shop'], app: 'demo-shop' },
    {
      name: 'several, none demo-shop: a problem listing them',
      present: ['billing', 'notes'],
      app: 'billing',
      problem: /several app profiles \(billing, notes\)/,
    },
    { name: 'AFTERCHECK_APP naming one', present: ['billing', 'notes'], requested: 'notes', app: 'notes' },
    {
      name: 'AFTERCHECK_APP naming none: a problem',
      present: ['billing'],
      requested: 'biling',
      app: 'biling',
      problem: /there is no profile apps\/biling/,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const dir = appsWith(...c.present);
      assert.deepEqual(listProfiles(dir), [...c.present].sort());
      const got = resolveApp(c.requested, dir);
      assert.equal(got.name, c.app);
      if (c.problem) {
        assert.match(got.problem?.message ?? '', c.problem);
        assert.match(got.problem?.fix ?? '', new RegExp(`set AFTERCHECK_APP to one of: ${c.present.join(', ')}`));
      } else assert.equal(got.problem, undefined);
    });
  }

  it('an ambiguous default is reported as ambiguous, with the names', () => {
    assert.deepEqual(defaultApp(appsWith('a', 'b')), { kind: 'ambiguous', names: ['a', 'b'] });
  });

  it('the environment reports a malformed or missing AFTERCHECK_APP with the others, and derives the policy and service from the profile', () => {
    assert.throws(
      () => loadEnv({ source: { AFTERCHECK_APP: 'Not A Name', AFTERCHECK_RETRIES: 'x' } }),
      (e: unknown) => e instanceof ConfigError && e.problems.map((p) => p.field).join() === 'AFTERCHECK_APP,AFTERCHECK_RETRIES',
    );
    const env = loadEnv({ source: {}, newApp: 'fresh-app' });
    assert.equal(env.app, 'fresh-app');
    assert.equal(env.service, 'fresh-app');
    assert.match(env.policyPath, /apps[\\/]fresh-app[\\/]policy\.json$/);
    assert.equal(loadEnv({ source: { AFTERCHECK_POLICY: 'my-policy.json' }, newApp: 'x' }).policyPath, path.resolve('my-policy.json'));
  });
});

describe('loading a profile', () => {
  it('imports its config at run time, validated, with its paths and feature ids', async () => {
    const p = await loadProfile('notes', { appsDir: FIXTURE_APPS });
    assert.equal(p.name, 'notes');
    assert.deepEqual(p.featureIds, ['notebook', 'sharing']);
    assert.equal(p.config.app.name, 'Notes');
    assert.equal(p.verifyDir, path.join(FIXTURE_APPS, 'notes', 'verify'));
    assert.equal(p.policyFile, path.join(FIXTURE_APPS, 'notes', 'policy.json'));
    assert.ok(Object.isFrozen(p.config.smoke), 'the config cannot be changed after validation');
  });

  it('a missing profile is a config error naming the known ones and how to write it', async () => {
    await assert.rejects(
      loadProfile('nope', { appsDir: FIXTURE_APPS }),
      (e: unknown) =>
        e instanceof ConfigError &&
        /use one of: broken, notes, or write one with `npm run init -- --url <URL> --app nope`/.test(e.problems[0]!.fix),
    );
  });

  it("every problem of a profile's config comes at once, named against its file, with fixes", async () => {
    await assert.rejects(loadProfile('broken', { appsDir: FIXTURE_APPS }), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.source, /^app profile broken \(.*aftercheck\.config\.ts\)$/);
      const byField = Object.fromEntries(e.problems.map((p) => [p.field, p]));
      assert.match(byField['smoke[0].kind']?.fix ?? '', /health and api checks are http checks/);
      assert.match(byField['smoke[1].visible[0].role']?.message ?? '', /is not an ARIA role \(got "banana"\)/);
      assert.ok(
        e.problems.some((p) => p.field.startsWith('login')),
        e.message,
      );
      return true;
    });
  });
});
