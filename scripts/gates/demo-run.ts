// The demo's story, on one machine: InfluxDB, demo shop v1 under traffic for a baseline, "deploy" v2 (faults now or
// later), then the test run and the watch of the checking period together, the reports, the decision.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { styleText } from 'node:util';
import { childEnv, DEMO_ACCOUNT, loadEnv, type AftercheckEnv } from '../config/env.ts';
import type { ChangeSize } from '../config/manifest.ts';
import { loadPolicy, type Policy } from '../config/policy.ts';
import { loadProfile } from '../config/profile.ts';
import { REPORT } from '../contract.ts';
import { printVerdict, useColor } from '../adapters/console.ts';
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

/** One run of the story: its options, console, processes and the state each step hands the next. */
class Story {
  readonly life = new Lifecycle();
  readonly traffic = new AbortController();
  readonly stopWatch = new AbortController();
  watching: Promise<RunWatchResult> | undefined;
  switched: string | undefined;

  constructor(
    readonly opts: DemoOptions,
    readonly io: CommandIO,
    readonly policyPath: string,
    readonly policy: Policy,
    readonly base: AftercheckEnv,
    readonly work: string,
  ) {}

  get periodMs(): number {
    return this.policy.ms.checkingPeriods[this.opts.changeSize];
  }
  get reportsDir(): string {
    return this.base.reportsDir;
  }
  print(s: string): void {
    this.io.stdout.write(`${s}\n`);
  }
  /** After an interrupt the flow winds down (its children are already stopped); it announces no further steps. */
  step(n: number, text: string): void {
    if (!this.life.interruptedBy) this.print(`\n${styleText('bold', `▶ ${n}/6`)} ${text}`);
  }
}

/** Steps 1–2: a real InfluxDB, and the previous version under traffic for a baseline window. */
async function baseline(st: Story) {
  const { opts, life } = st;
  st.step(1, 'Starting InfluxDB');
  const influx = await startInfluxd({ dir: path.join(st.work, 'influxdb') });
  life.onShutdown(() => influx.stop());
  const database = 'aftercheck';
  await influx.createDatabase(database);
  st.print(`  influxd ${influx.url} (database ${database})`);
  const intervalMs = st.policy.ms.interval;
  // The synthetic account the suite signs in with is seeded into the demo, so planted credentials work end to end.
  const account = st.base.credentials ?? DEMO_ACCOUNT;
  const demoOpts = {
    influx: { url: influx.url, database },
    metricsIntervalMs: Math.max(250, Math.min(1000, Math.floor(intervalMs / 2))),
    env: { DEMO_SYNTHETIC_USERNAME: account.username, DEMO_SYNTHETIC_PASSWORD: account.password },
  };
  st.step(2, `Running demo shop v${opts.previousVersion} under traffic for a ${Math.round(st.periodMs / 1000)} s baseline window`);
  const v1 = await startDemo({ ...demoOpts, version: opts.previousVersion, dataDir: path.join(st.work, 'data-v1') });
  let v1Stopped = false;
  life.onShutdown(() => (v1Stopped ? Promise.resolve() : v1.stop()));
  st.print(`  v${opts.previousVersion} at ${v1.url}`);
  const baselineTraffic = new AbortController();
  const t1 = runTraffic({
    url: v1.url,
    rps: opts.rps,
    durationMs: st.periodMs + 60_000,
    signal: AbortSignal.any([st.traffic.signal, baselineTraffic.signal]),
  });
  await sleepUnlessAborted(st.periodMs + intervalMs, st.traffic.signal);
  const retire = async () => {
    baselineTraffic.abort();
    await t1;
    await v1.stop();
    v1Stopped = true;
  };
  return { influx, database, account, demoOpts, retire };
}

/** Step 3: the new version (faulty now, or healthy with its faults switched on later), its traffic and manifest. */
async function deploy(st: Story, b: Awaited<ReturnType<typeof baseline>>) {
  const { opts, life } = st;
  const later = opts.faultAfterMs !== null;
  const faultText = opts.faults.length
    ? `${later ? ', healthy; faults' : ' with faults'}: ${opts.faults.join(', ')}${later ? ` switched on ${formatDuration(opts.faultAfterMs!)} after the deploy` : ''}`
    : '';
  st.step(3, `Deploying v${opts.version}${faultText}`);
  const v2 = await startDemo({
    ...b.demoOpts,
    version: opts.version,
    faults: later ? [] : opts.faults,
    dataDir: path.join(st.work, 'data-v2'),
  });
  life.onShutdown(() => v2.stop());
  const deployedAt = new Date();
  await b.retire();
  const traffic = runTraffic({ url: v2.url, rps: opts.rps, durationMs: st.periodMs + 10 * 60_000, signal: st.traffic.signal });
  const manifestPath = path.join(st.reportsDir, 'release-manifest.json');
  // A fresh story: the previous demo's results and verdict must not be read while this one's are being made.
  retireReports(st.reportsDir, [REPORT.results, REPORT.verdictJson, REPORT.verdictMd, REPORT.health]);
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
  st.print(`  v${opts.version} at ${v2.url}; manifest ${rel(manifestPath)}`);
  if (later) {
    const timer = setTimeout(
      () => {
        v2.setFaults(opts.faults).then(
          (r) => {
            st.switched = r.at;
            st.print(`  ${styleText('bold', 'fault switch:')} ${opts.faults.join(', ')} on at ${r.at}`);
          },
          (e: unknown) => st.io.stderr.write(`aftercheck demo: could not switch the faults on: ${(e as Error).message}\n`),
        );
      },
      Math.max(0, deployedAt.getTime() + opts.faultAfterMs! - Date.now()),
    );
    life.onShutdown(() => clearTimeout(timer));
  }
  return { v2, manifestPath, traffic };
}

/** Steps 4–5: the test run and the watch of the checking period, together; the watch's last verdict waits for the tests. */
async function testAndWatch(st: Story, b: Awaited<ReturnType<typeof baseline>>, d: Awaited<ReturnType<typeof deploy>>) {
  const suiteEnv = childEnv({
    AFTERCHECK_APP: DEMO_APP,
    AFTERCHECK_BASE_URL: d.v2.url,
    AFTERCHECK_MANIFEST: d.manifestPath,
    AFTERCHECK_POLICY: st.policyPath,
    AFTERCHECK_ALLOW_WRITES: 'true',
    AFTERCHECK_REPORTS_DIR: st.reportsDir,
    AFTERCHECK_USERNAME: b.account.username,
    AFTERCHECK_PASSWORD: b.account.password,
    AFTERCHECK_INFLUX_URL: b.influx.url,
    AFTERCHECK_INFLUX_DATABASE: b.database,
    AFTERCHECK_INFLUX_DIALECT: 'influxql',
    AFTERCHECK_SERVICE: 'demo-shop',
    FORCE_COLOR: st.io.stdout.isTTY ? '1' : '0',
  });
  const env = loadEnv({ source: suiteEnv });
  st.step(4, `Running @smoke, then @verify (Playwright, Chromium), while watching the ${formatDuration(st.periodMs)} checking period`);
  st.print(
    `  evaluations every ${formatDuration(st.policy.ms.watchEvery)}; a certain rollback ends the watch early, a pass waits for the whole period`,
  );
  const suite = st.life.spawn(process.execPath, [path.resolve('node_modules/@playwright/test/cli.js'), 'test'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: suiteEnv,
  }).exited;
  // Plain lines while Playwright prints too; the live block (on a terminal) once it is done.
  const progress = createProgress(st.io.stdout, { live: false, color: useColor(st.io.stdout, env.noColor), secrets: env.secrets });
  const suiteDone = suite.then((code) => {
    st.print(`  Playwright exited ${code}; results in ${rel(path.join(st.reportsDir, REPORT.results))}`);
    progress.setLive(!env.ci);
  });
  st.watching = runWatch({ env, health: { mode: 'run' }, progress, signal: st.stopWatch.signal, testsDone: suiteDone });
  const watched = await st.watching;
  await suiteDone;
  st.traffic.abort();
  await d.traffic;
  st.step(5, watched.end === 'rollback' ? 'Rollback certain: the watch ended early' : 'Checking period watched to its end');
  if (watched.verdict) printVerdict(watched.verdict, { stream: st.io.stdout, noColor: env.noColor, secrets: env.secrets });
  if (st.switched)
    st.print(
      `  faults switched on ${st.switched}; ${watched.detectedAt ? `detected ${watched.detectedAt}, ${formatDuration(Date.parse(watched.detectedAt) - Date.parse(st.switched))} later` : 'not detected'}`,
    );
  return { watched, suiteEnv };
}

/** Step 6: the Allure report, and where everything is. */
async function reports(st: Story, suiteEnv: Record<string, string>): Promise<void> {
  st.step(6, 'Building the reports');
  const reportExit = await st.life.spawn(process.execPath, ['--import', 'tsx', path.resolve('scripts/cli/report.ts')], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: suiteEnv,
  }).exited;
  if (reportExit !== 0)
    st.io.stderr.write(`  Allure report generation failed (exit ${reportExit}); the verdict and the other reports stand.\n`);
  const r = (f: string) => rel(path.join(st.reportsDir, f));
  st.print(
    `\nReports:\n  verdict        ${r('verdict.json')}  ${r('verdict.md')}\n  health         ${r('health.json')}\n  Playwright     ${r('html/index.html')}  (npx playwright show-report ${r('html')})\n  Allure         ${r('allure-report')}  (serve it: npx allure open ${r('allure-report')})\n  JUnit          ${r('junit.xml')}`,
  );
}

export async function runDemo(opts: DemoOptions, io: CommandIO): Promise<number> {
  const demoProfile = await loadProfile(DEMO_APP);
  // The demo always checks its own profile, whatever AFTERCHECK_APP says (a .env written for another app included), and
  // brings its own compressed policy unless the user points AFTERCHECK_POLICY elsewhere.
  const base = loadEnv({ overrides: { AFTERCHECK_APP: DEMO_APP } });
  const policyPath = base.policyPath === demoProfile.policyFile ? path.join(demoProfile.dir, 'policy.demo.json') : base.policyPath;
  const { policy } = loadPolicy(policyPath);
  fs.mkdirSync(base.reportsDir, { recursive: true });
  const st = new Story(opts, io, policyPath, policy, base, fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-demo-')));
  // Registered first, so it runs last: after every process that writes into it has stopped.
  st.life.onShutdown(() => fs.rmSync(st.work, { recursive: true, force: true }));
  st.life.onShutdown(() => st.traffic.abort());
  st.life.exitOnSignals(async (signal) => {
    io.stderr.write(`\naftercheck demo: ${signal}: stopping the watch, the demo shops, InfluxDB and every child process…\n`);
    st.stopWatch.abort(signal);
    await st.watching?.catch(() => undefined);
  });
  try {
    const b = await baseline(st);
    const d = await deploy(st, b);
    const { watched, suiteEnv } = await testAndWatch(st, b, d);
    await reports(st, suiteEnv);
    return watched.exitCode;
  } finally {
    await st.life.shutdown();
  }
}
