// `npm run init` page discovery in real Chromium: the main page (title, landmarks, statuses it expects), the sign-in form (behind a button if need be), a signed-in indicator, the bearer token and one API.
import type { Browser, Locator, Page, Request } from '@playwright/test';
import type { AllowedStatus, AriaRole, FormLogin, JsonExpectation, Locate } from '../config/app-config.ts';
import { namedElements, type NamedElement } from '../../fixtures/pages/locate.ts';
import { jsonPathOf } from './health-probe.ts';

export interface DiscoveredApi {
  readonly path: string;
  readonly auth: 'none' | 'session' | 'bearer';
  readonly json: Record<string, JsonExpectation>;
}

export interface Discovery {
  readonly title: string;
  readonly landmarks: readonly Locate[];
  /** 401/403 answers the main page gets before sign-in (its "who am I?" call): allowed in the page check. */
  readonly allowStatuses: readonly AllowedStatus[];
  /** Other console errors seen on a clean load: allowed too, and listed for review. */
  readonly consoleErrors: readonly string[];
  /** Other failed same-origin requests of the main page: reported, never allowed. */
  readonly brokenRequests: readonly string[];
  readonly assets: number;
  /** The form as far as it was found; `loggedInIndicator` only when the credentials were tried and worked. */
  readonly login?: Omit<FormLogin, 'loggedInIndicator'> & { readonly loggedInIndicator?: Locate };
  readonly signIn: 'signed-in' | 'rejected' | 'no-credentials' | 'no-form' | 'unclear';
  readonly api?: DiscoveredApi;
  /** What init saw and could not settle, for the run's output and comments in the written config. */
  readonly notes: readonly string[];
}

export interface DiscoverOptions {
  readonly browser: Browser;
  readonly baseUrl: string;
  readonly userAgentSuffix: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly credentials?: { readonly username: string; readonly password: string };
}

const SIGN_IN_NAME = /^(sign[ -]?in|log[ -]?in|login|anmelden|se connecter)\b/i;
const SIGNED_IN_NAME = /(sign[ -]?out|log[ -]?out|logout|abmelden)/i;
const ACCOUNT_NAME = /(account|profile|avatar|my )/i;
const LANDMARK_ROLES: readonly AriaRole[] = ['navigation', 'banner', 'main', 'contentinfo', 'search'];
const WAIT_MS = 5_000;

/** The accessible name of one element, as the ARIA snapshot shows it; its label text as a fallback. */
async function nameOf(el: Locator): Promise<string | undefined> {
  const snapshot = await el.ariaSnapshot({ timeout: 2_000 }).catch(() => '');
  const name = /^- \w+ "((?:[^"\\]|\\.)*)"/.exec(snapshot)?.[1];
  if (name) return JSON.parse(`"${name}"`) as string;
  const label = await el.evaluate((e) => ((e as HTMLInputElement).labels?.[0]?.textContent ?? e.getAttribute('aria-label') ?? '').trim());
  return label || undefined;
}

const key = (e: NamedElement) => `${e.role}\u0000${e.name}`;

/** Waits for the page to settle after a step; discovery (never a check) may wait for the network to go quiet. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle', { timeout: WAIT_MS }).catch(() => undefined);
}

async function landmarksOf(page: Page): Promise<Locate[]> {
  const named = await namedElements(page);
  const out: Locate[] = [];
  const heading = named.find((e) => e.role === 'heading' && e.name);
  if (heading) out.push({ role: 'heading', name: heading.name });
  const snapshot = await page
    .locator('body')
    .ariaSnapshot({ timeout: 2_000 })
    .catch(() => '');
  const role = LANDMARK_ROLES.find((r) => new RegExp(`^\\s*- ${r}\\b`, 'm').test(snapshot));
  if (role) out.push({ role });
  return out;
}

const passwordField = (page: Page) => page.locator('input[type=password]:visible').first();

/** Opens the sign-in form: already on the page, behind a link to another page, or in a dialog behind a button. */
async function openForm(page: Page, notes: string[]): Promise<{ path: string; open: Locate[] } | undefined> {
  const start = new URL(page.url());
  if (await passwordField(page).isVisible()) return { path: start.pathname, open: [] };
  const candidates = (await namedElements(page)).filter((e) => (e.role === 'button' || e.role === 'link') && SIGN_IN_NAME.test(e.name));
  for (const c of candidates.slice(0, 3)) {
    const step: Locate = { role: c.role as 'button' | 'link', name: c.name };
    await page
      .getByRole(step.role as 'button', { name: c.name, exact: true })
      .first()
      .click({ timeout: WAIT_MS })
      .catch(() => undefined);
    const found = await passwordField(page)
      .waitFor({ state: 'visible', timeout: WAIT_MS })
      .then(
        () => true,
        () => false,
      );
    if (!found) continue;
    const now = new URL(page.url());
    return now.pathname === start.pathname ? { path: start.pathname, open: [step] } : { path: now.pathname + now.search, open: [] };
  }
  notes.push(
    candidates.length
      ? `none of ${candidates.map((c) => `${c.role} "${c.name}"`).join(', ')} opened a sign-in form`
      : 'no sign-in form, link or button was found on the main page',
  );
  return undefined;
}

/** The form's fields and button by the names a user (and the accessibility tree) sees them. */
async function formFields(
  page: Page,
): Promise<{ usernameLabel?: string; passwordLabel?: string; submitButton?: string; username: Locator; submit: Locator }> {
  const password = passwordField(page);
  const form = password.locator('xpath=ancestor::form[1]');
  const scope = (await form.count()) ? form : password.locator('xpath=ancestor::*[.//button][1]');
  const username = scope
    .locator('input:visible:not([type=password]):not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=submit])')
    .first();
  const submit = scope.locator('button[type=submit]:visible, input[type=submit]:visible, button:not([type]):visible').last();
  return {
    passwordLabel: await nameOf(password),
    usernameLabel: (await username.count()) ? await nameOf(username) : undefined,
    submitButton: (await submit.count()) ? await nameOf(submit) : undefined,
    username,
    submit,
  };
}

/** The element that appeared with the sign-in and says "signed in": a sign-out or account control first. */
function indicatorFrom(before: readonly NamedElement[], after: readonly NamedElement[], username: string): Locate | undefined {
  const seen = new Set(before.map(key));
  const fresh = after.filter((e) => !seen.has(key(e)) && e.name && !e.name.includes(username));
  const clickable = fresh.filter((e) => ['button', 'link', 'menuitem'].includes(e.role));
  const pick = clickable.find((e) => SIGNED_IN_NAME.test(e.name)) ?? clickable.find((e) => ACCOUNT_NAME.test(e.name)) ?? clickable[0];
  return pick ? ({ role: pick.role, name: pick.name } as Locate) : undefined;
}

/** Signs in with the synthetic account and reads what changed: indicator, token, the APIs the signed-in page calls. */
async function trySignIn(
  page: Page,
  fields: Awaited<ReturnType<typeof formFields>>,
  credentials: NonNullable<DiscoverOptions['credentials']>,
  before: readonly NamedElement[],
  notes: string[],
): Promise<{ result: Discovery['signIn']; indicator?: Locate; tokenKey?: string; api?: DiscoveredApi; error?: string }> {
  const origin = new URL(page.url()).origin;
  const requests: Request[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).origin === origin) requests.push(r);
  });
  await fields.username.fill(credentials.username);
  await passwordField(page).fill(credentials.password);
  await fields.submit.click();
  await passwordField(page)
    .waitFor({ state: 'hidden', timeout: WAIT_MS })
    .catch(() => undefined);
  await settle(page);
  if (await passwordField(page).isVisible()) {
    const text = (
      await page
        .locator('form:has(input[type=password])')
        .innerText()
        .catch(() => '')
    )
      .split('\n')
      .map((l) => l.trim());
    notes.push('the sign-in with AFTERCHECK_USERNAME/AFTERCHECK_PASSWORD did not leave the form: check the credentials');
    return { result: 'rejected', error: text.find((l) => /wrong|invalid|incorrect|failed|falsch/i.test(l)) };
  }
  const indicator = indicatorFrom(before, await namedElements(page), credentials.username);
  if (!indicator) notes.push('signing in changed nothing init could name as a signed-in indicator: set login.loggedInIndicator');
  const bearer = requests.map((r) => /^Bearer (\S+)$/.exec(r.headers().authorization ?? '')?.[1]).find(Boolean);
  const storage = await page.evaluate(() => Object.entries(window.localStorage));
  const tokenKey = bearer ? storage.find(([, v]) => v === bearer)?.[0] : undefined;
  if (bearer && !tokenKey)
    notes.push('the app sends a bearer token but keeps it where init cannot read it: bearer checks need AFTERCHECK_API_TOKEN');
  return {
    result: indicator ? 'signed-in' : 'unclear',
    ...(indicator ? { indicator } : {}),
    ...(tokenKey ? { tokenKey } : {}),
    api: await apiFrom(requests, !!tokenKey),
  };
}

/** The first GET the signed-in page made that answered JSON: its path, how it authenticated, and its top-level keys. */
async function apiFrom(requests: readonly Request[], bearerKnown: boolean): Promise<DiscoveredApi | undefined> {
  for (const r of requests) {
    if (r.method() !== 'GET' || !['fetch', 'xhr'].includes(r.resourceType())) continue;
    const response = await r.response();
    if (!response || response.status() !== 200 || !(response.headers()['content-type'] ?? '').includes('json')) continue;
    const body = (await response.json().catch(() => undefined)) as unknown;
    if (!body || typeof body !== 'object') continue;
    const keys = Array.isArray(body) ? (body.length ? ['0'] : []) : Object.keys(body).slice(0, 2);
    const json: Record<string, JsonExpectation> = Object.fromEntries(
      keys.map((k) => [k === '0' ? '$[0]' : jsonPathOf(k), { exists: true }]),
    );
    const headers = await r.allHeaders();
    const auth = /^Bearer /.test(headers.authorization ?? '') ? (bearerKnown ? 'bearer' : undefined) : headers.cookie ? 'session' : 'none';
    if (!auth) continue;
    const url = new URL(r.url());
    return { path: url.pathname + url.search, auth, json };
  }
  return undefined;
}

type MainPage = Pick<Discovery, 'title' | 'landmarks' | 'allowStatuses' | 'consoleErrors' | 'brokenRequests' | 'assets'>;

/** Loads the main page signed out and records what a page check needs: title, landmarks, the statuses and errors it sees. */
async function observeMainPage(page: Page, baseUrl: string): Promise<{ mainPage: MainPage; requests: Request[] }> {
  const origin = new URL(baseUrl).origin;
  const failed: { status: number; path: string; method: string }[] = [];
  const consoleErrors: string[] = [];
  const requests: Request[] = [];
  let assets = 0;
  page.on('request', (r) => {
    if (new URL(r.url()).origin === origin) requests.push(r);
  });
  page.on('response', (r) => {
    if (new URL(r.url()).origin !== origin) return;
    if (r.status() >= 400) failed.push({ status: r.status(), path: new URL(r.url()).pathname, method: r.request().method() });
    else if (['stylesheet', 'script', 'image', 'font'].includes(r.request().resourceType())) assets++;
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of \d{3}/.test(m.text())) consoleErrors.push(m.text());
  });
  const response = await page.goto('/', { timeout: 15_000 });
  if (!response || response.status() >= 400) throw new Error(`GET ${baseUrl}/ answered ${response?.status() ?? 'nothing'}`);
  await settle(page);
  // A 401/403 before sign-in is the app asking "who am I?"; anything else failing on a clean load is reported, never allowed.
  const expected = failed.filter((f) => f.status === 401 || f.status === 403);
  const mainPage: MainPage = {
    title: await page.title(),
    landmarks: await landmarksOf(page),
    allowStatuses: [...new Map(expected.map((f) => [`${f.status} ${f.path}`, { status: f.status, path: f.path }])).values()],
    consoleErrors: [...consoleErrors],
    brokenRequests: failed
      .filter((f) => !expected.includes(f) && f.path !== '/favicon.ico')
      .map((f) => `${f.method} ${f.path} → ${f.status}`),
    assets,
  };
  return { mainPage, requests: [...requests] };
}

/** Finds the form, and signs in with the credentials when there are some. */
async function discoverLogin(
  page: Page,
  credentials: DiscoverOptions['credentials'],
  notes: string[],
): Promise<Pick<Discovery, 'login' | 'signIn' | 'api'>> {
  const before = await namedElements(page);
  const opened = await openForm(page, notes);
  if (!opened) return { signIn: 'no-form' };
  const fields = await formFields(page);
  if (!fields.usernameLabel || !fields.passwordLabel || !fields.submitButton) {
    notes.push('the sign-in form has fields or a button without an accessible name: init cannot describe it');
    return { signIn: 'no-form' };
  }
  const login = {
    path: opened.path,
    ...(opened.open.length ? { open: opened.open } : {}),
    usernameLabel: fields.usernameLabel,
    passwordLabel: fields.passwordLabel,
    submitButton: fields.submitButton,
  };
  if (!credentials) {
    notes.push('AFTERCHECK_USERNAME and AFTERCHECK_PASSWORD are not set: the sign-in was not tried, so the login is written commented out');
    return { login, signIn: 'no-credentials' };
  }
  const tried = await trySignIn(page, fields, credentials, before, notes);
  return {
    login: {
      ...login,
      ...(tried.indicator ? { loggedInIndicator: tried.indicator } : {}),
      ...(tried.error ? { errorIndicator: { text: tried.error } } : {}),
      ...(tried.tokenKey ? { token: { localStorage: tried.tokenKey } } : {}),
    },
    signIn: tried.result,
    ...(tried.api ? { api: tried.api } : {}),
  };
}

export async function discover(options: DiscoverOptions): Promise<Discovery> {
  // Init's requests identify themselves as synthetic traffic, like the suite's: the browser's own agent plus the suffix.
  const probe = await options.browser.newPage();
  const agent = await probe.evaluate(() => navigator.userAgent);
  await probe.close();
  const context = await options.browser.newContext({
    baseURL: options.baseUrl,
    extraHTTPHeaders: { ...options.headers },
    userAgent: `${agent} ${options.userAgentSuffix}`,
  });
  try {
    const page = await context.newPage();
    const notes: string[] = [];
    const { mainPage, requests } = await observeMainPage(page, options.baseUrl);
    const login = await discoverLogin(page, options.credentials, notes);
    // Without a signed-in API, a public one the main page called will do.
    const publicApi = login.api ? undefined : await apiFrom(requests, false);
    const api = login.api ?? (publicApi?.auth === 'none' ? publicApi : undefined);
    return { ...mainPage, ...login, ...(api ? { api } : {}), notes };
  } finally {
    await context.close();
  }
}
