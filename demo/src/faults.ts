// The demo shop's fault switches (DEMO_FAULTS): the known names, and the request-level faults (slow, errors, memory-leak).
export const FAULT_DESCRIPTIONS = {
  'health-500': '/health answers 500',
  'db-down': 'the database connection is lost: /health answers 503 and DB-backed pages fail',
  'login-broken': 'POST /login answers 500 "Login service unavailable"',
  'search-broken': 'non-empty searches return no results (page and API)',
  'checkout-broken': 'POST /checkout answers 500 "Payment service error"',
  'js-error': "the home page's script throws an uncaught error",
  slow: 'every request takes 800 ms longer',
  errors: 'about 5% of requests answer 500',
  'memory-leak': 'memory is retained on every request and over time, so RSS keeps growing',
} as const;

export type FaultName = keyof typeof FAULT_DESCRIPTIONS;

/** Every fault name, in a stable order (used in messages and --help texts). */
export const KNOWN_FAULTS: readonly FaultName[] = Object.freeze(Object.keys(FAULT_DESCRIPTIONS) as FaultName[]);

export function isFaultName(name: string): name is FaultName {
  return Object.hasOwn(FAULT_DESCRIPTIONS, name);
}

export const SLOW_DELAY_MS = 800;
export const ERROR_SHARE = 0.05;

/** The active faults; switchable at run time (demo/src/control.ts), so a release can turn bad after the deploy. */
export class Faults {
  private active: ReadonlySet<FaultName>;
  private readonly listeners: ((active: ReadonlySet<FaultName>) => void)[] = [];
  constructor(names: readonly FaultName[]) {
    this.active = new Set(names);
  }
  has(name: FaultName): boolean {
    return this.active.has(name);
  }
  list(): FaultName[] {
    return [...this.active];
  }
  /** Replaces the active faults and tells the parts that act on a switch (the database, the leak). */
  set(names: readonly FaultName[]): void {
    this.active = new Set(names);
    for (const l of this.listeners) l(this.active);
  }
  onChange(listener: (active: ReadonlySet<FaultName>) => void): void {
    this.listeners.push(listener);
  }
}

/**
 * Retains real memory, the way a cache without eviction does: filled Buffers (so the pages are resident and RSS grows,
 * not just the virtual size) per request and on a timer. Off the V8 heap, so heap_used stays flat and only RSS climbs.
 * At 8 requests/s that is about 5 MB/s; the cap (reached after about five minutes of that) keeps a forgotten demo from
 * exhausting the machine.
 */
export class MemoryLeak {
  static readonly perRequestBytes = 512 * 1024;
  static readonly perSecondBytes = 512 * 1024;
  static readonly capBytes = 1536 * 1024 * 1024;
  private readonly retained: Buffer[] = [];
  private bytes = 0;
  private timer: NodeJS.Timeout | undefined;

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.retain(MemoryLeak.perSecondBytes), 1000);
    this.timer.unref();
  }

  onRequest(): void {
    this.retain(MemoryLeak.perRequestBytes);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private retain(size: number): void {
    if (this.bytes + size > MemoryLeak.capBytes) return;
    // A non-zero fill touches every page; zero-filled allocations may stay unbacked and leave RSS flat.
    this.retained.push(Buffer.alloc(size, (this.retained.length % 251) + 1));
    this.bytes += size;
  }
}
