// Setup project: is the target there at all (a fast probe, so a dead target ends the run in seconds), then one sign-in whose session later tests reuse.
import fs from 'node:fs';
import path from 'node:path';
import { appConfig } from '../../aftercheck.config.ts';
import { test } from '../../fixtures/index.ts';
import { TAG, tags } from '../../fixtures/tags.ts';
import { describeSignIn } from '../../fixtures/pages/login-page.ts';

// The sign-in is pointless when the target is unreachable: serial mode skips it after the probe fails.
test.describe.configure({ mode: 'serial' });

const PROBE_TIMEOUT_MS = 5_000;

function cause(err: unknown): string {
  const first = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
  return first.replace(/^apiRequestContext\.\w+:\s*/, '').trim() || 'no answer';
}

// Tagged @smoke: a target that does not answer at all is the first smoke failure (flowchart: smoke fails → rollback),
// not a set-up problem of the suite's own.
test('target is reachable', { tag: tags(TAG.smoke) }, async ({ request, target }, testInfo) => {
  let status: number;
  try {
    // Any HTTP answer counts, even a 500: whether the app is healthy is for the smoke checks to say, by name.
    const response = await request.get(`${target.baseURL}/`, { timeout: PROBE_TIMEOUT_MS, maxRedirects: 0, failOnStatusCode: false });
    status = response.status();
  } catch (err) {
    throw new Error(`target unreachable: ${target.display} (${cause(err)})`);
  }
  testInfo.annotations.push({ type: 'aftercheck:target-status', description: String(status) });
});

test('sign in once and save the session', async ({ page, signIn, suite }) => {
  const { sessionFile, signInFailureFile } = suite.paths;
  fs.mkdirSync(path.dirname(sessionFile), { recursive: true });
  fs.rmSync(sessionFile, { force: true });
  fs.rmSync(signInFailureFile, { force: true });

  const result = await signIn(page);
  if (result.kind !== 'signed-in') {
    const why = describeSignIn(result, appConfig.login.path);
    fs.writeFileSync(signInFailureFile, `${why}\n`);
    const loginCheck = appConfig.smoke.find((c) => c.kind === 'login');
    // With a login smoke check, that check reports the failure under its own name and the other checks still run.
    if (!loginCheck) throw new Error(why);
    test.skip(true, `${why}; reported by the smoke check "${loginCheck.name}"`);
  }
  // Cookies only: the password is never written anywhere.
  await page.context().storageState({ path: sessionFile });
});
