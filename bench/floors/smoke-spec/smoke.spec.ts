// Floor (a) of the smoke section: the demo's @smoke checks as one plain spec, one worker, one browser, one sign-in.
import { test, type BrowserContext } from '@playwright/test';
import { floorTarget } from '../target.ts';
import * as check from '../shop-checks.ts';

const target = floorTarget();
const origin = new URL(target.baseURL).origin;

// In order, in one worker: the login check's signed-in context serves the orders API afterwards, as a hand-written suite would do it.
test.describe.configure({ mode: 'serial' });

let session: BrowserContext;
test.beforeAll(async ({ browser }) => {
  session = await browser.newContext({ baseURL: target.baseURL });
});
test.afterAll(async () => {
  await session?.close();
});

test('target is reachable', async ({ request }) => check.probe(request, target.baseURL));
test('login works end to end', async () => check.signIn(await session.newPage(), target));
test('main page loads', async ({ page }) => check.mainPage(page, origin));
test('health endpoint reports the database connected', async ({ request }) => check.health(request));
test('product API answers with well-formed JSON', async ({ request }) => check.products(request));
test('orders API answers for the signed-in account', async () => check.orders(session.request));
test('static assets load', async ({ page }) => check.assets(page, origin));
