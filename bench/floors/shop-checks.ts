// The demo shop's @smoke checks written by hand, as a user without aftercheck would: the floors' one definition of "the same checks".
// Mirrors apps/demo-shop/aftercheck.config.ts (probe, login, main page, health with the database, two APIs, assets), each
// judged on the same evidence as aftercheck's check kinds, with no reporting, tracing or evidence-keeping around it.
import type { APIRequestContext, Page } from 'playwright-core';

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/** The probe's limit and the checks' budgets: the demo profile's own numbers. */
const PROBE_MS = 5_000;
const WAIT_MS = 5_000;

function ensure(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

function within(started: number, budgetMs: number, what: string): void {
  const ms = Date.now() - started;
  ensure(ms <= budgetMs, `${what} took ${ms} ms, over its budget of ${budgetMs} ms`);
}

const sameOrigin = (url: string, origin: string) => {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
};

/** Is the target there at all? Any HTTP answer counts. */
export async function probe(request: APIRequestContext, baseURL: string): Promise<void> {
  await request.get(`${baseURL}/`, { timeout: PROBE_MS, maxRedirects: 0, failOnStatusCode: false });
}

/** Signs in through the form and waits for the account menu; the page's context keeps the session. */
export async function signIn(page: Page, who: Credentials): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email', { exact: true }).fill(who.username);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByTestId('account-menu').waitFor({ state: 'visible', timeout: WAIT_MS });
}

/** Main page: status, title, heading and highlights visible, no uncaught error, console error or failed same-origin request. */
export async function mainPage(page: Page, origin: string): Promise<void> {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`uncaught ${e.name}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('requestfailed', (r) => {
    if (sameOrigin(r.url(), origin)) problems.push(`${r.url()} failed`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && sameOrigin(r.url(), origin) && new URL(r.url()).pathname !== '/favicon.ico')
      problems.push(`${r.url()} answered ${r.status()}`);
  });
  const started = Date.now();
  const response = await page.goto('/', { timeout: 5_000 });
  ensure(!!response && response.status() < 400, `GET / answered ${response?.status()}`);
  ensure((await page.title()).includes('Demo Shop'), `the title is ${JSON.stringify(await page.title())}`);
  await page.getByRole('heading', { name: 'Demo Shop' }).first().waitFor({ state: 'visible', timeout: WAIT_MS });
  await page.getByTestId('product-highlights').first().waitFor({ state: 'visible', timeout: WAIT_MS });
  within(started, 5_000, 'loading /');
  ensure(!problems.length, problems.join('; '));
}

async function json(request: APIRequestContext, path: string, budgetMs: number): Promise<Record<string, unknown>> {
  const started = Date.now();
  const response = await request.get(path, { timeout: budgetMs, failOnStatusCode: false, maxRedirects: 0 });
  within(started, budgetMs, `GET ${path}`);
  ensure(response.ok(), `GET ${path} answered ${response.status()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** The health endpoint says ok, with the database connected. */
export async function health(request: APIRequestContext): Promise<void> {
  const body = await json(request, '/health', 3_000);
  const checks = body.checks as Record<string, unknown> | undefined;
  ensure(body.status === 'ok' && checks?.database === 'ok', `/health: status ${String(body.status)}, database ${String(checks?.database)}`);
}

/** The product API answers with products that have an id and a price. */
export async function products(request: APIRequestContext): Promise<void> {
  const first = ((await json(request, '/api/products', 2_000)).products as Record<string, unknown>[] | undefined)?.[0];
  ensure(first?.id !== undefined && first.price !== undefined, '/api/products: no product with an id and a price');
}

/** The orders API answers for the signed-in account (the request context carries the session). */
export async function orders(request: APIRequestContext): Promise<void> {
  ensure((await json(request, '/api/orders', 2_000)).orders !== undefined, '/api/orders: no orders field');
}

const FITS: Record<string, RegExp> = {
  stylesheet: /text\/css/i,
  script: /javascript/i,
  image: /^image\//i,
  font: /font|woff|octet-stream/i,
};

/** Every same-origin stylesheet, script, image and font of the main page answers below 400 with a fitting content type. */
export async function assets(page: Page, origin: string): Promise<void> {
  const seen: string[] = [];
  const broken: string[] = [];
  page.on('response', (r) => {
    const type = r.request().resourceType();
    if (!FITS[type] || !sameOrigin(r.url(), origin)) return;
    seen.push(r.url());
    const contentType = r.headers()['content-type'] ?? '';
    if (r.status() >= 400 || (r.status() < 300 && !FITS[type]!.test(contentType))) broken.push(`${r.url()} → ${r.status()} ${contentType}`);
  });
  const started = Date.now();
  await page.goto('/', { timeout: 5_000, waitUntil: 'load' });
  within(started, 5_000, 'loading / with its assets');
  ensure(seen.length > 0, '/ loaded no same-origin asset');
  ensure(!broken.length, `broken assets: ${broken.join(', ')}`);
}

/** The checks in the order both floors run them; the login check's session serves the orders API. */
export const CHECKS = ['probe', 'login', 'main page', 'health', 'products API', 'orders API', 'assets'] as const;
