// Floor (a) of the smoke section: a minimal @playwright/test config for one spec doing the demo's @smoke checks, list reporter only.
// Run from a folder holding floor-target.json: npx playwright test -c bench/floors/smoke-spec/playwright.config.ts
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../../fixtures/browser.ts';
import { floorTarget } from '../target.ts';

const target = floorTarget();

export default defineConfig({
  testDir: import.meta.dirname,
  outputDir: path.resolve('floor-test-results'),
  reporter: [['list']],
  workers: 1,
  retries: 0,
  timeout: 20_000,
  use: {
    baseURL: target.baseURL,
    // The same Chromium and flags as aftercheck's runs, so the browser itself costs the same on both sides.
    launchOptions: { executablePath: target.chromium, args: [...CHROMIUM_ARGS] },
    actionTimeout: 5_000,
    navigationTimeout: 10_000,
  },
});
