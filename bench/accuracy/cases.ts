// The accuracy corpus: every case and its expected outcome, written before any run and never tuned to a result.
import { createRng, seedOf } from './rng.ts';
import { SHOP, type Effect, type Scenario, type Service } from './model.ts';

export type Expectation =
  | { readonly outcome: 'pass' }
  | { readonly outcome: 'fail'; readonly decision: 'rollback' | 'hotfix'; readonly signals: readonly string[] }
  | { readonly outcome: 'inconclusive'; readonly cause: RegExp };

export interface Case extends Scenario {
  readonly kind: 'healthy' | 'regression' | 'missing';
  readonly title: string;
  readonly expect: Expectation;
  /** One of the few cases the CI test runs (the full corpus runs from `npm run accuracy`). */
  readonly slice?: boolean;
}

const svc = (over: Partial<Service> = {}): Service => ({ ...SHOP, ...over });
/** A fast service: p95 ≈ 111 ms (the issue's +30 % case). */
const FAST = svc({ latencyMs: 49, rps: 20 });
/** p95 ≈ 177 ms. */
const MEDIUM = svc({ latencyMs: 78 });
/** p95 ≈ 228 ms. */
const SLOW = svc({ latencyMs: 100, rps: 8 });
const LOW = svc({ rps: 1.5 });

/** The same service with its own seeded variation, so no two healthy releases are alike. */
function varied(id: string, base: Service = SHOP): Service {
  const r = createRng(seedOf(`service/${id}`));
  return {
    ...base,
    rps: base.rps * r.between(0.7, 1.4),
    latencyMs: base.latencyMs * r.between(0.85, 1.2),
    errorShare: base.errorShare * r.between(0.5, 1.5),
    heapBaseMb: base.heapBaseMb + r.between(-20, 20),
    gcAmplitudeMb: r.between(25, 50),
    gcPeriod: r.between(0.08, 0.2),
    warmupMb: r.between(20, 60),
  };
}

const PASS: Expectation = { outcome: 'pass' };
const fail = (decision: 'rollback' | 'hotfix', ...signals: string[]): Expectation => ({ outcome: 'fail', decision, signals });
const inconclusive = (cause: RegExp): Expectation => ({ outcome: 'inconclusive', cause });

type Spec = Omit<Case, 'service' | 'hour' | 'decline' | 'history' | 'effects'> &
  Partial<Pick<Case, 'service' | 'hour' | 'decline' | 'history' | 'effects'>>;
const build = (c: Spec): Case => ({ hour: 14, decline: 0, history: 'yesterday', effects: [], ...c, service: c.service ?? varied(c.id) });

const healthy = (id: string, title: string, over: Partial<Case> = {}): Case => build({ id, kind: 'healthy', title, expect: PASS, ...over });
const regression = (id: string, title: string, expect: Expectation, effects: readonly Effect[], over: Partial<Case> = {}): Case =>
  build({ id, kind: 'regression', title, expect, effects, ...over });
const missing = (id: string, title: string, cause: RegExp, over: Partial<Case> = {}): Case =>
  build({ id, kind: 'missing', title, expect: inconclusive(cause), ...over });

const HOURS = [9, 10, 11, 13, 14, 15, 16, 17];
const steady = Array.from({ length: 12 }, (_, i) =>
  healthy(`h${String(i + 1).padStart(2, '0')}`, `steady release, ${HOURS[i % HOURS.length]}:00`, {
    hour: HOURS[i % HOURS.length]!,
    slice: i === 0,
  }),
);

export const HEALTHY: readonly Case[] = [
  ...steady,
  ...[13, 14, 15, 16].map((n) => healthy(`h${n}`, 'fast service (p95 ≈ 110 ms)', { service: varied(`h${n}`, FAST) })),
  ...[17, 18, 19, 20].map((n) => healthy(`h${n}`, 'slow service (p95 ≈ 230 ms)', { service: varied(`h${n}`, SLOW) })),
  healthy('h21', 'low traffic (1.5 req/s per host)', { service: varied('h21', LOW) }),
  healthy('h22', 'low traffic at night', { service: varied('h22', LOW), hour: 3 }),
  ...[23, 24, 25, 26].map((n, i) =>
    healthy(`h${n}`, 'one latency spike ×5 on one host', {
      effects: [{ kind: 'spike', factor: 5, host: i % 3, from: 0.3 + 0.15 * i }],
      slice: n === 23,
    }),
  ),
  healthy('h27', 'one error burst (30 %) on one host', { effects: [{ kind: 'spike', factor: 1, errors: 0.3, host: 1, from: 0.5 }] }),
  healthy('h28', 'one error burst near the end', { effects: [{ kind: 'spike', factor: 1, errors: 0.3, host: 0, from: 0.93 }] }),
  healthy('h29', 'one CPU spike (+50 points) on one host', { effects: [{ kind: 'spike', factor: 1, cpu: 50, host: 2, from: 0.6 }] }),
  healthy('h30', 'one queue burst of 300 jobs', { effects: [{ kind: 'spike', factor: 1, queue: 300, host: 0, from: 0.4 }] }),
  ...[31, 32, 33].map((n) => healthy(`h${n}`, '+10 % traffic', { effects: [{ kind: 'traffic', factor: 1.1 }] })),
  ...[34, 35, 36].map((n) => healthy(`h${n}`, '+5 % latency', { effects: [{ kind: 'latency', factor: 1.05 }] })),
  ...[37, 38, 39, 40].map((n) =>
    healthy(`h${n}`, 'long warm-up after the restart (memory climbs ~8 MB/min at first)', {
      service: { ...varied(`h${n}`), warmupMb: 150, warmupTau: 0.13 },
      slice: n === 37,
    }),
  ),
  ...[41, 42, 43, 44, 45].map((n, i) =>
    healthy(`h${n}`, 'evening: traffic falls 36 % per period, as it did yesterday', { hour: 20 + (i % 3), decline: 0.36, slice: n === 41 }),
  ),
  ...[46, 47].map((n) =>
    healthy(`h${n}`, 'evening decline, history only from last week', { hour: 21, decline: 0.36, history: 'last-week' }),
  ),
  ...[48, 49].map((n) =>
    healthy(`h${n}`, 'a flat day without any history (baseline falls back to before the deploy)', { history: 'none' }),
  ),
  ...[50, 51].map((n) => healthy(`h${n}`, 'judged while the checking period still runs', { evaluateAt: 0.6 })),
  healthy('h52', 'four hosts', { service: { ...varied('h52'), hosts: 4 } }),
  healthy('h53', 'two hosts', { service: { ...varied('h53'), hosts: 2 } }),
  healthy('h54', '+3 CPU points', { effects: [{ kind: 'cpu', add: 3 }] }),
  healthy('h55', 'heap +10 % (a larger cache)', { effects: [{ kind: 'heap', add: 14 }] }),
  healthy('h56', 'faster: latency −20 %', { effects: [{ kind: 'latency', factor: 0.8 }] }),
];

export const REGRESSIONS: readonly Case[] = [
  regression(
    'r01',
    'late onset: errors ≈ 5 % in the last sixth of the period',
    fail('rollback', 'error_rate'),
    [{ kind: 'errors', add: 0.05, from: 5 / 6 }],
    {
      slice: true,
    },
  ),
  regression(
    'r02',
    'slow leak: RSS +2 MB/min (60 MB per 30 min period)',
    fail('rollback', 'memory_rss'),
    [{ kind: 'leak', perPeriodMb: 60 }],
    {
      slice: true,
    },
  ),
  regression('r03', 'heap leak 4 MB/min (RSS follows)', fail('rollback', 'memory_rss'), [{ kind: 'leak', perPeriodMb: 120, heap: true }]),
  regression(
    'r04',
    '+30 % latency on a fast service (p95 ≈ 111 → 144 ms)',
    fail('rollback', 'latency_p95'),
    [{ kind: 'latency', factor: 1.3 }],
    {
      service: varied('r04', FAST),
      slice: true,
    },
  ),
  regression('r05', '+30 % latency at p95 ≈ 177 ms', fail('rollback', 'latency_p95'), [{ kind: 'latency', factor: 1.3 }], {
    service: varied('r05', MEDIUM),
  }),
  regression('r06', 'traffic −45 % at 2 p.m. (a broken client)', fail('hotfix', 'request_rate'), [{ kind: 'traffic', factor: 0.55 }], {
    slice: true,
  }),
  regression('r07', 'errors 3 % throughout', fail('rollback', 'error_rate'), [{ kind: 'errors', add: 0.03 }]),
  regression('r08', 'latency ×2', fail('rollback', 'latency_p95'), [{ kind: 'latency', factor: 2 }]),
  regression('r09', 'tail only: 2 % of requests ×6 slower (p99 up, p95 barely)', fail('hotfix', 'latency_p99'), [
    { kind: 'tail', share: 0.02, factor: 6 },
  ]),
  regression(
    'r10',
    'one slow host of three (+70 % latency)',
    fail('rollback', 'latency_p95'),
    [{ kind: 'latency', factor: 1.7, host: 1 }],
    { slice: true },
  ),
  regression('r11', 'DB pool saturating (30 % → 95 % in use)', fail('rollback', 'db_pool_utilization'), [{ kind: 'pool', toShare: 0.95 }]),
  regression('r12', 'queue growing to 400 jobs', fail('hotfix', 'queue_depth'), [{ kind: 'queue', toDepth: 400 }]),
  regression('r13', 'errors 2.5 % in the second half only', fail('rollback', 'error_rate'), [{ kind: 'errors', add: 0.025, from: 0.5 }]),
  regression('r14', 'low traffic (1.5 req/s per host) with 4 % errors', fail('rollback', 'error_rate'), [{ kind: 'errors', add: 0.04 }], {
    service: varied('r14', LOW),
  }),
  regression('r15', 'CPU +35 points', fail('hotfix', 'cpu'), [{ kind: 'cpu', add: 35 }]),
  regression('r16', 'one host of three with 2.5 % errors (service ≈ 0.9 %)', fail('rollback', 'error_rate'), [
    { kind: 'errors', add: 0.025, host: 2 },
  ]),
  regression('r17', 'heap leak 3 MB/min', fail('rollback', 'memory_rss'), [{ kind: 'leak', perPeriodMb: 90, heap: true }]),
  regression('r18', 'latency creeping up to ×1.6 by the end', fail('rollback', 'latency_p95'), [
    { kind: 'latency', factor: 1.6, ramp: true },
  ]),
  regression(
    'r19',
    'evening traffic −60 % on top of the usual decline',
    fail('hotfix', 'request_rate'),
    [{ kind: 'traffic', factor: 0.4 }],
    {
      hour: 21,
      decline: 0.36,
    },
  ),
  regression('r20', 'errors 1.5 % steady', fail('rollback', 'error_rate'), [{ kind: 'errors', add: 0.015 }]),
  regression('r21', 'late onset: latency ×2 in the last fifth', fail('rollback', 'latency_p95'), [
    { kind: 'latency', factor: 2, from: 0.8 },
  ]),
  regression('r22', 'intermittent: 4 % errors every other interval from a third in', fail('rollback', 'error_rate'), [
    { kind: 'errors', add: 0.04, alternate: true, from: 0.3 },
  ]),
  regression('r23', 'memory step: RSS +250 MB at the deploy', fail('rollback', 'memory_rss'), [{ kind: 'rss', add: 250 }]),
  regression('r24', '+30 % latency at p95 ≈ 230 ms', fail('rollback', 'latency_p95'), [{ kind: 'latency', factor: 1.3 }], {
    service: varied('r24', SLOW),
  }),
  regression('r25', 'late onset: errors ≈ 5 % in the last tenth only', fail('rollback', 'error_rate'), [
    { kind: 'errors', add: 0.05, from: 0.9 },
  ]),
];

const STOPPED = /metrics stopped at/;
export const MISSING: readonly Case[] = [
  missing('m01', 'metrics stop 8 minutes into a 30-minute period', STOPPED, { effects: [{ kind: 'stop', from: 8 / 30 }], slice: true }),
  missing('m02', 'metrics stop in the last sixth of the period', STOPPED, { effects: [{ kind: 'stop', from: 0.85 }] }),
  missing('m03', 'the release writes another version tag', /no data for version/, { newVersionTag: '2.0.0-build7' }),
  missing('m04', '40 % of the intervals lost', /data for \d+ of \d+ intervals/, { effects: [{ kind: 'gaps', share: 0.4 }] }),
  missing('m05', 'process metrics not written by the release', /no data for version/, {
    effects: [{ kind: 'drop', measurement: 'process' }],
  }),
  missing('m06', 'no data for the previous version, no history', /no baseline data/, { noBaseline: true }),
  missing('m07', 'metrics stopped, judged while the period runs', STOPPED, { effects: [{ kind: 'stop', from: 0.4 }], evaluateAt: 0.7 }),
  missing('m08', 'metrics stopped at 8 minutes, judged long after the period ended', STOPPED, {
    effects: [{ kind: 'stop', from: 8 / 30 }],
    evaluateAt: 2,
  }),
  missing('m09', 'the release writes no latency fields', /no data for version/, { effects: [{ kind: 'drop', measurement: 'latency' }] }),
  missing('m10', '30 % of the intervals lost', /data for \d+ of \d+ intervals/, { effects: [{ kind: 'gaps', share: 0.3 }] }),
];

export const CASES: readonly Case[] = [...HEALTHY, ...REGRESSIONS, ...MISSING];
