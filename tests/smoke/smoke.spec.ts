// @smoke: one test per check configured in aftercheck.config.ts, titled by the check's name so a failure names the check (login checks: sign-in.spec.ts).
import { appConfig } from '../../aftercheck.config.ts';
import type { SmokeCheck } from '../../scripts/config/app-config.ts';
import { test } from '../../fixtures/index.ts';
import { checkApi, checkAssets, checkHealth, checkPage, smokeDetails as details } from '../../fixtures/smoke-checks.ts';

function define(check: SmokeCheck): void {
  switch (check.kind) {
    case 'page':
      test(check.name, details(check), async ({ page, diagnostics }) => checkPage(page, diagnostics, check));
      return;
    case 'health':
      test(check.name, details(check), async ({ request }) => checkHealth(request, check));
      return;
    case 'api':
      if (check.authenticated) test(check.name, details(check), async ({ userRequest }) => checkApi(userRequest, check));
      else test(check.name, details(check), async ({ request }) => checkApi(request, check));
      return;
    case 'assets':
      test(check.name, details(check), async ({ page, target }) => checkAssets(page, target.origin, check));
      return;
    case 'login':
      // Defined in sign-in.spec.ts, which runs without traces (they would record the typed password).
      return;
  }
}

for (const check of appConfig.smoke) define(check);
