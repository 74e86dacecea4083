// Playwright configuration: target from the environment (`demo` starts the bundled shop), projects setup → smoke → verify, reporters into the reports dir.
import path from 'node:path';
import os from 'node:os';
import { chromium, defineConfig, type ReporterDescription } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './fixtures/browser.ts';
import { cleanStaleOutputs, isFirstEvaluation, markEvaluated, orExitOnConfigError, resolveSettings } from './fixtures/settings.ts';
import type { SelectionReporterOptions } from './fixtures/reporters/selection-reporter.ts';

const s = await orExitOnConfigError(resolveSettings);
const executablePath = await orExitOnConfigError(() => findChromium({ override: s.env.chromiumPath, playwrightManaged: chromium.executablePath() }));
if (isFirstEvaluation()) {
  cleanStaleOutputs(s.paths);
  markEvaluated();
}

const { env, paths, selection, target } = s;

const selectionOptions: SelectionReporterOptions = {
  outputFile: paths.selectionFile,
  verifyAll: selection.verifyAll,
  manifestPath: selection.manifestPath,
  manifestFound: selection.manifestFound,
  manifestFeatures: [...selection.manifestFeatures],
  selectedFeatures: [...selection.selectedFeatures],
  reason: selection.reason,
  grep: selection.grep.source,
  writesExcluded: !env.allowWrites,
};

const reporter: ReporterDescription[] = [
  ['list'],
  ['html', { outputFolder: path.join(paths.reportsDir, 'html'), open: 'never' }],
  ['json', { outputFile: path.join(paths.reportsDir, 'results.json') }],
  ['junit', { outputFile: path.join(paths.reportsDir, 'junit.xml') }],
  [
    'allure-playwright',
    {
      resultsDir: path.join(paths.reportsDir, 'allure-results'),
      // What ran against what; never credentials (the URL is shown redacted).
      environmentInfo: {
        target: target.display,
        'target kind': target.kind,
        ...(target.kind === 'demo' ? { 'demo version': env.demo.version, 'demo faults': env.demo.faults || '(none)' } : {}),
        'verify selection': selection.selectedFeatures.join(', ') || '(none)',
        'writes allowed': String(env.allowWrites),
        node: process.version,
        os: `${os.platform()} ${os.release()}`,
      },
    },
  ],
  ['./fixtures/reporters/selection-reporter.ts', selectionOptions],
];

export default defineConfig({
  outputDir: paths.outputDir,
  fullyParallel: true,
  forbidOnly: env.ci,
  retries: env.retries,
  // Smoke asks "is it alive?": short limits so a dead target fails in seconds, not 30 s per test.
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter,
  globalTeardown: './fixtures/global-teardown.ts',
  use: {
    baseURL: target.baseURL,
    launchOptions: { executablePath, args: [...CHROMIUM_ARGS] },
    actionTimeout: 5_000,
    navigationTimeout: 10_000,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    // No ffmpeg on the target machines, and traces show more than a video would.
    video: 'off',
  },
  projects: [
    {
      name: 'setup',
      testDir: './tests/setup',
      testMatch: /.*\.setup\.ts$/,
      // An unreachable target is not worth a retry; the whole run must end in seconds.
      retries: 0,
      timeout: 15_000,
      // The setup types the password: traces record typed values and request bodies, so none is kept here.
      use: { trace: 'off' },
    },
    {
      name: 'smoke',
      testDir: './tests/smoke',
      testMatch: /.*\.spec\.ts$/,
      dependencies: ['setup'],
      timeout: 20_000,
    },
    {
      name: 'verify',
      testDir: './tests/verify',
      testMatch: /.*\.spec\.ts$/,
      dependencies: ['smoke'],
      // Only the changed features' @verify tests (Playwright's own filter, so unselected tests are absent, not skipped).
      grep: selection.grep,
      ...(env.allowWrites ? {} : { grepInvert: /@writes(?=\s|$)/ }),
    },
  ],
  ...(target.kind === 'demo'
    ? {
        webServer: {
          command: 'npx tsx demo/server.ts',
          // Wait on the port, not a URL: faults such as health-500 may break every URL while the shop is up.
          port: target.demoPort,
          reuseExistingServer: false,
          timeout: 30_000,
          stdout: 'pipe',
          stderr: 'pipe',
          gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
          // The credentials travel through the inherited environment (see fixtures/settings.ts), never through this object.
          env: { DEMO_PORT: String(target.demoPort), DEMO_FAULTS: env.demo.faults, DEMO_VERSION: env.demo.version },
        },
      }
    : {}),
});
