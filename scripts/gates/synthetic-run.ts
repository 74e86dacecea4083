// Scheduled synthetic runs: croner starts the suite every interval (never two at once: a run still going makes the next
// one skip, counted); each run gets a dated folder, its tests become synthetic_check points, failures and recoveries
// are alerted once per incident, old runs go by retention, and an index page links the rest.
import fs from 'node:fs';
import path from 'node:path';
import { Cron } from 'croner';
import { childEnv, type AftercheckEnv } from '../config/env.ts';
import { readManifest } from '../config/manifest.ts';
import { DEFAULT_AFTER_FAILED_RUNS, loadPolicy } from '../config/policy.ts';
import { loadProfile } from '../config/profile.ts';
import { redact } from '../config/redact.ts';
import { REPORT, reportPath } from '../contract.ts';
import { EMPTY_INCIDENT, updateAlertState } from '../adapters/alerts/state.ts';
import { describeAlert, sendAlert, type AlertRecord } from '../adapters/alerts/webhook.ts';
import { writeLines } from '../adapters/influx/writer.ts';
import { readTestRun } from '../adapters/playwright-results.ts';
import { syntheticPoints, toLineProtocol, type RunSource } from '../adapters/synthetic/points.ts';
import { applyRetention, makeRunDir, writeIndex, writeRunSummary, type Retention, type RunSummary } from '../adapters/synthetic/runs.ts';
import { syntheticAlert } from '../engine/alerts.ts';
import type { TestOutcome } from '../engine/types.ts';
import type { Lifecycle } from '../setup/lifecycle.ts';

export interface SyntheticOptions {
  /** croner pattern: every second, spaced by `intervalSeconds`; or a cron expression of the user's. */
  readonly pattern: string;
  readonly intervalSeconds: number;
  readonly grep: string | null;
  /** Stop after this many runs (skips do not count); null: until stopped. */
  readonly maxRuns: number | null;
  readonly retention: Retention;
  readonly source: RunSource;
}

export interface SyntheticDeps {
  readonly env: AftercheckEnv;
  readonly life: Lifecycle;
  readonly log: (line: string) => void;
  readonly root?: string;
}

export interface SyntheticResult {
  readonly runs: readonly RunSummary[];
  readonly skipped: number;
}

/** The suite, once, into its own folder; resolves with Playwright's exit code. */
function runSuite(deps: SyntheticDeps, dir: string, o: SyntheticOptions): Promise<number> {
  const out = fs.openSync(path.join(dir, 'output.log'), 'w');
  const args = [path.resolve('node_modules/@playwright/test/cli.js'), 'test', ...(o.grep ? ['--grep', o.grep] : [])];
  const { exited } = deps.life.spawn(process.execPath, args, {
    stdio: ['ignore', out, out],
    env: childEnv({
      AFTERCHECK_REPORTS_DIR: dir,
      AFTERCHECK_RUN_ID: `synthetic-${path.basename(dir)}`,
      // A scheduled run checks every feature's flows, not only what the last release changed.
      ...(o.source === 'scheduled' ? { AFTERCHECK_VERIFY_ALL: 'true' } : {}),
      FORCE_COLOR: '0',
    }),
  });
  return exited.finally(() => fs.closeSync(out));
}

/** The release the runs check, for the version tag: the manifest's version, "unknown" without a manifest. */
async function versionOf(env: AftercheckEnv): Promise<string> {
  const profile = await loadProfile(env.app);
  const m = readManifest(env.manifestPath, profile.featureIds);
  return m.kind === 'ok' ? m.manifest.version : 'unknown';
}

const counts = (tests: readonly TestOutcome[]) => ({
  total: tests.length,
  passed: tests.filter((t) => t.status === 'passed').length,
  failed: tests.filter((t) => t.status === 'failed' || t.status === 'timedOut').length,
  flaky: tests.filter((t) => t.flaky).length,
  skipped: tests.filter((t) => t.status === 'skipped').length,
});

/**
 * One incident per streak of failures: the Nth consecutive failed run opens it (one alert), runs after it stay quiet,
 * the first passing run closes it (one recovery alert). Under the state file's lock, so separate processes agree.
 */
async function alertOnRun(
  deps: SyntheticDeps,
  summary: Omit<RunSummary, 'consecutiveFailures' | 'alert'>,
  rules: { afterFailed: number; owner: string; rollbackCriteria: string; version: string },
) {
  const { afterFailed } = rules;
  const { env } = deps;
  const key = `synthetic:${env.app}:${env.location}`;
  return updateAlertState(env.reportsDir, async (s) => {
    const before = s.incidents[key] ?? EMPTY_INCIDENT;
    const failing = summary.status !== 'passed';
    const failures = failing ? before.failures + 1 : 0;
    let kind: 'synthetic-failing' | 'synthetic-recovered' | null = null;
    if (failing && failures >= afterFailed && !before.open) kind = 'synthetic-failing';
    if (!failing && before.open) kind = 'synthetic-recovered';
    let sent: AlertRecord | null = null;
    if (kind && env.alerts.webhookUrl) {
      const reportUrl = env.reportUrl ?? null;
      const who = { app: env.app, service: env.service, version: rules.version, owner: rules.owner };
      sent = await sendAlert(
        env,
        syntheticAlert({ kind, run: summary, failures, afterFailed, ...who, rollbackCriteria: rules.rollbackCriteria, reportUrl }),
      );
      if (sent) deps.log(describeAlert(sent, env.secrets));
    }
    // An incident opens when it is alerted; without a notifier it still opens, so a notifier added later starts clean.
    const open = kind === 'synthetic-failing' ? true : kind === 'synthetic-recovered' ? false : before.open;
    s.incidents[key] = {
      ...before,
      failures,
      open,
      lastRunAt: summary.endedAt,
      ...(kind === 'synthetic-failing' ? { openedAt: summary.endedAt } : {}),
    };
    return { failures, alert: sent ? { kind: sent.kind, ok: sent.ok, ...(sent.error ? { error: sent.error } : {}) } : null };
  });
}

/** What every run of one `npm run synthetic` shares: where runs go, what they are tagged, the alert rules, the skips. */
interface Schedule {
  readonly o: SyntheticOptions;
  readonly deps: SyntheticDeps;
  readonly root: string;
  readonly version: string;
  readonly rules: { afterFailed: number; owner: string; rollbackCriteria: string; version: string };
  readonly runs: RunSummary[];
  skipped: number;
  skippedSince: number;
  running: Date | null;
}

/** The outcome of the suite's run, its points, and its summary before alerting. */
async function measure(sc: Schedule, dir: string, startedAt: Date) {
  const { o, deps } = sc;
  const { env } = deps;
  const exitCode = await runSuite(deps, dir, o);
  const tests = readTestRun({ resultsPath: reportPath(dir, 'results') });
  const list = tests.kind === 'ok' ? tests.tests : [];
  const c = counts(list);
  const tags = { source: o.source, location: env.location, app: env.app, service: env.service, version: sc.version };
  const lines = toLineProtocol(syntheticPoints(list, tags, startedAt));
  const written = env.influx.url ? await writeLines(env, lines) : { ok: false as const, error: 'InfluxDB is not configured' };
  const status: RunSummary['status'] =
    tests.kind !== 'ok' || c.total === 0 ? 'error' : c.failed > 0 || exitCode !== 0 ? 'failed' : 'passed';
  return {
    schemaVersion: 1 as const,
    run: path.basename(dir),
    number: sc.runs.length + 1,
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    source: o.source,
    location: env.location,
    grep: o.grep,
    exitCode,
    status,
    tests: c,
    failures: list
      .filter((t) => t.status === 'failed' || t.status === 'timedOut')
      .map((t) => ({ title: t.title, ...(t.error ? { error: redact(t.error, env.secrets) } : {}) })),
    points: written.ok ? { written: written.lines } : { written: 0, error: written.error },
    skippedDuring: sc.skippedSince,
  };
}

/** One run: its dated folder, the suite, the points, the alert state, run.json, retention and the index page. */
async function runOnce(sc: Schedule): Promise<void> {
  const { env, log } = sc.deps;
  const startedAt = new Date();
  sc.running = startedAt;
  const dir = makeRunDir(sc.root, startedAt);
  const base = await measure(sc, dir, startedAt);
  sc.skippedSince = 0;
  const { failures, alert } = await alertOnRun(sc.deps, base, sc.rules);
  const summary: RunSummary = { ...base, consecutiveFailures: failures, alert };
  writeRunSummary(dir, summary);
  sc.runs.push(summary);
  const gone = applyRetention(sc.root, sc.o.retention, Date.now(), summary.run);
  writeIndex(sc.root, `Scheduled synthetic runs — ${env.app} (${env.location})`);
  const t = summary.tests;
  log(
    `run ${summary.number} (${summary.run}): ${summary.status}; ${t.passed} passed, ${t.failed} failed, ${t.flaky} flaky, ${t.skipped} skipped; ` +
      `${summary.points.error ? `points not written: ${summary.points.error}` : `${summary.points.written} synthetic_check points written`}` +
      `${summary.skippedDuring ? `; ${summary.skippedDuring} run(s) skipped while it ran` : ''}${gone.length ? `; retention removed ${gone.join(', ')}` : ''}`,
  );
  sc.running = null;
}

export async function runSynthetic(o: SyntheticOptions, deps: SyntheticDeps): Promise<SyntheticResult> {
  const { env, log } = deps;
  const policy = loadPolicy(env.policyPath).policy;
  const version = await versionOf(env);
  const sc: Schedule = {
    o,
    deps,
    root: deps.root ?? reportPath(env.reportsDir, 'synthetic'),
    version,
    rules: {
      afterFailed: policy.alerting?.afterFailedRuns ?? DEFAULT_AFTER_FAILED_RUNS,
      owner: policy.owner.team,
      rollbackCriteria: `${policy.owner.rollbackDecider} decides`,
      version,
    },
    runs: [],
    skipped: 0,
    skippedSince: 0,
    running: null,
  };
  if (!env.influx.url)
    log('aftercheck synthetic: warning: InfluxDB is not configured (AFTERCHECK_INFLUX_URL): no synthetic_check points will be written');

  await new Promise<void>((resolve, reject) => {
    const job = new Cron(
      o.pattern,
      {
        ...(o.intervalSeconds > 1 ? { interval: o.intervalSeconds } : {}),
        // No overlap: a run still going when the next is due makes that one skip, and the skip is counted.
        protect: () => {
          sc.skipped++;
          sc.skippedSince++;
          log(`skipped a run: the one started ${sc.running?.toISOString() ?? 'before'} is still going (${sc.skipped} skipped so far)`);
        },
      },
      async () => {
        try {
          await runOnce(sc);
        } catch (e) {
          job.stop();
          reject(e);
          return;
        }
        if ((o.maxRuns !== null && sc.runs.length >= o.maxRuns) || deps.life.interruptedBy) {
          job.stop();
          resolve();
        }
      },
    );
    deps.life.onShutdown(() => {
      job.stop();
      resolve();
    });
  });
  return { runs: sc.runs, skipped: sc.skipped };
}
