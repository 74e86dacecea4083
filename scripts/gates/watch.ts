// The watch loop: evaluate, and again every `every`, until a rollback is certain or the checking period is over (plus
// a settle time for its last interval to arrive); Ctrl-C/SIGTERM ends it as "cut short". Clock and sleep are injected.
export interface LoopEvaluation {
  readonly decision: string;
  /** deployedAt + checking period; null when there is no manifest, so no period to watch. */
  readonly monitorUntil: string | null;
  /** The period is over and the health data covers all of it. */
  readonly complete: boolean;
}

export type WatchEnd = 'rollback' | 'period-over' | 'cut-short' | 'no-period';

export interface WatchLoopDeps {
  readonly everyMs: number;
  /** How long after the period's end the final evaluation waits, so the last interval's metrics have arrived. */
  readonly settleMs: number;
  readonly now: () => number;
  /** Resolves after `ms`, or as soon as `signal` aborts. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** One evaluation as of `at`; it records, alerts and writes on its own. */
  readonly evaluate: (at: Date) => Promise<LoopEvaluation>;
  /** Aborted by Ctrl-C / SIGTERM: the watch ends as cut short. */
  readonly signal: AbortSignal;
  /**
   * Evidence still being made (the demo's test run, started with the watch): the final evaluation waits for it, so the
   * verdict that ends the watch has every input; evaluations before it still watch the health signals.
   */
  readonly holdFinal?: Promise<unknown>;
  /** How long an evaluation under way may finish after an abort before the watch stops without it. */
  readonly abortGraceMs?: number;
}

export interface WatchLoopResult {
  readonly end: WatchEnd;
  readonly evaluations: number;
}

/** Resolves with the promise, or with 'aborted' once the signal aborts (after `graceMs`, for work under way). */
async function unlessAborted<T>(p: Promise<T>, signal: AbortSignal, graceMs = 0): Promise<T | 'aborted'> {
  if (signal.aborted && graceMs === 0) return 'aborted';
  let onAbort: () => void = () => undefined;
  const stop = new Promise<'aborted'>((resolve) => {
    onAbort = () => (graceMs ? setTimeout(() => resolve('aborted'), graceMs).unref() : resolve('aborted'));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([p, stop]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

export async function runWatchLoop(d: WatchLoopDeps): Promise<WatchLoopResult> {
  let evaluations = 0;
  let held = d.holdFinal === undefined;
  void d.holdFinal?.then(
    () => (held = true),
    () => (held = true),
  );
  const evaluate = async (): Promise<LoopEvaluation | 'aborted'> => {
    if (d.signal.aborted) return 'aborted';
    const r = await unlessAborted(d.evaluate(new Date(d.now())), d.signal, d.abortGraceMs ?? 2000);
    if (r !== 'aborted') evaluations++;
    return r;
  };
  const waitForHeld = async () =>
    held
      ? 'ok'
      : unlessAborted(
          d.holdFinal!.then(() => 'ok' as const),
          d.signal,
        );
  const done = (end: WatchEnd): WatchLoopResult => ({ end: d.signal.aborted ? 'cut-short' : end, evaluations });

  for (;;) {
    const e = await evaluate();
    if (e === 'aborted') return done('cut-short');
    if (e.decision === 'rollback') {
      // Certain now; the verdict that ends the watch still waits for evidence under way, and keeps the rollback.
      if (!held) {
        if ((await waitForHeld()) === 'aborted') return done('cut-short');
        if ((await evaluate()) === 'aborted') return done('cut-short');
      }
      return done('rollback');
    }
    if (e.monitorUntil === null) {
      if (!held && (await waitForHeld()) !== 'aborted') continue;
      return done('no-period');
    }
    const finalAt = Date.parse(e.monitorUntil) + d.settleMs;
    const t = d.now();
    if (e.complete && held && t >= finalAt) return done('period-over');
    if (t >= finalAt) {
      // The period is over; only evidence still being made keeps the watch going, for one more evaluation.
      if (held) return done('period-over');
      if ((await waitForHeld()) === 'aborted') return done('cut-short');
      continue;
    }
    const next = nextEvaluationAt(t, d.everyMs, e.monitorUntil, d.settleMs)!;
    await d.sleep(Math.max(0, next - d.now()), d.signal);
    if (d.signal.aborted) return done('cut-short');
  }
}

/** When the watch evaluates next after an evaluation at `t`: every `everyMs`, the last one once the period has settled. */
export function nextEvaluationAt(t: number, everyMs: number, monitorUntil: string | null, settleMs: number): number | null {
  if (monitorUntil === null) return null;
  const finalAt = Date.parse(monitorUntil) + settleMs;
  return t >= finalAt ? null : Math.min(t + everyMs, finalAt);
}

/** Real time: setTimeout that an abort cuts short. */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
