// The policy `npm run init` writes for a new app: the standard signals with conservative limits, no alerting channel unless one is given (pure).
import { DEFAULT_VERDICT_RULES, type Policy } from '../config/policy.ts';

export interface PolicyTemplateOptions {
  readonly app: string;
  readonly team?: string;
  readonly rollbackDecider?: string;
  /** Where alerts go (e.g. #my-app-alerts); without one the policy names none and the checklist says so. */
  readonly alertChannel?: string;
}

type Signal = Policy['signals'][number];

/** Signals every web service has (metric names as the query templates expect them; see README "Map the policy to your metrics"). */
const SIGNALS = [
  {
    id: 'error_rate', title: 'Error rate', unit: '%', query: { template: 'error_rate' }, aggregation: 'mean', direction: 'higher-is-worse',
    severity: 'major', minSamples: 5, absolute: { warn: 0.5, fail: 1 }, statistical: { confidence: 0.98, tolerance: 0.25, minShift: 0.5 },
  },
  {
    id: 'latency_p95', title: 'Latency p95', unit: 'ms', query: { template: 'latency_p95' }, aggregation: 'mean', direction: 'higher-is-worse',
    severity: 'major', minSamples: 5, absolute: { warn: 300, fail: 500 }, relative: { maxRatio: 1.5, maxIncrease: 50, warnRatio: 1.2 },
  },
  {
    id: 'latency_p99', title: 'Latency p99', unit: 'ms', query: { template: 'latency_p99' }, aggregation: 'mean', direction: 'higher-is-worse',
    severity: 'minor', minSamples: 5, absolute: { warn: 750, fail: 1000 }, relative: { maxRatio: 1.5, maxIncrease: 100 },
  },
  {
    id: 'request_rate', title: 'Request rate', unit: 'req/s', query: { template: 'request_rate' }, aggregation: 'median',
    direction: 'lower-is-worse', severity: 'minor', minSamples: 5, relative: { maxRatio: 2, warnRatio: 1.4 },
  },
  {
    id: 'cpu', title: 'CPU', unit: '%', query: { template: 'cpu' }, aggregation: 'mean', direction: 'higher-is-worse', severity: 'minor',
    minSamples: 5, absolute: { warn: 70, fail: 90 }, relative: { maxRatio: 2, maxIncrease: 20 },
  },
  {
    id: 'memory_rss', title: 'Memory (RSS)', unit: 'MB', query: { template: 'memory_rss' }, aggregation: 'mean', direction: 'higher-is-worse',
    severity: 'major', minSamples: 5, absolute: { warn: 768, fail: 1024 }, relative: { maxRatio: 1.5, maxIncrease: 100 },
    trend: { maxSlopePerMinute: 5, warnSlopePerMinute: 2 },
  },
] as const; // prettier-ignore

/** The policy as JSON-ready data; `$schema` is relative to apps/<app>/. */
export function policyTemplate(options: PolicyTemplateOptions): Record<string, unknown> & { signals: readonly Signal[] } {
  return {
    $schema: '../../schemas/policy.schema.json',
    name: `${options.app} release policy`,
    owner: {
      team: options.team ?? `${options.app} team`,
      rollbackDecider: options.rollbackDecider ?? `the release manager on call for ${options.app}`,
    },
    ...(options.alertChannel ? { alerting: { channel: options.alertChannel, thresholdsReviewed: false } } : {}),
    checkingPeriods: { patch: '10m', minor: '30m', major: '4h', migration: '4h', infrastructure: '2h' },
    baseline: { window: 'before-deploy', matchVersion: true },
    interval: '1m',
    warmup: '1m',
    signals: SIGNALS as unknown as readonly Signal[],
    verdict: DEFAULT_VERDICT_RULES,
  };
}
