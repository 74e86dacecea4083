// The request pipeline: timing and metrics, request-level faults, routing, pool checkout, session, and error responses.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Ctx, Route, Services } from './context.ts';
import { DbUnavailableError } from './db.ts';
import { ERROR_SHARE, SLOW_DELAY_MS } from './faults.ts';
import { cartCount } from './features/cart.ts';
import { SESSION_COOKIE, userForSession, type User } from './features/account.ts';
import { HttpError, parseCookies, redirect, safeLocalPath, sendHtml, sendJson } from './http.ts';
import { log } from './log.ts';
import { Router } from './router.ts';
import { errorPage, type PageChrome } from './views/layout.ts';
import { apiRoutes } from './routes/api.ts';
import { assetRoutes } from './routes/assets.ts';
import { pageRoutes } from './routes/pages.ts';

export function createHandler(services: Services): (req: IncomingMessage, res: ServerResponse) => void {
  const router = new Router([...pageRoutes, ...apiRoutes, ...assetRoutes]);
  return (req, res) => {
    const started = performance.now();
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      services.requests.record(performance.now() - started, res.writableFinished ? res.statusCode : 499);
    };
    res.once('finish', record);
    res.once('close', record);
    if (services.faults.has('memory-leak')) services.leak?.onRequest();
    handle(services, router, req, res).catch((err) => {
      log(`unhandled error for ${req.method} ${req.url}: ${err instanceof Error ? err.stack : String(err)}`);
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.end();
    });
  };
}

async function handle(services: Services, router: Router, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { faults, config } = services;
  if (faults.has('slow')) await sleep(SLOW_DELAY_MS);
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const match = router.match(req.method ?? 'GET', url.pathname);
  const kind = match.kind === 'found' ? match.route.kind : url.pathname.startsWith('/api/') ? 'api' : 'page';
  // Every non-asset request checks out a connection for its whole life, as with a connection-per-request driver.
  if (kind !== 'asset') {
    let gone = false;
    res.once('close', () => (gone = true));
    const release = await services.pool.acquire();
    // A client that hung up while we waited for a connection must not keep it forever.
    if (gone) return release();
    res.once('close', release);
    res.once('finish', release);
  }
  const sid = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
  const user = kind === 'asset' ? undefined : currentUser(services, sid);
  const chrome = (): PageChrome => ({ email: user?.email, cartCount: safeCartCount(services, user), version: config.version });

  const fail = (status: number, heading: string, message: string) =>
    kind === 'page' ? sendHtml(res, status, errorPage(chrome(), heading, message)) : sendJson(res, status, { error: message });

  if (faults.has('errors') && kind !== 'asset' && Math.random() < ERROR_SHARE)
    return fail(500, 'Something went wrong', 'Something went wrong on our side. Please try again.');
  if (match.kind === 'none') return fail(404, 'Page not found', 'There is nothing at this address.');
  if (match.kind === 'wrong-method') {
    res.setHeader('allow', match.allowed.join(', '));
    return fail(405, 'Method not allowed', `Use ${match.allowed.join(' or ')} here.`);
  }
  const { route, params } = match;
  if (route.auth && !user) return requireSignIn(route, url, req, res, fail);

  const ctx: Ctx = {
    req,
    res,
    url,
    params,
    services,
    sid,
    user,
    synthetic: req.headers[config.syntheticHeader.toLowerCase()] !== undefined,
    db: () => services.db.connection(),
    chrome,
  };
  try {
    await route.handle(ctx);
  } catch (err) {
    if (err instanceof DbUnavailableError)
      return fail(503, 'Service unavailable', 'The shop cannot reach its database right now. Please try again in a minute.');
    if (err instanceof HttpError) return fail(err.status, err.status === 404 ? 'Page not found' : 'Request not accepted', err.message);
    services.problems.problem(
      `handler ${route.method} ${route.path}`,
      `error in ${route.method} ${route.path}: ${err instanceof Error ? err.stack : String(err)}`,
    );
    return fail(500, 'Something went wrong', 'Something went wrong on our side. Please try again.');
  }
}

/** A lost database means "signed out" here; DB-backed handlers then fail on their own with 503. */
function currentUser(services: Services, sid: string | undefined): User | undefined {
  try {
    return userForSession(services.db.connection(), sid);
  } catch (err) {
    if (err instanceof DbUnavailableError) return undefined;
    throw err;
  }
}

/** The page frame must render even on an error page, so a failing count shows as 0. */
function safeCartCount(services: Services, user: User | undefined): number {
  if (!user) return 0;
  try {
    return cartCount(services.db.connection(), user.id);
  } catch {
    return 0;
  }
}

/** After signing in, a shopper lands where they were: the page itself for a GET, the page the form was on for a POST. */
function requireSignIn(
  route: Route,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
  fail: (status: number, heading: string, message: string) => void,
): void {
  if (route.kind === 'api') return fail(401, 'Sign in required', 'sign in required');
  redirect(res, `/login?next=${encodeURIComponent(route.method === 'GET' ? url.pathname + url.search : refererPath(req))}`);
}

function refererPath(req: IncomingMessage): string {
  try {
    const ref = new URL(req.headers.referer ?? '');
    return ref.host === req.headers.host ? safeLocalPath(ref.pathname + ref.search) : '/';
  } catch {
    return '/';
  }
}
