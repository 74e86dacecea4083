// @smoke login checks from aftercheck.config.ts; a file of their own because they type the password and so run without a trace.
import { appConfig } from '../../aftercheck.config.ts';
import { test } from '../../fixtures/index.ts';
import { checkLogin, smokeDetails } from '../../fixtures/smoke-checks.ts';

// Traces record typed values and request bodies; the trace option is per worker, hence per file (screenshots are still kept on failure).
test.use({ trace: 'off' });

for (const check of appConfig.smoke) {
  if (check.kind !== 'login') continue;
  test(check.name, smokeDetails(check), async ({ page, signIn, app }) => checkLogin(page, signIn, app.login.path));
}
