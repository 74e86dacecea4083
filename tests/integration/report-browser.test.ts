// The Allure report as QA and on-call see it: generated for real (allure generate) for a failing and a healthy
// demo-like release, served on loopback and opened in Chromium at 1440 × 900. Screenshots are kept in
// <os tmpdir>/aftercheck-report-browser/<case>/screenshots/ (replaced on every run).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../../fixtures/browser.ts';
import { release } from '../helpers/report-release.ts';
import { serveDir, type StaticServer } from '../helpers/static-server.ts';

const ARTIFACTS = path.join(os.tmpdir(), 'aftercheck-report-browser');

let browser: Browser;
const cases = {
  failing: { headline: 'ROLLBACK · demo-shop 2.0.0', failingCharts: ['Error rate', 'Latency p95'] },
  healthy: { headline: 'PROCEED · demo-shop 2.0.0', failingCharts: [] as string[] },
} as const;
const served: Partial<Record<keyof typeof cases, StaticServer>> = {};

before(async () => {
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  const failing = path.join(ARTIFACTS, 'failing', 'reports');
  assert.equal((await release(failing, '2.0.0', true)).decision, 'rollback');
  // The healthy release follows a rolled-back one in the same reports dir, so its verdict has a history entry.
  const healthy = path.join(ARTIFACTS, 'healthy', 'reports');
  assert.equal((await release(healthy, '1.9.0', true)).decision, 'rollback');
  assert.equal((await release(healthy, '2.0.0', false)).decision, 'proceed');
  served.failing = await serveDir(path.join(failing, 'allure-report'));
  served.healthy = await serveDir(path.join(healthy, 'allure-report'));
  browser = await chromium.launch({ executablePath: findChromium({ override: undefined }), args: [...CHROMIUM_ARGS] });
});
after(async () => {
  await browser?.close();
  await served.failing?.close();
  await served.healthy?.close();
});

const shot = (name: keyof typeof cases, file: string) => {
  const dir = path.join(ARTIFACTS, name, 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, file);
};

async function overview(name: keyof typeof cases): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(served[name]!.url);
  await page.getByTestId('metadata-item').first().waitFor();
  return page;
}

/** From the overview, one click on the tree's verdict entry. */
async function openVerdict(page: Page, headline: string): Promise<void> {
  await page.getByText(`Release verdict: ${headline}`, { exact: true }).first().click();
  await page.getByTestId('test-result-description-frame').waitFor();
}

for (const [name, c] of Object.entries(cases) as [keyof typeof cases, (typeof cases)[keyof typeof cases]][]) {
  describe(`the ${name} release's report in Chromium`, () => {
    it('shows the decision on the first screen of the overview: the report name and the first metadata entry', async () => {
      const page = await overview(name);
      await page.screenshot({ path: shot(name, '1-overview.png') });
      assert.equal(await page.title(), c.headline);
      const first = page.getByTestId('metadata-item').first();
      assert.equal(await first.getByTestId('metadata-item-key').textContent(), 'Verdict');
      assert.match((await first.getByTestId('metadata-item-value').textContent()) ?? '', new RegExp(`^${c.headline.split(' ')[0]} — `));
      const box = await first.boundingBox();
      assert.ok(box && box.y >= 0 && box.y + box.height <= 900, `the verdict entry is on the first screen: ${JSON.stringify(box)}`);
      await page.close();
    });

    it('opens the Release verdict in one click from the overview', async () => {
      const page = await overview(name);
      await openVerdict(page, c.headline);
      assert.equal(await page.getByTestId('test-result-info-title').textContent(), `Release verdict: ${c.headline}`);
      await page.screenshot({ path: shot(name, '2-verdict.png') });
      await page.close();
    });

    it('fits every description table into its frame, and shows each failing signal’s chart inline', async () => {
      const page = await overview(name);
      await openVerdict(page, c.headline);
      const frame = page.frameLocator('[data-testid="test-result-description-frame"]');
      await frame.locator('.headline').waitFor();
      const widths = await frame.locator('body').evaluate((body) => ({
        frame: body.clientWidth,
        page: body.ownerDocument.documentElement.scrollWidth,
        tables: [...body.querySelectorAll('table')].map((t) => t.getBoundingClientRect().right),
      }));
      assert.ok(widths.tables.length >= 2, 'the reasons and the signals tables');
      for (const right of widths.tables)
        assert.ok(right <= widths.frame + 0.5, `a table ends at ${right} px, the frame at ${widths.frame} px`);
      assert.ok(widths.page <= widths.frame, `the description scrolls sideways: ${widths.page} > ${widths.frame}`);
      const charts = frame.locator('img.signal-chart');
      assert.deepEqual(
        await charts.evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).alt)),
        c.failingCharts.map((t) => `${t}: current vs baseline`),
      );
      for (let i = 0; i < c.failingCharts.length; i++) {
        const chart = charts.nth(i);
        await chart.scrollIntoViewIfNeeded();
        assert.ok(await chart.isVisible());
        assert.ok((await chart.evaluate((img) => (img as HTMLImageElement).naturalWidth)) > 300, 'the SVG loaded');
        await chart.screenshot({ path: shot(name, `4-chart-${i + 1}.png`) });
      }
      // The whole page in one picture: a window tall enough for the description and the steps.
      await page.setViewportSize({ width: 1440, height: 3200 });
      await page.getByTestId('base-layout').evaluate((e) => e.scrollTo(0, 0));
      await page.screenshot({ path: shot(name, '3-verdict-page.png') });
      await page.close();
    });

    it('shows no "Error" box on a passed step, with every step expanded', async () => {
      const page = await overview(name);
      await openVerdict(page, c.headline);
      const contents = page.getByTestId('test-result-step-content');
      await page.getByTestId('test-result-step').first().waitFor();
      const initially = await contents.count();
      // The toggle cycles through its states; the first that opens more steps than the page shows on arrival is "all".
      for (let i = 0; i < 3 && (await contents.count()) <= initially; i++)
        await page.getByTestId('test-result-steps-subtree-toggle').click();
      const open = await contents.count();
      const steps = await page.getByTestId('test-result-step').count();
      assert.ok(steps > 20 && open > steps / 2, `steps expanded: ${open} of ${steps}`);
      const errorsOnPassedSteps = await page.evaluate(() =>
        [...document.querySelectorAll('[data-testid="test-result-error"]')].flatMap((box) => {
          const step = box.closest('[data-testid="test-result-step"]');
          const header = step?.querySelector(':scope > [data-testid="test-result-step-header"]');
          const passed = header?.querySelector('[data-testid="tree-leaf-status-passed"]');
          return passed ? [header?.querySelector('[data-testid="test-result-step-title"]')?.textContent ?? '?'] : [];
        }),
      );
      assert.deepEqual(errorsOnPassedSteps, []);
      await page.screenshot({ path: shot(name, '5-steps.png'), fullPage: true });
      await page.close();
    });
  });
}

describe('history of the verdict', () => {
  it('lists the earlier release with its version and decision, and keeps it in Allure’s History tab', async () => {
    const page = await overview('healthy');
    await openVerdict(page, cases.healthy.headline);
    const frame = page.frameLocator('[data-testid="test-result-description-frame"]');
    const earlier = frame.locator('table').last();
    await earlier.scrollIntoViewIfNeeded();
    assert.deepEqual(await earlier.locator('tbody tr td').evaluateAll((cells) => cells.slice(1).map((c) => c.textContent)), [
      'ROLLBACK',
      'demo-shop 1.9.0',
    ]);
    await page.getByTestId('test-result-tab-history').click();
    const items = page.getByTestId('test-result-history-item');
    await items.first().waitFor();
    assert.equal(await items.count(), 1);
    assert.equal(await items.first().getByTestId('tree-leaf-status-failed').count(), 1, 'the rollback shows as failed');
    await page.screenshot({ path: shot('healthy', '6-history.png') });
    await page.close();
  });
});
