// Traffic generator for the demo shop: a realistic, bounded mix of shopper requests over plain HTTP (CLI and runTraffic()).
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { ConfigError, EXIT, type Problem } from '../scripts/config/errors.ts';
import { parseFlags } from '../scripts/config/cli.ts';
import { parseDuration } from '../scripts/config/policy.ts';
import { SHOPPERS } from './src/seed.ts';

export interface TrafficOptions {
  /** Base URL of the shop, e.g. http://127.0.0.1:3000 */
  readonly url: string;
  /** Actions started per second (default 8); a shopping action makes two or three requests. */
  readonly rps?: number;
  /** Stops by itself after this long (default 60 s). */
  readonly durationMs?: number;
  /** Stops early, aborting requests in flight. */
  readonly signal?: AbortSignal;
}

export interface TrafficSummary {
  readonly requests: number;
  readonly byStatus: Readonly<Record<string, number>>;
  /** Requests answered 5xx. */
  readonly serverErrors: number;
  /** Requests that got no answer (refused, reset, timed out). */
  readonly networkErrors: number;
  /** Actions skipped because too many were still running (the shop is slower than the offered load). */
  readonly skipped: number;
  readonly elapsedMs: number;
}

export const TRAFFIC_LIMITS = Object.freeze({ maxRps: 200, maxDurationMs: 24 * 60 * 60 * 1000, requestTimeoutMs: 10_000, maxInFlight: 64 });
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) demo-shop-traffic/1.0';
const SEARCH_TERMS = [
  'mug',
  'tea',
  'espresso',
  'kettle',
  'coffee grinder',
  'french press',
  'cup',
  'glass',
  'teapot',
  'bamboo',
  'cold brew',
  'matcha',
];
const FALLBACK_PRODUCT_IDS = Array.from({ length: 12 }, (_, i) => i + 1);

/** A fully read answer (bodies are always drained so connections are reused). */
interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

type Action = 'home' | 'search' | 'product' | 'api' | 'assets' | 'shop' | 'orders';
// Browsing dominates, as in any shop; about one action in ten is someone buying.
const MIX: readonly [Action, number][] = [
  ['home', 24],
  ['search', 18],
  ['product', 20],
  ['api', 14],
  ['assets', 6],
  ['shop', 12],
  ['orders', 6],
];
const MIX_TOTAL = MIX.reduce((s, [, w]) => s + w, 0);

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

function pickAction(): Action {
  let r = Math.random() * MIX_TOTAL;
  for (const [action, weight] of MIX) if ((r -= weight) < 0) return action;
  return 'home';
}

function validate(opts: TrafficOptions): { base: string; rps: number; durationMs: number } {
  const problems: Problem[] = [];
  let base = '';
  try {
    const u = new URL(opts.url);
    if (!/^https?:$/.test(u.protocol)) throw new Error('not http');
    base = u.origin;
  } catch {
    problems.push({
      field: 'url',
      value: JSON.stringify(opts.url),
      message: 'must be an http(s) URL',
      fix: 'use the URL the demo printed, e.g. http://127.0.0.1:3000',
    });
  }
  const rps = opts.rps ?? 8;
  if (!Number.isFinite(rps) || rps <= 0 || rps > TRAFFIC_LIMITS.maxRps)
    problems.push({ field: 'rps', value: String(rps), message: `must be above 0 and at most ${TRAFFIC_LIMITS.maxRps}`, fix: 'use e.g. 8' });
  const durationMs = opts.durationMs ?? 60_000;
  if (!Number.isFinite(durationMs) || durationMs <= 0 || durationMs > TRAFFIC_LIMITS.maxDurationMs)
    problems.push({
      field: 'duration',
      value: String(durationMs),
      message: 'must be above 0 and at most 24 h',
      fix: 'use e.g. 60s or 10m',
    });
  if (problems.length) throw new ConfigError('traffic options', problems);
  return { base, rps, durationMs };
}

export async function runTraffic(opts: TrafficOptions): Promise<TrafficSummary> {
  const { base, rps, durationMs } = validate(opts);
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) stop.abort();

  const byStatus: Record<string, number> = {};
  let requests = 0;
  let networkErrors = 0;
  let skipped = 0;
  const started = performance.now();

  async function request(path: string, init: RequestInit = {}): Promise<Answer | undefined> {
    if (stop.signal.aborted) return undefined;
    try {
      const res = await fetch(base + path, {
        ...init,
        redirect: 'manual',
        headers: { 'user-agent': USER_AGENT, ...(init.headers as Record<string, string> | undefined) },
        signal: AbortSignal.any([stop.signal, AbortSignal.timeout(TRAFFIC_LIMITS.requestTimeoutMs)]),
      });
      const text = await res.text();
      requests++;
      byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
      return { status: res.status, headers: res.headers, text };
    } catch {
      // Requests cut off by our own stop are not the shop's fault.
      if (!stop.signal.aborted) {
        requests++;
        networkErrors++;
      }
      return undefined;
    }
  }

  const catalogue = await learnCatalogue(request);
  const shoppers = Array.from({ length: SHOPPERS.count }, (_, i) => ({
    email: SHOPPERS.emailOf(i + 1),
    sid: undefined as string | undefined,
  }));
  const form = (fields: Record<string, string>, sid?: string): RequestInit => ({
    method: 'POST',
    body: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(sid ? { cookie: `sid=${sid}` } : {}) },
  });

  async function signedIn(): Promise<(typeof shoppers)[number] | undefined> {
    const shopper = pick(shoppers);
    if (shopper.sid) return shopper;
    const res = await request('/login', form({ email: shopper.email, password: SHOPPERS.password }));
    const cookie = res?.headers.getSetCookie().find((c) => c.startsWith('sid='));
    shopper.sid = cookie ? decodeURIComponent(cookie.slice(4).split(';')[0]!) : undefined;
    return shopper.sid ? shopper : undefined;
  }

  async function act(action: Action): Promise<void> {
    const cookie = (sid: string | undefined): RequestInit => (sid ? { headers: { cookie: `sid=${sid}` } } : {});
    switch (action) {
      case 'home':
        await request('/');
        return;
      case 'search':
        await request(`/search?q=${encodeURIComponent(pick(catalogue.terms))}`);
        return;
      case 'product':
        await request(`/products/${pick(catalogue.ids)}`);
        return;
      case 'api':
        await request(Math.random() < 0.5 ? '/api/products' : `/api/products?q=${encodeURIComponent(pick(catalogue.terms))}`);
        return;
      case 'assets':
        await request(pick(['/static/style.css', '/static/app.js', '/static/logo.svg']));
        return;
      case 'orders': {
        const shopper = await signedIn();
        if (shopper) await request('/orders', cookie(shopper.sid));
        return;
      }
      case 'shop': {
        const shopper = await signedIn();
        if (!shopper) return;
        const added = await request(
          '/cart',
          form({ product_id: String(pick(catalogue.ids)), quantity: String(1 + Math.floor(Math.random() * 2)) }, shopper.sid),
        );
        // A session that expired (or a restarted shop) redirects to /login: sign in again next time.
        if (added?.status === 303 && added.headers.get('location')?.startsWith('/login')) shopper.sid = undefined;
        else if (Math.random() < 0.6) await request('/checkout', form({}, shopper.sid));
        else await request('/cart', cookie(shopper.sid));
        return;
      }
    }
  }

  const inFlight = new Set<Promise<void>>();
  const intervalMs = 1000 / rps;
  const endAt = started + durationMs;
  for (let n = 0; !stop.signal.aborted; n++) {
    const due = started + n * intervalMs;
    if (due >= endAt) break;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait, undefined, { signal: stop.signal }).catch(() => undefined);
    if (stop.signal.aborted) break;
    if (inFlight.size >= TRAFFIC_LIMITS.maxInFlight) {
      skipped++;
      continue;
    }
    const p = act(pickAction()).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.allSettled([...inFlight]);
  opts.signal?.removeEventListener('abort', onAbort);
  const serverErrors = Object.entries(byStatus).reduce((s, [status, n]) => (Number(status) >= 500 ? s + n : s), 0);
  return { requests, byStatus, serverErrors, networkErrors, skipped, elapsedMs: performance.now() - started };
}

/** Product ids and search words from the shop itself, so the traffic follows whatever catalogue it has. */
async function learnCatalogue(request: (path: string) => Promise<Answer | undefined>): Promise<{ ids: number[]; terms: string[] }> {
  const res = await request('/api/products');
  try {
    const body = res?.status === 200 ? (JSON.parse(res.text) as { products?: { id: number; name: string }[] }) : undefined;
    const products = body?.products?.filter((p) => Number.isInteger(p.id)) ?? [];
    if (products.length)
      return { ids: products.map((p) => p.id), terms: [...SEARCH_TERMS, ...products.map((p) => p.name.split(' ').at(-1)!.toLowerCase())] };
  } catch {
    // Malformed answers are counted as requests already; fall back to the seeded catalogue.
  }
  return { ids: FALLBACK_PRODUCT_IDS, terms: SEARCH_TERMS };
}

const HELP = `Usage: tsx demo/traffic.ts --url <base> [--rps 8] [--duration 60s]

Drives a realistic mix of shopper traffic against the demo shop (home, search, product pages, the API, and seeded
shoppers signing in, adding to the cart and checking out), then prints a summary. Stops by itself after --duration
(e.g. 30s, 10m, 1h30m) or on Ctrl-C. Sends no synthetic-monitoring header: this is "real" load.

Exit codes: 0 done, 1 the shop never answered, 4 bad options.`;

export function parseTrafficArgs(argv: readonly string[]): TrafficOptions | 'help' {
  const { values, problems } = parseFlags(
    argv,
    { url: { type: 'string' }, rps: { type: 'string' }, duration: { type: 'string' }, help: { type: 'boolean' } },
    'npm run traffic',
  );
  if (values.help && !problems.length) return 'help';
  const url = values.url;
  if (!url) {
    if (!problems.some((p) => p.field === '--url'))
      problems.push({
        field: '--url',
        value: '(unset)',
        message: 'the shop to send traffic to is required',
        fix: 'use the URL the demo printed, e.g. --url http://127.0.0.1:3000',
      });
  } else if (!/^https?:\/\/[^/\s]+/.test(url) || !URL.canParse(url)) {
    problems.push({
      field: '--url',
      value: JSON.stringify(url),
      message: 'is not an http(s) URL',
      fix: 'use the URL the demo printed, e.g. --url http://127.0.0.1:3000',
    });
  }
  const rpsText = values.rps ?? '8';
  const rps = Number(rpsText);
  if (!Number.isFinite(rps) || rps <= 0 || rps > TRAFFIC_LIMITS.maxRps)
    problems.push({
      field: '--rps',
      value: JSON.stringify(rpsText),
      message: `must be a number above 0 and at most ${TRAFFIC_LIMITS.maxRps}`,
      fix: 'use e.g. --rps 8',
    });
  const durationText = values.duration ?? '60s';
  const durationMs = parseDuration(durationText);
  if (!durationMs || durationMs > TRAFFIC_LIMITS.maxDurationMs)
    problems.push({
      field: '--duration',
      value: JSON.stringify(durationText),
      message: 'must be a duration above 0 and at most 24h',
      fix: 'use e.g. --duration 60s, 10m or 1h30m',
    });
  if (problems.length) throw new ConfigError('command line', problems);
  return { url: url!, rps, durationMs: durationMs! };
}

async function cli(): Promise<number> {
  const opts = parseTrafficArgs(process.argv.slice(2));
  if (opts === 'help') {
    console.log(HELP);
    return EXIT.ok;
  }
  const ctrl = new AbortController();
  process.once('SIGINT', () => ctrl.abort());
  process.once('SIGTERM', () => ctrl.abort());
  console.log(`traffic: ${opts.rps} actions/s against ${opts.url} for ${Math.round(opts.durationMs! / 1000)} s`);
  const s = await runTraffic({ ...opts, signal: ctrl.signal });
  const statuses = Object.entries(s.byStatus)
    .map(([k, v]) => `${k}×${v}`)
    .join(' ');
  console.log(
    `traffic: ${s.requests} requests in ${(s.elapsedMs / 1000).toFixed(1)} s (${(s.requests / (s.elapsedMs / 1000)).toFixed(1)}/s); 5xx ${s.serverErrors}, no answer ${s.networkErrors}, skipped ${s.skipped}; statuses ${statuses || 'none'}`,
  );
  if (s.requests > 0 && s.networkErrors === s.requests) {
    console.error(`traffic: ${opts.url} never answered. Is the demo running? Start it with: npx tsx demo/server.ts`);
    return 1;
  }
  return EXIT.ok;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  cli().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof ConfigError ? err.message : `traffic failed: ${err instanceof Error ? err.stack : String(err)}`);
      process.exit(err instanceof ConfigError ? err.exitCode : 1);
    },
  );
}
