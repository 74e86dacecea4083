// `npm run synthetic`: flags → scheduled runs of the suite (scripts/gates/synthetic-run.ts) → 0 when every run passed.
import { Cron } from 'croner';
import { loadEnv } from '../config/env.ts';
import { EXIT, type Problem } from '../config/errors.ts';
import { parseDuration } from '../config/policy.ts';
import { RUN_SOURCES, type RunSource } from '../adapters/synthetic/points.ts';
import { runSynthetic, type SyntheticOptions } from '../gates/synthetic-run.ts';
import { Lifecycle } from '../setup/lifecycle.ts';
import { runIfMain, type CommandSpec } from './frame.ts';

export const HELP = `Usage: npm run synthetic -- --every <duration> [options]

Runs the suite on a schedule (croner), each run into its own dated folder under <reports>/synthetic/:
  - never two at once: a run still going when the next is due makes that one skip; skips are counted and reported
  - every test becomes one InfluxDB point, measurement synthetic_check (tags test, feature, project, source,
    location, app, service, version; fields status, duration_ms, retries, failed, ran): the policy template
    synthetic_failure_rate gates a release on them, dashboards can use them too
  - after N consecutive failed runs (policy alerting.afterFailedRuns, default 2) one alert, and one when they pass
    again (AFTERCHECK_ALERT_WEBHOOK_URL); the incident is kept in <reports>/alert-state.json across processes
  - retention by count and age; <reports>/synthetic/index.html links every run kept

Options:
  --every <duration>   run every 30s, 5m, 1h… (whole seconds)
  --cron <expression>  or on a cron schedule instead, e.g. "*/5 * * * *"
  --grep <tags>        only these tests, e.g. @smoke (Playwright --grep)
  --max-runs <n>       stop after n runs (skips do not count); --max-runs 1 is one run, for cron, CI schedules and
                       Kubernetes CronJobs
  --keep <n>           keep at most n runs (default 50)
  --keep-for <time>    delete runs older than this (default 7d)
  --source <source>    the run source tag: scheduled (default) or deploy (the run right after a deploy)
  --help               this text

Exit codes: 0 every run passed, 1 a run failed (or gave no results), 4 configuration or usage error,
130/143 stopped by Ctrl-C/SIGTERM (the run under way is stopped with its browsers).`;

const OPTIONS = {
  every: { type: 'string' },
  cron: { type: 'string' },
  grep: { type: 'string' },
  'max-runs': { type: 'string' },
  keep: { type: 'string' },
  'keep-for': { type: 'string' },
  source: { type: 'string' },
} as const;

type Flags = { -readonly [K in keyof typeof OPTIONS]?: string };

const whole = (v: string | undefined, field: string, min: number, problems: Problem[]): number | null => {
  if (v === undefined) return null;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > 1_000_000) {
    problems.push({ field, value: JSON.stringify(v), message: `must be a whole number of at least ${min}`, fix: `write e.g. ${field} 3` });
    return null;
  }
  return Number(v);
};

/** The schedule and its limits from the flags; every problem into `problems`. */
export function syntheticOptions(f: Flags, problems: Problem[]): SyntheticOptions {
  let pattern = '* * * * * *';
  let intervalSeconds = 1;
  if ((f.every === undefined) === (f.cron === undefined))
    problems.push({
      field: '--every',
      value: f.every === undefined ? '(unset)' : JSON.stringify(f.every),
      message: f.every === undefined ? 'is needed (or --cron)' : 'cannot be combined with --cron',
      fix: 'give one schedule, e.g. --every 5m',
    });
  if (f.every !== undefined) {
    const ms = parseDuration(f.every);
    if (ms === null || ms < 1000 || ms % 1000 !== 0)
      problems.push({
        field: '--every',
        value: JSON.stringify(f.every),
        message: 'is not a duration in whole seconds',
        fix: 'write e.g. --every 30s or --every 5m',
      });
    else intervalSeconds = ms / 1000;
  }
  if (f.cron !== undefined) {
    try {
      new Cron(f.cron, { paused: true }).stop();
      pattern = f.cron;
    } catch (e) {
      problems.push({
        field: '--cron',
        value: JSON.stringify(f.cron),
        message: `is not a cron expression (${(e as Error).message})`,
        fix: 'write e.g. --cron "*/5 * * * *"',
      });
    }
  }
  const keepFor = parseDuration(f['keep-for'] ?? '7d');
  if (keepFor === null)
    problems.push({
      field: '--keep-for',
      value: JSON.stringify(f['keep-for']),
      message: 'is not a duration',
      fix: 'write e.g. --keep-for 7d',
    });
  const source = (f.source ?? 'scheduled') as RunSource;
  if (!RUN_SOURCES.includes(source))
    problems.push({
      field: '--source',
      value: JSON.stringify(f.source),
      message: 'is not a run source',
      fix: `use ${RUN_SOURCES.join(' or ')}`,
    });
  if (f.grep !== undefined && !f.grep.trim())
    problems.push({
      field: '--grep',
      value: '""',
      message: 'is empty',
      fix: 'write e.g. --grep @smoke, or leave it out for the whole suite',
    });
  return {
    pattern,
    intervalSeconds: f.cron !== undefined ? 1 : intervalSeconds,
    grep: f.grep ?? null,
    maxRuns: whole(f['max-runs'], '--max-runs', 1, problems),
    retention: { keep: whole(f.keep, '--keep', 1, problems) ?? 50, maxAgeMs: keepFor ?? 0 },
    source,
  };
}

let options: SyntheticOptions | undefined;

export const command: CommandSpec<typeof OPTIONS> = {
  name: 'npm run synthetic',
  help: HELP,
  options: OPTIONS,
  check(values, problems) {
    options = syntheticOptions(values, problems);
  },
  async run(_values, { io, useSecrets }) {
    const env = loadEnv({ require: ['target'] });
    useSecrets(env.secrets);
    for (const w of env.warnings) io.stderr.write(`aftercheck: warning: ${w}\n`);
    const life = new Lifecycle();
    life.exitOnSignals((signal) => void io.stderr.write(`\naftercheck synthetic: ${signal}: stopping the run under way…\n`));
    const log = (line: string) => void io.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
    const o = options!;
    log(
      `scheduled synthetic runs of ${env.app} from ${env.location}: ${o.pattern === '* * * * * *' ? `every ${o.intervalSeconds}s` : `cron "${o.pattern}"`}` +
        `${o.grep ? `, --grep ${o.grep}` : ''}${o.maxRuns ? `, ${o.maxRuns} run(s)` : ''}; keeping ${o.retention.keep} runs, none older than ${o['retention'].maxAgeMs / 3_600_000} h`,
    );
    try {
      const r = await runSynthetic(o, { env, life, log });
      log(
        `${r.runs.length} run(s): ${r.runs.filter((x) => x.status === 'passed').length} passed; ${r.skipped} skipped because a run was still going`,
      );
      return r.runs.every((x) => x.status === 'passed') ? EXIT.ok : 1;
    } finally {
      await life.shutdown();
    }
  },
};

await runIfMain(import.meta.url, command);
