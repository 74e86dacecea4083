// Floor (b) of the smoke section: the demo's @smoke checks as a bare playwright-core script in one process, one browser, one sign-in.
// Usage (from a folder holding floor-target.json): node --import tsx bench/floors/smoke-core.ts
// Prints one JSON line with its own phase times (browser launch, each check, close); exit 1 when a check failed.
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../fixtures/browser.ts';
import { floorTarget } from './target.ts';
import * as check from './shop-checks.ts';

async function main(): Promise<number> {
  const started = performance.now();
  const target = floorTarget();
  const origin = new URL(target.baseURL).origin;
  const times: Record<string, number> = {};
  const failures: string[] = [];
  const timed = async (name: string, fn: () => Promise<void>) => {
    const t0 = performance.now();
    await fn().catch((e: unknown) => failures.push(`${name}: ${(e as Error).message.split('\n')[0]}`));
    times[name] = Math.round(performance.now() - t0);
  };
  const t0 = performance.now();
  const browser = await chromium.launch({ executablePath: target.chromium, args: [...CHROMIUM_ARGS] });
  times.launch = Math.round(performance.now() - t0);
  try {
    const session = await browser.newContext({ baseURL: target.baseURL });
    const plain = await browser.newContext({ baseURL: target.baseURL });
    await timed('probe', () => check.probe(plain.request, target.baseURL));
    await timed('login', async () => check.signIn(await session.newPage(), target));
    // A fresh context per page check, as Playwright's page fixture gives each test (nothing comes from the cache), closed after it.
    const inFresh = async (fn: (page: Page) => Promise<void>) => {
      const context = await browser.newContext({ baseURL: target.baseURL });
      await fn(await context.newPage()).finally(() => context.close());
    };
    await timed('main page', () => inFresh((page) => check.mainPage(page, origin)));
    await timed('health', () => check.health(plain.request));
    await timed('products API', () => check.products(plain.request));
    await timed('orders API', () => check.orders(session.request));
    await timed('assets', async () => inFresh((page) => check.assets(page, origin)));
  } finally {
    const t1 = performance.now();
    await browser.close();
    times.close = Math.round(performance.now() - t1);
  }
  process.stdout.write(`${JSON.stringify({ totalMs: Math.round(performance.now() - started), times, failures })}\n`);
  return failures.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`smoke-core floor: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(2);
  },
);
