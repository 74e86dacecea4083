// Example of hand-written extra smoke checks: copy to apps/<app>/smoke/<name>.spec.ts and they run with the configured ones under @smoke.
//
// This file itself is not collected (the smoke project runs only *.spec.ts); it is type-checked with the rest of the code
// and run once against the demo shop by tests/integration/suite-example.test.ts, so the example cannot go stale.
//
// Most apps need no code for smoke: edit the `smoke` list in the profile's aftercheck.config.ts (kinds: page, login, http, assets).
// Write a spec like this only for a check those kinds cannot express. Rules that keep it a smoke check:
//   - tag it with tags(TAG.smoke) (a typo in a tag fails the run), and keep it shallow: "is it alive?", seconds, no writes;
//   - title it by what it checks: the title is what a failure report names;
//   - use `test`/`expect` from fixtures/index.ts, so requests carry the synthetic-traffic header and user agent, and page
//     errors are recorded for the verdict; locate by role, label or test id; no fixed sleeps, no waiting for the network to go idle;
//   - keep the total at 10 checks or fewer; deeper flows belong to @verify (apps/<app>/verify, tagged with verifyDetails()).
import { expect, test } from '../../../fixtures/index.ts';
import { checkHttp } from '../../../fixtures/smoke-checks.ts';
import { TAG, severity, tags } from '../../../fixtures/tags.ts';

// Blocker, like the configured checks: a failing smoke check blocks the release whatever it checks.
const smoke = { tag: tags(TAG.smoke), annotation: [severity('blocker')] };

// A check the data kinds cannot express: the main navigation leads to working pages.
test('main navigation reaches the search page', smoke, async ({ page, diagnostics }) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Search', exact: true }).click();
  await expect(page.getByRole('searchbox', { name: 'Search products' })).toBeVisible();
  expect(diagnostics.pageErrors, 'no uncaught JS errors').toEqual([]);
});

// A configured check kind reused with its own parameters, e.g. a second critical API.
test('search API answers with results', smoke, async ({ request }) => {
  await checkHttp(request, {
    kind: 'http',
    name: 'search API answers with results',
    path: '/api/products?q=mug',
    expect: { json: { '$.products[0]': { exists: true } } },
    budgetMs: 2_000,
  });
});
