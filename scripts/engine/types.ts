// Shared data contracts between the pure engine and the adapters: measurements, test outcomes, health results, the verdict.
import type { z } from 'zod';
import type { Severity, ChangeSize } from '../config/manifest.ts';
import type { runAttestationSchema, verifySelectionSchema } from '../schemas/run-files.ts';

/** Types derived from zod schemas are mutable; the engine's inputs are not. */
export type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

// ---------- Measurements (what the InfluxDB adapter returns; the engine never does I/O) ----------

export interface SamplePoint {
  /** ISO-8601 start of the interval. */
  readonly t: string;
  /** null where the database returned an empty interval. */
  readonly v: number | null;
}

export interface TimeWindow {
  /** ISO-8601, inclusive. */
  readonly start: string;
  /** ISO-8601, exclusive. */
  readonly end: string;
}

/** The outcome of reading one series: data, or a named reason why there is none. */
export type SeriesRead =
  | { readonly kind: 'ok'; readonly points: readonly SamplePoint[]; readonly query: string }
  | {
      readonly kind: 'error';
      readonly cause: 'unreachable' | 'auth' | 'timeout' | 'malformed' | 'query' | 'config';
      readonly message: string;
      readonly query: string;
    };

export interface SignalMeasurement {
  readonly signalId: string;
  readonly current: SeriesRead;
  readonly baseline: SeriesRead;
}

// ---------- Health evaluation ----------

/** Ordered from best to worst; "worst wins" indexes into this list. */
export const OUTCOMES = ['pass', 'warn', 'fail', 'inconclusive'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type RuleKind = 'samples' | 'absolute' | 'relative' | 'trend' | 'statistical';

export interface RuleResult {
  readonly rule: RuleKind;
  readonly outcome: Outcome;
  /** The value the rule looked at (summary, ratio, slope per minute, effect size); null when there was none. */
  readonly observed: number | null;
  /** The limit it was compared with, as shown to people ("≤ 1 %", "≤ baseline × 1.2 and + 50 ms"). */
  readonly limit: string;
  readonly reason: string;
}

export interface SignalResult {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly direction: 'higher-is-worse' | 'lower-is-worse';
  /** What a breach of this signal means: minor → hotfix, major → rollback. */
  readonly severity: 'minor' | 'major';
  readonly outcome: Outcome;
  /** The first reason of the worst rule. */
  readonly reason: string;
  readonly current: number | null;
  readonly baseline: number | null;
  readonly delta: number | null;
  readonly deltaPct: number | null;
  /** The absolute fail limit, if any (drawn as the limit line in charts). */
  readonly limitValue: number | null;
  /** Human-readable summary of all limits. */
  readonly limit: string;
  readonly samples: { readonly current: number; readonly baseline: number };
  readonly query: { readonly current: string; readonly baseline: string };
  readonly rules: readonly RuleResult[];
  readonly series: { readonly current: readonly SamplePoint[]; readonly baseline: readonly SamplePoint[] };
}

export interface HealthReport {
  readonly schemaVersion: 1;
  readonly generatedAt: string;
  readonly service: string;
  readonly version: string;
  readonly previousVersion: string;
  readonly deployedAt: string;
  readonly changeSize: ChangeSize;
  readonly window: { readonly current: TimeWindow; readonly baseline: TimeWindow; readonly intervalSeconds: number };
  /** The checking period the policy set for this change size, and whether it has fully elapsed. */
  readonly checkingPeriod: { readonly ms: number; readonly monitorUntil: string; readonly complete: boolean };
  readonly source: { readonly url: string; readonly dialect: 'influxql' | 'flux'; readonly database: string };
  readonly outcome: Outcome;
  readonly signals: readonly SignalResult[];
  /** Set when the health gate could not run at all (InfluxDB unreachable, bad config); outcome is then inconclusive. */
  readonly error?: string;
}

// ---------- Test outcomes (what the Playwright results reader returns) ----------

export type TestStatus = 'passed' | 'failed' | 'timedOut' | 'skipped' | 'interrupted';

export interface TestOutcome {
  readonly title: string;
  readonly file: string;
  /** Playwright project: setup, smoke, verify (or a user-defined one). */
  readonly project: string;
  readonly tags: readonly string[];
  /** Feature ids from @feature:<id> tags. */
  readonly features: readonly string[];
  /** Final status after retries. */
  readonly status: TestStatus;
  /** Passed only on a retry. */
  readonly flaky: boolean;
  readonly attempts: number;
  readonly durationMs: number;
  /** When the first attempt started (ISO), for the report's step timings; absent in hand-made results. */
  readonly startedAt?: string;
  /** First line(s) of the failure message, redacted. */
  readonly error?: string;
  /** Severity from the test's annotations (Allure severity label), if set. */
  readonly severity?: Severity;
  /** Uncaught page errors and console errors captured by the suite's fixtures for this test. */
  readonly pageErrors: number;
  readonly consoleErrors: number;
  /** True when the suite's fixture recorded page/console error counts for this test (annotations present), so 0 means "none seen", not "not looked". */
  readonly logsCaptured?: boolean;
  /** describe() titles above the test, outermost first (the title itself is the check's name). */
  readonly titlePath?: readonly string[];
}

/** What the @verify selection recorded at the start of the run (reports/verify-selection.json). */
export type VerifySelection = DeepReadonly<z.output<typeof verifySelectionSchema>>;

/**
 * What the suite recorded in Playwright's config.metadata about the release the run was made for (written by
 * playwright.config.ts, under RUN_METADATA_KEY of scripts/contract.ts). The verdict checks it against this release.
 */
export type RunAttestation = DeepReadonly<z.output<typeof runAttestationSchema>>;

export type TestRun =
  | { readonly kind: 'missing'; readonly path: string; readonly reason: string }
  | {
      readonly kind: 'ok';
      readonly path: string;
      readonly tests: readonly TestOutcome[];
      readonly selection?: VerifySelection;
      readonly startedAt?: string;
      /** Run-level errors Playwright reported outside any test (global setup, webServer, config), redacted. */
      readonly errors?: readonly string[];
      /** Set when verify-selection.json exists but cannot be read; the coverage gate then has no trustworthy selection. */
      readonly selectionProblem?: string;
      /** Which release the run says it was made for; undefined when results.json carries no such record. */
      readonly attestation?: RunAttestation;
      /** Merged shards: each shard's own record (the attestation above is then the last shard's). */
      readonly shards?: readonly RunAttestation[];
      /** Set when results.json carries a run record that does not parse. */
      readonly attestationProblem?: string;
    };

/** What the verdict gets from the health gate: its report, or why there is none (never a silent pass). */
export type HealthInput = HealthReport | { readonly kind: 'unavailable'; readonly reason: string };

// ---------- Verdict ----------

/** Ordered from best to worst: "worst wins" picks the highest index among the reasons. Rollback beats inconclusive beats hotfix. */
export const DECISIONS = ['proceed', 'continue-monitoring', 'hotfix', 'inconclusive', 'rollback'] as const;
export type Decision = (typeof DECISIONS)[number];

export type InputName = 'results' | 'smoke' | 'verify' | 'coverage' | 'health' | 'period' | 'flaky' | 'logs' | 'manifest';

export interface Reason {
  /** The policy rule that produced it, e.g. "smoke-failure", "verify-failure.critical", "health-breach.major". */
  readonly rule: string;
  readonly decision: Decision;
  readonly input: InputName;
  readonly message: string;
  readonly observed: string;
  readonly limit: string;
}

export interface ChecklistItem {
  readonly item: 'smoke' | 'verification' | 'logs' | 'health' | 'alerting' | 'rollback-criteria';
  readonly label: string;
  readonly state: 'done' | 'failed' | 'missing';
  readonly evidence: string;
}

/** Counts for one group of tests (setup, smoke, verify) as evidence in verdict.json. */
export interface TestGroupSummary {
  readonly total: number;
  /** Tests that actually ran (not skipped, not interrupted). */
  readonly ran: number;
  readonly passed: number;
  /** failed or timed out */
  readonly failed: number;
  readonly skipped: number;
  readonly interrupted: number;
  readonly flaky: number;
  readonly failures: readonly {
    readonly title: string;
    readonly error?: string;
    readonly severity?: Severity;
    readonly features: readonly string[];
  }[];
}

export interface FeatureEvidence {
  readonly feature: string;
  readonly title: string;
  readonly severity: Severity;
  /** Named by the release manifest (a changed feature). */
  readonly changed: boolean;
  readonly tests: number;
  readonly passed: number;
  readonly failed: number;
  readonly flaky: number;
  readonly skipped: number;
  /** passed: every test ran and passed; unverified: zero @verify tests; not-run: tests exist but none ran. */
  readonly state: 'passed' | 'failed' | 'unverified' | 'not-run';
  readonly note?: string;
}

/** A signal as the verdict records it: the health result without its series and query texts. */
export type SignalEvidence = Pick<
  SignalResult,
  'id' | 'title' | 'unit' | 'severity' | 'outcome' | 'reason' | 'current' | 'baseline' | 'delta' | 'deltaPct' | 'limit' | 'samples'
>;

/** Each input's evidence, as the engine saw it; written to verdict.json. */
export interface VerdictEvidence {
  readonly results: {
    readonly kind: 'ok' | 'missing';
    readonly path: string;
    readonly reason?: string;
    readonly tests: number;
    readonly startedAt?: string;
    readonly errors: readonly string[];
  };
  readonly manifest: {
    readonly kind: 'ok' | 'missing';
    readonly path: string;
    readonly version?: string;
    readonly previousVersion?: string;
    readonly deployedAt?: string;
    readonly changeSize?: ChangeSize;
    readonly commit?: string;
    readonly features: readonly string[];
  };
  readonly setup: TestGroupSummary;
  readonly smoke: TestGroupSummary;
  readonly verify: TestGroupSummary & { readonly features: readonly FeatureEvidence[] };
  readonly selection: VerifySelection | null;
  readonly logs: {
    readonly pageErrors: number;
    readonly consoleErrors: number;
    readonly testsWithPageErrors: readonly string[];
    readonly testsWithConsoleErrors: readonly string[];
    /** Tests whose page/console errors were recorded by the suite. */
    readonly captured: number;
  };
  readonly flaky: readonly string[];
  readonly health:
    | {
        readonly kind: 'report';
        readonly outcome: Outcome;
        readonly generatedAt: string;
        readonly version: string;
        readonly window: HealthReport['window'];
        readonly source: HealthReport['source'];
        readonly error?: string;
        readonly signals: readonly SignalEvidence[];
      }
    | { readonly kind: 'unavailable'; readonly reason: string };
  readonly period: {
    readonly changeSize: ChangeSize | null;
    readonly ms: number | null;
    readonly monitorUntil: string | null;
    readonly complete: boolean | null;
  };
}

export interface Verdict {
  readonly decision: Decision;
  /** The reason whose rule decided, i.e. the first of the worst. */
  readonly decidingReason: Reason;
  readonly reasons: readonly Reason[];
  /** Non-blocking observations (flaky tests, warn-level signals). */
  readonly warnings: readonly string[];
  readonly monitorUntil: string | null;
  readonly checklist: readonly ChecklistItem[];
  /** When the engine decided (the injected `now`). */
  readonly decidedAt: string;
  readonly evidence: VerdictEvidence;
}
