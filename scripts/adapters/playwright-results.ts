// Reads Playwright's JSON report and the suite's verify-selection.json, both checked by zod, into the engine's TestRun.
// Nothing is redacted here: the engine judges what was measured, and every writer redacts what it writes.
import fs from 'node:fs';
import path from 'node:path';
import { SEVERITIES, type Severity } from '../config/manifest.ts';
import { ANNOTATION, featuresOf, normTag, REPORT, RUN_METADATA_KEY, SEVERITY_ANNOTATIONS, SHARD_METADATA_PREFIX } from '../contract.ts';
import type { RunAttestation, TestOutcome, TestRun, TestStatus, VerifySelection } from '../engine/types.ts';
import { playwrightReportSchema, type JsonResult, type JsonSuite, type JsonTest } from '../schemas/playwright-report.ts';
import { describeIssues, runAttestationSchema, verifySelectionSchema } from '../schemas/run-files.ts';

export { SEVERITY_ANNOTATIONS } from '../contract.ts';
export const SELECTION_FILE = REPORT.selection;
export const RESULTS_FILE = REPORT.results;

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/** The first meaningful lines of a failure message, without colour codes, bounded. */
export function errorSummary(message: string | undefined, maxLines = 3, maxChars = 500): string | undefined {
  if (!message) return undefined;
  const lines = message
    .replace(ANSI, '')
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
  const text = lines.slice(0, maxLines).join('\n');
  return text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
}

type Annotation = { readonly type: string; readonly description?: string | undefined };

function countFrom(results: readonly JsonResult[], t: JsonTest, type: string): { count: number; seen: boolean } {
  // Each attempt has its own page; the worst attempt counts, so a retry cannot hide errors and a retried deterministic
  // error is not double-counted.
  let count = 0;
  let seen = false;
  const sources: readonly (readonly Annotation[])[] = results.length
    ? results.map((r) => [...(r.annotations ?? []), ...(t.annotations ?? [])])
    : [t.annotations ?? []];
  for (const a of sources.flat()) {
    if (a.type !== type) continue;
    seen = true;
    const n = Number(a.description);
    if (Number.isFinite(n) && n > count) count = n;
  }
  return { count, seen };
}

/**
 * The most specific severity annotation: the LAST one. Playwright lists a describe block's annotations before the test's
 * own, so a test's `severity('minor')` inside a critical feature's block overrides the feature's severity.
 */
export function lastSeverity(annotations: readonly Annotation[]): Severity | undefined {
  let found: Severity | undefined;
  for (const a of annotations) {
    if ((SEVERITY_ANNOTATIONS as readonly string[]).includes(a.type) && SEVERITIES.includes(a.description as Severity))
      found = a.description as Severity;
  }
  return found;
}

function severityFrom(t: JsonTest, last: JsonResult | undefined, tags: readonly string[]): Severity | undefined {
  // The result's list holds the static annotations and the ones added while running; the test's, only the static ones.
  const fromAnnotations = lastSeverity(last?.annotations ?? []) ?? lastSeverity(t.annotations ?? []);
  if (fromAnnotations) return fromAnnotations;
  // Tag form `@allure.label.severity:critical`, which Allure's reader also turns into the severity label.
  for (const tag of tags) {
    const m = /^@?allure\.label\.severity[:=](\w+)$/.exec(tag);
    if (m && SEVERITIES.includes(m[1] as Severity)) return m[1] as Severity;
  }
  // allure-js-commons' runtime API (allure.severity()) travels as a message attachment; read it so both ways agree.
  for (const att of last?.attachments ?? []) {
    if (att.contentType !== 'application/vnd.allure.message+json' || !att.body) continue;
    try {
      const msg = JSON.parse(Buffer.from(att.body, 'base64').toString('utf8')) as { data?: { labels?: { name: string; value: string }[] } };
      const label = msg.data?.labels?.find((l) => l.name === 'severity');
      if (label && SEVERITIES.includes(label.value as Severity)) return label.value as Severity;
    } catch {
      // An unreadable runtime message carries no severity; the other sources decide.
    }
  }
  return undefined;
}

/**
 * The status after retries, from the attempts themselves rather than Playwright's summary: a test with no attempt did
 * not run (whatever its summary says), and one that failed and never passed failed, even when its last attempt skipped
 * (Playwright calls "failed, then skipped" flaky).
 */
export function finalStatus(t: JsonTest): TestStatus {
  const results = t.results;
  const last = results[results.length - 1];
  if (!last || t.status === 'skipped') return 'skipped';
  const everPassed = results.some((r) => r.status === 'passed');
  const failedAttempt = results.find((r) => r.status === 'failed' || r.status === 'timedOut');
  if (t.status === 'expected' || t.status === 'flaky') {
    if (last.status === 'skipped') return failedAttempt && !everPassed ? 'failed' : 'skipped';
    // test.fail(): failing as declared is the expected behaviour.
    return 'passed';
  }
  if (last.status === 'timedOut' || last.status === 'interrupted') return last.status;
  return 'failed';
}

function outcomeOf(
  spec: { title: string; file: string; tags?: string[] | undefined },
  t: JsonTest,
  titles: readonly string[],
): TestOutcome {
  // The JSON reporter drops the "@" of tags; the engine and the suite's constants use it.
  const tags = [...new Set((spec.tags ?? []).map(normTag))];
  const results = t.results;
  const last = results[results.length - 1];
  const status = finalStatus(t);
  const failedAttempt = [...results].reverse().find((r) => r.status === 'failed' || r.status === 'timedOut' || r.status === 'interrupted');
  const errorText =
    status === 'passed' || status === 'skipped'
      ? undefined
      : (last?.error?.message ?? last?.errors?.[0]?.message ?? failedAttempt?.error?.message);
  const pageErrors = countFrom(results, t, ANNOTATION.pageErrors);
  const consoleErrors = countFrom(results, t, ANNOTATION.consoleErrors);
  const severity = severityFrom(t, last, tags);
  const error = errorSummary(errorText);
  return {
    title: spec.title,
    titlePath: [...titles],
    file: spec.file,
    project: t.projectName,
    tags,
    features: featuresOf(tags),
    status,
    // Passed only on a retry: an attempt passed after one that did not.
    flaky: status === 'passed' && results.length > 1 && results.some((r) => r.status === 'failed' || r.status === 'timedOut'),
    attempts: results.length,
    durationMs: Math.round(results.reduce((n, r) => n + r.duration, 0)),
    ...(results[0]?.startTime && !Number.isNaN(Date.parse(results[0].startTime)) ? { startedAt: results[0].startTime } : {}),
    ...(error ? { error } : {}),
    ...(severity ? { severity } : {}),
    pageErrors: pageErrors.count,
    consoleErrors: consoleErrors.count,
    logsCaptured: pageErrors.seen && consoleErrors.seen,
  };
}

function collect(suite: JsonSuite, titles: string[], out: TestOutcome[]): void {
  for (const spec of suite.specs ?? []) for (const t of spec.tests) out.push(outcomeOf(spec, t, titles));
  for (const child of suite.suites ?? []) collect(child, [...titles, child.title], out);
}

/** Every test of a report; file suites are the top level, describe() suites below them. Repeats of one test are one outcome. */
export function testsFromReport(report: { suites: JsonSuite[] }): TestOutcome[] {
  const out: TestOutcome[] = [];
  for (const fileSuite of report.suites) collect(fileSuite, [], out);
  return combineRepeats(out);
}

const STATUS_RANK: Readonly<Record<TestStatus, number>> = { skipped: 0, passed: 1, interrupted: 2, timedOut: 3, failed: 4 };

/**
 * One outcome per test when the same test ran more than once: merged shards each run the probe, the sign-in and every
 * smoke check (project dependencies run in every shard), and `--repeat-each` repeats. A failure in any run stands
 * (the worst status wins; a run that passed does not hide one that failed); skipped copies count only when no copy ran.
 */
export function combineRepeats(tests: readonly TestOutcome[]): TestOutcome[] {
  const byKey = new Map<string, TestOutcome[]>();
  for (const t of tests) {
    const key = JSON.stringify([t.project, t.file, t.titlePath ?? [], t.title]);
    byKey.set(key, [...(byKey.get(key) ?? []), t]);
  }
  return [...byKey.values()].map((copies) => {
    if (copies.length === 1) return copies[0]!;
    const worst = copies.reduce((a, b) => (STATUS_RANK[b.status] > STATUS_RANK[a.status] ? b : a));
    const starts = copies
      .map((c) => c.startedAt)
      .filter((x): x is string => !!x)
      .sort();
    return {
      ...worst,
      flaky: worst.status === 'passed' && copies.some((c) => c.flaky),
      attempts: copies.reduce((n, c) => n + c.attempts, 0),
      durationMs: Math.max(...copies.map((c) => c.durationMs)),
      pageErrors: Math.max(...copies.map((c) => c.pageErrors)),
      consoleErrors: Math.max(...copies.map((c) => c.consoleErrors)),
      logsCaptured: (copies.some((c) => c.status !== 'skipped') ? copies.filter((c) => c.status !== 'skipped') : copies).every(
        (c) => c.logsCaptured,
      ),
      ...(starts[0] ? { startedAt: starts[0] } : {}),
    };
  });
}

export function parseSelection(raw: unknown): { selection: VerifySelection } | { problem: string } {
  const r = verifySelectionSchema.safeParse(raw);
  return r.success ? { selection: r.data } : { problem: describeIssues(r.error) };
}

function readSelection(file: string): { selection?: VerifySelection; selectionProblem?: string } {
  if (!fs.existsSync(file)) return {};
  try {
    const parsed = parseSelection(JSON.parse(fs.readFileSync(file, 'utf8')));
    return 'selection' in parsed ? { selection: parsed.selection } : { selectionProblem: `${file}: ${parsed.problem}` };
  } catch (e) {
    return { selectionProblem: `${file} is not valid JSON (${(e as Error).message})` };
  }
}

function readAttestation(metadata: Record<string, unknown> | undefined): {
  attestation?: RunAttestation;
  attestationProblem?: string;
  shards?: RunAttestation[];
} {
  const raw = metadata?.[RUN_METADATA_KEY];
  if (raw === undefined) return {};
  const problems: string[] = [];
  const r = runAttestationSchema.safeParse(raw);
  if (!r.success) problems.push(`its run record (config.metadata.${RUN_METADATA_KEY}) is malformed: ${describeIssues(r.error)}`);
  // Merged shards: one record per shard, under its own key.
  const shards: RunAttestation[] = [];
  for (const [key, value] of Object.entries(metadata ?? {}).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))) {
    if (!key.startsWith(SHARD_METADATA_PREFIX)) continue;
    const shard = runAttestationSchema.safeParse(value);
    if (shard.success) shards.push(shard.data);
    else problems.push(`the run record of a shard (config.metadata.${key}) is malformed: ${describeIssues(shard.error)}`);
  }
  if (problems.length) return { attestationProblem: problems.join('; ') };
  return { attestation: r.data!, ...(shards.length ? { shards } : {}) };
}

export interface ReadTestRunOptions {
  /** Playwright JSON report (default <reportsDir>/results.json). */
  readonly resultsPath: string;
  /** Where verify-selection.json is (default: next to the results file). */
  readonly selectionPath?: string;
}

/** Reads the results; a missing, empty or malformed file is a "missing" run with the cause named, never an error that hides it. */
export function readTestRun(options: ReadTestRunOptions): TestRun {
  const file = path.resolve(options.resultsPath);
  if (!fs.existsSync(file))
    return { kind: 'missing', path: file, reason: `no results file at ${file} (did the Playwright run with the json reporter happen?)` };
  let raw: unknown;
  try {
    const text = fs.readFileSync(file, 'utf8');
    if (!text.trim()) return { kind: 'missing', path: file, reason: `the results file ${file} is empty (the run was probably killed)` };
    raw = JSON.parse(text);
  } catch (e) {
    return { kind: 'missing', path: file, reason: `the results file ${file} is not valid JSON (${(e as Error).message})` };
  }
  const parsed = playwrightReportSchema.safeParse(raw);
  if (!parsed.success)
    return {
      kind: 'missing',
      path: file,
      reason: `the results file ${file} is not a Playwright JSON report: ${describeIssues(parsed.error)}`,
    };
  const report = parsed.data;
  const errors = (report.errors ?? []).map((e) => errorSummary(e.message ?? e.value ?? '', 2) ?? '').filter(Boolean);
  return {
    kind: 'ok',
    path: file,
    tests: testsFromReport(report),
    ...readSelection(path.resolve(options.selectionPath ?? path.join(path.dirname(file), SELECTION_FILE))),
    ...readAttestation(report.config.metadata),
    ...(report.stats?.startTime ? { startedAt: report.stats.startTime } : {}),
    ...(errors.length ? { errors } : {}),
  };
}
