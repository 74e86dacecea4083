// Logging to stderr (stdout carries only the "listening on" line), with per-topic throttling for repeating failures.

export function log(message: string): void {
  process.stderr.write(`demo-shop: ${message}\n`);
}

/** Logs a repeating problem at most once per `everyMs` per topic, saying how many were suppressed in between. */
export class ThrottledLog {
  private readonly last = new Map<string, { at: number; suppressed: number }>();
  constructor(
    private readonly everyMs = 60_000,
    private readonly write: (message: string) => void = log,
  ) {}

  problem(topic: string, message: string, now = Date.now()): void {
    const seen = this.last.get(topic);
    if (seen && now - seen.at < this.everyMs) {
      seen.suppressed++;
      return;
    }
    const extra = seen?.suppressed ? ` (${seen.suppressed} more since the last report)` : '';
    this.write(`${message}${extra}; repeats are reported at most once every ${Math.round(this.everyMs / 1000)} s`);
    this.last.set(topic, { at: now, suppressed: 0 });
  }

  /** Says once that a reported problem has cleared. */
  resolved(topic: string, message: string): void {
    if (this.last.delete(topic)) this.write(message);
  }
}
