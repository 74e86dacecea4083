// The one table of verdict rules: for each rule, the input it judges, what it asks, and how its decision is found
// (fixed, or read from the policy's verdict rules). decide(), `npm run health` and the report categories all use it.
import type { Severity } from '../config/manifest.ts';
import type { Policy } from '../config/policy.ts';
import type { WarnAtEnd } from '../config/signal-rules.ts';
import type { Decision, InputName, Reason } from './types.ts';

export type VerdictPolicy = Policy['verdict'];

const fixed = (d: Decision) => () => d;

/**
 * Every rule the verdict can apply. A parameterised rule (verify-failure, health-breach) is reported as
 * `<rule>.<param>`, e.g. `verify-failure.critical`. A rule whose decision is `proceed` is switched off by the policy and
 * only noted as a warning. Inconclusive rules are never configurable: missing evidence is never a pass.
 */
export const RULES = {
  // The test run as a whole
  'results-missing': { input: 'results', asks: 'Is there a readable Playwright report of this run?', decide: fixed('inconclusive') },
  'results-unattested': {
    input: 'results',
    asks: 'Does the report say which release and target it was made for?',
    decide: fixed('inconclusive'),
  },
  'results-foreign': { input: 'results', asks: 'Was the run made for this release, target and run id?', decide: fixed('inconclusive') },
  'results-stale': { input: 'results', asks: 'Did the run start after the deploy?', decide: fixed('inconclusive') },
  'shards-missing': { input: 'results', asks: 'Are the results of every shard of a sharded run merged?', decide: fixed('inconclusive') },
  'no-tests-run': { input: 'results', asks: 'Did any test run?', decide: fixed('inconclusive') },
  'setup-failed': { input: 'results', asks: 'Did setup (reachability, sign-in) succeed?', decide: fixed('inconclusive') },
  'tests-interrupted': { input: 'results', asks: 'Did every test finish?', decide: fixed('inconclusive') },
  'manifest-missing': {
    input: 'manifest',
    asks: 'Is there a release manifest (versions, deploy time, change size)?',
    decide: fixed('inconclusive'),
  },
  // Smoke: is it alive?
  'smoke-failure': { input: 'smoke', asks: 'Did every smoke check pass?', decide: (v: VerdictPolicy) => v.smokeFailure },
  'smoke-missing': { input: 'smoke', asks: 'Did any smoke check run?', decide: fixed('inconclusive') },
  'smoke-incomplete': { input: 'smoke', asks: 'Did every expected smoke check run?', decide: fixed('inconclusive') },
  // Verify: is it working correctly?
  'verify-failure': {
    input: 'verify',
    asks: 'Did every @verify test pass?',
    decide: (v: VerdictPolicy, s: Severity) => v.verifyFailure[s],
  },
  'verify-not-run': {
    input: 'verify',
    asks: 'Did the selected @verify tests of every changed feature run?',
    decide: fixed('inconclusive'),
  },
  'unverified-feature': {
    input: 'coverage',
    asks: 'Does every changed feature have @verify tests?',
    decide: (v: VerdictPolicy) => v.unverifiedFeature,
  },
  'selection-unreadable': { input: 'coverage', asks: 'Is the record of the @verify selection readable?', decide: fixed('inconclusive') },
  // What the suite saw on the way
  'page-errors': { input: 'logs', asks: 'Were there no uncaught page errors?', decide: (v: VerdictPolicy) => v.pageErrors },
  flaky: {
    input: 'flaky',
    asks: 'Did every test pass on its first attempt?',
    decide: (v: VerdictPolicy) => (v.flaky === 'hotfix' ? 'hotfix' : 'proceed'),
  },
  'secret-leak': { input: 'results', asks: 'Is every report free of secrets?', decide: fixed('inconclusive') },
  // Health signals
  'health-unavailable': { input: 'health', asks: 'Were the health signals evaluated?', decide: fixed('inconclusive') },
  'health-mismatch': {
    input: 'health',
    asks: 'Is the health report about this service, version and deploy?',
    decide: fixed('inconclusive'),
  },
  'health-stale': { input: 'health', asks: 'Is the health report recent enough to speak for the release?', decide: fixed('inconclusive') },
  'health-incomplete': { input: 'health', asks: 'Does the health report cover every signal of the policy?', decide: fixed('inconclusive') },
  'health-error': { input: 'health', asks: 'Could the health gate read InfluxDB?', decide: fixed('inconclusive') },
  'health-no-signals': { input: 'health', asks: 'Does the health report hold any signal?', decide: fixed('inconclusive') },
  'health-no-data': { input: 'health', asks: 'Does every signal have usable data?', decide: fixed('inconclusive') },
  'health-breach': {
    input: 'health',
    asks: 'Did every signal stay within its limits?',
    decide: (v: VerdictPolicy, s: 'minor' | 'major') => v.healthBreach[s],
  },
  'health-warn': { input: 'health', asks: 'Did every signal stay below its warn level?', decide: (v: VerdictPolicy) => v.healthWarn },
  'health-warn-at-end': {
    input: 'health',
    asks: 'Has every warn cleared by the end of the checking period?',
    // The signal's own choice (policy warnAtEnd): a warn still standing must not quietly exit 0.
    decide: (_v: VerdictPolicy, w: WarnAtEnd) => (w === 'hotfix' ? 'hotfix' : 'proceed'),
  },
  // Time
  'checking-period': { input: 'period', asks: 'Is the checking period over?', decide: fixed('continue-monitoring') },
  'watch-rollback': {
    input: 'period',
    asks: 'Did every evaluation of the watch stay short of a rollback?',
    // A rollback the watch was certain of stays decided: later evidence cannot take back what was measured.
    decide: fixed('rollback'),
  },
  'all-checks-passed': { input: 'period', asks: 'Did everything pass over the whole checking period?', decide: fixed('proceed') },
  'verdict-error': { input: 'results', asks: 'Could the verdict be computed at all?', decide: fixed('inconclusive') },
} as const satisfies Record<string, { input: InputName; asks: string; decide: (v: VerdictPolicy, p: never) => Decision }>;

export type RuleId = keyof typeof RULES;
type ParamOf<K extends RuleId> = Parameters<(typeof RULES)[K]['decide']>[1];
type ParamArgs<K extends RuleId> = ParamOf<K> extends undefined ? [] : [param: ParamOf<K>];

/** What a reason says, beyond its rule: the message, what was observed and the limit it was held to. */
export interface ReasonText {
  readonly message: string;
  readonly observed: string;
  readonly limit: string;
}

/** The decision a rule leads to under the policy. */
export function decisionOf<K extends RuleId>(id: K, policy: VerdictPolicy, ...param: ParamArgs<K>): Decision {
  return (RULES[id].decide as (v: VerdictPolicy, p?: unknown) => Decision)(policy, param[0]);
}

/** A Reason for a rule, with its decision from the table (and the policy). */
export function reasonFor<K extends RuleId>(id: K, policy: VerdictPolicy, text: ReasonText, ...param: ParamArgs<K>): Reason {
  return {
    rule: param.length ? `${id}.${String(param[0])}` : id,
    decision: decisionOf(id, policy, ...param),
    input: RULES[id].input,
    ...text,
  };
}

/** Reasons and warnings gathered by one verdict module; a rule the policy maps to `proceed` becomes a warning. */
export class Findings {
  readonly reasons: Reason[] = [];
  readonly warnings: string[] = [];
  constructor(private readonly policy: VerdictPolicy) {}

  add<K extends RuleId>(id: K, text: ReasonText, ...param: ParamArgs<K>): void {
    const r = reasonFor(id, this.policy, text, ...param);
    if (r.decision === 'proceed') this.warnings.push(`${r.message} (policy maps rule ${r.rule} to proceed)`);
    else this.reasons.push(r);
  }

  /** The decision a rule would lead to under this policy (to phrase a finding before adding it). */
  decisionOf<K extends RuleId>(id: K, ...param: ParamArgs<K>): Decision {
    return decisionOf(id, this.policy, ...param);
  }

  warn(text: string): void {
    this.warnings.push(text);
  }
}
