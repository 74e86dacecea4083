// The verdict step, in-process: read every input (checked), audit the reports for secrets, decide with the pure engine,
// write verdict.json/.md and the Allure result; and, when the step itself fails, leave an inconclusive verdict behind.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportsDirOf, type AftercheckEnv } from '../config/env.ts';
import { readManifest } from '../config/manifest.ts';
import { loadPolicy, type Policy } from '../config/policy.ts';
import { loadProfile } from '../config/profile.ts';
import { REPORT, reportPath, SMOKE_SPEC_DIRS, targetId } from '../contract.ts';
import { auditReports, type AuditResult } from '../adapters/artifacts/audit.ts';
import { labelTestResults } from '../adapters/allure/labels.ts';
import { removeEarlierVerdicts, writeAllureVerdict, type WrittenAllureVerdict } from '../adapters/allure/writer.ts';
import { verdictCase, writeJunitVerdict } from '../adapters/junit.ts';
import { readTestRun } from '../adapters/playwright-results.ts';
import { retireReports } from '../adapters/retire.ts';
import { expectedEvidence } from '../adapters/suite-files.ts';
import {
  writeFailedVerdict,
  writeVerdictFiles,
  type VerdictContext,
  type VerdictLinks,
  type WrittenVerdictFiles,
} from '../adapters/verdict-files.ts';
import type { StepTimings } from '../adapters/allure/verdict-steps.ts';
import { formatDuration, listNames } from '../engine/format.ts';
import { Findings } from '../engine/rules.ts';
import type { AlertingEvidence, HealthInput, TestRun, Verdict } from '../engine/types.ts';
import { decide, exitCodeFor, testDecision } from '../engine/verdict/index.ts';
import type { Features } from '../engine/verdict/tests.ts';
import { resolveHealth, type HealthSource } from './health-input.ts';
import { alertingEvidence } from '../adapters/alerts/state.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

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
  /** Findings made outside the engine beyond the secret audit (the watch's early rollback). */
  readonly extra?: readonly Findings[];
  /** Files (relative to the reports dir) the secret audit leaves out: a test run's working files while it is still going. */
  readonly auditExclude?: readonly string[];
  /** The alert notifier, for the checklist; by default what env and the alert state file say. */
  readonly alerting?: AlertingEvidence;
}

/** A decision and the inputs it was made from, as read (tests, health, the secret audit). */
interface DecidedVerdict {
  readonly verdict: Verdict;
  readonly exitCode: number;
  readonly tests: TestRun;
  readonly health: HealthInput;
  readonly ctx: VerdictContext;
  readonly audit: AuditResult;
}

/** A decided verdict with everything it was decided from, not yet written (the watch adds to it before writing). */
export interface EvaluatedVerdict extends DecidedVerdict {
  readonly policy: Policy;
  readonly features: Features;
  /** health.json, when this evaluation wrote one. */
  readonly healthFile?: string;
  /** When the health gate and the decision ran, for the report's step timings. */
  readonly timings: StepTimings;
}

export interface RunVerdictResult extends DecidedVerdict {
  /** What was written; absent when writing failed (`writeError` says why). */
  readonly files?: WrittenVerdictFiles & { readonly health?: string; readonly junit: string; readonly allure: WrittenAllureVerdict };
  readonly writeError?: string;
}

/** Files the verdict step writes itself: audited after writing, not before (junit.xml is the run's: audited before, and after). */
const OWN_FILES = [REPORT.verdictJson, REPORT.verdictMd, REPORT.health];

/** The report, CI run and commit links of this verdict, from what CI provides. */
export function linksFor(env: AftercheckEnv, commit: string | undefined): VerdictLinks {
  const { report, run, repository } = env.ciLinks;
  return { report, run, commit: repository && commit ? `${repository}/commit/${commit}` : undefined };
}

/** A finding of the secret audit: inconclusive, naming every file, never the secret. */
function auditFindings(audit: AuditResult, env: AftercheckEnv, policy: Policy['verdict']): Findings {
  const f = new Findings(policy);
  const reportsDir = env.reportsDir;
  if (audit.leaks.length) {
    const where = [...new Set(audit.leaks.map((l) => `${l.where} (${l.what})`))];
    f.add('secret-leak', {
      message: `Secrets were found in the reports under ${reportsDir}: ${listNames(where, 6)}; these files must not be uploaded or shared`,
      observed: `${audit.leaks.length} finding${audit.leaks.length === 1 ? '' : 's'} in ${audit.filesScanned} files scanned`,
      limit: 'no configured secret, URL credential or session cookie in any report (traces unzipped)',
    });
  }
  for (const name of audit.unauditable)
    f.warn(`${name} is shorter than 8 characters, so the secret audit cannot tell it from ordinary text; use a longer secret`);
  for (const w of env.warnings) f.warn(w);
  return f;
}

/**
 * Reads → health → audit → decide → write files → Allure. Throws ConfigError for bad input (policy, manifest); every
 * missing input becomes an inconclusive reason.
 */
export async function runVerdict(options: RunVerdictOptions): Promise<RunVerdictResult> {
  return writeVerdictOutputs(await evaluateVerdict(options), options.env);
}

/** Reads every input, runs (or reads) the health gate, audits the reports and decides; writes only health.json. */
export async function evaluateVerdict(options: RunVerdictOptions): Promise<EvaluatedVerdict> {
  const { env } = options;
  const now = options.now ?? new Date();
  const { config: appConfig, smokeDir } = await loadProfile(env.app);
  const loaded = loadPolicy(path.resolve(options.policyPath ?? env.policyPath));
  const manifest = readManifest(path.resolve(options.manifestPath ?? env.manifestPath), Object.keys(appConfig.features));
  const resultsPath = options.resultsPath ?? reportPath(env.reportsDir, 'results');
  const tests = withRunError(readTestRun({ resultsPath }), env.reportsDir);
  const healthStart = Date.now();
  const { health, written } = await resolveHealth(options.health ?? { mode: 'run' }, { env, policy: loaded.policy, manifest, now });
  const healthSpan = { start: healthStart, stop: Date.now() };
  const audit = auditReports(env.reportsDir, env.namedSecrets, [...OWN_FILES, ...(options.auditExclude ?? [])]);

  const decideStart = Date.now();
  const verdict = decide({
    policy: loaded.policy,
    manifest,
    tests,
    health,
    appFeatures: appConfig.features,
    expected: expectedEvidence(appConfig, ROOT, [...SMOKE_SPEC_DIRS, path.relative(ROOT, smokeDir)]),
    run: { target: env.baseUrl ? targetId(env.baseUrl, env.secrets) : undefined, runId: env.runId },
    service: env.service,
    extra: [auditFindings(audit, env, loaded.policy.verdict), ...(options.extra ?? [])],
    alerting: options.alerting ?? alertingEvidence(env),
    now,
  });
  const timings: StepTimings = { health: healthSpan, decide: { start: decideStart, stop: Date.now() } };
  const commit = manifest.kind === 'ok' ? manifest.manifest.commit : undefined;
  const ctx: VerdictContext = {
    target: env.baseUrl,
    service: env.service,
    policy: loaded,
    manifest,
    secrets: env.secrets,
    links: linksFor(env, commit),
  };
  return {
    verdict,
    exitCode: exitCodeFor(verdict.decision),
    tests,
    health,
    ctx,
    audit,
    policy: loaded.policy,
    features: appConfig.features,
    timings,
    ...(written ? { healthFile: written } : {}),
  };
}

/** Writes verdict.json, verdict.md and the Allure result of an evaluated verdict, then checks its own output for secrets. */
export function writeVerdictOutputs(e: EvaluatedVerdict, env: AftercheckEnv): RunVerdictResult {
  const { verdict, ctx, tests, health } = e;
  const written = e.healthFile;
  const base = { verdict, exitCode: e.exitCode, tests, health, ctx, audit: e.audit };
  let files: NonNullable<RunVerdictResult['files']>;
  try {
    files = {
      ...writeOutputs(verdict, ctx, env, { tests, health, timings: e.timings }, e.policy.verdict, e.features),
      ...(written ? { health: written } : {}),
    };
  } catch (err) {
    // The decision stands even when it cannot be written: the CLI prints it and exits with its code.
    return { ...base, writeError: (err as Error).message };
  }
  // What this step wrote is redacted by construction; checked anyway, because a leak here would be ours.
  const own = [
    files.json,
    files.markdown,
    files.junit,
    files.allure.resultFile,
    ...files.allure.attachments,
    ...(written ? [written] : []),
  ];
  const ownLeaks = auditReports(
    env.reportsDir,
    env.namedSecrets,
    [],
    own.map((f) => path.relative(env.reportsDir, f)),
  ).leaks;
  if (ownLeaks.length)
    throw new Error(
      `the verdict's own output holds a secret (${ownLeaks.map((l) => l.where).join(', ')}): a bug; nothing it wrote can be trusted`,
    );
  return { ...base, files };
}

function writeOutputs(
  verdict: Verdict,
  ctx: VerdictContext,
  env: AftercheckEnv,
  inputs: { tests: TestRun; health: HealthInput; timings: StepTimings },
  policy: Policy['verdict'],
  features: Features,
) {
  const { tests, health, timings } = inputs;
  const files = writeVerdictFiles(verdict, ctx, { reportsDir: env.reportsDir, githubStepSummary: env.githubStepSummary });
  const junit = reportPath(env.reportsDir, 'junit');
  const seconds = (timings.decide.stop - (timings.health?.start ?? timings.decide.start)) / 1000;
  writeJunitVerdict(junit, verdictCase(verdict, ctx, seconds), ctx.secrets);
  const resultsDir = reportPath(env.reportsDir, 'allureResults');
  const allure = writeAllureVerdict({ resultsDir, verdict, ctx, tests, health, timings });
  if (tests.kind === 'ok') labelTestResults(resultsDir, tests.tests, (t) => testDecision(t, policy, features));
  return { ...files, junit, allure };
}

/** A missing results file next to a note from a run that stopped on a configuration error says so. */
function withRunError(tests: TestRun, reportsDir: string): TestRun {
  const note = path.join(reportsDir, REPORT.runError);
  if (tests.kind !== 'missing' || !fs.existsSync(note)) return tests;
  const text = fs.readFileSync(note, 'utf8').trim().split('\n');
  const when = Date.parse(text[0]?.split(' ')[0] ?? '');
  const ago = Number.isFinite(when) ? ` ${formatDuration(Date.now() - when)} ago` : '';
  return {
    ...tests,
    reason: `the last test run${ago} stopped before testing (configuration error, exit 4): ${text.slice(1, 3).join(' ')}`,
  };
}

/**
 * When the verdict step itself fails (bad input, a crash), no earlier verdict may stay looking current: an
 * inconclusive verdict.json and verdict.md naming the error replace it, and the old Allure verdict result goes.
 * Returns what it could not do, for stderr.
 */
export function recordFailedVerdict(failure: { exitCode: number; message: string }, env?: AftercheckEnv): string | undefined {
  const reportsDir = env?.reportsDir ?? reportsDirOf();
  try {
    retireReports(reportsDir, [REPORT.verdictJson, REPORT.verdictMd]);
    writeFailedVerdict(reportsDir, failure, env?.secrets ?? []);
    removeEarlierVerdicts(reportPath(reportsDir, 'allureResults'));
    // CI widgets read junit.xml: a verdict that could not be computed is an error there, never an old pass.
    const junit = reportPath(reportsDir, 'junit');
    if (fs.existsSync(junit)) writeJunitVerdict(junit, failedCase(failure), env?.secrets ?? []);
    return undefined;
  } catch (e) {
    for (const name of [REPORT.verdictJson, REPORT.verdictMd]) fs.rmSync(path.join(reportsDir, name), { force: true });
    return `could not write an inconclusive verdict to ${reportsDir} (${(e as Error).message}); the exit code is the decision`;
  }
}

function failedCase(failure: { exitCode: number; message: string }) {
  const message = `INCONCLUSIVE · the verdict step failed (exit ${failure.exitCode}): ${failure.message.split('\n')[0]}`;
  return {
    result: 'error',
    message,
    type: 'inconclusive',
    details: failure.message,
    seconds: 0,
    timestamp: new Date().toISOString(),
  } as const;
}
