// Which features' @verify tests run: manifest + feature registry + verify-all → selected features, the verify project's grep, and the recorded selection (pure).
import { FEATURE_TAG_PREFIX, featuresOf, TAG } from '../contract.ts';
import { ConfigError } from './errors.ts';
import type { ManifestRead } from './manifest.ts';
import type { VerifySelection } from '../engine/types.ts';

export interface SelectionInput {
  /** What readManifest() found (it already rejected unknown ids with the list of known ones). */
  readonly manifest: ManifestRead;
  /** Feature ids of the registry, in registry order. */
  readonly registry: readonly string[];
  /** AFTERCHECK_VERIFY_ALL: scheduled synthetic runs verify every feature. */
  readonly verifyAll: boolean;
}

export interface Selection {
  readonly verifyAll: boolean;
  readonly manifestPath: string;
  readonly manifestFound: boolean;
  readonly manifestFeatures: readonly string[];
  readonly selectedFeatures: readonly string[];
  /** Why the selection is what it is, in words for the run's output and verify-selection.json. */
  readonly reason: string;
  /** For the verify project's `grep`: matches exactly the tests tagged with a selected feature. */
  readonly grep: RegExp;
}

/** Regex-escapes a literal; feature ids are kebab-case today, but the grep must stay exact whatever the registry allows. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\\/-]/g, '\\$&');
}

/** A RegExp that never matches: an empty selection must select nothing rather than everything. */
export const MATCH_NOTHING = /(?!)/;

/**
 * Matches Playwright's grep subject ("<title path> <tags…>") when it carries `@feature:<id>` for one of `ids`, as a whole tag:
 * `@feature:search` must not select `@feature:search-v2`.
 */
export function featureGrep(ids: readonly string[]): RegExp {
  if (!ids.length) return MATCH_NOTHING;
  const alternatives = ids.map((id) => escapeRegExp(`${FEATURE_TAG_PREFIX}${id}`)).join('|');
  return new RegExp(`(?:^|\\s)(?:${alternatives})(?=\\s|$)`);
}

export function selectFeatures(input: SelectionInput): Selection {
  const { manifest, registry, verifyAll } = input;
  const manifestFeatures = manifest.kind === 'ok' ? [...new Set(manifest.manifest.features)] : [];
  const unknown = manifestFeatures.filter((f) => !registry.includes(f));
  if (unknown.length) {
    // readManifest() checks this too; repeated here because a selection must never be built from ids the registry does not know.
    throw new ConfigError(
      `release manifest ${manifest.path}`,
      unknown.map((f) => ({
        field: 'features',
        value: JSON.stringify(f),
        message: 'is not a known feature id',
        fix: `use one of: ${registry.join(', ')} (or add it to the feature registry in the app profile's aftercheck.config.ts)`,
      })),
    );
  }
  let selected: string[];
  let reason: string;
  if (verifyAll) {
    selected = [...registry];
    reason = 'AFTERCHECK_VERIFY_ALL=true: every feature in the registry is selected';
  } else if (manifest.kind === 'missing') {
    selected = [];
    reason = `no manifest at ${manifest.path}: no feature selected for @verify (write one with \`npm run manifest\`, or set AFTERCHECK_VERIFY_ALL=true)`;
  } else if (!manifestFeatures.length) {
    selected = [];
    reason = `the manifest ${manifest.path} names no features: nothing to verify`;
  } else {
    // Registry order, so output and reports list features the same way every run.
    selected = registry.filter((f) => manifestFeatures.includes(f));
    reason = `features changed by ${manifest.manifest.version} (manifest ${manifest.path})`;
  }
  return Object.freeze({
    verifyAll,
    manifestPath: manifest.path,
    manifestFound: manifest.kind === 'ok',
    manifestFeatures: Object.freeze(manifestFeatures),
    selectedFeatures: Object.freeze(selected),
    reason,
    grep: verifyAll ? /@verify(?=\s|$)/ : featureGrep(selected),
  });
}

export interface CountedTest {
  readonly tags: readonly string[];
}

/** @verify tests per selected feature among the tests that will run. */
export function countVerifyTests(selectedFeatures: readonly string[], tests: readonly CountedTest[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(selectedFeatures.map((f) => [f, 0]));
  for (const t of tests) {
    if (!t.tags.includes(TAG.verify)) continue;
    for (const id of featuresOf(t.tags)) if (id in counts) counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}

export interface RecordOptions {
  /** Tests tagged @writes were filtered out of this run (AFTERCHECK_ALLOW_WRITES is false). */
  readonly writesExcluded: boolean;
  /** How many @verify tests the whole run holds; 0 means the verify project was filtered out (e.g. `--grep @smoke`). */
  readonly verifyTestsInRun: number;
  /** The app profile's verify folder, when it does not exist: then no @verify test could run, filtered or not. */
  readonly missingVerifyDir?: string;
}

/** The coverage gate's input: a changed feature with zero @verify tests in this run is unverified, with the reason. */
export function recordSelection(
  selection: Selection,
  testsPerFeature: Readonly<Record<string, number>>,
  options: RecordOptions,
): VerifySelection {
  const unverified = selection.selectedFeatures
    .filter((f) => !(testsPerFeature[f] ?? 0))
    .map((feature) => {
      let reason = `no @verify test tagged ${FEATURE_TAG_PREFIX}${feature} in this run`;
      if (options.missingVerifyDir)
        reason += ` (the app profile has no verify folder: ${options.missingVerifyDir} does not exist; its @verify specs go there)`;
      // Writes excluded comes before "filtered out": it empties the verify project just as a filter would, and it is the cause to name.
      else if (options.writesExcluded)
        reason += ` (this run excluded every @writes test because AFTERCHECK_ALLOW_WRITES is false${options.verifyTestsInRun === 0 ? ', and no other @verify test is left' : ''}: if this feature's flows write, allow writes or accept it as unverified)`;
      else if (options.verifyTestsInRun === 0)
        reason += ' (no @verify test ran at all: the verify project was filtered out, e.g. by --grep @smoke or --project)';
      return Object.freeze({ feature, reason });
    });
  return Object.freeze({
    verifyAll: selection.verifyAll,
    manifestFeatures: selection.manifestFeatures,
    selectedFeatures: selection.selectedFeatures,
    testsPerFeature: Object.freeze({ ...testsPerFeature }),
    unverified: Object.freeze(unverified),
    manifestPath: selection.manifestPath,
    reason: selection.reason,
  });
}

/** One line for the run's output: "Selected features: search (2 tests), checkout (1 test)". */
export function describeSelection(record: VerifySelection): string[] {
  const lines: string[] = [];
  if (!record.selectedFeatures.length) lines.push(`Selected features: none — ${record.reason ?? 'nothing to verify'}`);
  else {
    const parts = record.selectedFeatures.map((f) => {
      const n = record.testsPerFeature[f] ?? 0;
      return `${f} (${n} test${n === 1 ? '' : 's'})`;
    });
    lines.push(`Selected features: ${parts.join(', ')}${record.reason ? ` — ${record.reason}` : ''}`);
  }
  for (const u of record.unverified) lines.push(`Unverified feature: ${u.feature} — ${u.reason}`);
  return lines;
}
