// Verdict from coverage (pure): every changed feature has @verify tests that ran; per-feature evidence for the reports.
import type { ReleaseManifest } from '../../config/manifest.ts';
import { plural, quote } from '../format.ts';
import { Findings, type VerdictPolicy } from '../rules.ts';
import type { FeatureEvidence, TestOutcome, TestRun, VerifySelection } from '../types.ts';
import { didRun, isFailed, type Features } from './tests.ts';

export interface CoverageInput {
  readonly tests: TestRun;
  readonly manifest: ReleaseManifest | undefined;
  /** The run's @verify tests (groupOf === 'verify'). */
  readonly verifyTests: readonly TestOutcome[];
  readonly policy: VerdictPolicy;
  readonly features: Features;
  /** Setup never succeeded: that reason already explains why nothing after it ran. */
  readonly setupFailed: boolean;
}

export interface CoverageJudgement {
  readonly findings: Findings;
  readonly features: readonly FeatureEvidence[];
  readonly selection: VerifySelection | null;
  /** The features the release changed (manifest, else the selection's record of it). */
  readonly changed: readonly string[];
}

/** Changed features without a @verify test in this run, with the reason: the suite's own record first, then the results. */
function unverifiedFeatures(
  input: CoverageInput,
  changed: readonly string[],
  selection: VerifySelection | undefined,
  f: Findings,
): Map<string, string> {
  const unverified = new Map<string, string>();
  if (input.tests.kind !== 'ok') return unverified;
  const verifyFeatures = new Set(input.verifyTests.flatMap((t) => t.features));
  // Only changed features gate the release; a verify-all run may list unchanged features without tests.
  for (const u of selection?.unverified ?? []) {
    if (changed.includes(u.feature)) unverified.set(u.feature, u.reason);
    else f.warn(`Feature ${quote(u.feature)} (not changed in this release) has no @verify tests: ${u.reason}`);
  }
  for (const id of changed) {
    if (!verifyFeatures.has(id) && !unverified.has(id) && !(selection?.testsPerFeature[id] ?? 0)) {
      unverified.set(id, `no @verify test tagged @feature:${id} in this run`);
    }
  }
  return unverified;
}

function featureEvidence(
  id: string,
  input: CoverageInput,
  changed: readonly string[],
  unverified: Map<string, string>,
  selection: VerifySelection | undefined,
  f: Findings,
): FeatureEvidence {
  const ts = input.verifyTests.filter((t) => t.features.includes(id));
  const def = input.features[id];
  const failed = ts.filter(isFailed).length;
  const ran = ts.filter(didRun).length;
  const selected = selection?.testsPerFeature[id];
  const state: FeatureEvidence['state'] = failed ? 'failed' : unverified.has(id) ? 'unverified' : ran === 0 ? 'not-run' : 'passed';
  let note = unverified.get(id) ?? (!def ? 'not in the feature registry' : undefined);
  if (!note && ts.length === 0 && selected) note = `${plural(selected, '@verify test')} selected, none in the results`;
  if (state === 'passed' && ran < ts.length) {
    note = `${ts.length - ran} of ${ts.length} tests skipped`;
    f.warn(`Feature ${quote(id)}: ${note}`);
  }
  return {
    feature: id,
    title: def?.title ?? id,
    severity: def?.severity ?? input.policy.defaultSeverity,
    changed: changed.includes(id),
    tests: ts.length,
    passed: ts.filter((t) => t.status === 'passed').length,
    failed,
    flaky: ts.filter((t) => t.flaky).length,
    skipped: ts.filter((t) => t.status === 'skipped').length,
    state,
    ...(note ? { note } : {}),
  };
}

export function judgeCoverage(input: CoverageInput): CoverageJudgement {
  const { tests } = input;
  const f = new Findings(input.policy);
  const selection = tests.kind === 'ok' ? tests.selection : undefined;
  const changed = input.manifest ? [...input.manifest.features] : selection ? [...selection.manifestFeatures] : [];
  if (tests.kind === 'ok' && tests.selectionProblem) {
    f.add('selection-unreadable', {
      message: `The @verify selection record cannot be read: ${tests.selectionProblem}`,
      observed: 'unreadable verify-selection.json',
      limit: 'a readable record of which features were selected',
    });
  }
  const unverified = unverifiedFeatures(input, changed, selection, f);
  for (const [feature, why] of unverified) {
    f.add('unverified-feature', {
      message: `Changed feature ${quote(feature)} is unverified: ${why}`,
      observed: '0 @verify tests',
      limit: 'at least 1 @verify test per changed feature',
    });
  }
  const ids = [...new Set([...changed, ...input.verifyTests.flatMap((t) => t.features)])];
  const features = ids.map((id) => featureEvidence(id, input, changed, unverified, selection, f));
  // A changed feature whose tests exist but did not run is not verified either (unless setup already explains it).
  if (tests.kind === 'ok' && tests.tests.some(didRun) && !input.setupFailed) {
    for (const fe of features.filter((x) => x.changed && x.state === 'not-run')) {
      f.add('verify-not-run', {
        message: `The @verify tests of changed feature ${quote(fe.feature)} did not run${fe.note ? ` (${fe.note})` : ''}`,
        observed: fe.tests ? `0 of ${fe.tests} ran` : 'no results for the selected tests',
        limit: 'the selected @verify tests of every changed feature run',
      });
    }
  }
  return { findings: f, features, selection: selection ?? null, changed };
}
