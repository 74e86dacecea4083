// End-to-end runs of the real @smoke suite (real Chromium, real demo shop): healthy passes, each fault fails the check it should, a dead target fails fast.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import fs from 'node:fs';
import type { JSONReportSuite } from '@playwright/test/reporter';
import { loadProfile } from '../../scripts/config/profile.ts';
import type { SmokeCheck } from '../../scripts/config/app-config.ts';
import { findSecret } from '../helpers/find-secret.ts';
import { runSuite, summary, type SuiteRun } from '../helpers/run-suite.ts';

// The bundled demo's profile, loaded as the suite loads it (never imported statically: deleting the profile must break nothing else).
const { config: appConfig } = await loadProfile('demo-shop');

/** What a demo check is, by what it checks: the health endpoint, a public or a signed-in API. */
type Role = SmokeCheck['kind'] | 'health' | 'api' | 'api-session';
const isRole = (c: SmokeCheck, role: Role): boolean =>
  role === 'health'
    ? c.kind === 'http' && c.path === '/health'
    : role === 'api' || role === 'api-session'
      ? c.kind === 'http' && c.path.startsWith('/api/') && (c.auth === 'session') === (role === 'api-session')
      : c.kind === role;

/** Smoke check titles come from the config; tests name them by what they check so the config can be reworded without breaking these tests. */
function titleOf(role: Role): string {
  const check = appConfig.smoke.find((c) => isRole(c, role));
  assert.ok(check, `the demo profile has a ${role} smoke check`);
  return check.name;
}

const SMOKE_ONLY = ['--grep', '@smoke', '--workers=2'];

function failedSmokeTitles(run: SuiteRun): string[] {
  return run
    .failed('smoke')
    .map((t) => t.title)
    .sort();
}

/** Titles of the smoke checks whose results carry a trace (Playwright's name and type, so the HTML report opens it). */
function tracedTitles(run: SuiteRun): string[] {
  const titles: string[] = [];
  const walk = (suite: JSONReportSuite): void => {
    for (const spec of suite.specs)
      for (const t of spec.tests)
        if (
          t.results.some((r) =>
            r.attachments.some((a) => a.name === 'trace' && a.contentType === 'application/zip' && a.path && fs.existsSync(a.path)),
          )
        )
          titles.push(spec.title);
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of run.report?.suites ?? []) walk(suite);
  return titles.sort();
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('the @smoke suite against the demo shop', () => {
  it('with AFTERCHECK_BASE_URL unset stops at once, saying what to set, with exit code 4', async () => {
    const run = await runSuite(SMOKE_ONLY, {});
    try {
      assert.equal(run.code, 4, summary(run));
      assert.match(run.stderr, /AFTERCHECK_BASE_URL = \(unset\): no target to check/);
      assert.match(run.stderr, /npm run demo/);
      assert.equal(run.report, undefined, 'no test ran, so no results were written');
    } finally {
      run.cleanup();
    }
  });

  // How fast it fails is measured against a floor in `npm run bench` (section 1), never asserted here.
  it('against a closed port fails with "target unreachable" and the URL first, running no smoke check', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const run = await runSuite(SMOKE_ONLY, {
      AFTERCHECK_BASE_URL: url,
      AFTERCHECK_USERNAME: 'a@b.c',
      AFTERCHECK_PASSWORD: 'irrelevant-pw',
    });
    try {
      assert.equal(run.code, 1, summary(run));
      const failed = run.tests.filter((t) => t.outcome === 'unexpected');
      assert.deepEqual(
        failed.map((t) => t.title),
        ['target is reachable'],
        summary(run),
      );
      assert.match(failed[0]!.error ?? '', new RegExp(`^Error: target unreachable: ${url}/? \\(connect ECONNREFUSED`));
      assert.ok(run.inProject('smoke').length >= 5, 'the smoke checks are listed');
      assert.deepEqual(
        run.inProject('smoke').filter((t) => t.outcome !== 'skipped' && t.title !== 'target is reachable'),
        [],
        'no smoke check ran against a dead target',
      );
      const firstError = run.stdout.indexOf('Error: ');
      assert.ok(firstError >= 0 && run.stdout.slice(firstError).startsWith(`Error: target unreachable: ${url}`), run.stdout);
    } finally {
      run.cleanup();
    }
  });

  it('when healthy passes every smoke check (at least five) signing in once for the run, and records the selection', async () => {
    const run = await runSuite(SMOKE_ONLY, { AFTERCHECK_BASE_URL: 'demo' });
    try {
      assert.equal(run.code, 0, summary(run));
      const smoke = run.inProject('smoke').filter((t) => t.title !== 'target is reachable');
      assert.ok(smoke.length >= 5 && smoke.length <= 10, `${smoke.length} smoke checks`);
      assert.deepEqual(
        smoke.filter((t) => t.outcome !== 'expected'),
        [],
        summary(run),
      );
      assert.deepEqual(
        smoke.map((t) => t.title).sort(),
        appConfig.smoke.map((c) => c.name).sort(),
        'one test per configured check, titled by its name',
      );
      for (const t of smoke) assert.ok(t.tags.includes('@smoke'), t.title);
      assert.deepEqual(
        run.passed('smoke').filter((t) => t.title === 'target is reachable').length,
        1,
        'the @smoke probe is reported with the checks',
      );
      assert.deepEqual(run.inProject('setup'), [], 'no setup project: the sign-in is a worker fixture');
      assert.equal(run.inProject('verify').length, 0, '--grep @smoke runs no @verify test');
      const page = smoke.find((t) => t.title === titleOf('page'))!;
      assert.deepEqual(
        page.annotations.filter((a) => a.type.startsWith('aftercheck:') && a.type.endsWith('errors')),
        [
          { type: 'aftercheck:page-errors', description: '0' },
          { type: 'aftercheck:console-errors', description: '0' },
        ],
      );
      assert.match(run.selection?.reason ?? '', /^no manifest at .*no-release-manifest\.json/);
      assert.deepEqual(run.selection?.selectedFeatures, []);
    } finally {
      run.cleanup();
    }
  });

  const faults: {
    fault: string;
    failing: () => string[];
    errors: Record<string, RegExp>;
    extra?: Record<string, string>;
    traced?: () => string[];
  }[] = [
    {
      fault: 'health-500',
      failing: () => [titleOf('health')],
      errors: { health: /GET \/health answered 500/ },
    },
    {
      fault: 'js-error',
      failing: () => [titleOf('page')],
      errors: { page: /uncaught JS errors on \/: /s },
      // A failing page check keeps the trace of its browser context (the smoke project's own per-test tracing).
      traced: () => [titleOf('page')],
    },
    {
      // The password is planted here too: this run's failures (a login check) must not leak it into any report.
      fault: 'login-broken',
      failing: () => [titleOf('login'), titleOf('api-session')].sort(),
      errors: {
        login: /the sign-in at \/login answered 500: "Login service unavailable"/,
        apiAuth: /no signed-in session: this run could not sign in/,
      },
      extra: {
        AFTERCHECK_USERNAME: 'synthetic.monitor@demo.shop',
        AFTERCHECK_PASSWORD: 'planted-login-secret-5150',
        DEMO_SYNTHETIC_PASSWORD: 'planted-login-secret-5150',
      },
      // The login check handles the password: it fails without a trace.
      traced: () => [],
    },
  ];

  for (const f of faults) {
    it(`with ${f.fault} fails exactly the smoke checks it breaks, named by title`, async () => {
      const run = await runSuite([...SMOKE_ONLY, '--retries=0'], { AFTERCHECK_BASE_URL: 'demo', DEMO_FAULTS: f.fault, ...f.extra });
      try {
        assert.equal(run.code, 1, summary(run));
        assert.deepEqual(failedSmokeTitles(run), [...f.failing()].sort(), summary(run));
        const byKind: Record<string, string> = {
          health: titleOf('health'),
          page: titleOf('page'),
          login: titleOf('login'),
          apiAuth: titleOf('api-session'),
        };
        for (const [kind, pattern] of Object.entries(f.errors)) {
          const t = run.tests.find((x) => x.project === 'smoke' && x.title === byKind[kind]);
          assert.match(t?.error ?? '', pattern, `${byKind[kind]}: ${t?.error}`);
        }
        if (f.traced) assert.deepEqual(tracedTitles(run), f.traced().sort(), summary(run));
        if (f.extra?.AFTERCHECK_PASSWORD) {
          const scan = findSecret(run.reportsDir, f.extra.AFTERCHECK_PASSWORD);
          assert.deepEqual(scan.hits, [], `the password leaked into ${scan.hits.join(', ')}`);
          assert.ok(scan.filesScanned > 5, `scanned ${scan.filesScanned} files`);
        }
      } finally {
        run.cleanup();
      }
    });
  }

  it('with db-down fails the health check naming the database, and the database-backed checks with it', async () => {
    const run = await runSuite([...SMOKE_ONLY, '--retries=0'], { AFTERCHECK_BASE_URL: 'demo', DEMO_FAULTS: 'db-down' });
    try {
      assert.equal(run.code, 1, summary(run));
      const failed = failedSmokeTitles(run);
      assert.ok(failed.includes(titleOf('health')), summary(run));
      const health = run.tests.find((t) => t.title === titleOf('health'))!;
      assert.match(
        health.error ?? '',
        /GET \/health answered 503 \(expected 2xx\); .*\$\.checks\.database is "fail: [^"]+" \(expected "ok"\)/,
      );
      // The product API reads the database; the static assets do not.
      assert.ok(failed.includes(titleOf('api')), summary(run));
      assert.ok(!failed.includes(titleOf('assets')), summary(run));
    } finally {
      run.cleanup();
    }
  });
});
