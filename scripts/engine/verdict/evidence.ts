// Verdict from the evidence itself (pure): is there a manifest, do the results belong to this release, and did every expected check run?
import type { ManifestRead } from '../../config/manifest.ts';
import { formatDuration, plural, quote } from '../format.ts';
import { Findings, type VerdictPolicy } from '../rules.ts';
import type { TestOutcome, TestRun } from '../types.ts';
import { didRun, isFailed } from './tests.ts';

/** What a complete run must hold, from the app profile: the check names and hand-written spec files it configures. */
export interface ExpectedEvidence {
  /** Titles of the configured smoke checks, the built-in reachability probe included. */
  readonly smokeChecks: readonly string[];
  /** Hand-written smoke spec files, as the results name them (relative to the repository root). */
  readonly smokeSpecs: readonly string[];
}

/** What the verdict holds the results to, beyond the manifest: the target and run id it was told about. */
export interface ExpectedRun {
  /** The target as printed (credentials redacted) or "demo"; undefined when the verdict was not given one. */
  readonly target?: string | undefined;
  /** AFTERCHECK_RUN_ID at verdict time; undefined when unset. */
  readonly runId?: string | undefined;
}

export interface EvidenceInput {
  readonly tests: TestRun;
  readonly manifest: ManifestRead;
  readonly smokeTests: readonly TestOutcome[];
  readonly expected: ExpectedEvidence;
  readonly run: ExpectedRun;
  readonly policy: VerdictPolicy;
  readonly setupFailed: boolean;
}

const short = (digest: string) => digest.replace(/^sha256:/, '').slice(0, 12);

/** The results must say which release, target and run they were made for, and match this verdict's on each. */
function judgeProvenance(input: EvidenceInput, f: Findings): void {
  const { tests, manifest, run } = input;
  if (tests.kind !== 'ok') return;
  const att = tests.attestation;
  const limit = 'results made by this suite for this release (manifest, target, run id), after the deploy';
  if (!att) {
    f.add('results-unattested', {
      message: tests.attestationProblem
        ? `${tests.path} cannot show which release it was made for: ${tests.attestationProblem}`
        : `${tests.path} does not say which release it was made for (no aftercheck run record): it may be an older run, another tool's report or edited by hand`,
      observed: tests.attestationProblem ? 'a malformed run record' : 'no run record in config.metadata',
      limit,
    });
    return;
  }
  const foreign: string[] = [];
  if (manifest.kind === 'ok') {
    const m = manifest.manifest;
    if (!att.manifest) foreign.push(`the run had no release manifest, this verdict judges ${m.version} (${manifest.path})`);
    else if (att.manifest.digest !== manifest.digest) {
      foreign.push(
        `the run was made for manifest ${att.manifest.version} (${short(att.manifest.digest)}), this verdict judges ${m.version} (${short(manifest.digest)})`,
      );
    }
  }
  if (run.target !== undefined && att.target !== run.target)
    foreign.push(`the run checked ${att.target}, this verdict is for ${run.target}`);
  if (run.runId !== undefined && att.runId !== run.runId)
    foreign.push(`the run has id ${att.runId}, this verdict is for run ${run.runId} (AFTERCHECK_RUN_ID)`);
  if (foreign.length) {
    f.add('results-foreign', {
      message: `The test results belong to another run: ${foreign.join('; ')}`,
      observed: foreign.join('; '),
      limit,
    });
  }
  if (run.target === undefined)
    f.warn(`The results were made for ${att.target}; AFTERCHECK_BASE_URL is unset here, so the target was not checked`);
  const started = tests.startedAt ? Date.parse(tests.startedAt) : NaN;
  if (manifest.kind === 'ok') {
    const deployed = Date.parse(manifest.manifest.deployedAt);
    if (!Number.isFinite(started)) {
      f.add('results-stale', {
        message: `${tests.path} has no start time, so it cannot be shown to postdate the deploy`,
        observed: 'no stats.startTime',
        limit,
      });
    } else if (started < deployed) {
      f.add('results-stale', {
        message: `The test run started at ${new Date(started).toISOString()}, ${formatDuration(deployed - started)} before the deploy at ${manifest.manifest.deployedAt}: it tested what ran before this release`,
        observed: `run started ${new Date(started).toISOString()}`,
        limit: `a run started after ${manifest.manifest.deployedAt}`,
      });
    }
  }
}

/**
 * Results merged from shards (`--shard=i/n`, then `npm run merge`) hold one record per shard: every shard 1..n must be
 * there, and all of them must be of one run (run id, app, target, manifest). A missing shard's checks were never asked.
 */
function judgeShards(input: EvidenceInput, f: Findings): void {
  const { tests } = input;
  if (tests.kind !== 'ok' || !tests.attestation?.shard) return;
  const att = tests.attestation;
  const total = att.shard!.total;
  const shards = tests.shards ?? [];
  const seen = new Set(shards.map((s) => s.shard?.current));
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length) {
    f.add('shards-missing', {
      message: `The results hold ${total - missing.length} of ${total} shards: shard ${missing.map((i) => `${i}/${total}`).join(', ')} is missing from the merge, so its tests were never judged`,
      observed: `shards ${
        [...seen]
          .sort()
          .map((i) => `${i}/${total}`)
          .join(', ') || 'none'
      } merged`,
      limit: `every shard 1/${total}…${total}/${total} merged (npm run merge)`,
    });
  }
  const key = (s: (typeof shards)[number]) => JSON.stringify([s.runId, s.app, s.target, s.manifest?.digest ?? null, s.shard?.total]);
  const odd = shards.filter((s) => key(s) !== key(att));
  if (odd.length) {
    const say = (s: (typeof shards)[number]) =>
      `shard ${s.shard?.current}/${s.shard?.total} was made for run ${s.runId} on ${s.target}${s.manifest ? ` (manifest ${s.manifest.version})` : ''}`;
    f.add('results-foreign', {
      message: `The merged results mix runs: ${[...odd, att].map(say).join('; ')}`,
      observed: `${odd.length + 1} different run records among ${shards.length} shards`,
      limit: 'every shard of one run (same AFTERCHECK_RUN_ID, app, target and manifest)',
    });
  }
}

/** Every expected smoke check must have run: a configured check missing from the results is a question never asked. */
function judgeCompleteness(input: EvidenceInput, f: Findings): void {
  const { tests, smokeTests, expected } = input;
  if (tests.kind !== 'ok' || !tests.tests.some(didRun)) return;
  const ran = smokeTests.filter(didRun);
  if (ran.length === 0) {
    if (!input.setupFailed) {
      f.add('smoke-missing', {
        message: 'No smoke check ran: "is it alive?" was never asked',
        observed: `0 smoke checks ran (${smokeTests.length} listed)`,
        limit: 'every smoke check runs (npx playwright test --grep @smoke)',
      });
    }
    return;
  }
  const ranTitles = new Set(ran.map((t) => t.title));
  const ranFiles = new Set(ran.map((t) => t.file));
  const listed = new Set(smokeTests.map((t) => t.title));
  const missing = [
    ...smokeTests.filter((t) => !didRun(t)).map((t) => `${quote(t.title)} (${t.status})`),
    ...expected.smokeChecks.filter((c) => !ranTitles.has(c) && !listed.has(c)).map((c) => `${quote(c)} (not in the results)`),
    ...expected.smokeSpecs.filter((file) => !ranFiles.has(file)).map((file) => `${file} (hand-written spec, not in the results)`),
  ];
  if (!missing.length) return;
  const narrowed = tests.attestation?.narrowedBy.length ? `; the run was narrowed by ${tests.attestation.narrowedBy.join(' ')}` : '';
  const total = new Set([...expected.smokeChecks, ...smokeTests.map((t) => t.title)]).size + expected.smokeSpecs.length;
  const text = {
    message: `Not every smoke check ran: ${missing.slice(0, 6).join(', ')}${missing.length > 6 ? ` and ${missing.length - 6} more` : ''} did not run${narrowed}`,
    observed: `${ran.length} ran, ${plural(missing.length, 'expected check')} missing`,
    limit: `every configured smoke check and hand-written smoke spec runs (${total} expected)`,
  };
  // After a smoke failure the failure decides, and after a failed setup that reason explains what did not run.
  if (smokeTests.some(isFailed) || input.setupFailed) f.warn(text.message);
  else f.add('smoke-incomplete', text);
}

export function judgeEvidence(input: EvidenceInput): Findings {
  const f = new Findings(input.policy);
  if (input.manifest.kind === 'missing') {
    f.add('manifest-missing', {
      message: `No release manifest at ${input.manifest.path}: no deploy time, versions or checking period to judge against`,
      observed: 'no manifest file',
      limit: 'a release manifest written by the deploy pipeline (AFTERCHECK_MANIFEST)',
    });
  }
  judgeProvenance(input, f);
  judgeShards(input, f);
  judgeCompleteness(input, f);
  return f;
}
