// Everything a long-running command started, stopped on every way out: a normal end, an error, Ctrl-C, SIGTERM, SIGHUP,
// or the parent going away (npm killed, a terminal closed). Children run in their own process groups so that a whole
// tree (Playwright, its workers and browsers) goes with them.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import os from 'node:os';

type Cleanup = () => Promise<unknown> | unknown;

const SIGNAL_CODES: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

export class Lifecycle {
  private readonly cleanups: Cleanup[] = [];
  private stopping: Promise<void> | undefined;
  private parentWatch: NodeJS.Timeout | undefined;
  /** Set once a signal (or the parent's end) asked the command to stop. */
  interruptedBy: string | undefined;

  /** Runs at shutdown, last registered first. */
  onShutdown(fn: Cleanup): void {
    // Registered while stopping (a step that was already under way): run it now rather than never.
    if (this.stopping)
      void Promise.resolve()
        .then(fn)
        .catch(() => undefined);
    else this.cleanups.push(fn);
  }

  /**
   * Spawns a child in its own process group, stopped with its whole group at shutdown: SIGTERM, then SIGKILL after
   * `graceMs`. Resolves `exited` with the exit code (128 + signal for a killed child).
   */
  spawn(
    cmd: string,
    args: readonly string[],
    options: SpawnOptions & { graceMs?: number } = {},
  ): { child: ChildProcess; exited: Promise<number> } {
    if (this.stopping) throw new Error(`not starting ${cmd}: shutting down`);
    const child = spawn(cmd, args, { ...options, detached: true });
    const exited = new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, sig) => resolve(code ?? (sig ? 128 + (os.constants.signals[sig] ?? 9) : 1)));
    });
    exited.catch(() => undefined);
    this.onShutdown(() => killGroup(child, exited, options.graceMs ?? 5000));
    return { child, exited };
  }

  /** Stops everything registered (once; later calls wait for the first). */
  shutdown(): Promise<void> {
    this.stopping ??= (async () => {
      clearInterval(this.parentWatch);
      for (const fn of [...this.cleanups].reverse()) {
        try {
          await fn();
        } catch {
          // One cleanup failing must not keep the others from running.
        }
      }
    })();
    return this.stopping;
  }

  /**
   * On SIGINT, SIGTERM or SIGHUP, and when the parent process is gone, shuts down and exits with 128 + the signal.
   * `onInterrupt` runs first, so the command can record what it measured so far.
   */
  exitOnSignals(onInterrupt: (signal: string) => Promise<void> | void = () => undefined): void {
    const stop = async (signal: string) => {
      if (this.interruptedBy) return;
      this.interruptedBy = signal;
      try {
        await onInterrupt(signal);
      } finally {
        await this.shutdown();
        process.exit(SIGNAL_CODES[signal] ?? 143);
      }
    };
    for (const sig of Object.keys(SIGNAL_CODES)) process.on(sig, () => void stop(sig));
    // When npm or a shell is killed outright its children are re-parented: that is our cue too.
    const parent = process.ppid;
    this.parentWatch = setInterval(() => {
      if (process.ppid !== parent) void stop('SIGHUP');
    }, 500);
    this.parentWatch.unref();
  }
}

function killGroup(child: ChildProcess, exited: Promise<number>, graceMs: number): Promise<unknown> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, s);
    } catch {
      // The group is already gone.
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  return exited.finally(() => {
    clearTimeout(timer);
    // Grandchildren that outlived the leader (a browser, a web server) go too.
    signal('SIGKILL');
  });
}
