// Metrics: per-interval request, process, pool, queue and order figures, written to InfluxDB's v1 /write as line protocol.
import { Point } from '@influxdata/influxdb-client';
import { redactUrl } from '../../scripts/config/redact.ts';
import type { ConnectionPool, WorkQueue } from './load.ts';
import { ThrottledLog } from './log.ts';

/** Linear interpolation between closest ranks (the common "type 7" definition); `sorted` must be ascending. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of no samples');
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

export interface RequestInterval {
  readonly count: number;
  readonly errors: number;
  readonly latency: { readonly p50: number; readonly p95: number; readonly p99: number } | undefined;
}

/** Every request's real duration and status in the current interval; drained by each write. */
export class RequestStats {
  private durations: number[] = [];
  private errors = 0;
  // Past this many samples per interval the percentiles are already stable; count and errors stay exact.
  static readonly maxSamples = 100_000;
  private count = 0;

  record(durationMs: number, status: number): void {
    this.count++;
    if (status >= 500) this.errors++;
    if (this.durations.length < RequestStats.maxSamples) this.durations.push(durationMs);
  }

  drain(): RequestInterval {
    const sorted = this.durations.sort((a, b) => a - b);
    const result: RequestInterval = {
      count: this.count,
      errors: this.errors,
      latency: sorted.length ? { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) } : undefined,
    };
    this.durations = [];
    this.errors = 0;
    this.count = 0;
    return result;
  }
}

/** Business figures: real orders only, because monitoring's synthetic orders are not revenue. */
export class OrderStats {
  private count = 0;
  private revenueCents = 0;
  orderPlaced(totalCents: number, synthetic: boolean): void {
    if (synthetic) return;
    this.count++;
    this.revenueCents += totalCents;
  }
  drain(): { count: number; revenue: number } {
    const result = { count: this.count, revenue: this.revenueCents / 100 };
    this.count = 0;
    this.revenueCents = 0;
    return result;
  }
}

/** CPU as a share of one core over the interval (process.cpuUsage deltas), memory from process.memoryUsage. */
export class ProcessSampler {
  private lastCpu = process.cpuUsage();
  private lastAt = process.hrtime.bigint();

  sample(): { cpuPercent: number; rssMb: number; heapUsedMb: number } {
    const cpu = process.cpuUsage(this.lastCpu);
    const now = process.hrtime.bigint();
    const wallMicros = Number(now - this.lastAt) / 1000;
    this.lastCpu = process.cpuUsage();
    this.lastAt = now;
    const mem = process.memoryUsage();
    return {
      cpuPercent: wallMicros > 0 ? ((cpu.user + cpu.system) / wallMicros) * 100 : 0,
      rssMb: mem.rss / 1024 / 1024,
      heapUsedMb: mem.heapUsed / 1024 / 1024,
    };
  }
}

export interface MetricSources {
  readonly requests: RequestStats;
  readonly orders: OrderStats;
  readonly process: ProcessSampler;
  readonly pool: ConnectionPool;
  readonly queue: WorkQueue;
}

export interface MetricTags {
  readonly service: string;
  readonly version: string;
  readonly host: string;
}

/** The reference schema (see the README): http_requests, process, db_pool, queue, plus the business measurement orders. */
export function collectPoints(sources: MetricSources, tags: MetricTags, at: Date): Point[] {
  const tagged = (name: string) =>
    new Point(name).tag('service', tags.service).tag('version', tags.version).tag('host', tags.host).timestamp(at);
  const req = sources.requests.drain();
  const http = tagged('http_requests').intField('count', req.count).intField('errors', req.errors);
  if (req.latency)
    http
      .floatField('latency_p50_ms', req.latency.p50)
      .floatField('latency_p95_ms', req.latency.p95)
      .floatField('latency_p99_ms', req.latency.p99);
  const proc = sources.process.sample();
  const pool = sources.pool.sample();
  const orders = sources.orders.drain();
  return [
    http,
    tagged('process')
      .floatField('cpu_percent', proc.cpuPercent)
      .floatField('rss_mb', proc.rssMb)
      .floatField('heap_used_mb', proc.heapUsedMb),
    tagged('db_pool').intField('in_use', pool.inUse).intField('size', pool.size),
    tagged('queue').intField('depth', sources.queue.depth()),
    tagged('orders').intField('count', orders.count).floatField('revenue', orders.revenue),
  ];
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message;
}

const toMillis = (v: string | number | Date | undefined) =>
  v instanceof Date ? String(v.getTime()) : v === undefined ? undefined : String(v);

export function toLines(points: readonly Point[]): string[] {
  return points.map((p) => p.toLineProtocol({ convertTime: toMillis })).filter((l): l is string => !!l);
}

export interface InfluxTarget {
  readonly url: string;
  readonly database: string;
  readonly token: string | undefined;
}

/**
 * Writes every interval. A failed write keeps its lines for the next attempt (bounded), is logged at most once a
 * minute, and never throws: metrics must not take the shop down.
 */
export class MetricsWriter {
  private buffer: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private readonly endpoint: string;
  private readonly problems = new ThrottledLog();
  // Ten minutes of points at one write a second: enough to ride out a restart of InfluxDB.
  static readonly maxBufferedLines = 5 * 600;

  constructor(
    private readonly target: InfluxTarget,
    private readonly sources: MetricSources,
    private readonly tags: MetricTags,
    private readonly intervalMs: number,
    /** What stamps each interval's points: the wall clock unless a test shifts it (DEMO_METRICS_CLOCK_OFFSET_MS). */
    private readonly clock: () => Date = () => new Date(),
  ) {
    const params = new URLSearchParams({ db: target.database, precision: 'ms' });
    this.endpoint = `${target.url}/write?${params}`;
  }

  /**
   * Says at start-up whether InfluxDB answers (a warning, never fatal: metrics must not keep the shop down). Also loads
   * the HTTP client before the shop takes traffic, so its memory is not mistaken for growth under load.
   */
  async probe(timeoutMs = 1000): Promise<void> {
    try {
      const res = await fetch(`${this.target.url}/ping`, { signal: AbortSignal.timeout(timeoutMs) });
      await res.arrayBuffer();
      if (!res.ok)
        this.problems.problem(
          'write',
          `metrics: InfluxDB at ${this.where(this.target.url)} answered /ping with HTTP ${res.status}; writes will be retried`,
        );
    } catch (err) {
      this.problems.problem(
        'write',
        `metrics: InfluxDB at ${this.where(this.target.url)} does not answer /ping (${describe(err)}); writes will be retried`,
      );
    }
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  /** Collects one more interval and writes it with whatever is buffered, all within `timeoutMs` (shutdown is bounded). */
  async stop(timeoutMs = 1500): Promise<void> {
    clearInterval(this.timer);
    const deadline = Date.now() + timeoutMs;
    await Promise.race([this.inFlight, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    this.collect();
    await this.send(Math.max(deadline - Date.now(), 200));
  }

  private tick(): void {
    this.collect();
    // A slow InfluxDB must not pile up concurrent writes; the lines wait in the buffer for the next tick.
    if (!this.inFlight) this.inFlight = this.send(Math.max(this.intervalMs, 2000)).finally(() => (this.inFlight = undefined));
  }

  private collect(): void {
    this.buffer.push(...toLines(collectPoints(this.sources, this.tags, this.clock())));
    if (this.buffer.length > MetricsWriter.maxBufferedLines) this.buffer.splice(0, this.buffer.length - MetricsWriter.maxBufferedLines);
  }

  private async send(timeoutMs: number): Promise<void> {
    if (this.buffer.length === 0) return;
    const lines = this.buffer;
    this.buffer = [];
    let failure: string | undefined;
    try {
      const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
      // InfluxDB 1.x only understands Basic auth (user:password); 2.x/3.x take `Token <token>`.
      if (this.target.token)
        headers.authorization = this.target.token.includes(':')
          ? `Basic ${Buffer.from(this.target.token).toString('base64')}`
          : `Token ${this.target.token}`;
      const res = await fetch(this.endpoint, { method: 'POST', headers, body: lines.join('\n'), signal: AbortSignal.timeout(timeoutMs) });
      const detail = (await res.text()).slice(0, 200);
      if (!res.ok) {
        failure = `HTTP ${res.status} ${detail}`.trim();
        // Other 4xx answers reject the data itself: retrying it would fail forever.
        if (res.status >= 500 || [401, 403, 404, 429].includes(res.status)) this.requeue(lines);
      }
    } catch (err) {
      failure = describe(err);
      this.requeue(lines);
    }
    if (failure)
      this.problems.problem(
        'write',
        `metrics: write of ${lines.length} points to ${this.where()} failed: ${failure}; ${this.buffer.length} points kept for retry`,
      );
    else this.problems.resolved('write', `metrics: writes to ${this.where()} work again`);
  }

  private requeue(lines: string[]): void {
    this.buffer = [...lines, ...this.buffer].slice(-MetricsWriter.maxBufferedLines);
  }

  private where(url = this.endpoint): string {
    return redactUrl(url, this.target.token ? [this.target.token] : []);
  }
}
