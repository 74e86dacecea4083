// The demo's story, on one machine: InfluxDB, demo shop v1 under traffic for a baseline, "deploy" v2 (faults now or
// later), then the test run and the watch of the checking period together, the reports, the decision.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { styleText } from 'node:util';
import { childEnv, DEMO_ACCOUNT, loadEnv } from '../config/env.ts';
import type { ChangeSize } from '../config/manifest.ts';
import { checkingPeriodMs, loadPolicy, parseDuration, watchEveryMs } from '../config/policy.ts';
import { loadProfile } from '../config/profile.ts';
import { REPORT } from '../contract.ts';
import { useColor } from '../adapters/console.ts';
import { printVerdict } from '../adapters/console.ts';
import { retireReports } from '../adapters/retire.ts';
import { createProgress } from '../adapters/watch-progress.ts';
import { formatDuration } from '../engine/format.ts';
import { startInfluxd } from '../setup/influxd.ts';
import { Lifecycle } from '../setup/lifecycle.ts';
import { startDemo } from '../../demo/launch.ts';
import { runTraffic } from '../../demo/traffic.ts';
import type { CommandIO } from '../cli/frame.ts';
import { runWatch, type RunWatchResult } from './watch-run.ts';
import { sleepUnlessAborted } from './watch.ts';

/** The bundled demo's app profile (apps/demo-shop): its registry names the demo's features, its policy the demo's signals. */
export const DEMO_APP = 'demo-shop';

export interface DemoOptions {
  readonly faults: readonly string[];
  /** Deploy healthy and switch the faults on this long after the deploy; null: faulty from the start. */
  readonly faultAfterMs: number | null;
  readonly features: readonly string[];
  readonly changeSize: ChangeSize;
  readonly version: string;
  readonly previousVersion: string;
  readonly rps: number;
}

function gitCommit(): string | undefined {
  try {
    const head = fs.readFileSync('.git/HEAD', 'utf8').trim();
    if (!head.startsWith('ref: ')) return head;
    const ref = path.join('.git', head.slice(5));
    return fs.existsSync(ref) ? fs.readFileSync(ref, 'utf8').trim() : undefined;
  } catch {
    return undefined;
  }
}

const rel = (file: string) => path.relative(process.cwd(), file) || '.';

export async function runDemo(opts: DemoOptions, io: CommandIO): Promise<number> {
  const life = new Lifecycle();
  const print = (s: string) => void io.stdout.write(`${s}\n`);
  // After an interrupt the flow winds down (its children are already stopped); it announces no further steps.
  const step = (n: number, text: string) => {
    if (!life.interruptedBy) print(`\n${styleText('bold', `▶ ${n}/6`)} ${text}`);
  };
  const demoProfile = await loadProfile(DEMO_APP);
  // The demo always checks its own profile, whatever AFTERCHECK_APP says (a .env written for another app included), and
  // brings its own compressed policy unless the user points AFTERCHECK_POLICY elsewhere.
  const base = loadEnv({ overrides: { AFTERCHECK_APP: DEMO_APP } });
  const policyPath = base.policyPath === demoProfile.policyFile ? path.join(demoProfile.dir, 'policy.demo.json') : base.policyPath;
  const { policy } = loadPolicy(policyPath);
  const periodMs = checkingPeriodMs(policy, opts.changeSize);
  const intervalMs = parseDuration(policy.interval)!;
  const reportsDir = base.reportsDir;
  fs.mkdirSync(reportsDir, { recursive: true });

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-demo-'));
  // Registered first, so it runs last: after every process that writes into it has stopped.
  life.onShutdown(() => fs.rmSync(work, { recursive: true, force: true }));
  const traffic = new AbortController();
  life.onShutdown(() => traffic.abort());
  const stopWatch = new AbortController();
  let watching: Promise<RunWatchResult> | undefined;
  life.exitOnSignals(async (signal) => {
    io.stderr.write(`\naftercheck demo: ${signal}: stopping the watch, the demo shops, InfluxDB and every child process…\n`);
    stopWatch.abort(signal);
    await watching?.catch(() => undefined);
  });
  try {
    step(1, 'Starting InfluxDB');
    const influx = await startInfluxd({ dir: path.join(work, 'influxdb') });
    life.onShutdown(() => influx.stop());
    const database = 'aftercheck';
    await influx.createDatabase(database);
    print(`  influxd ${influx.url} (database ${database})`);

    const metricsIntervalMs = Math.max(250, Math.min(1000, Math.floor(intervalMs / 2)));
    // The synthetic account the suite signs in with is seeded into the demo, so planted credentials work end to end.
    const account = base.credentials ?? DEMO_ACCOUNT;
    const demoOpts = {
      influx: { url: influx.url, database },
      metricsIntervalMs,
      env: { DEMO_SYNTHETIC_USERNAME: account.username, DEMO_SYNTHETIC_PASSWORD: account.password },
    };

    step(2, `Running demo shop v${opts.previousVersion} under traffic for a ${Math.round(periodMs / 1000)} s baseline window`);
    const v1 = await startDemo({ ...demoOpts, version: opts.previousVersion, dataDir: path.join(work, 'data-v1') });
    let v1Stopped = false;
    life.onShutdown(() => (v1Stopped ? Promise.resolve() : v1.stop()));
    print(`  v${opts.previousVersion} at ${v1.url}`);
    const baselineTraffic = new AbortController();
    const t1 = runTraffic({
      url: v1.url,
      rps: opts.rps,
      durationMs: periodMs + 60_000,
      signal: AbortSignal.any([traffic.signal, baselineTraffic.signal]),
    });
    await sleepUnlessAborted(periodMs + intervalMs, traffic.signal);

    const later = opts.faultAfterMs !== null;
    step(
      3,
      `Deploying v${opts.version}${opts.faults.length ? `${later ? ', healthy; faults' : ' with faults'}: ${opts.faults.join(', ')}${later ? ` switched on ${formatDuration(opts.faultAfterMs!)} after the deploy` : ''}` : ''}`,
    );
    const v2 = await startDemo({
      ...demoOpts,
      version: opts.version,
      faults: later ? [] : opts.faults,
      dataDir: path.join(work, 'data-v2'),
    });
    life.onShutdown(() => v2.stop());
    const deployedAt = new Date();
    baselineTraffic.abort();
    await t1;
    await v1.stop();
    v1Stopped = true;
    const t2 = runTraffic({ url: v2.url, rps: opts.rps, durationMs: periodMs + 10 * 60_000, signal: traffic.signal });
    const manifestPath = path.join(reportsDir, 'release-manifest.json');
    // A fresh story: the previous demo's results and verdict must not be read while this one's are being made.
    retireReports(reportsDir, [REPORT.results, REPORT.verdictJson, REPORT.verdictMd, REPORT.health]);
    const manifest = {
      $schema: '../schemas/release-manifest.schema.json',
      version: opts.version,
      previousVersion: opts.previousVersion,
      deployedAt: deployedAt.toISOString(),
      changeSize: opts.changeSize,
      features: opts.features,
      commit: gitCommit(),
      notes: opts.faults.length
        ? `demo release with faults: ${opts.faults.join(', ')}${later ? ` (switched on ${formatDuration(opts.faultAfterMs!)} after the deploy)` : ''}`
        : 'demo release',
    };
    fs.writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    print(`  v${opts.version} at ${v2.url}; manifest ${rel(manifestPath)}`);
    let switched: string | undefined;
    if (later) {
      const timer = setTimeout(
        () => {
          v2.setFaults(opts.faults).then(
            (r) => {
              switched = r.at;
              print(`  ${styleText('bold', 'fault switch:')} ${opts.faults.join(', ')} on at ${r.at}`);
            },
            (e: unknown) => io.stderr.write(`aftercheck demo: could not switch the faults on: ${(e as Error).message}\n`),
          );
        },
        Math.max(0, deployedAt.getTime() + opts.faultAfterMs! - Date.now()),
      );
      life.onShutdown(() => clearTimeout(timer));
    }

    const suiteEnv = childEnv({
      AFTERCHECK_APP: DEMO_APP,
      AFTERCHECK_BASE_URL: v2.url,
      AFTERCHECK_MANIFEST: manifestPath,
      AFTERCHECK_POLICY: policyPath,
      AFTERCHECK_ALLOW_WRITES: 'true',
      AFTERCHECK_REPORTS_DIR: reportsDir,
      AFTERCHECK_USERNAME: account.username,
      AFTERCHECK_PASSWORD: account.password,
      AFTERCHECK_INFLUX_URL: influx.url,
      AFTERCHECK_INFLUX_DATABASE: database,
      AFTERCHECK_INFLUX_DIALECT: 'influxql',
      AFTERCHECK_SERVICE: 'demo-shop',
      FORCE_COLOR: io.stdout.isTTY ? '1' : '0',
    });
    const env = loadEnv({ source: suiteEnv });

    step(4, `Running @smoke, then @verify (Playwright, Chromium), while watching the ${formatDuration(periodMs)} checking period`);
    print(
      `  evaluations every ${formatDuration(watchEveryMs(policy))}; a certain rollback ends the watch early, a pass waits for the whole period`,
    );
    const suite = life.spawn(process.execPath, [path.resolve('node_modules/@playwright/test/cli.js'), 'test'], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: suiteEnv,
    }).exited;
    const progress = createProgress(io.stdout, { live: false, color: useColor(io.stdout, env.noColor), secrets: env.secrets });
    const suiteDone = suite.then((code) => {
      print(`  Playwright exited ${code}; results in ${rel(path.join(reportsDir, REPORT.results))}`);
      progress.setLive(!env.ci);
    });
    // Only the final verdict goes to a CI step summary: the watch writes the summary file once, at its end.
    watching = runWatch({ env, health: { mode: 'run' }, progress, signal: stopWatch.signal, testsDone: suiteDone });
    const watched = await watching;
    await suiteDone;
    traffic.abort();
    await t2;

    step(5, watched.end === 'rollback' ? 'Rollback certain: the watch ended early' : 'Checking period watched to its end');
    if (watched.verdict) printVerdict(watched.verdict, { stream: io.stdout, noColor: env.noColor, secrets: env.secrets });
    if (switched)
      print(
        `  faults switched on ${switched}; ${watched.detectedAt ? `detected ${watched.detectedAt}, ${formatDuration(Date.parse(watched.detectedAt) - Date.parse(switched))} later` : 'not detected'}`,
      );
    step(6, 'Building the reports');
    const reportExit = await life.spawn(process.execPath, ['--import', 'tsx', path.resolve('scripts/cli/report.ts')], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: suiteEnv,
    }).exited;
    if (reportExit !== 0)
      io.stderr.write(`  Allure report generation failed (exit ${reportExit}); the verdict and the other reports stand.\n`);
    const r = (f: string) => rel(path.join(reportsDir, f));
    print(
      `\nReports:\n  verdict        ${r('verdict.json')}  ${r('verdict.md')}\n  health         ${r('health.json')}\n  Playwright     ${r('html/index.html')}  (npx playwright show-report ${r('html')})\n  Allure         ${r('allure-report')}  (serve it: npx allure open ${r('allure-report')})\n  JUnit          ${r('junit.xml')}`,
    );
    return watched.exitCode;
  } finally {
    await life.shutdown();
  }
}
