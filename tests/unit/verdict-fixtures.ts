// Plain-data builders for the verdict tests: a policy, a manifest, test outcomes, health reports with series.
import type { FeatureDefinition } from '../../scripts/config/app-config.ts';
import type { ManifestRead, ReleaseManifest } from '../../scripts/config/manifest.ts';
import { DEFAULT_VERDICT_RULES, parsePolicy, type Policy } from '../../scripts/config/policy.ts';
import type {
  HealthReport,
  Outcome,
  SamplePoint,
  SignalResult,
  TestOutcome,
  RunAttestation,
  TestRun,
  VerifySelection,
} from '../../scripts/engine/types.ts';

export const DEPLOYED_AT = '2026-11-26T10:00:00.000Z';
/** 10 minutes is the patch checking period below; "after" is past it, "during" inside it. */
export const AFTER = new Date('2026-11-26T10:15:00.000Z');
export const DURING = new Date('2026-11-26T10:04:00.000Z');

export const FEATURES: Readonly<Record<string, FeatureDefinition>> = {
  search: { title: 'Product search', owner: 'team-discovery', severity: 'critical', paths: [] },
  checkout: { title: 'Cart and checkout', owner: 'team-payments', severity: 'blocker', paths: [] },
  orders: { title: 'Order history', owner: 'team-payments', severity: 'normal', paths: [] },
  recommendations: { title: 'Recommendations', owner: 'team-discovery', severity: 'minor', paths: [] },
};

/**
 * The policy of the verdict tests as the JSON a policy file holds: two signals, error rate (major, absolute) and p95
 * latency (minor, relative). Integration tests write it to disk; `policy()` parses it.
 */
export function policyJson(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'test policy',
    owner: { team: 'team-shop', rollbackDecider: 'On-call engineering lead' },
    checkingPeriods: { patch: '10m', minor: '30m', major: '4h', migration: '4h', infrastructure: '1d' },
    signals: [
      {
        id: 'error_rate',
        title: 'Error rate',
        unit: '%',
        query: { template: 'error_rate' },
        severity: 'major',
        absolute: { warn: 0.5, fail: 1 },
      },
      {
        id: 'latency_p95',
        title: 'Latency p95',
        unit: 'ms',
        query: { template: 'latency_p95' },
        severity: 'minor',
        relative: { maxRatio: 1.2 },
      },
    ],
    ...over,
  };
}

export function policy(verdict: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Policy {
  return parsePolicy(
    policyJson({
      alerting: { channel: '#shop-alerts' },
      ...(Object.keys(verdict).length ? { verdict: { ...DEFAULT_VERDICT_RULES, ...verdict } } : {}),
      ...extra,
    }),
    'test',
  );
}

/** The digest every fixture manifest file has: the run fixtures below attest to it, as a real run of this release would. */
export const MANIFEST_DIGEST = 'sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0';

export function manifest(over: Partial<ReleaseManifest> = {}): ManifestRead {
  return {
    kind: 'ok',
    path: '/tmp/release-manifest.json',
    digest: MANIFEST_DIGEST,
    manifest: {
      version: '2.0.0',
      previousVersion: '1.0.0',
      deployedAt: DEPLOYED_AT,
      changeSize: 'patch',
      features: ['search'],
      commit: 'abc1234',
      ...over,
    },
  };
}
export const NO_MANIFEST: ManifestRead = { kind: 'missing', path: '/tmp/release-manifest.json' };

export function test(
  title: string,
  tags: string[],
  status: TestOutcome['status'] = 'passed',
  extra: Partial<TestOutcome> = {},
): TestOutcome {
  const project = tags.includes('@smoke') ? 'smoke' : tags.includes('@verify') ? 'verify' : 'setup';
  return {
    title,
    file: `tests/${project}/x.spec.ts`,
    project,
    tags,
    features: tags.filter((t) => t.startsWith('@feature:')).map((t) => t.slice('@feature:'.length)),
    status,
    flaky: false,
    attempts: status === 'failed' ? 2 : 1,
    durationMs: 100,
    ...(status === 'failed' ? { error: `Error: ${title} broke` } : {}),
    pageErrors: 0,
    consoleErrors: 0,
    logsCaptured: true,
    ...extra,
  };
}

/** A healthy run: setup, three smoke checks, two search @verify tests. */
export function healthyTests(): TestOutcome[] {
  return [
    test('authenticate', []),
    test('main page loads', ['@smoke']),
    test('health endpoint reports the database connected', ['@smoke']),
    test('login works end to end', ['@smoke']),
    test('search finds a product', ['@verify', '@feature:search']),
    test('empty search shows the empty state', ['@verify', '@feature:search']),
  ];
}

/** What a run of this release records about itself (playwright.config.ts metadata). */
export function attestation(over: Partial<RunAttestation> = {}): RunAttestation {
  return {
    runId: 'run-42',
    app: 'test-app',
    target: 'https://shop.example.test',
    manifest: { path: '/tmp/release-manifest.json', version: '2.0.0', digest: MANIFEST_DIGEST },
    narrowedBy: [],
    ...over,
  };
}

export function run(
  tests: TestOutcome[] = healthyTests(),
  extra: {
    selection?: VerifySelection;
    errors?: string[];
    selectionProblem?: string;
    attestation?: RunAttestation;
    shards?: RunAttestation[];
    startedAt?: string;
  } = {},
): TestRun {
  return {
    kind: 'ok',
    path: '/tmp/reports/results.json',
    tests,
    startedAt: '2026-11-26T10:01:00.000Z',
    attestation: attestation(),
    ...extra,
  };
}

export function series(startIso: string, values: (number | null)[]): SamplePoint[] {
  const t0 = Date.parse(startIso);
  return values.map((v, i) => ({ t: new Date(t0 + i * 60_000).toISOString(), v }));
}

export function signal(id: string, outcome: Outcome, over: Partial<SignalResult> = {}): SignalResult {
  const severity = id === 'latency_p95' ? 'minor' : 'major';
  const current = outcome === 'fail' ? 2.4 : outcome === 'warn' ? 0.7 : 0.2;
  return {
    id,
    title: id === 'latency_p95' ? 'Latency p95' : 'Error rate',
    unit: id === 'latency_p95' ? 'ms' : '%',
    direction: 'higher-is-worse',
    severity,
    outcome,
    reason: `${id} is ${outcome}`,
    current: outcome === 'inconclusive' ? null : current,
    baseline: 0.2,
    delta: outcome === 'inconclusive' ? null : current - 0.2,
    deltaPct: outcome === 'inconclusive' ? null : ((current - 0.2) / 0.2) * 100,
    limitValue: 1,
    limit: '≤ 1%',
    samples: { current: outcome === 'inconclusive' ? 1 : 10, baseline: 10 },
    query: { current: 'SELECT 1', baseline: 'SELECT 1' },
    rules: [
      {
        rule: outcome === 'inconclusive' ? 'samples' : 'absolute',
        outcome,
        observed: outcome === 'inconclusive' ? 1 : current,
        limit: outcome === 'inconclusive' ? '≥ 5 samples' : '≤ 1%',
        reason: `${outcome} by rule`,
      },
    ],
    series: { current: series(DEPLOYED_AT, Array(10).fill(current)), baseline: series('2026-11-26T09:50:00.000Z', Array(10).fill(0.2)) },
    evidence: null,
    coverage: { elapsed: 10, withData: outcome === 'inconclusive' ? 1 : 10, share: outcome === 'inconclusive' ? 0.1 : 1, minShare: 0.8 },
    stoppedAt: null,
    baselineUsed: null,
    worstHost: null,
    warnStanding: false,
    warnAtEnd: 'hotfix',
    ...over,
  };
}

export function health(
  signals: SignalResult[] = [signal('error_rate', 'pass'), signal('latency_p95', 'pass')],
  over: Partial<HealthReport> = {},
): HealthReport {
  const complete = over.checkingPeriod?.complete ?? true;
  return {
    schemaVersion: 1,
    generatedAt: complete ? '2026-11-26T10:12:00.000Z' : '2026-11-26T10:04:00.000Z',
    service: 'demo-shop',
    version: '2.0.0',
    previousVersion: '1.0.0',
    deployedAt: DEPLOYED_AT,
    changeSize: 'patch',
    window: {
      current: { start: DEPLOYED_AT, end: complete ? '2026-11-26T10:10:00.000Z' : '2026-11-26T10:04:00.000Z' },
      baseline: { start: '2026-11-26T09:50:00.000Z', end: DEPLOYED_AT },
      intervalSeconds: 60,
    },
    checkingPeriod: { ms: 600_000, monitorUntil: '2026-11-26T10:10:00.000Z', complete },
    source: { url: 'http://127.0.0.1:8086', dialect: 'influxql', database: 'aftercheck' },
    outcome: signals.some((s) => s.outcome === 'inconclusive')
      ? 'inconclusive'
      : signals.some((s) => s.outcome === 'fail')
        ? 'fail'
        : signals.some((s) => s.outcome === 'warn')
          ? 'warn'
          : 'pass',
    signals,
    ...over,
  };
}

export const selection = (over: Partial<VerifySelection> = {}): VerifySelection => ({
  verifyAll: false,
  manifestFeatures: ['search'],
  selectedFeatures: ['search'],
  testsPerFeature: { search: 2 },
  unverified: [],
  ...over,
});
