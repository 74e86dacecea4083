// `npm run verdict`: flags → the verdict step (scripts/gates/verdict-run.ts) → console summary → exit code of the decision.
import path from 'node:path';
import type { AftercheckEnv } from '../config/env.ts';
import type { Problem } from '../config/errors.ts';
import { redact } from '../config/redact.ts';
import type { HealthSource } from '../gates/health-input.ts';
import type { RunWatchResult } from '../gates/watch-run.ts';
import { runIfMain, type CommandContext, type CommandSpec } from './frame.ts';

export const HELP = `Usage: npm run verdict -- [options]

Decides the release: reads the Playwright results, the release manifest, the policy and the health signals,
and writes <reports>/verdict.json, <reports>/verdict.md and the "Release verdict" result in <reports>/allure-results.
The decision follows the policy's verdict rules, worst wins: rollback > inconclusive > hotfix > continue-monitoring > proceed.

Options:
  --results <file>    Playwright JSON report (default: <AFTERCHECK_REPORTS_DIR>/results.json)
  --manifest <file>   release manifest (default: AFTERCHECK_MANIFEST, release-manifest.json)
  --policy <file>     policy (default: AFTERCHECK_POLICY, else the app profile's apps/<app>/policy.json)
  --health <file>     read a health report (health.json from npm run health) instead of running the health gate
  --no-health         do not evaluate health signals (the verdict is then at best inconclusive)
  --now <ISO time>    decide as of this time (default: now), e.g. 2026-11-26T12:00:00Z
  --watch             watch the checking period: evaluate now and again every policy watch.every (default: the
                      policy's interval) until a rollback is certain or the period is over; verdict.json, verdict.md
                      and the Allure result are rewritten after every evaluation, with "evaluations" and "detectedAt".
                      A decision change, and the end of the watch, is alerted (AFTERCHECK_ALERT_WEBHOOK_URL).
                      Ctrl-C or SIGTERM keeps what was measured: the verdict says the watch was cut short, and when
  --help              show this help

Without --health or --no-health the health gate runs in-process against InfluxDB (AFTERCHECK_INFLUX_*) and writes
<reports>/health.json; InfluxDB not configured or unreachable makes the health input inconclusive.
Before deciding it audits every file under the reports directory (traces unzipped) for secrets and session cookies.
Results are accepted only from a run of this release: same manifest, target and AFTERCHECK_RUN_ID, started after the deploy.

Exit codes:
  0  proceed, or continue monitoring (everything passed; the checking period may still be running)
  1  rollback
  2  hotfix
  3  inconclusive (missing, partial, stale or foreign evidence, no health data, a secret in a report, ...)
  4  configuration or usage error (bad flag, invalid policy or manifest); an inconclusive verdict.json names it
  130, 143  a watch stopped by Ctrl-C or SIGTERM (verdict.json: watch.status "cut-short")
`;

const OPTIONS = {
  results: { type: 'string' },
  manifest: { type: 'string' },
  policy: { type: 'string' },
  health: { type: 'string' },
  'no-health': { type: 'boolean' },
  now: { type: 'string' },
  watch: { type: 'boolean' },
} as const;

export function checkVerdictFlags(
  values: { now?: string; health?: string; 'no-health'?: boolean; watch?: boolean },
  problems: Problem[],
): void {
  if (values.watch && (values.now !== undefined || values.health !== undefined))
    problems.push({
      field: '--watch',
      value: values.now !== undefined ? '--now' : '--health',
      message: `cannot be combined with ${values.now !== undefined ? '--now' : '--health'}: a watch evaluates live data as time passes`,
      fix: 'drop --now/--health, or drop --watch for one decision',
    });
  const nowText = values.now;
  if (nowText !== undefined && (!/^\d{4}-\d{2}-\d{2}T/.test(nowText) || Number.isNaN(Date.parse(nowText)))) {
    problems.push({
      field: '--now',
      value: JSON.stringify(nowText),
      message: 'is not an ISO-8601 date-time',
      fix: 'write e.g. --now 2026-11-26T12:00:00Z',
    });
  }
  if (values['no-health'] === true && values.health) {
    problems.push({
      field: '--health',
      value: JSON.stringify(values.health),
      message: 'cannot be combined with --no-health',
      fix: 'use one of them',
    });
  }
}

let env: AftercheckEnv | undefined;

export const command: CommandSpec<typeof OPTIONS> = {
  name: 'npm run verdict',
  help: HELP,
  options: OPTIONS,
  check: checkVerdictFlags,
  // What a run needs is loaded when it runs, not at start-up: --help and a usage error load no gate (see bench/).
  async run(values, { io, useSecrets }) {
    const [{ loadEnv }, { runVerdict }, { printVerdict }] = await Promise.all([
      import('../config/env.ts'),
      import('../gates/verdict-run.ts'),
      import('../adapters/console.ts'),
    ]);
    env = loadEnv();
    useSecrets(env.secrets);
    for (const w of env.warnings) io.stderr.write(`aftercheck: warning: ${w}\n`);
    const health: HealthSource = values['no-health']
      ? { mode: 'skip' }
      : values.health
        ? { mode: 'file', path: values.health }
        : { mode: 'run' };
    if (values.watch) return watchCommand(env, health, values, io);
    const result = await runVerdict({
      env,
      health,
      ...(values.results ? { resultsPath: values.results } : {}),
      ...(values.manifest ? { manifestPath: values.manifest } : {}),
      ...(values.policy ? { policyPath: values.policy } : {}),
      ...(values.now ? { now: new Date(values.now) } : {}),
    });
    printVerdict(result.verdict, { stream: io.stdout, noColor: env.noColor, secrets: env.secrets });
    if (!result.files) {
      io.stderr.write(
        redact(
          `aftercheck verdict: could not write the verdict to ${env.reportsDir} (${result.writeError}); the decision is ${result.verdict.decision}, exit ${result.exitCode}\n`,
          env.secrets,
        ),
      );
      return result.exitCode;
    }
    const rel = (p: string) => (p.startsWith(`${process.cwd()}${path.sep}`) ? path.relative(process.cwd(), p) : p);
    const f = result.files;
    const written = [f.json, f.markdown, ...(f.health ? [f.health] : []), f.allure.resultFile];
    io.stdout.write(`Written: ${written.map(rel).join(', ')}\n`);
    return result.exitCode;
  },
  async onFailure(failure) {
    const { recordFailedVerdict } = await import('../gates/verdict-run.ts');
    const problem = recordFailedVerdict(failure, env);
    if (problem) process.stderr.write(`aftercheck verdict: ${problem}\n`);
  },
};

/** `--watch`: the loop in scripts/gates/watch-run.ts, progress on the console, Ctrl-C/SIGTERM writing a cut-short verdict. */
async function watchCommand(
  e: AftercheckEnv,
  health: HealthSource,
  values: { results?: string; manifest?: string; policy?: string },
  io: CommandContext['io'],
): Promise<number> {
  const [{ Lifecycle }, { createProgress }, { runWatch }, { printVerdict, useColor }] = await Promise.all([
    import('../setup/lifecycle.ts'),
    import('../adapters/watch-progress.ts'),
    import('../gates/watch-run.ts'),
    import('../adapters/console.ts'),
  ]);
  const stop = new AbortController();
  let watching: Promise<RunWatchResult> | undefined;
  const life = new Lifecycle();
  life.exitOnSignals(async (signal) => {
    stop.abort(signal);
    await watching?.catch(() => undefined);
  });
  const progress = createProgress(io.stdout, { live: !e.ci, color: useColor(io.stdout, e.noColor), secrets: e.secrets });
  watching = runWatch({
    env: e,
    health,
    progress,
    signal: stop.signal,
    ...(values.results ? { resultsPath: values.results } : {}),
    ...(values.manifest ? { manifestPath: values.manifest } : {}),
    ...(values.policy ? { policyPath: values.policy } : {}),
  });
  const r = await watching;
  await life.shutdown();
  if (r.verdict) printVerdict(r.verdict, { stream: io.stdout, noColor: e.noColor, secrets: e.secrets });
  const how: Record<typeof r.end, string> = {
    rollback: 'a rollback is certain: the watch ends early',
    'period-over': 'the checking period is over',
    'cut-short': 'cut short',
    'no-period': 'no checking period to watch (no release manifest)',
  };
  io.stdout.write(
    redact(
      `Watch: ${r.evaluations.length} evaluation(s); ${how[r.end]}${r.detectedAt ? `; detected at ${r.detectedAt}` : ''}${r.writeError ? `; could not write the verdict (${r.writeError})` : `; written: ${path.join(e.reportsDir, 'verdict.json')}`}\n`,
      e.secrets,
    ),
  );
  return r.exitCode;
}

await runIfMain(import.meta.url, command);
