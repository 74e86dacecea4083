// The simulated service behind the accuracy corpus: per-host points in the demo's schema, with realistic noise and effects.
import { createRng, seedOf, type Rng } from './rng.ts';

/** A steady service. Times that scale with the checking period are in periods (1 = the whole period). */
export interface Service {
  readonly hosts: number;
  /** Requests per second per host, before the time-of-day shape. */
  readonly rps: number;
  /** Median request latency; requests are lognormal around it. */
  readonly latencyMs: number;
  readonly sigma: number;
  /** Share of requests that answer 5xx. */
  readonly errorShare: number;
  readonly cpuBase: number;
  readonly cpuPerRps: number;
  readonly rssBaseMb: number;
  readonly heapBaseMb: number;
  /** GC sawtooth: heap climbs this much, then drops, every gcPeriod. */
  readonly gcAmplitudeMb: number;
  readonly gcPeriod: number;
  /** A fresh process starts this far below its steady memory and closes the gap with time constant warmupTau. */
  readonly warmupMb: number;
  readonly warmupTau: number;
  /** Share of the DB pool in use on average, and its size. */
  readonly poolBusy: number;
  readonly poolSize: number;
  readonly queueMean: number;
  /** Chance per point per host of a latency spike (×3), an error burst (15 %), a queue burst. */
  readonly spikeChance: number;
}

export const SHOP: Service = {
  hosts: 3,
  rps: 12,
  latencyMs: 55,
  sigma: 0.5,
  errorShare: 0.0015,
  cpuBase: 8,
  cpuPerRps: 1.2,
  rssBaseMb: 220,
  heapBaseMb: 140,
  gcAmplitudeMb: 40,
  gcPeriod: 0.13,
  warmupMb: 40,
  warmupTau: 0.1,
  poolBusy: 0.3,
  poolSize: 20,
  queueMean: 4,
  spikeChance: 0.004,
};

/** What changes after the deploy, from `from` to `to` (periods after the deploy; default the whole period), on one host or all. */
export type Effect = { readonly from?: number; readonly to?: number; readonly host?: number } & (
  | { readonly kind: 'errors'; readonly add: number; readonly alternate?: boolean }
  | { readonly kind: 'latency'; readonly factor: number; readonly ramp?: boolean }
  | { readonly kind: 'tail'; readonly share: number; readonly factor: number }
  | { readonly kind: 'traffic'; readonly factor: number }
  | { readonly kind: 'cpu'; readonly add: number }
  | { readonly kind: 'rss'; readonly add: number }
  | { readonly kind: 'heap'; readonly add: number }
  /** Memory retained at this many MB per period, from `from` on (heap leaks show in RSS too). */
  | { readonly kind: 'leak'; readonly perPeriodMb: number; readonly heap?: boolean }
  | { readonly kind: 'pool'; readonly toShare: number }
  | { readonly kind: 'queue'; readonly toDepth: number }
  /** One point of one host with this latency factor (a single-sample spike). */
  | { readonly kind: 'spike'; readonly factor: number; readonly errors?: number; readonly cpu?: number; readonly queue?: number }
  /** Missing data: every point from `from` on is lost. */
  | { readonly kind: 'stop' }
  /** Missing data: this share of the current window's intervals lose every point. */
  | { readonly kind: 'gaps'; readonly share: number }
  /** Missing data: one measurement (or the latency fields) is never written by the new version. */
  | { readonly kind: 'drop'; readonly measurement: 'process' | 'latency' }
);

export interface Scenario {
  readonly id: string;
  readonly service: Service;
  /** UTC hour of the deploy (timestamps only; traffic follows `decline`). */
  readonly hour: number;
  /** Traffic falls by this share per period, today and in the history alike (an evening); 0 for a flat day. */
  readonly decline: number;
  readonly history: 'yesterday' | 'last-week' | 'none';
  readonly effects: readonly Effect[];
  /** The version tag the new release writes (a wrong tag: no data for the version under test). */
  readonly newVersionTag?: string;
  /** No data for the previous version at all (nor any history). */
  readonly noBaseline?: boolean;
  /** When the gate runs, in periods after the deploy (default: the period plus one interval). */
  readonly evaluateAt?: number;
}

export interface Scale {
  readonly name: 'shipped' | 'demo';
  readonly intervalMs: number;
  readonly periodMs: number;
  readonly writeEveryMs: number;
}

export const VERSIONS = { previous: '1.9.0', current: '2.0.0', history: '1.8.0' } as const;
const DAY = 86_400_000;

/** Linear interpolation (type 7) percentile of an ascending list. */
function percentile(sorted: readonly number[], p: number): number {
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

/** Whether an effect applies at u on a host; a spike lasts one point (`span` periods). */
function active(e: Effect, u: number, host: number, span: number): boolean {
  const from = e.from ?? 0;
  const to = e.kind === 'spike' ? from + span : (e.to ?? Infinity);
  return u >= from && u < to && (e.host === undefined || e.host === host);
}

/** Where the case's deploy falls: a fixed Monday, at the case's hour, aligned to the interval. */
export function deployTime(s: Scenario, scale: Scale): number {
  const base = Date.parse('2026-04-13T00:00:00Z') + s.hour * 3_600_000 + (seedOf(s.id) % 1800) * 1000;
  return Math.floor(base / scale.intervalMs) * scale.intervalMs;
}

export function evaluateTime(s: Scenario, scale: Scale): number {
  return deployTime(s, scale) + (s.evaluateAt ?? 1) * scale.periodMs + scale.intervalMs;
}

interface Day {
  readonly shift: number;
  readonly factor: number;
  /** The previous version's tag before the deploy today; older versions in the history. */
  readonly oldTag: string;
  readonly today: boolean;
}

/** Line protocol (ms precision) for one scenario: today's two windows and, when it has one, the history's. */
export function generate(s: Scenario, scale: Scale): string[] {
  const rng = createRng(seedOf(`${s.id}/${scale.name}`));
  const deploy = deployTime(s, scale);
  const end = Math.min(evaluateTime(s, scale), deploy + scale.periodMs + scale.intervalMs);
  const start = deploy - scale.periodMs - Math.max(2 * scale.intervalMs, scale.periodMs / 10);
  const days: Day[] = [{ shift: 0, factor: 1, oldTag: VERSIONS.previous, today: true }];
  if (!s.noBaseline && s.history !== 'none')
    days.push({
      shift: s.history === 'yesterday' ? DAY : 7 * DAY,
      factor: 1 + 0.04 * rng.normal(),
      oldTag: VERSIONS.history,
      today: false,
    });
  const lost = lostIntervals(s, scale, rng);
  const lines: string[] = [];
  const phases = Array.from({ length: s.service.hosts }, () => rng.uniform());
  for (const day of days)
    for (let t = start; t < (day.today ? end : deploy + scale.periodMs + scale.intervalMs); t += scale.writeEveryMs)
      for (let h = 0; h < s.service.hosts; h++) {
        const point = pointAt(s, scale, rng, { t, h, deploy, day, phase: phases[h]! });
        if (!point) continue;
        const u = (t - deploy) / scale.periodMs;
        if (day.today && u >= 0 && lost.has(Math.floor((t - deploy) / scale.intervalMs))) continue;
        lines.push(...point.map((p) => `${p} ${t - day.shift}`));
      }
  return lines;
}

function lostIntervals(s: Scenario, scale: Scale, rng: Rng): Set<number> {
  const gaps = s.effects.find((e) => e.kind === 'gaps');
  const lost = new Set<number>();
  if (!gaps || gaps.kind !== 'gaps') return lost;
  const n = Math.round(scale.periodMs / scale.intervalMs);
  // Whole intervals lost at random, never the last three (that would read as "stopped", another case).
  const candidates = Array.from({ length: n - 3 }, (_, i) => i).sort(() => rng.uniform() - 0.5);
  for (const i of candidates.slice(0, Math.round(gaps.share * n))) lost.add(i);
  return lost;
}

interface At {
  readonly t: number;
  readonly h: number;
  readonly deploy: number;
  readonly day: Day;
  readonly phase: number;
}

/** The points one host writes at one time (without timestamps), or null when nothing is written. */
function pointAt(s: Scenario, scale: Scale, rng: Rng, at: At): string[] | null {
  const sv = s.service;
  const u = (at.t - at.deploy) / scale.periodMs;
  const isNew = at.day.today && u >= 0;
  if (s.noBaseline && !isNew) return null;
  const fx = isNew ? s.effects.filter((e) => active(e, u, at.h, scale.writeEveryMs / scale.periodMs)) : [];
  if (fx.some((e) => e.kind === 'stop')) return null;
  const version = isNew ? (s.newVersionTag ?? VERSIONS.current) : at.day.oldTag;
  const tags = `host=h${at.h + 1},service=acc-${s.id},version=${version}`;
  const field = (e: Effect, key: string): number | undefined => (e as unknown as Record<string, number | undefined>)[key];
  const product = (kind: Effect['kind']) => fx.filter((e) => e.kind === kind).reduce((m, e) => m * (field(e, 'factor') ?? 1), 1);
  const sum = (kind: Effect['kind']) => fx.filter((e) => e.kind === kind).reduce((m, e) => m + (field(e, 'add') ?? 0), 0);

  // Traffic: the evening shape, the day's level, and any effect on it.
  const shape = s.decline > 0 ? Math.exp(Math.log(1 - s.decline) * u) : 1;
  const rps = sv.rps * shape * at.day.factor * product('traffic');
  const n = rng.poisson((rps * scale.writeEveryMs) / 1000);
  const spike = fx.find((e) => e.kind === 'spike');
  const randomSpike = rng.uniform() < sv.spikeChance;
  const intervalIndex = Math.floor((at.t - at.deploy) / scale.intervalMs);
  const errorAdd = fx
    .filter((e) => e.kind === 'errors' && (!e.alternate || intervalIndex % 2 === 0))
    .reduce((m, e) => m + (e.kind === 'errors' ? e.add : 0), 0);
  const burst = rng.uniform() < sv.spikeChance / 2 ? 0.15 : 0;
  const errors = rng.binomial(n, Math.min(1, sv.errorShare + errorAdd + burst + (spike?.kind === 'spike' ? (spike.errors ?? 0) : 0)));
  const lines = [`http_requests,${tags} count=${n}i,errors=${errors}i${latencyFields(s, rng, fx, n, u, randomSpike, spike)}`];

  if (!(isNew && fx.some((e) => e.kind === 'drop' && e.measurement === 'process'))) {
    const cpu = sv.cpuBase + sv.cpuPerRps * rps + 1.5 * rng.normal() + sum('cpu') + (spike?.kind === 'spike' ? (spike.cpu ?? 0) : 0);
    const { rss, heap } = memory(s, scale, rng, fx, at, u, isNew);
    lines.push(
      `process,${tags} cpu_percent=${Math.max(0, Math.min(100, cpu)).toFixed(2)},rss_mb=${rss.toFixed(2)},heap_used_mb=${heap.toFixed(2)}`,
    );
  }
  const pool = fx.find((e) => e.kind === 'pool');
  const ramp = (to: number, base: number) => base + (to - base) * Math.min(1, Math.max(0, u));
  const busy = (pool?.kind === 'pool' ? ramp(pool.toShare, sv.poolBusy) : sv.poolBusy) * (rps / sv.rps);
  lines.push(`db_pool,${tags} in_use=${Math.min(sv.poolSize, rng.poisson(busy * sv.poolSize))}i,size=${sv.poolSize}i`);
  const queue = fx.find((e) => e.kind === 'queue');
  const depth =
    rng.poisson(queue?.kind === 'queue' ? ramp(queue.toDepth, sv.queueMean) : sv.queueMean) +
    (rng.uniform() < sv.spikeChance * 2 ? Math.round(rng.between(20, 60)) : 0) +
    (spike?.kind === 'spike' ? (spike.queue ?? 0) : 0);
  lines.push(`queue,${tags} depth=${depth}i`);
  return lines;
}

/** p50/p95/p99 of this point's requests (omitted when there were none, as the demo shop does). */
function latencyFields(
  s: Scenario,
  rng: Rng,
  fx: readonly Effect[],
  n: number,
  u: number,
  randomSpike: boolean,
  spike: Effect | undefined,
): string {
  if (n === 0 || fx.some((e) => e.kind === 'drop' && e.measurement === 'latency')) return '';
  let factor = randomSpike ? 3 : 1;
  if (spike?.kind === 'spike') factor *= spike.factor;
  for (const e of fx) if (e.kind === 'latency') factor *= e.ramp ? 1 + (e.factor - 1) * Math.min(1, Math.max(0, u)) : e.factor;
  const tail = fx.find((e) => e.kind === 'tail');
  const draws = Math.min(n, 2000);
  const xs = Array.from({ length: draws }, () => {
    const v = rng.lognormal(s.service.latencyMs, s.service.sigma) * factor;
    return tail?.kind === 'tail' && rng.uniform() < tail.share ? v * tail.factor : v;
  }).sort((a, b) => a - b);
  return `,latency_p50_ms=${percentile(xs, 50).toFixed(2)},latency_p95_ms=${percentile(xs, 95).toFixed(2)},latency_p99_ms=${percentile(xs, 99).toFixed(2)}`;
}

/** RSS and heap: base, GC sawtooth, a fresh process's warm-up after the deploy, leaks and steps. */
function memory(s: Scenario, scale: Scale, rng: Rng, fx: readonly Effect[], at: At, u: number, isNew: boolean) {
  const sv = s.service;
  const gc = sv.gcAmplitudeMb * ((at.t / scale.periodMs / sv.gcPeriod + at.phase) % 1);
  const deficit = isNew ? sv.warmupMb * Math.exp(-u / sv.warmupTau) : 0;
  let heap = sv.heapBaseMb + gc - deficit / 2 + rng.normal();
  let rss = sv.rssBaseMb + 2 * rng.normal() - deficit / 2;
  for (const e of fx) {
    if (e.kind === 'leak') {
      const grown = e.perPeriodMb * Math.max(0, u - (e.from ?? 0));
      if (e.heap) heap += grown;
      else rss += grown;
    }
    if (e.kind === 'heap') heap += e.add;
    if (e.kind === 'rss') rss += e.add;
  }
  return { rss: rss + heap, heap };
}
