// Reads Playwright's JSON reporter output and the suite's verify-selection.json into the engine's TestRun (redacted).
import fs from 'node:fs';
import path from 'node:path';
import type { JSONReport, JSONReportSuite, JSONReportTest, JSONReportTestResult } from '@playwright/test/reporter';
import { SEVERITIES, type Severity } from '../config/manifest.ts';
import { redact } from '../config/redact.ts';
import { ANNOTATION, featuresOf, normTag, REPORT, SEVERITY_ANNOTATIONS } from '../contract.ts';
import type { TestOutcome, TestRun, TestStatus, VerifySelection } from '../engine/types.ts';

export { SEVERITY_ANNOTATIONS } from '../contract.ts';
export const SELECTION_FILE = REPORT.selection;
export const RESULTS_FILE = REPORT.results;

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/** The first meaningful lines of a failure message, without colour codes, redacted, bounded. */
export function errorSummary(message: string | undefined, secrets: readonly string[], maxLines = 3, maxChars = 500): string | undefined {
  if (!message) return undefined;
  const lines = message
    .replace(ANSI, '')
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
  let text = lines.slice(0, maxLines).join('\n');
  if (text.length > maxChars) text = `${text.slice(0, maxChars)}…`;
  return redact(text, secrets);
}

function annotationsOf(r: JSONReportTestResult | undefined, t: JSONReportTest) {
  return [...(r?.annotations ?? []), ...(t.annotations ?? [])];
}

function countFrom(results: readonly JSONReportTestResult[], t: JSONReportTest, type: string): { count: number; seen: boolean } {
  // Each attempt has its own page; the worst attempt counts, so a retry cannot hide errors and a retried deterministic error is not double-counted.
  let count = 0;
  let seen = false;
  const sources = results.length ? results.map((r) => annotationsOf(r, t)) : [t.annotations ?? []];
  for (const anns of sources) {
    for (const a of anns) {
      if (a.type !== type) continue;
      seen = true;
      const n = Number(a.description);
      if (Number.isFinite(n) && n > count) count = n;
    }
  }
  return { count, seen };
}

/**
 * The most specific severity annotation: the LAST one. Playwright lists a describe block's annotations before the test's own,
 * so a test's `severity('minor')` inside a critical feature's block overrides the feature's severity (the suite's Allure
 * reporter keeps the same one label). One list only: the last attempt's, else the test's.
 */
export function lastSeverity(annotations: readonly { readonly type: string; readonly description?: string }[]): Severity | undefined {
  let found: Severity | undefined;
  for (const a of annotations) {
    if ((SEVERITY_ANNOTATIONS as readonly string[]).includes(a.type) && SEVERITIES.includes(a.description as Severity))
      found = a.description as Severity;
  }
  return found;
}

function severityFrom(t: JSONReportTest, last: JSONReportTestResult | undefined, tags: readonly string[]): Severity | undefined {
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
      const msg = JSON.parse(Buffer.from(att.body, 'base64').toString('utf8')) as {
        type?: string;
        data?: { labels?: { name: string; value: string }[] };
      };
      const label = msg.data?.labels?.find((l) => l.name === 'severity');
      if (label && SEVERITIES.includes(label.value as Severity)) return label.value as Severity;
    } catch {
      // An unreadable runtime message carries no severity; the other sources decide.
    }
  }
  return undefined;
}

function finalStatus(t: JSONReportTest, last: JSONReportTestResult | undefined): TestStatus {
  if (t.status === 'skipped') return 'skipped';
  if (t.status === 'expected' || t.status === 'flaky') {
    // test.fail(): failing as declared is the expected behaviour.
    return last?.status === 'skipped' ? 'skipped' : 'passed';
  }
  const s = last?.status;
  if (s === 'timedOut' || s === 'interrupted' || s === 'skipped') return s;
  return 'failed';
}

function collect(suite: JSONReportSuite, titles: string[], out: TestOutcome[], secrets: readonly string[]): void {
  for (const spec of suite.specs ?? []) {
    // The JSON reporter drops the "@" of tags; the engine and the suite's constants use it.
    const tags = [...new Set((spec.tags ?? []).map(normTag))];
    const features = featuresOf(tags);
    for (const t of spec.tests) {
      const results = t.results ?? [];
      const last = results[results.length - 1];
      const status = finalStatus(t, last);
      const failedAttempt = [...results]
        .reverse()
        .find((r) => r.status === 'failed' || r.status === 'timedOut' || r.status === 'interrupted');
      const errorText =
        status === 'passed' || status === 'skipped'
          ? undefined
          : (last?.error?.message ?? last?.errors?.[0]?.message ?? failedAttempt?.error?.message);
      const pageErrors = countFrom(results, t, ANNOTATION.pageErrors);
      const consoleErrors = countFrom(results, t, ANNOTATION.consoleErrors);
      const severity = severityFrom(t, last, tags);
      const error = errorSummary(errorText, secrets);
      out.push({
        title: redact(spec.title, secrets),
        titlePath: titles.map((x) => redact(x, secrets)),
        file: spec.file,
        project: t.projectName,
        tags,
        features,
        status,
        flaky: t.status === 'flaky',
        attempts: results.length,
        durationMs: Math.round(results.reduce((n, r) => n + (r.duration ?? 0), 0)),
        ...(error ? { error } : {}),
        ...(severity ? { severity } : {}),
        pageErrors: pageErrors.count,
        consoleErrors: consoleErrors.count,
        logsCaptured: pageErrors.seen && consoleErrors.seen,
      });
    }
  }
  for (const child of suite.suites ?? []) collect(child, [...titles, child.title], out, secrets);
}

/** Parses a JSON report object; file suites are the top level, describe() suites below them. */
export function testsFromReport(report: JSONReport, secrets: readonly string[]): TestOutcome[] {
  const out: TestOutcome[] = [];
  for (const fileSuite of report.suites ?? []) collect(fileSuite, [], out, secrets);
  return out;
}

function isStringArray(x: unknown): x is string[] {
  return Array.isArray(x) && x.every((s) => typeof s === 'string');
}

/** Validates verify-selection.json by hand (it is our own file, written by the suite's reporter); returns the problem otherwise. */
export function parseSelection(raw: unknown): { selection: VerifySelection } | { problem: string } {
  const o = raw as Record<string, unknown> | null;
  if (!o || typeof o !== 'object') return { problem: 'is not a JSON object' };
  const problems: string[] = [];
  if (typeof o.verifyAll !== 'boolean') problems.push('verifyAll must be true or false');
  if (!isStringArray(o.manifestFeatures)) problems.push('manifestFeatures must be a list of feature ids');
  if (!isStringArray(o.selectedFeatures)) problems.push('selectedFeatures must be a list of feature ids');
  const tpf = o.testsPerFeature as Record<string, unknown> | undefined;
  if (!tpf || typeof tpf !== 'object' || Object.values(tpf).some((n) => typeof n !== 'number'))
    problems.push('testsPerFeature must map feature ids to counts');
  const unv = o.unverified as unknown[];
  if (
    !Array.isArray(unv) ||
    unv.some(
      (u) => !u || typeof (u as { feature?: unknown }).feature !== 'string' || typeof (u as { reason?: unknown }).reason !== 'string',
    )
  )
    problems.push('unverified must be a list of { feature, reason }');
  if (problems.length) return { problem: problems.join('; ') };
  return { selection: o as unknown as VerifySelection };
}

export interface ReadTestRunOptions {
  /** Playwright JSON report (default <reportsDir>/results.json). */
  readonly resultsPath: string;
  /** Where verify-selection.json is (default: next to the results file). */
  readonly selectionPath?: string;
  readonly secrets: readonly string[];
}

/** Reads the results; a missing, empty or unparsable file is a "missing" run with the cause named, never an error that hides it. */
export function readTestRun(options: ReadTestRunOptions): TestRun {
  const file = path.resolve(options.resultsPath);
  const { secrets } = options;
  if (!fs.existsSync(file)) {
    return { kind: 'missing', path: file, reason: `no results file at ${file} (did the Playwright run with the json reporter happen?)` };
  }
  let report: JSONReport;
  try {
    const text = fs.readFileSync(file, 'utf8');
    if (!text.trim()) return { kind: 'missing', path: file, reason: `the results file ${file} is empty (the run was probably killed)` };
    report = JSON.parse(text) as JSONReport;
  } catch (e) {
    return { kind: 'missing', path: file, reason: `the results file ${file} is not valid JSON (${redact((e as Error).message, secrets)})` };
  }
  if (!report || typeof report !== 'object' || !Array.isArray(report.suites)) {
    return { kind: 'missing', path: file, reason: `the results file ${file} is not a Playwright JSON report (no "suites")` };
  }
  const tests = testsFromReport(report, secrets);
  const errors = (report.errors ?? []).map((e) => errorSummary(e.message ?? String(e.value ?? ''), secrets, 2) ?? '').filter(Boolean);

  const selFile = path.resolve(options.selectionPath ?? path.join(path.dirname(file), SELECTION_FILE));
  let selection: VerifySelection | undefined;
  let selectionProblem: string | undefined;
  if (fs.existsSync(selFile)) {
    try {
      const parsed = parseSelection(JSON.parse(fs.readFileSync(selFile, 'utf8')));
      if ('selection' in parsed) selection = parsed.selection;
      else selectionProblem = `${selFile}: ${parsed.problem}`;
    } catch (e) {
      selectionProblem = `${selFile} is not valid JSON (${(e as Error).message})`;
    }
  }
  return {
    kind: 'ok',
    path: file,
    tests,
    ...(selection ? { selection } : {}),
    ...(report.stats?.startTime ? { startedAt: report.stats.startTime } : {}),
    ...(errors.length ? { errors } : {}),
    ...(selectionProblem ? { selectionProblem: redact(selectionProblem, secrets) } : {}),
  };
}
