// Setup project: one sign-in whose session (cookies, the app's storage, a bearer token) later tests reuse; a sign-in that cannot succeed is handed to the login smoke check.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test } from '../../fixtures/index.ts';
import { describeSignIn, isTransient, type SignInResult } from '../../fixtures/sign-in.ts';
import type { SuiteSettings } from '../../fixtures/settings.ts';

/** Saves the session: the context's cookies and storage, plus the bearer token where the login says it is. */
async function saveSession(page: Page, suite: SuiteSettings, result: Extract<SignInResult, { kind: 'signed-in' }>): Promise<void> {
  const login = suite.profile.config.login;
  const state = await page.context().storageState();
  let token = result.token;
  const storageKey = login?.token && 'localStorage' in login.token ? login.token.localStorage : undefined;
  if (login?.mode === 'api' && token && storageKey) {
    // An api sign-in never ran the app's own code: put the token where the SPA looks for it, so signed-in pages work too.
    const origin = suite.target.origin;
    const entry = state.origins.find((o) => o.origin === origin) ?? { origin, localStorage: [] };
    if (!state.origins.includes(entry)) state.origins.push(entry);
    entry.localStorage.push({ name: storageKey, value: token });
  } else if (login?.mode !== 'api' && storageKey) {
    token = (await page.evaluate((key) => window.localStorage.getItem(key), storageKey)) ?? undefined;
  }
  // Cookies, storage and the token only: the password is never written anywhere. The whole folder goes in teardown.
  fs.writeFileSync(suite.paths.sessionFile, JSON.stringify(state));
  if (token) fs.writeFileSync(suite.paths.bearerFile, token, { mode: 0o600 });
}

test('sign in once and save the session', async ({ page, signIn, suite }, testInfo) => {
  const { sessionFile, signInFailureFile, bearerFile } = suite.paths;
  fs.mkdirSync(path.dirname(sessionFile), { recursive: true });
  for (const f of [sessionFile, signInFailureFile, bearerFile]) fs.rmSync(f, { force: true });
  const { config, name } = suite.profile;
  test.skip(!config.login, `the app profile ${name} has no login: no session to save`);

  const result = await signIn(page);
  if (result.kind !== 'signed-in') {
    const why = describeSignIn(result, config.login);
    // A 5xx or a page that did not load may be transient (one bad request in twenty under load): failing here lets
    // Playwright retry the sign-in. A rejected password or a login config that does not fit the app is not transient,
    // and the last attempt must not fail setup: a failed setup skips every smoke check and the verdict could only say "inconclusive".
    if (isTransient(result) && testInfo.retry < testInfo.project.retries)
      throw new Error(`${why} (attempt ${testInfo.retry + 1} of ${testInfo.project.retries + 1}; retrying)`);
    fs.writeFileSync(signInFailureFile, `${why}\n`);
    const loginCheck = config.smoke.find((c) => c.kind === 'login');
    // With a login smoke check, that check reports the failure under its own name and the other checks still run.
    if (!loginCheck) throw new Error(why);
    test.skip(true, `${why}; reported by the smoke check "${loginCheck.name}"`);
  }
  await saveSession(page, suite, result as Extract<SignInResult, { kind: 'signed-in' }>);
});
