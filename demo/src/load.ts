// Simulated back-end load: a DB connection pool checked out per request, and a background work queue drained by a worker.

/**
 * A fixed-size pool. better-sqlite3 is synchronous, so the pool models what an async driver would do: a request holds a
 * connection from its first DB use until its response ends, and waits when all are taken.
 */
export class ConnectionPool {
  private inUse = 0;
  private peak = 0;
  private readonly waiters: (() => void)[] = [];
  static readonly maxWaiters = 1000;

  constructor(readonly size = 10) {}

  /** Resolves with a release function that is safe to call more than once. */
  async acquire(): Promise<() => void> {
    if (this.inUse >= this.size) {
      if (this.waiters.length >= ConnectionPool.maxWaiters)
        throw new Error(`connection pool exhausted: ${this.size} in use and ${this.waiters.length} waiting`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    } else {
      this.inUse++;
    }
    this.peak = Math.max(this.peak, this.inUse);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      // The connection passes straight to the next waiter, so inUse stays the same.
      if (next) next();
      else this.inUse--;
    };
  }

  /** The peak use since the previous sample: a short burst between two samples still shows. */
  sample(): { inUse: number; size: number } {
    const result = { inUse: this.peak, size: this.size };
    this.peak = this.inUse;
    return result;
  }
}

export interface Job {
  readonly kind: string;
  run(): void;
}

/** In-process background work (view counts, confirmation e-mails), drained in small batches so requests are not delayed. */
export class WorkQueue {
  private readonly jobs: Job[] = [];
  private timer: NodeJS.Timeout | undefined;
  // Bounded: past this, the oldest jobs are dropped, as a real broker with a retention limit would.
  static readonly capacity = 10_000;

  constructor(
    private readonly tickMs = 200,
    private readonly batch = 25,
    private readonly onError: (job: Job, err: unknown) => void = () => {},
  ) {}

  enqueue(job: Job): void {
    if (this.jobs.length >= WorkQueue.capacity) {
      this.jobs.shift();
    }
    this.jobs.push(job);
  }

  depth(): number {
    return this.jobs.length;
  }

  start(): void {
    this.timer = setInterval(() => this.drain(), this.tickMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** A failing job stays at the head and the batch stops: when the DB is down, work piles up as it would in production. */
  drain(): void {
    for (let i = 0; i < this.batch && this.jobs.length > 0; i++) {
      const job = this.jobs[0]!;
      try {
        job.run();
      } catch (err) {
        this.onError(job, err);
        return;
      }
      this.jobs.shift();
    }
  }
}
