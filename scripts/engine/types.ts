// Shared data contracts between the pure engine and the adapters: measurements, test outcomes, health results, the verdict.
import type { z } from 'zod';
import type { Severity, ChangeSize } from '../config/manifest.ts';
import type { runAttestationSchema, verifySelectionSchema } from '../schemas/run-files.ts';
import type {
  decidingEvidenceSchema,
  healthReportSchema,
  intervalEvidenceSchema,
  RULE_KINDS,
  ruleResultSchema,
  samplePointSchema,
  signalResultSchema,
  timeWindowSchema,
} from '../schemas/health-report.ts';

/** Types derived from zod schemas are mutable; the engine's inputs are not. */
export type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

// ---------- Measurements (what the InfluxDB adapter returns; the engine never does I/O) ----------

/** One interval's value (and, for a ratio, its weight). */
export type SamplePoint = DeepReadonly<z.output<typeof samplePointSchema>>;

export type TimeWindow = DeepReadonly<z.output<typeof timeWindowSchema>>;

/** The outcome of reading one series: data, or a named reason why there is none. */
export type SeriesRead =
  | { readonly kind: 'ok'; readonly points: readonly SamplePoint[]; readonly query: string }
  | {
      readonly kind: 'error';
      readonly cause: 'unreachable' | 'auth' | 'timeout' | 'malformed' | 'query' | 'config';
      readonly message: string;
      readonly query: string;
    };

/** One series per host (InfluxDB GROUP BY "host"), or why there are none. */
export type HostSeriesRead =
  | {
      readonly kind: 'ok';
      readonly hosts: readonly { readonly host: string; readonly points: readonly SamplePoint[] }[];
      readonly query: string;
    }
  | Extract<SeriesRead, { kind: 'error' }>;

export type BaselineSource = 'before-deploy' | 'yesterday' | 'last-week';

/** One baseline read: where it comes from, and what came back. */
export interface BaselineMeasurement {
  readonly source: BaselineSource;
  readonly window: TimeWindow;
  /** Read for the service whatever version ran then (time-of-day baselines), not only the previous version. */
  readonly anyVersion: boolean;
  readonly read: SeriesRead;
}

export interface SignalMeasurement {
  readonly signalId: string;
  readonly current: SeriesRead;
  /** The baselines the signal tries, in order; the first with enough data is used (time-of-day falls back). */
  readonly baselines: readonly BaselineMeasurement[];
  /** The current window per host, for signals with a worstHost limit. */
  readonly hosts?: HostSeriesRead;
}

// ---------- Health evaluation ----------

/** Ordered from best to worst; "worst wins" indexes into this list. */
export const OUTCOMES = ['pass', 'warn', 'fail', 'inconclusive'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type RuleKind = (typeof RULE_KINDS)[number];

/** How one interval looked to the rule that decided: within limits, at warn or fail level, without data, or not judged. */
export type IntervalState = IntervalEvidence['state'];
export type IntervalEvidence = DeepReadonly<z.output<typeof intervalEvidenceSchema>>;
/** The per-interval evidence of the rule that decided a signal: which intervals, against which levels. */
export type DecidingEvidence = DeepReadonly<z.output<typeof decidingEvidenceSchema>>;
export type RuleResult = DeepReadonly<z.output<typeof ruleResultSchema>>;
/** One health signal as judged (fields documented in scripts/schemas/health-report.ts). */
export type SignalResult = DeepReadonly<z.output<typeof signalResultSchema>>;
/** The health gate's report, health.json (scripts/schemas/health-report.ts). */
export type HealthReport = DeepReadonly<z.output<typeof healthReportSchema>>;

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

/** What the verdict knows about the alert notifier, for the checklist's "Alerting configured" line. */
export interface AlertingEvidence {
  /** A webhook URL is configured (AFTERCHECK_ALERT_WEBHOOK_URL). */
  readonly notifier: boolean;
  /** The last test alert to this webhook (`npm run alert -- --test`), if any. */
  readonly lastTest: { readonly at: string; readonly ok: boolean; readonly error?: string } | null;
  /** Alerts this run delivered, and those it could not. */
  readonly sent: number;
  readonly failed: number;
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
