// Playwright configuration: app profile and target from the environment (`demo` starts the bundled shop), projects smoke → verify (the probe in global setup), reporters into the reports dir.
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { chromium, defineConfig, type ReporterDescription } from '@playwright/test';
import { CHROMIUM_ARGS } from './fixtures/browser.ts';
import { PROJECT, reportPath, TAG, targetId } from './scripts/contract.ts';
import { escapeRegExp } from './scripts/config/selection.ts';
import { runAttestation, runMetadata } from './fixtures/run-record.ts';
import { checkShardable, reportersFor, runModeOf } from './fixtures/run-mode.ts';
import { cleanStaleOutputs, isFirstEvaluation, markEvaluated, orExitOnConfigError, resolveSettings } from './fixtures/settings.ts';
import type { SelectionReporterOptions } from './fixtures/reporters/selection-reporter.ts';
import type { SmokeTrace } from './fixtures/trace.ts';

// Paths from this file, not from wherever a config importing it lives (tests wrap it to run the example smoke spec).
const ROOT = path.dirname(fileURLToPath(import.meta.url));
const fromRoot = (relative: string) => path.join(ROOT, relative);

// `--list` must never touch reports; `--shard=i/n` writes a blob report for `npm run merge`; see fixtures/run-mode.ts.
const mode = runModeOf(process.argv);
// Environment, manifest and browser are checked together: one message lists every problem (exit code 4).
const s = await orExitOnConfigError(
  async () => {
    const resolved = await resolveSettings({ playwrightManagedChromium: chromium.executablePath() });
    checkShardable(mode, resolved.env.runId);
    return resolved;
  },
  { retire: mode.kind !== 'list' },
);
const { executablePath } = s;
if (isFirstEvaluation()) {
  if (mode.kind !== 'list') cleanStaleOutputs(s.paths);
  for (const w of s.env.warnings) process.stderr.write(`aftercheck: warning: ${w}\n`);
  markEvaluated();
}

const { env, paths, selection, target, profile } = s;
/** Matches files of one folder (given absolute) whose names end in .spec.ts. */
const specsIn = (dir: string) => new RegExp(`^${escapeRegExp(dir + path.sep)}.*\\.spec\\.ts$`);

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
  profile: profile.name,
  verifyDir: profile.verifyDir,
};

const reporter: ReporterDescription[] = reportersFor(
  mode,
  [
    ['list'],
    ['html', { outputFolder: reportPath(paths.reportsDir, 'html'), open: 'never' }],
    ['json', { outputFile: reportPath(paths.reportsDir, 'results') }],
    ['junit', { outputFile: reportPath(paths.reportsDir, 'junit') }],
    [
      // allure-playwright, with one severity label per test: the test's own severity overrides its feature's.
      fromRoot('fixtures/reporters/allure-reporter.ts'),
      {
        resultsDir: reportPath(paths.reportsDir, 'allureResults'),
        // What ran against what; never credentials (the URL is shown redacted).
        environmentInfo: {
          'app profile': profile.name,
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
    [fromRoot('fixtures/reporters/selection-reporter.ts'), selectionOptions],
    // Last: it scrubs what the reporters above wrote.
    [fromRoot('fixtures/reporters/scrub-reporter.ts')],
  ],
  {
    blobDir: reportPath(paths.reportsDir, 'blobReport'),
    scrubber: fromRoot('fixtures/reporters/scrub-reporter.ts'),
    selection: fromRoot('fixtures/reporters/selection-reporter.ts'),
  },
);

export default defineConfig<{ smokeTrace: SmokeTrace }>({
  // Which release, target and run this is: results.json carries it, and the verdict refuses results made for another.
  metadata: runMetadata(
    runAttestation({
      env,
      app: profile.name,
      target: targetId(env.baseUrl!, env.secrets),
      manifest: s.manifest,
      argv: process.argv,
      shard: mode.kind === 'shard' ? { current: mode.current, total: mode.total } : undefined,
    }),
  ),
  outputDir: paths.outputDir,
  fullyParallel: true,
  forbidOnly: env.ci,
  retries: env.retries,
  // Smoke asks "is it alive?": short limits so a dead target fails in seconds, not 30 s per test.
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter,
  // The probe: one request before any worker starts, so a dead target ends the run in seconds (fixtures/probe.ts).
  globalSetup: fromRoot('fixtures/global-setup.ts'),
  globalTeardown: fromRoot('fixtures/global-teardown.ts'),
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
      // The generic checks (tests/smoke) and the profile's hand-written ones (apps/<app>/smoke); only *.spec.ts, so a
      // template such as apps/demo-shop/smoke/example-extra-smoke.ts is type-checked (and run by its own test), not collected.
      name: PROJECT.smoke,
      testDir: ROOT,
      testMatch: [specsIn(fromRoot('tests/smoke')), specsIn(profile.smokeDir)],
      timeout: 20_000,
      // One worker and one browser for the whole smoke run, which is most of its time: the probe ran in global setup,
      // the sign-in is a worker fixture (once per run, untraced), and traces are a per-test option (fixtures/trace.ts)
      // so the checks that handle the password or a token need no worker of their own. Kept on failure, as before.
      use: { trace: 'off', smokeTrace: 'retain-on-failure' },
    },
    {
      // The profile's own flows; a profile without a verify folder has none (recorded as such, see the selection reporter).
      name: PROJECT.verify,
      testDir: profile.verifyDir,
      testMatch: /.*\.spec\.ts$/,
      dependencies: [PROJECT.smoke],
      // Only the changed features' @verify tests (Playwright's own filter, so unselected tests are absent, not skipped).
      grep: selection.grep,
      ...(env.allowWrites ? {} : { grepInvert: new RegExp(`${TAG.writes}(?=\\s|$)`) }),
    },
  ],
  ...(target.kind === 'demo'
    ? {
        webServer: {
          command: 'npx tsx demo/server.ts',
          cwd: ROOT,
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
