// The one contract between the suite (fixtures, specs, reporters) and the verdict: tags, annotation types, project names, report file names.
// Both sides import these names from here, so a rename is a change in one file and can never silently turn verdicts inconclusive.
import path from 'node:path';
import { redactUrl } from './config/redact.ts';

/** The suite's fixed tags. @writes marks tests that create data (excluded unless AFTERCHECK_ALLOW_WRITES). */
export const TAG = Object.freeze({
  smoke: '@smoke',
  verify: '@verify',
  writes: '@writes',
} as const);

/** `@feature:<id>` ties a @verify test to a feature of the app profile's registry. */
export const FEATURE_TAG_PREFIX = '@feature:';

/** Feature ids named by a test's @feature:<id> tags. */
export function featuresOf(tags: readonly string[]): string[] {
  return tags.filter((t) => t.startsWith(FEATURE_TAG_PREFIX)).map((t) => t.slice(FEATURE_TAG_PREFIX.length));
}

/** Playwright's JSON reporter drops the "@" of tags; both sides compare them with it. */
export const normTag = (tag: string): string => (tag.startsWith('@') ? tag : `@${tag}`);

/**
 * The Playwright projects, in the order they run. `setup` is no project of the suite's any more (the probe runs in global
 * setup, the sign-in is a worker fixture); results that have one (earlier runs) still read their setup failures as such.
 */
export const PROJECT = Object.freeze({
  setup: 'setup',
  smoke: 'smoke',
  verify: 'verify',
} as const);

/** The built-in reachability check (global setup's probe, reported in the smoke project), tagged @smoke: the first smoke check of every run. */
export const PROBE_CHECK = 'target is reachable';

/** Generic smoke specs that run the app profile's configured checks; every other smoke spec is hand-written. */
export const CONFIGURED_SMOKE_SPECS: readonly string[] = [
  'tests/smoke/probe.spec.ts',
  'tests/smoke/smoke.spec.ts',
  'tests/smoke/sign-in.spec.ts',
];

/** Folders (relative to the repository root) whose *.spec.ts files run in the smoke project. */
export const SMOKE_SPEC_DIRS: readonly string[] = ['tests/smoke'];

/**
 * Annotation types the suite adds to each test and the verdict reads. Counts are always added, "0" included, so that
 * "no errors" can be told apart from "not listened".
 */
export const ANNOTATION = Object.freeze({
  pageErrors: 'aftercheck:page-errors',
  consoleErrors: 'aftercheck:console-errors',
  failedRequests: 'aftercheck:failed-requests',
  elapsedMs: 'aftercheck:elapsed-ms',
  checkKind: 'aftercheck:check-kind',
  reportedVersion: 'aftercheck:reported-version',
  targetStatus: 'aftercheck:target-status',
  syntheticOrdersDeleted: 'aftercheck:synthetic-orders-deleted',
  /** The annotation allure-playwright turns into the severity label; the verdict reads the same one. */
  severity: 'allure.label.severity',
} as const);

/** Severity annotation types the verdict accepts: the Allure one (what the suite writes) and plain forms. */
export const SEVERITY_ANNOTATIONS = [ANNOTATION.severity, `@${ANNOTATION.severity}`, 'severity'] as const;

/** Allure labels the verdict adds to results, so categories group by the decision the engine made (never recomputed). */
export const ALLURE_LABEL = Object.freeze({
  decision: 'aftercheck.decision',
  rule: 'aftercheck.rule',
} as const);

/** File and folder names under the reports directory (AFTERCHECK_REPORTS_DIR). */
export const REPORT = Object.freeze({
  results: 'results.json',
  junit: 'junit.xml',
  selection: 'verify-selection.json',
  health: 'health.json',
  verdictJson: 'verdict.json',
  verdictMd: 'verdict.md',
  html: 'html',
  testResults: 'test-results',
  allureResults: 'allure-results',
  allureReport: 'allure-report',
  allureHistory: 'allure-history.jsonl',
  /** The same report as one self-contained HTML file, for download (`npm run report -- --single-file`). */
  allureSingleFile: 'allure-report.html',
  /** Where a sharded run (`--shard=i/n`) writes its blob report, for `npm run merge`. */
  blobReport: 'blob-report',
  /** Left by a test run that stopped on a configuration error, in place of its results. */
  runError: 'run-error.txt',
  auth: '.auth',
  locks: '.locks',
  /** The alert notifier's memory across processes: the last test alert and open incidents (scripts/adapters/alerts/state.ts). */
  alertState: 'alert-state.json',
  /** Scheduled synthetic runs, one dated folder each, and their index page. */
  synthetic: 'synthetic',
} as const);

/** `<reportsDir>/<name>` for a name of REPORT. */
export function reportPath(reportsDir: string, name: keyof typeof REPORT): string {
  return path.join(reportsDir, REPORT[name]);
}

/** How the run record names a target, and the verdict compares it: "demo", or the URL without trailing slashes, credentials redacted. */
export function targetId(baseUrl: string, secrets: readonly string[]): string {
  return baseUrl === 'demo' ? 'demo' : redactUrl(baseUrl.replace(/\/+$/, ''), secrets);
}

/** The key under Playwright's `config.metadata` where the suite records which release a run was made for. */
export const RUN_METADATA_KEY = 'aftercheck';

/**
 * Each shard of a sharded run also records itself under its own key: `merge-reports` keeps one value per key (the last
 * shard's), so only distinct keys let the verdict check that every shard was merged and all belong to one run.
 */
export const SHARD_METADATA_PREFIX = `${RUN_METADATA_KEY}.shard.`;
