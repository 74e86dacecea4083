// The words reports are made of (decisions, outcomes, severities, rule ids, statuses): never redacted, so a secret that
// happens to equal one of them cannot change what a report says.
import { CHANGE_SIZES, SEVERITIES } from '../config/manifest.ts';
import { RULES } from './rules.ts';
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
const RULE_KINDS = ['samples', 'absolute', 'relative', 'trend', 'statistical'];
const INPUTS = ['results', 'smoke', 'verify', 'coverage', 'health', 'period', 'flaky', 'logs', 'manifest'];

export const VOCABULARY: ReadonlySet<string> = new Set([
  ...DECISIONS,
  ...OUTCOMES,
  ...SEVERITIES,
  ...CHANGE_SIZES,
  ...STATUSES,
  ...STATES,
  ...RULE_KINDS,
  ...INPUTS,
  ...Object.keys(RULES),
  ...Object.keys(RULES).flatMap((r) => [...SEVERITIES, 'minor', 'major'].map((s) => `${r}.${s}`)),
]);
