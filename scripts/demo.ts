// `npm run demo`: the whole post-release story on one machine — InfluxDB, demo shop v1 under traffic, "deploy" v2, smoke, verify, health gate, verdict, reports.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { styleText } from 'node:util';
import { childEnv, loadEnv, DEMO_ACCOUNT } from './config/env.ts';
import { ConfigError, EXIT } from './config/errors.ts';
import { parseFlags } from './config/cli.ts';
import { loadPolicy, checkingPeriodMs, parseDuration } from './config/policy.ts';
import { CHANGE_SIZES, type ChangeSize } from './config/manifest.ts';
import { loadProfile } from './config/profile.ts';
import { startInfluxd } from './setup/influxd.ts';
import { Lifecycle } from './setup/lifecycle.ts';
import { startDemo } from '../demo/launch.ts';
import { runTraffic } from '../demo/traffic.ts';
import { KNOWN_FAULTS } from '../demo/src/faults.ts';

/** The bundled demo's app profile (apps/demo-shop): its registry names the demo's features, its policy the demo's signals. */
const DEMO_APP = 'demo-shop';
/** The features a demo release changes by default: every one that has @verify flows. */
const defaultFeatures = (known: readonly string[]) => known.filter((f) => f !== 'recommendations');

const help = (known: readonly string[]) => `Usage: npm run demo [-- options]

Runs the full post-release flow against the bundled demo shop, on this machine:
  1. starts a real InfluxDB (influxd, temp dir, free loopback port)
  2. runs the previous version of the demo shop under traffic for a baseline window
  3. "deploys" the new version with the given faults and keeps traffic going
  4. runs @smoke then @verify (Playwright, real Chromium), then the health gate over the checking period
  5. writes reports/verdict.json, verdict.md, the Playwright and Allure reports
  6. prints the decision and exits with its code

Options:
  --faults <list>        demo faults for the new version, comma-separated (${KNOWN_FAULTS.join(', ')})
  --features <list>      changed features named in the release manifest (default: ${defaultFeatures(known).join(',')})
  --change-size <size>   ${CHANGE_SIZES.join('|')} (default minor); picks the checking period from the policy
  --version <v>          new version (default 1.5.0)
  --previous-version <v> previous version (default 1.4.0)
  --rps <n>              traffic, requests per second (default 8)
  --help                 this text

The windows come from the policy (AFTERCHECK_POLICY, default for the demo: apps/demo-shop/policy.demo.json): the checking period
for the change size, and a baseline window of the same length. Nothing in the flow is special-cased for the demo.

Exit codes: 0 proceed or continue monitoring, 1 rollback, 2 hotfix, 3 inconclusive, 4 configuration or usage error.`;

interface Options {
  faults: string[];
  features: string[];
  changeSize: ChangeSize;
  version: string;
  previousVersion: string;
  rps: number;
}

const FLAGS = {
  faults: { type: 'string' },
  features: { type: 'string' },
  'change-size': { type: 'string' },
  version: { type: 'string' },
  'previous-version': { type: 'string' },
  rps: { type: 'string' },
  help: { type: 'boolean' },
} as const;

/** `known`: the demo profile's feature ids (the --features check and default). */
export function parseOptions(argv: readonly string[], known: readonly string[]): Options | 'help' {
  const { values: flags, problems } = parseFlags(argv, FLAGS, 'npm run demo');
  if (flags.help && !problems.length) return 'help';
  const values = {
    faults: flags.faults ?? '',
    features: flags.features,
    'change-size': flags['change-size'] ?? 'minor',
    version: flags.version ?? '1.5.0',
    'previous-version': flags['previous-version'] ?? '1.4.0',
    rps: flags.rps ?? '8',
  };
  const faults = values.faults
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const f of faults)
    if (!(KNOWN_FAULTS as readonly string[]).includes(f))
      problems.push({
        field: '--faults',
        value: JSON.stringify(f),
        message: 'is not a demo fault',
        fix: `use any of ${KNOWN_FAULTS.join(', ')}`,
      });
  const features =
    values.features === undefined
      ? defaultFeatures(known)
      : values.features
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  for (const f of features)
    if (!known.includes(f))
      problems.push({
        field: '--features',
        value: JSON.stringify(f),
        message: 'is not a known feature id',
        fix: `use any of ${known.join(', ')}`,
      });
  const changeSize = values['change-size'];
  if (!(CHANGE_SIZES as readonly string[]).includes(changeSize))
    problems.push({
      field: '--change-size',
      value: JSON.stringify(changeSize),
      message: 'is not a change size',
      fix: `use one of ${CHANGE_SIZES.join(', ')}`,
    });
  const rps = Number(values.rps);
  if (!Number.isFinite(rps) || rps <= 0 || rps > 50)
    problems.push({
      field: '--rps',
      value: JSON.stringify(values.rps),
      message: 'must be a number above 0 and at most 50',
      fix: 'use e.g. --rps 8',
    });
  if (values.version === values['previous-version'])
    problems.push({
      field: '--version',
      value: JSON.stringify(values.version),
      message: 'equals --previous-version, so there is no baseline to compare with',
      fix: 'use two different versions',
    });
  if (problems.length) throw new ConfigError('command line', problems);
  return {
    faults,
    features,
    changeSize: changeSize as ChangeSize,
    version: values.version,
    previousVersion: values['previous-version'],
    rps,
  };
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

const life = new Lifecycle();
// After an interrupt the flow winds down (its children are already stopped); it announces no further steps.
const step = (n: number, text: string) => {
  if (!life.interruptedBy) console.log(`\n${styleText('bold', `▶ ${n}/6`)} ${text}`);
};

/** Runs a child command (in its own process group, stopped with the demo) with inherited output; resolves to its exit code. */
function run(cmd: string, args: string[], env: Record<string, string>): Promise<number> {
  return life.spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], env }).exited;
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

async function main(): Promise<number> {
  const demoProfile = await loadProfile(DEMO_APP);
  const opts = parseOptions(process.argv.slice(2), demoProfile.featureIds);
  if (opts === 'help') {
    console.log(help(demoProfile.featureIds));
    return EXIT.ok;
  }
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
  life.exitOnSignals(
    (signal) => void process.stderr.write(`\naftercheck demo: ${signal}: stopping the demo shops, InfluxDB and every child process…\n`),
  );
  try {
    step(1, 'Starting InfluxDB');
    const influx = await startInfluxd({ dir: path.join(work, 'influxdb') });
    life.onShutdown(() => influx.stop());
    const database = 'aftercheck';
    await influx.createDatabase(database);
    console.log(`  influxd ${influx.url} (database ${database})`);

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
    console.log(`  v${opts.previousVersion} at ${v1.url}`);
    const baselineTraffic = new AbortController();
    const t1 = runTraffic({
      url: v1.url,
      rps: opts.rps,
      durationMs: periodMs + 60_000,
      signal: AbortSignal.any([traffic.signal, baselineTraffic.signal]),
    });
    await sleep(periodMs + intervalMs, traffic.signal);

    step(3, `Deploying v${opts.version}${opts.faults.length ? ` with faults: ${opts.faults.join(', ')}` : ''}`);
    const v2 = await startDemo({ ...demoOpts, version: opts.version, faults: opts.faults, dataDir: path.join(work, 'data-v2') });
    life.onShutdown(() => v2.stop());
    const deployedAt = new Date();
    baselineTraffic.abort();
    await t1;
    await v1.stop();
    v1Stopped = true;
    const t2 = runTraffic({ url: v2.url, rps: opts.rps, durationMs: periodMs + 10 * 60_000, signal: traffic.signal });
    const manifestPath = path.join(reportsDir, 'release-manifest.json');
    const manifest = {
      $schema: '../schemas/release-manifest.schema.json',
      version: opts.version,
      previousVersion: opts.previousVersion,
      deployedAt: deployedAt.toISOString(),
      changeSize: opts.changeSize,
      features: opts.features,
      commit: gitCommit(),
      notes: opts.faults.length ? `demo release with faults: ${opts.faults.join(', ')}` : 'demo release',
    };
    fs.writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    console.log(`  v${opts.version} at ${v2.url}; manifest ${path.relative(process.cwd(), manifestPath)}`);

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
      FORCE_COLOR: process.stdout.isTTY ? '1' : '0',
    });

    step(4, 'Running @smoke, then @verify for the changed features (Playwright, Chromium)');
    const suiteExit = await run(process.execPath, [path.resolve('node_modules/@playwright/test/cli.js'), 'test'], suiteEnv);
    console.log(`  Playwright exited ${suiteExit}; results in ${path.relative(process.cwd(), path.join(reportsDir, 'results.json'))}`);

    // Like Argo Rollouts and Flagger: a rollback is decided as soon as the evidence is there; a pass only once the
    // whole checking period has been watched.
    const verdictArgs = ['--import', 'tsx', path.resolve('scripts/cli/verdict.ts')];
    let verdictExit: number | undefined;
    const remaining = deployedAt.getTime() + periodMs + intervalMs - Date.now();
    if (remaining > 0) {
      step(5, 'Interim verdict: a rollback-worthy finding ends the checking period early');
      // Only the final verdict goes to a CI step summary.
      const { GITHUB_STEP_SUMMARY: _summary, ...interimEnv } = suiteEnv;
      const interim = await run(process.execPath, verdictArgs, interimEnv);
      if (interim === EXIT.rollback) verdictExit = interim;
      else {
        const left = deployedAt.getTime() + periodMs + intervalMs - Date.now();
        console.log(
          `\n  No rollback reason yet: watching health signals until the ${Math.round(periodMs / 1000)} s checking period is over (${Math.max(0, Math.ceil(left / 1000))} s left)`,
        );
        await sleep(left, traffic.signal);
      }
    } else step(5, 'Checking period over');
    traffic.abort();
    await t2;

    if (verdictExit === undefined) {
      step(6, 'Deciding');
      verdictExit = await run(process.execPath, verdictArgs, suiteEnv);
    } else step(6, 'Rollback decided early; no need to watch the rest of the checking period');
    const reportExit = await run(process.execPath, ['--import', 'tsx', path.resolve('scripts/cli/report.ts')], suiteEnv);
    if (reportExit !== 0) console.error(`  Allure report generation failed (exit ${reportExit}); the verdict and the other reports stand.`);
    console.log(
      `\nReports:\n  verdict        ${rel(reportsDir, 'verdict.json')}  ${rel(reportsDir, 'verdict.md')}\n  health         ${rel(reportsDir, 'health.json')}\n  Playwright     ${rel(reportsDir, 'html/index.html')}  (npx playwright show-report ${rel(reportsDir, 'html')})\n  Allure         ${rel(reportsDir, 'allure-report')}  (serve it: npx allure open ${rel(reportsDir, 'allure-report')})\n  JUnit          ${rel(reportsDir, 'junit.xml')}`,
    );
    return verdictExit;
  } finally {
    await life.shutdown();
  }
}

function rel(dir: string, file: string): string {
  return path.relative(process.cwd(), path.join(dir, file)) || '.';
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      if (e instanceof ConfigError) {
        console.error(e.message);
        process.exit(e.exitCode);
      }
      console.error(`aftercheck demo failed: ${(e as Error).stack ?? String(e)}`);
      process.exit(EXIT.inconclusive);
    },
  );
