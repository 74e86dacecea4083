// @smoke checks that handle a secret: the login checks (they type the password) and `auth: "bearer"` http checks (they send the token); in a file of their own because they run without a trace.
import { test } from '../../fixtures/index.ts';
import { settings } from '../../fixtures/settings.ts';
import { checkHttp, checkLogin, smokeDetails } from '../../fixtures/smoke-checks.ts';

// Traces record typed values, request bodies and headers; the trace option is per worker, hence per file (screenshots are still kept on failure).
test.use({ trace: 'off' });

for (const check of settings().profile.config.smoke) {
  if (check.kind === 'login') test(check.name, smokeDetails(check), async ({ page, signIn, app }) => checkLogin(page, signIn, app.login));
  if (check.kind === 'http' && check.auth === 'bearer')
    test(check.name, smokeDetails(check), async ({ request, bearerToken, suite }) =>
      checkHttp(request, check, { bearer: bearerToken, secrets: suite.env.secrets }),
    );
}
