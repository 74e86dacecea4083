// @smoke: one test per check of the app profile's config, titled by the check's name so a failure names the check (login and bearer checks: sign-in.spec.ts).
import { test } from '../../fixtures/index.ts';
import { settings } from '../../fixtures/settings.ts';
import { checkAssets, checkHttp, checkPage, smokeDetails as details } from '../../fixtures/smoke-checks.ts';
import type { SmokeCheck } from '../../scripts/config/app-config.ts';

function define(check: SmokeCheck): void {
  switch (check.kind) {
    case 'page':
      if (check.authenticated)
        test(check.name, details(check), async ({ userPage, diagnostics }) => checkPage(userPage, diagnostics, check));
      else test(check.name, details(check), async ({ page, diagnostics }) => checkPage(page, diagnostics, check));
      return;
    case 'http':
      if (check.auth === 'session')
        test(check.name, details(check), async ({ userRequest, suite }) => checkHttp(userRequest, check, { secrets: suite.env.secrets }));
      else if (check.auth !== 'bearer')
        test(check.name, details(check), async ({ request, suite }) => checkHttp(request, check, { secrets: suite.env.secrets }));
      return;
    case 'assets':
      if (check.authenticated)
        test(check.name, details(check), async ({ userPage, target }) => checkAssets(userPage, target.origin, check));
      else test(check.name, details(check), async ({ page, target }) => checkAssets(page, target.origin, check));
      return;
    case 'login':
      // Defined in sign-in.spec.ts, which runs without traces (they would record the typed password), as are bearer checks.
      return;
  }
}

for (const check of settings().profile.config.smoke) define(check);
