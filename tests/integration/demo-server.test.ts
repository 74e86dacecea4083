// Integration tests of the real demo shop process (startDemo): page and API contract, faults, synthetic orders, start-up and shutdown.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from '@playwright/test';
import { DemoStartError, startDemo, type RunningDemo } from '../../demo/launch.ts';
import { KNOWN_FAULTS, SLOW_DELAY_MS } from '../../demo/src/faults.ts';
import { SHOPPERS } from '../../demo/src/seed.ts';
import { runTraffic } from '../../demo/traffic.ts';
import { CHROMIUM_ARGS, findChromium } from '../../fixtures/browser.ts';
import { childEnv, DEMO_ACCOUNT, loadEnv } from '../../scripts/config/env.ts';
import { freePort } from '../../scripts/setup/influxd.ts';
import { countTestIds, ShopClient, testIdText } from '../helpers/demo-client.ts';

const SYNTHETIC_HEADER = { 'X-Synthetic-Check': 'integration-test' };
const running = new Set<RunningDemo>();

async function start(options: Parameters<typeof startDemo>[0] = {}): Promise<RunningDemo> {
  const demo = await startDemo({ faults: [], ...options });
  running.add(demo);
  return demo;
}

async function stop(demo: RunningDemo): Promise<void> {
  running.delete(demo);
  await demo.stop();
}

let browser: Browser | undefined;

after(async () => {
  await Promise.all([...running].map((d) => d.stop()));
  await browser?.close();
});

async function signedIn(demo: RunningDemo, headers: Record<string, string> = {}): Promise<ShopClient> {
  const client = new ShopClient(demo.url, headers);
  await client.signIn(DEMO_ACCOUNT.username, DEMO_ACCOUNT.password);
  return client;
}

/** Uncaught errors of a page's scripts, seen by a real Chromium (one for the file, a fresh context per call). */
async function pageErrors(url: string): Promise<string[]> {
  browser ??= await chromium.launch({ executablePath: findChromium({ override: loadEnv().chromiumPath }), args: [...CHROMIUM_ARGS] });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    // The script is deferred: by the load event it has run.
    await page.waitForLoadState('load');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
    return errors;
  } finally {
    await context.close();
  }
}

interface OrdersJson {
  orders: {
    id: number;
    total: number;
    createdAt: string;
    synthetic: boolean;
    items: { name: string; quantity: number; price: number }[];
  }[];
}

describe('the healthy demo shop', () => {
  let demo: RunningDemo;
  before(async () => {
    demo = await start({ version: '3.1.4' });
  });

  it('listens on loopback and reports the version it was started with', () => {
    assert.match(demo.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(demo.version, '3.1.4');
    assert.ok(demo.pid > 0);
  });

  it('answers /health with status ok, its version and a passing database check', async () => {
    const res = await new ShopClient(demo.url).get('/health');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(JSON.parse(res.text), { status: 'ok', version: '3.1.4', checks: { database: 'ok' } });
  });

  it('serves a home page with the title, heading, featured products and same-origin assets', async () => {
    const res = await new ShopClient(demo.url).get('/');
    assert.equal(res.status, 200);
    assert.match(res.text, /<title>[^<]*Demo Shop[^<]*<\/title>/);
    assert.match(res.text, /<h1>Demo Shop<\/h1>/);
    assert.match(res.text, /<section data-testid="product-highlights"[^>]*>\s*<h2[^>]*>Featured products<\/h2>/);
    assert.ok((res.text.match(/href="\/products\/\d+"/g) ?? []).length >= 3, 'product cards link to product pages');
    assert.match(res.text, /<nav aria-label="Main">/);
    for (const link of ['Home', 'Search', 'Orders']) assert.match(res.text, new RegExp(`<a href="[^"]+"[^>]*>${link}</a>`));
    assert.match(res.text, /<a href="\/cart"[^>]*>Cart <span[^>]*data-testid="cart-count">0<\/span><\/a>/);
    assert.match(res.text, /<a class="sign-in" href="\/login"[^>]*>Sign in<\/a>/);
    assert.ok(
      res.text.includes('src="/static/app.js"') &&
        res.text.includes('href="/static/style.css"') &&
        /<img src="\/static\/logo.svg"/.test(res.text),
    );
  });

  const assets: [string, RegExp][] = [
    ['/static/app.js', /^text\/javascript/],
    ['/static/style.css', /^text\/css/],
    ['/static/logo.svg', /^image\/svg\+xml/],
    ['/favicon.ico', /^image\/svg\+xml/],
  ];
  for (const [asset, type] of assets) {
    it(`serves ${asset} with its content type`, async () => {
      const res = await new ShopClient(demo.url).get(asset);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', type);
      assert.ok(res.text.length > 100);
    });
  }

  it("runs the home page's script in a real browser without uncaught errors", async () => {
    assert.deepEqual(await pageErrors(`${demo.url}/`), []);
  });

  it('lists every product through the API with id, name, price and description', async () => {
    const body = await new ShopClient(demo.url).json<{ products: Record<string, unknown>[]; query: string }>('/api/products');
    assert.equal(body.products.length, 12);
    assert.equal(body.query, '');
    for (const p of body.products) assert.deepEqual(Object.keys(p).sort(), ['description', 'id', 'name', 'price']);
    assert.deepEqual(
      body.products.find((p) => p.name === 'Ceramic Coffee Mug'),
      { id: 1, name: 'Ceramic Coffee Mug', price: 12.5, description: body.products.find((p) => p.id === 1)!.description },
    );
  });

  it('finds products by query on the search page and in the API', async () => {
    const client = new ShopClient(demo.url);
    const api = await client.json<{ products: { name: string }[]; query: string }>('/api/products?q=mug');
    assert.deepEqual([api.query, api.products.map((p) => p.name)], ['mug', ['Ceramic Coffee Mug', 'Travel Mug']]);
    const page = await client.get('/search?q=mug');
    assert.match(page.text, /<form role="search"[^>]*>/);
    assert.match(page.text, /<label for="q">Search products<\/label>/);
    assert.match(page.text, /<input type="search" id="q" name="q" value="mug"/);
    assert.match(page.text, /<ul aria-label="Search results"[^>]*>(?:(?!<\/ul>)[\s\S])*<li>(?:(?!<\/li>)[\s\S])*<h3>Travel Mug<\/h3>/);
    const none = await client.get('/search?q=zebra');
    assert.match(testIdText(none.text, 'empty-state') ?? '', /^No products match “zebra”/);
  });

  it('escapes what a user typed wherever it appears on a page', async () => {
    const res = await new ShopClient(demo.url).get(`/search?q=${encodeURIComponent('<script>alert("x")</script>')}`);
    assert.ok(!res.text.includes('<script>alert'), 'no live script from the query');
    assert.ok(res.text.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
  });

  it('sends signed-out shoppers to sign in, and refuses the orders API with 401', async () => {
    const client = new ShopClient(demo.url);
    const cart = await client.get('/cart');
    assert.deepEqual([cart.status, cart.headers.get('location')], [303, '/login?next=%2Fcart']);
    assert.equal((await client.get('/api/orders')).status, 401);
    const add = await client.post('/cart', { product_id: '4', quantity: '1' });
    assert.deepEqual([add.status, add.headers.get('location')], [303, '/login?next=%2Fproducts%2F4']);
  });

  it('refuses a wrong password with an alert and sets no session', async () => {
    const client = new ShopClient(demo.url);
    const res = await client.post('/login', { email: DEMO_ACCOUNT.username, password: 'not-the-password' });
    assert.equal(res.status, 401);
    assert.match(res.text, /<p role="alert"[^>]*>Invalid email or password<\/p>/);
    assert.equal(client.sid, undefined);
    assert.ok(!res.text.includes('not-the-password'), 'the password is not echoed back');
  });

  it('signs in with an HttpOnly sid cookie, redirects to / and shows the account menu', async () => {
    const client = new ShopClient(demo.url);
    const res = await client.post('/login', { email: DEMO_ACCOUNT.username, password: DEMO_ACCOUNT.password });
    assert.deepEqual([res.status, res.headers.get('location')], [303, '/']);
    assert.match(res.headers.get('set-cookie') ?? '', /^sid=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
    const home = await client.get('/');
    assert.equal(testIdText(home.text, 'account-menu'), `${DEMO_ACCOUNT.username} Sign out`);
    assert.match(home.text, /<form method="post" action="\/logout"><button type="submit"[^>]*>Sign out<\/button><\/form>/);
    const out = await client.post('/logout', {});
    assert.deepEqual([out.status, client.sid], [303, undefined]);
    assert.equal(countTestIds((await client.get('/')).text, 'account-menu'), 0);
  });

  it('takes a signed-in shopper from product page to cart to a confirmed order in the history', async () => {
    const client = await signedIn(demo);
    const product = await client.get('/products/4');
    assert.match(product.text, /<h1>Pour-over Kettle<\/h1>/);
    assert.equal(testIdText(product.text, 'product-price'), '$39.00');
    assert.match(product.text, /<button type="submit">Add to cart<\/button>/);
    assert.equal((await client.post('/cart', { product_id: '4', quantity: '2' })).status, 303);
    assert.equal((await client.post('/cart', { product_id: '5', quantity: '1' })).status, 303);
    const cart = await client.get('/cart');
    assert.equal(countTestIds(cart.text, 'cart-line'), 2);
    assert.equal(testIdText(cart.text, 'cart-total'), '$86.75');
    assert.equal(testIdText(cart.text, 'cart-count'), '3');
    assert.match(cart.text, /<button type="submit" class="primary">Check out<\/button>/);
    const done = await client.post('/checkout', {});
    const id = /^\/orders\/(\d+)$/.exec(done.headers.get('location') ?? '')?.[1];
    assert.ok(id, `checkout redirects to the order, got ${done.status} ${done.headers.get('location')}`);
    const order = await client.get(`/orders/${id}`);
    assert.match(order.text, /<h1>Order confirmed<\/h1>/);
    assert.deepEqual([testIdText(order.text, 'order-id'), testIdText(order.text, 'order-total')], [id, '$86.75']);
    const history = await client.get('/orders');
    assert.match(history.text, new RegExp(`<tr data-testid="order-row" data-order-id="${id}">[\\s\\S]*?#${id}[\\s\\S]*?\\$86\\.75`));
    const api = await client.json<OrdersJson>('/api/orders');
    const listed = api.orders.find((o) => o.id === Number(id));
    assert.deepEqual(
      [listed?.total, listed?.synthetic, listed?.items.map((i) => [i.name, i.quantity])],
      [
        86.75,
        false,
        [
          ['Pour-over Kettle', 2],
          ['Tea Infuser', 1],
        ],
      ],
    );
    assert.match((await client.get('/cart')).text, /Your cart is empty/);
  });

  it('marks orders placed with the synthetic header as synthetic and lets their owner delete them', async () => {
    const client = await signedIn(demo, SYNTHETIC_HEADER);
    const id = await client.buy(2);
    const listed = (await client.json<OrdersJson>('/api/orders')).orders.find((o) => o.id === id);
    assert.equal(listed?.synthetic, true);
    assert.equal((await client.request('DELETE', `/api/orders/${id}`)).status, 204);
    assert.equal(
      (await client.json<OrdersJson>('/api/orders')).orders.some((o) => o.id === id),
      false,
    );
    assert.equal((await client.request('DELETE', `/api/orders/${id}`)).status, 404, 'deleting twice finds nothing');
  });

  it('refuses with 403 to delete an order placed without the synthetic header', async () => {
    const client = await signedIn(demo);
    const id = await client.buy(3);
    const res = await client.request('DELETE', `/api/orders/${id}`);
    assert.deepEqual([res.status, JSON.parse(res.text)], [403, { error: 'only synthetic orders can be deleted' }]);
    assert.equal((await client.json<OrdersJson>('/api/orders')).orders.find((o) => o.id === id)?.synthetic, false);
  });

  it("answers 404 when someone deletes another account's synthetic order", async () => {
    const owner = await signedIn(demo, SYNTHETIC_HEADER);
    const id = await owner.buy(6);
    const other = new ShopClient(demo.url, SYNTHETIC_HEADER);
    await other.signIn(SHOPPERS.emailOf(1), SHOPPERS.password);
    assert.equal((await other.request('DELETE', `/api/orders/${id}`)).status, 404);
    assert.equal((await owner.request('DELETE', `/api/orders/${id}`)).status, 204);
  });

  const badForms: { name: string; body: string; headers: Record<string, string>; status: number }[] = [
    {
      name: 'a JSON body is refused with 415: forms are url-encoded',
      body: '{"email":"a"}',
      headers: { 'content-type': 'application/json' },
      status: 415,
    },
    {
      name: 'a form over 16 KB is refused with 413',
      body: `email=${'a'.repeat(20_000)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      status: 413,
    },
  ];
  for (const c of badForms) {
    it(c.name, async () =>
      assert.equal((await new ShopClient(demo.url).request('POST', '/login', { body: c.body, headers: c.headers })).status, c.status),
    );
  }

  it('answers unknown paths with 404 and wrong methods with 405', async () => {
    const client = new ShopClient(demo.url);
    assert.equal((await client.get('/nope')).status, 404);
    assert.equal((await client.get('/products/999')).status, 404);
    const wrong = await client.request('PUT', '/cart');
    assert.deepEqual([wrong.status, wrong.headers.get('allow')], [405, 'POST, GET']);
  });

  it('the traffic generator drives a mix of pages, API and purchases, and stops by itself', async () => {
    const summary = await runTraffic({ url: demo.url, rps: 20, durationMs: 1500 });
    assert.ok(summary.requests >= 25, `requests: ${summary.requests}`);
    assert.ok(summary.elapsedMs < 1500 + 3000, `stopped after ${summary.elapsedMs} ms`);
    assert.deepEqual([summary.serverErrors, summary.networkErrors], [0, 0]);
    assert.ok((summary.byStatus['200'] ?? 0) > 0 && (summary.byStatus['303'] ?? 0) > 0, JSON.stringify(summary.byStatus));
  });

  it('the traffic generator stops early when its signal aborts', async () => {
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 300);
    const started = performance.now();
    const summary = await runTraffic({ url: demo.url, rps: 10, durationMs: 60_000, signal: ctrl.signal });
    assert.ok(performance.now() - started < 2000, 'returned soon after the abort');
    assert.ok(summary.requests >= 1 && summary.networkErrors === 0);
  });
});

interface FaultCase {
  readonly fault: string;
  readonly name: string;
  /** The fault changes the shop for good (its database connection is not restored): it gets a shop of its own. */
  readonly ownShop?: true;
  check(demo: RunningDemo): Promise<void>;
}

const FAULT_CASES: readonly FaultCase[] = [
  {
    fault: 'health-500',
    name: 'health-500 makes /health answer 500',
    async check(demo) {
      assert.equal((await new ShopClient(demo.url).get('/health')).status, 500);
    },
  },
  {
    fault: 'db-down',
    name: 'db-down makes /health answer 503 naming the database, and DB-backed pages fail',
    ownShop: true,
    async check(demo) {
      const client = new ShopClient(demo.url);
      const health = await client.get('/health');
      assert.equal(health.status, 503);
      const body = JSON.parse(health.text) as { status: string; checks: Record<string, string> };
      assert.equal(body.status, 'error');
      assert.match(body.checks.database ?? '', /^fail: database unavailable/);
      assert.equal((await client.get('/')).status, 503);
      assert.equal((await client.get('/api/products')).status, 503);
      assert.equal((await client.get('/login')).status, 200, 'the sign-in form itself needs no database');
    },
  },
  {
    fault: 'login-broken',
    name: 'login-broken makes a correct sign-in answer 500 "Login service unavailable"',
    async check(demo) {
      const client = new ShopClient(demo.url);
      const res = await client.post('/login', { email: DEMO_ACCOUNT.username, password: DEMO_ACCOUNT.password });
      assert.equal(res.status, 500);
      assert.match(res.text, /role="alert"[^>]*>Login service unavailable</);
      assert.equal(client.sid, undefined);
    },
  },
  {
    fault: 'search-broken',
    name: 'search-broken empties results for real queries but keeps the product listing',
    async check(demo) {
      const client = new ShopClient(demo.url);
      assert.equal((await client.json<{ products: unknown[] }>('/api/products')).products.length, 12);
      assert.deepEqual((await client.json<{ products: unknown[] }>('/api/products?q=mug')).products, []);
      assert.match(testIdText((await client.get('/search?q=mug')).text, 'empty-state') ?? '', /^No products match/);
    },
  },
  {
    fault: 'checkout-broken',
    name: 'checkout-broken makes checkout answer 500 "Payment service error" and places no order',
    async check(demo) {
      const client = await signedIn(demo);
      await client.post('/cart', { product_id: '1', quantity: '1' });
      const res = await client.post('/checkout', {});
      assert.equal(res.status, 500);
      assert.match(res.text, /role="alert"[^>]*>Payment service error/);
      assert.deepEqual((await client.json<OrdersJson>('/api/orders')).orders, []);
      assert.equal(countTestIds((await client.get('/cart')).text, 'cart-line'), 1, 'the cart is kept');
    },
  },
  {
    fault: 'js-error',
    name: "js-error makes the home page's script throw an uncaught error in a real browser",
    async check(demo) {
      const errors = await pageErrors(`${demo.url}/`);
      assert.equal(errors.length, 1, JSON.stringify(errors));
      assert.match(errors[0]!, /Cannot read properties of undefined/);
    },
  },
  {
    fault: 'slow',
    name: `slow adds at least ${SLOW_DELAY_MS} ms to every request, /health included`,
    async check(demo) {
      const client = new ShopClient(demo.url);
      for (const p of ['/health', '/api/products', '/static/style.css']) {
        const res = await client.get(p);
        assert.equal(res.status, 200);
        assert.ok(res.ms >= SLOW_DELAY_MS, `${p} took ${res.ms.toFixed(0)} ms`);
      }
    },
  },
  {
    fault: 'errors',
    name: 'errors answers about 5% of 200 requests with 500, and never the static assets',
    async check(demo) {
      const client = new ShopClient(demo.url);
      const statuses: number[] = [];
      for (let batch = 0; batch < 20; batch++)
        statuses.push(...(await Promise.all(Array.from({ length: 10 }, () => client.get('/api/products')))).map((r) => r.status));
      const share = statuses.filter((s) => s === 500).length / statuses.length;
      assert.ok(share >= 0.01 && share <= 0.15, `5xx share ${share}`);
      const assets = await Promise.all(Array.from({ length: 60 }, () => client.get('/static/logo.svg')));
      assert.ok(assets.every((r) => r.status === 200));
    },
  },
];

// One shop for the cases, its fault switched at run time (the launcher's control route) and off again after each case:
// DEMO_FAULTS at start-up sets the same switch (demo/src/faults.ts), and a shop per fault cost a start-up each.
describe('each fault has its observable effect', () => {
  let demo: RunningDemo;
  before(async () => {
    demo = await start();
  });

  it('the fault table covers every known fault except memory-leak (tested with metrics)', () => {
    assert.deepEqual([...FAULT_CASES.map((c) => c.fault), 'memory-leak'].sort(), [...KNOWN_FAULTS].sort());
  });

  for (const c of FAULT_CASES) {
    it(c.name, async () => {
      if (c.ownShop) {
        const own = await start({ faults: [c.fault] });
        try {
          return await c.check(own);
        } finally {
          await stop(own);
        }
      }
      assert.deepEqual((await demo.setFaults([c.fault])).faults, [c.fault]);
      try {
        await c.check(demo);
      } finally {
        assert.deepEqual((await demo.setFaults([])).faults, []);
      }
    });
  }

  it('the same probes pass on the same shop with its faults off, so each fault case can tell the difference', async () => {
    const client = new ShopClient(demo.url);
    assert.equal((await client.get('/health')).status, 200);
    assert.ok((await client.get('/health')).ms < SLOW_DELAY_MS);
    assert.equal((await client.json<{ products: unknown[] }>('/api/products?q=mug')).products.length, 2);
    const statuses = await Promise.all(Array.from({ length: 100 }, () => client.get('/api/products')));
    assert.ok(statuses.every((r) => r.status === 200));
    const shopper = await signedIn(demo);
    assert.ok((await shopper.buy(1)) > 1000);
  });
});

describe('start-up and shutdown', () => {
  it('an unknown fault stops the start with exit code 4 and lists the known faults', async () => {
    const err = await startDemo({ faults: ['slow', 'explode'] }).then(
      () => assert.fail('the demo started with an unknown fault'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof DemoStartError);
    assert.equal(err.exitCode, 4);
    assert.match(err.message, /DEMO_FAULTS = "slow,explode": unknown fault "explode"; known faults: health-500, db-down/);
    for (const f of KNOWN_FAULTS) assert.ok(err.stderr.includes(f), `lists ${f}`);
  });

  it('on SIGTERM the server stops, closes its database and exits 0', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-sigterm-'));
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'demo/server.ts'], {
        env: childEnv({ DEMO_PORT: '0', DEMO_DATA_DIR: dataDir, DEMO_FAULTS: '' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.setEncoding('utf8').on('data', (c: string) => {
          out += c;
          const m = /^demo-shop 1\.0\.0 listening on (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code} before listening: ${err}`)));
      });
      assert.equal((await new ShopClient(url).get('/health')).status, 200);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      assert.match(err, /SIGTERM received, shutting down/);
      assert.equal(out.split('\n').filter(Boolean).length, 1, 'stdout carries only the listening line');
      assert.ok(
        !fs.existsSync(path.join(dataDir, 'shop.sqlite-wal')) || fs.statSync(path.join(dataDir, 'shop.sqlite-wal')).size === 0,
        'the WAL was checkpointed on close',
      );
      await assert.rejects(fetch(`${url}/health`), 'the port is closed');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('an unreachable InfluxDB is reported once, not on every failed write, and the shop keeps serving', async () => {
    // A port that was free a moment ago: nothing listens there (port 9 would not do: fetch refuses "bad ports" itself).
    const closedPort = await freePort();
    const demo = await start({ influx: { url: `http://127.0.0.1:${closedPort}`, database: 'aftercheck' }, metricsIntervalMs: 100 });
    try {
      const client = new ShopClient(demo.url);
      for (let i = 0; i < 10; i++) {
        assert.equal((await client.get('/health')).status, 200);
        await new Promise((r) => setTimeout(r, 100));
      }
      const reports = demo
        .stderr()
        .split('\n')
        .filter((l) => l.includes('metrics:'));
      assert.equal(reports.length, 1, demo.stderr());
      assert.match(
        reports[0]!,
        new RegExp(
          `metrics: InfluxDB at http://127\\.0\\.0\\.1:${closedPort}/? does not answer /ping \\(fetch failed: connect ECONNREFUSED[^)]*\\); writes will be retried; repeats are reported at most once every 60 s`,
        ),
      );
    } finally {
      await stop(demo);
    }
  });
});
