// `npm run verdict`: reads test results, manifest, policy and health, decides with the pure engine, writes verdict.json/.md and the Allure result, exits with the decision's code.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadEnv, type AftercheckEnv } from './config/env.ts';
import { loadProfile } from './config/profile.ts';
import { ConfigError, EXIT } from './config/errors.ts';
import { parseFlags } from './config/cli.ts';
import { REPORT, reportPath } from './contract.ts';
import { readManifest, type ManifestRead } from './config/manifest.ts';
import { loadPolicy, type LoadedPolicy } from './config/policy.ts';
import { redact } from './config/redact.ts';
import { writeAllureVerdict, type WrittenAllureVerdict } from './adapters/allure/writer.ts';
import { printVerdict } from './adapters/console.ts';
import { readTestRun, RESULTS_FILE } from './adapters/playwright-results.ts';
import { writeAtomic, writeVerdictFiles, type VerdictContext, type WrittenVerdictFiles } from './adapters/verdict-files.ts';
import type { MetricsReader } from './adapters/influx/reader.ts';
import type { HealthInput, HealthReport, TestRun, Verdict } from './engine/types.ts';
import { decide, exitCodeFor } from './engine/verdict.ts';

export const HEALTH_FILE = REPORT.health;

export type HealthSource =
  /** Run the health gate in-process (scripts/health.ts); `reader` replaces the InfluxDB adapter built from env. */
  | { readonly mode: 'run'; readonly reader?: MetricsReader }
  | { readonly mode: 'file'; readonly path: string }
  /** A report the caller already has (the demo runs the gate itself). */
  | { readonly mode: 'report'; readonly report: HealthReport }
  | { readonly mode: 'skip'; readonly reason?: string };

export interface RunVerdictOptions {
  readonly env: AftercheckEnv;
  /** Default <reportsDir>/results.json. */
  readonly resultsPath?: string;
  /** Default env.manifestPath. */
  readonly manifestPath?: string;
  /** Default env.policyPath. */
  readonly policyPath?: string;
  readonly health?: HealthSource;
  readonly now?: Date;
}

export interface RunVerdictResult {
  readonly verdict: Verdict;
  readonly exitCode: number;
  readonly tests: TestRun;
  readonly health: HealthInput;
  readonly ctx: VerdictContext;
  readonly files: WrittenVerdictFiles & { readonly health?: string; readonly allure: WrittenAllureVerdict };
}

/** Minimal shape check of a health.json, so a wrong file is named as such instead of crashing the engine. */
export function parseHealthReport(raw: unknown): { report: HealthReport } | { problem: string } {
  const o = raw as Partial<HealthReport> | null;
  if (!o || typeof o !== 'object') return { problem: 'is not a JSON object' };
  const missing: string[] = [];
  if (o.schemaVersion !== 1) missing.push(`schemaVersion must be 1 (is ${JSON.stringify(o.schemaVersion)})`);
  if (!Array.isArray(o.signals)) missing.push('signals must be a list');
  if (!o.window?.current || !o.window?.baseline) missing.push('window.current and window.baseline are required');
  if (!o.checkingPeriod || typeof o.checkingPeriod.complete !== 'boolean')
    missing.push('checkingPeriod { ms, monitorUntil, complete } is required');
  if (typeof o.version !== 'string') missing.push('version is required');
  if (missing.length) return { problem: missing.join('; ') };
  return { report: o as HealthReport };
}

async function resolveHealth(
  source: HealthSource,
  env: AftercheckEnv,
  loaded: LoadedPolicy,
  manifest: ManifestRead,
  now: Date,
): Promise<{ health: HealthInput; written?: string }> {
  switch (source.mode) {
    case 'skip':
      return {
        health: { kind: 'unavailable', reason: source.reason ?? 'health gate skipped (--no-health): no health signals were evaluated' },
      };
    case 'report':
      return { health: source.report };
    case 'file': {
      const file = path.resolve(source.path);
      if (!fs.existsSync(file))
        return {
          health: {
            kind: 'unavailable',
            reason: `no health report at ${file} (run npm run health first, or drop --health to run the gate)`,
          },
        };
      let raw: unknown;
      try {
        raw = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (e) {
        return { health: { kind: 'unavailable', reason: `the health report ${file} is not valid JSON (${(e as Error).message})` } };
      }
      const parsed = parseHealthReport(raw);
      return 'report' in parsed
        ? { health: parsed.report }
        : { health: { kind: 'unavailable', reason: `the health report ${file} is not a health report: ${parsed.problem}` } };
    }
    case 'run': {
      if (!env.influx.url)
        return {
          health: {
            kind: 'unavailable',
            reason: 'InfluxDB is not configured (AFTERCHECK_INFLUX_URL is unset): set it, or pass --health <file>',
          },
        };
      if (!env.influx.database)
        return {
          health: {
            kind: 'unavailable',
            reason: 'InfluxDB has no database or bucket configured (AFTERCHECK_INFLUX_DATABASE / AFTERCHECK_INFLUX_BUCKET)',
          },
        };
      if (manifest.kind === 'missing')
        return {
          health: {
            kind: 'unavailable',
            reason: `no release manifest at ${manifest.path}: the health gate needs the deploy time and both versions`,
          },
        };
      let report: HealthReport;
      try {
        // Loaded lazily, so --health/--no-health runs never load the InfluxDB client.
        const { runHealthGate } = await import('./health.ts');
        report = await runHealthGate({
          env,
          policy: loaded.policy,
          manifest: manifest.manifest,
          now,
          ...(source.reader ? { reader: source.reader } : {}),
        });
      } catch (e) {
        if (e instanceof ConfigError) throw e;
        return { health: { kind: 'unavailable', reason: `the health gate failed: ${redact((e as Error).message, env.secrets)}` } };
      }
      fs.mkdirSync(env.reportsDir, { recursive: true });
      const written = path.join(env.reportsDir, HEALTH_FILE);
      writeAtomic(written, `${redact(JSON.stringify(report, null, 2), env.secrets)}\n`);
      return { health: report, written };
    }
  }
}

/**
 * The whole verdict step, in-process (the CLI below, and any caller embedding aftercheck): read → health → decide → write files → Allure.
 * Throws ConfigError for bad input (policy, manifest); everything else missing becomes an inconclusive reason.
 */
export async function runVerdict(options: RunVerdictOptions): Promise<RunVerdictResult> {
  const { env } = options;
  const now = options.now ?? new Date();
  const { config: appConfig } = await loadProfile(env.app);
  const loaded = loadPolicy(path.resolve(options.policyPath ?? env.policyPath));
  const manifest = readManifest(path.resolve(options.manifestPath ?? env.manifestPath), Object.keys(appConfig.features));
  const tests = readTestRun({ resultsPath: options.resultsPath ?? path.join(env.reportsDir, RESULTS_FILE), secrets: env.secrets });
  const { health, written } = await resolveHealth(options.health ?? { mode: 'run' }, env, loaded, manifest, now);

  const verdict = decide({ policy: loaded.policy, manifest, tests, health, appFeatures: appConfig.features, now });
  const ctx: VerdictContext = { target: env.baseUrl, service: env.service, policy: loaded, manifest, secrets: env.secrets };
  const files = writeVerdictFiles(verdict, ctx, { reportsDir: env.reportsDir, githubStepSummary: env.githubStepSummary });
  const allure = writeAllureVerdict({ resultsDir: reportPath(env.reportsDir, 'allureResults'), verdict, ctx, tests, health });
  return {
    verdict,
    exitCode: exitCodeFor(verdict.decision),
    tests,
    health,
    ctx,
    files: { ...files, ...(written ? { health: written } : {}), allure },
  };
}

export const HELP = `Usage: npm run verdict -- [options]
       tsx scripts/verdict.ts [options]

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
  --help              show this help

Without --health or --no-health the health gate runs in-process against InfluxDB (AFTERCHECK_INFLUX_*) and writes
<reports>/health.json; InfluxDB not configured or unreachable makes the health input inconclusive.

Exit codes:
  0  proceed, or continue monitoring (everything passed; the checking period may still be running)
  1  rollback
  2  hotfix
  3  inconclusive (missing results, no tests run, no health data, no manifest, ...)
  4  configuration or usage error (bad flag, invalid policy or manifest)
`;

export interface VerdictFlags {
  readonly help: boolean;
  readonly results?: string;
  readonly manifest?: string;
  readonly policy?: string;
  readonly health?: string;
  readonly noHealth: boolean;
  readonly now?: Date;
}

const OPTIONS = {
  results: { type: 'string' },
  manifest: { type: 'string' },
  policy: { type: 'string' },
  health: { type: 'string' },
  'no-health': { type: 'boolean' },
  now: { type: 'string' },
  help: { type: 'boolean' },
} as const;

/** Parses flags leniently and then reports every problem at once (parseArgs' strict mode stops at the first). */
export function parseVerdictFlags(argv: readonly string[]): VerdictFlags {
  const { values, problems } = parseFlags(argv, OPTIONS, 'npm run verdict');
  const str = (k: keyof typeof OPTIONS) => (typeof values[k] === 'string' && values[k] !== '' ? (values[k] as string) : undefined);
  let now: Date | undefined;
  const nowText = str('now');
  if (nowText !== undefined) {
    now = new Date(nowText);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(nowText) || Number.isNaN(now.getTime()))
      problems.push({
        field: '--now',
        value: JSON.stringify(nowText),
        message: 'is not an ISO-8601 date-time',
        fix: 'write e.g. --now 2026-11-26T12:00:00Z',
      });
  }
  if (values['no-health'] === true && str('health'))
    problems.push({
      field: '--health',
      value: JSON.stringify(str('health')),
      message: 'cannot be combined with --no-health',
      fix: 'use one of them',
    });
  if (problems.length) throw new ConfigError('command line', problems);
  return {
    help: values.help === true,
    noHealth: values['no-health'] === true,
    ...(str('results') ? { results: str('results')! } : {}),
    ...(str('manifest') ? { manifest: str('manifest')! } : {}),
    ...(str('policy') ? { policy: str('policy')! } : {}),
    ...(str('health') ? { health: str('health')! } : {}),
    ...(now ? { now } : {}),
  };
}

export async function main(argv: readonly string[]): Promise<number> {
  let secrets: readonly string[] = [];
  try {
    const flags = parseVerdictFlags(argv);
    if (flags.help) {
      process.stdout.write(HELP);
      return EXIT.ok;
    }
    const env = loadEnv();
    secrets = env.secrets;
    const health: HealthSource = flags.noHealth ? { mode: 'skip' } : flags.health ? { mode: 'file', path: flags.health } : { mode: 'run' };
    const result = await runVerdict({
      env,
      health,
      ...(flags.results ? { resultsPath: flags.results } : {}),
      ...(flags.manifest ? { manifestPath: flags.manifest } : {}),
      ...(flags.policy ? { policyPath: flags.policy } : {}),
      ...(flags.now ? { now: flags.now } : {}),
    });
    printVerdict(result.verdict, { noColor: env.noColor, secrets: env.secrets });
    const rel = (p: string) => (p.startsWith(`${process.cwd()}${path.sep}`) ? path.relative(process.cwd(), p) : p);
    process.stdout.write(
      `Written: ${rel(result.files.json)}, ${rel(result.files.markdown)}${result.files.health ? `, ${rel(result.files.health)}` : ''}, ${rel(result.files.allure.resultFile)}\n`,
    );
    return result.exitCode;
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${redact(e.message, secrets)}\n`);
      return EXIT.config;
    }
    // An unexpected failure is no verdict, and no verdict is never a pass.
    process.stderr.write(`aftercheck verdict: no verdict, unexpected error: ${redact((e as Error).stack ?? String(e), secrets)}\n`);
    return EXIT.inconclusive;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
