// End-to-end runs of the real @smoke suite through a proxy that breaks the sign-in page: the login check names the failure, the other checks still run.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadProfile } from '../../scripts/config/profile.ts';
import { startDemo, type RunningDemo } from '../../demo/launch.ts';
import { DEMO_ACCOUNT } from '../../scripts/config/env.ts';
import { startRecordingProxy, type RecordingProxyOptions } from '../helpers/recording-proxy.ts';
import { runSuite, summary, type SuiteRun } from '../helpers/run-suite.ts';

const SMOKE_ONLY = ['--grep', '@smoke', '--workers=2'];
// The bundled demo's profile, loaded as the suite loads it (never imported statically).
const { config: appConfig } = await loadProfile('demo-shop');
const SIGN_IN_PAGE = appConfig.login!.path;
const INJECTED = { status: 500, body: '<!doctype html><title>Error</title><h1>Internal Server Error</h1>' };

/** A check's title by its kind; `session`: the http check that needs the signed-in session. */
function checkTitle(kind: 'login' | 'session'): string {
  const check = appConfig.smoke.find((c) => (kind === 'session' ? c.kind === 'http' && c.auth === 'session' : c.kind === kind));
  assert.ok(check, `the demo profile has a ${kind} smoke check`);
  return check.name;
}

const isSignInPage = (r: { method: string; path: string }) => r.method === 'GET' && r.path.split('?')[0] === SIGN_IN_PAGE;

let demo: RunningDemo;

/** The smoke suite against the demo through a proxy that answers some requests itself; the proxy's requests come back for assertions. */
async function smokeThroughProxy(
  intercept: RecordingProxyOptions['intercept'],
  env: Record<string, string> = {},
): Promise<{ run: SuiteRun; signInPageLoads: number }> {
  const proxy = await startRecordingProxy(demo.url, { intercept });
  try {
    const run = await runSuite(SMOKE_ONLY, {
      AFTERCHECK_BASE_URL: proxy.url,
      AFTERCHECK_USERNAME: DEMO_ACCOUNT.username,
      AFTERCHECK_PASSWORD: DEMO_ACCOUNT.password,
      ...env,
    });
    return { run, signInPageLoads: proxy.requests.filter(isSignInPage).length };
  } finally {
    await proxy.close();
  }
}

describe('a sign-in page that fails to load', () => {
  before(async () => {
    demo = await startDemo();
  });
  after(async () => {
    await demo?.stop();
  });

  it('answering 500 every time fails the login smoke check under its own title, and the other smoke checks still run', async () => {
    const { run, signInPageLoads } = await smokeThroughProxy((r) => (isSignInPage(r) ? INJECTED : undefined), { AFTERCHECK_RETRIES: '1' });
    try {
      assert.equal(run.code, 1, summary(run));
      assert.deepEqual(run.inProject('setup'), [], `no setup project: the sign-in is the login check's:\n${summary(run)}`);
      assert.ok(
        run.passed('smoke').some((t) => t.title === 'target is reachable'),
        summary(run),
      );

      const login = checkTitle('login');
      const ordersApi = checkTitle('session');
      assert.deepEqual(
        run
          .failed('smoke')
          .map((t) => t.title)
          .sort(),
        [login, ordersApi].sort(),
        summary(run),
      );
      const loginCheck = run.tests.find((t) => t.project === 'smoke' && t.title === login);
      assert.match(loginCheck?.error ?? '', new RegExp(`the sign-in page GET ${SIGN_IN_PAGE} answered 500: "Internal Server Error"`));
      assert.match(
        run.tests.find((t) => t.title === ordersApi)?.error ?? '',
        new RegExp(`no signed-in session: this run could not sign in \\(the sign-in page GET ${SIGN_IN_PAGE} answered 500`),
      );

      const others = run.inProject('smoke').filter((t) => t.title !== login && t.title !== ordersApi);
      assert.ok(others.length >= 3, summary(run));
      assert.deepEqual(
        others.filter((t) => t.outcome !== 'expected').map((t) => t.title),
        [],
        `every other smoke check ran and passed:\n${summary(run)}`,
      );
      // One sign-in for the run, tried twice (AFTERCHECK_RETRIES=1); the other worker and the login check's retry reuse it.
      assert.equal(signInPageLoads, 2, summary(run));
    } finally {
      run.cleanup();
    }
  });

  it('answering 200 without the form fails the login smoke check saying the form is missing, and is not retried', async () => {
    const maintenance = { status: 200, body: '<!doctype html><title>Demo Shop</title><h1>Back soon</h1>' };
    const { run, signInPageLoads } = await smokeThroughProxy((r) => (isSignInPage(r) ? maintenance : undefined), {
      AFTERCHECK_RETRIES: '0',
    });
    try {
      assert.equal(run.code, 1, summary(run));
      assert.equal(signInPageLoads, 1, `one sign-in for the whole run, none repeated:\n${summary(run)}`);
      const login = run.tests.find((t) => t.project === 'smoke' && t.title === checkTitle('login'));
      assert.equal(login?.outcome, 'unexpected', summary(run));
      assert.match(
        login?.error ?? '',
        new RegExp(
          `the sign-in page GET ${SIGN_IN_PAGE} did not show the sign-in form: no "${String(appConfig.login!.mode !== 'api' && appConfig.login!.passwordLabel)}" field at .*${SIGN_IN_PAGE} \\(answered 200\\)`,
        ),
      );
      assert.equal(
        run.passed('smoke').length,
        run.inProject('smoke').length - 2,
        `only the login check and the signed-in API check fail:\n${summary(run)}`,
      );
    } finally {
      run.cleanup();
    }
  });

  it('answering 500 once is retried by the sign-in, so the session is saved, shared, and every smoke check passes', async () => {
    const { run, signInPageLoads } = await smokeThroughProxy(
      (r, seenBefore) => (isSignInPage(r) && seenBefore === 0 ? INJECTED : undefined),
      { AFTERCHECK_RETRIES: '1' },
    );
    try {
      assert.equal(run.code, 0, summary(run));
      assert.deepEqual(
        run
          .inProject('smoke')
          .filter((t) => t.outcome !== 'expected')
          .map((t) => t.title),
        [],
        summary(run),
      );
      // The failed load and its retry; the login check and the signed-in checks reuse that one session.
      assert.equal(signInPageLoads, 2, summary(run));
    } finally {
      run.cleanup();
    }
  });
});
