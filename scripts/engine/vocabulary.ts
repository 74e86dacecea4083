// The words reports are made of (decisions, outcomes, severities, rule ids, statuses): never redacted, so a secret that
// happens to equal one of them cannot change what a report says.
import { CHANGE_SIZES, SEVERITIES } from '../config/manifest.ts';
import { WARN_AT_END } from '../config/signal-rules.ts';
import { RULES } from './rules.ts';
import { BASELINE_WINDOWS, RULE_KINDS } from '../schemas/health-report.ts';
import { DECISIONS, OUTCOMES } from './types.ts';

const STATUSES = ['passed', 'failed', 'timedOut', 'skipped', 'interrupted', 'broken', 'unknown'];
const STATES = [
  'done',
  'missing',
  'unverified',
  'not-run',
  'ok',
  'report',
  'unavailable',
  'higher-is-worse',
  'lower-is-worse',
  'minor',
  'major',
];
const INPUTS = ['results', 'smoke', 'verify', 'coverage', 'health', 'period', 'flaky', 'logs', 'manifest'];

export const VOCABULARY: ReadonlySet<string> = new Set([
  ...DECISIONS,
  ...OUTCOMES,
  ...SEVERITIES,
  ...CHANGE_SIZES,
  ...STATUSES,
  ...STATES,
  ...RULE_KINDS,
  ...BASELINE_WINDOWS,
  ...INPUTS,
  ...Object.keys(RULES),
  ...Object.keys(RULES).flatMap((r) => [...SEVERITIES, 'minor', 'major', ...WARN_AT_END].map((s) => `${r}.${s}`)),
  ...WARN_AT_END,
]);
