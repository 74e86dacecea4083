// Unit tests for where `auth: "bearer"` checks get their token: the sign-in's (login.token), else AFTERCHECK_API_TOKEN; each gap named, the token never in a message.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoginConfig } from '../../scripts/config/app-config.ts';
import { bearerFor as bearerOf, readSession } from '../../fixtures/session.ts';
import type { SuiteSettings } from '../../fixtures/settings.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-session-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const FORM: LoginConfig = {
  path: '/',
  usernameLabel: 'Email',
  passwordLabel: 'Password',
  submitButton: 'Sign in',
  loggedInIndicator: { role: 'button', name: 'Sign out' },
  token: { localStorage: 'app.token' },
};

/** The parts of the settings bearerFor reads, with a session (and a token file) present or not. */
function suite(
  login: LoginConfig | undefined,
  files: { session?: boolean; token?: string; failure?: string },
  apiToken?: string,
): SuiteSettings {
  const base = fs.mkdtempSync(path.join(dir, 'run-'));
  const paths = {
    sessionFile: path.join(base, 'session.json'),
    bearerFile: path.join(base, 'bearer-token'),
    signInFailureFile: path.join(base, 'sign-in-failure.txt'),
  };
  if (files.session) fs.writeFileSync(paths.sessionFile, '{}');
  if (files.token) fs.writeFileSync(paths.bearerFile, `${files.token}\n`);
  if (files.failure) fs.writeFileSync(paths.signInFailureFile, files.failure);
  return { profile: { name: 'notes', config: { login } }, paths, env: { apiToken } } as unknown as SuiteSettings;
}

/** The token as a test would get it: from the session this run saved (or its recorded failure). */
const bearerFor = (s: SuiteSettings) => bearerOf(s, readSession(s));

describe('the bearer token of http checks', () => {
  it("is the sign-in's when the login says where it is, else AFTERCHECK_API_TOKEN", () => {
    assert.equal(bearerFor(suite(FORM, { session: true, token: 'tok-from-sign-in' }, 'tok-from-env')), 'tok-from-sign-in');
    assert.equal(bearerFor(suite({ ...FORM, token: undefined }, {}, 'tok-from-env')), 'tok-from-env');
    assert.equal(bearerFor(suite(undefined, {}, 'tok-from-env')), 'tok-from-env');
  });

  it("names what is missing: the run's failed sign-in, a token the sign-in did not leave, or no source at all", () => {
    const cases: [SuiteSettings, RegExp][] = [
      [
        suite(FORM, { failure: 'the sign-in at / was rejected: "Wrong email or password"' }),
        /no signed-in session: this run could not sign in \(the sign-in at \/ was rejected/,
      ],
      [suite(FORM, { session: true }), /the sign-in succeeded but localStorage "app\.token" held no token/],
      [suite({ ...FORM, token: undefined }, {}), /set login\.token in the app profile .* or AFTERCHECK_API_TOKEN/],
    ];
    for (const [s, message] of cases) assert.throws(() => bearerFor(s), message);
  });
});
