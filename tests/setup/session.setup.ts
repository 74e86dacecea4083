// Setup project: one sign-in whose session later tests reuse; a sign-in that cannot succeed is handed to the login smoke check.
import fs from 'node:fs';
import path from 'node:path';
import { appConfig } from '../../aftercheck.config.ts';
import { test } from '../../fixtures/index.ts';
import { describeSignIn } from '../../fixtures/pages/login-page.ts';

test('sign in once and save the session', async ({ page, signIn, suite }, testInfo) => {
  const { sessionFile, signInFailureFile } = suite.paths;
  fs.mkdirSync(path.dirname(sessionFile), { recursive: true });
  fs.rmSync(sessionFile, { force: true });
  fs.rmSync(signInFailureFile, { force: true });

  const result = await signIn(page);
  if (result.kind !== 'signed-in') {
    const why = describeSignIn(result, appConfig.login.path);
    // A 5xx or a page that did not load may be transient (one bad request in twenty under load): failing here lets
    // Playwright retry the sign-in. A rejected password is not transient, and the last attempt must not fail setup:
    // a failed setup skips every smoke check and the verdict could only say "inconclusive".
    if (result.kind !== 'rejected' && testInfo.retry < testInfo.project.retries)
      throw new Error(`${why} (attempt ${testInfo.retry + 1} of ${testInfo.project.retries + 1}; retrying)`);
    fs.writeFileSync(signInFailureFile, `${why}\n`);
    const loginCheck = appConfig.smoke.find((c) => c.kind === 'login');
    // With a login smoke check, that check reports the failure under its own name and the other checks still run.
    if (!loginCheck) throw new Error(why);
    test.skip(true, `${why}; reported by the smoke check "${loginCheck.name}"`);
  }
  // Cookies only: the password is never written anywhere.
  await page.context().storageState({ path: sessionFile });
});
