// @smoke checks that handle a secret: the login check (it reports the run's one sign-in) and `auth: "bearer"` http checks (they send the token); untraced.
import { test } from '../../fixtures/index.ts';
import { settings } from '../../fixtures/settings.ts';
import { checkHttp, checkLogin, smokeDetails } from '../../fixtures/smoke-checks.ts';

// Traces record request headers: a bearer check runs untraced (screenshots are still kept on failure). The smoke trace is a
// test option, so this file shares the worker, its browser and its one sign-in with the other smoke checks.
test.use({ smokeTrace: 'off' });

for (const check of settings().profile.config.smoke) {
  // The run's one sign-in, made by this worker (untraced) for every check that needs a session: this check reports it.
  if (check.kind === 'login')
    test(check.name, smokeDetails(check), async ({ runSession, suite }, testInfo) => checkLogin(runSession, suite, testInfo));
  if (check.kind === 'http' && check.auth === 'bearer')
    test(check.name, smokeDetails(check), async ({ request, bearerToken, suite }) =>
      checkHttp(request, check, { bearer: bearerToken, secrets: suite.env.secrets }),
    );
}
