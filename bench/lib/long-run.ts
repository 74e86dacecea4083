// Watches a long-lived scheduler between its runs: memory and open file handles once per run, and the rule that calls them flat.
import fs from 'node:fs';
import path from 'node:path';
import { cmdlineOf, fdCount, memoryOf, treeOf, type Proc } from './proctree.ts';
import { median, slope } from './stats.ts';

export interface IdleSample {
  /** VmRSS of the scheduler process, and of it with its ancestors (npm, sh, tsx's CLI), in kB. */
  readonly schedulerKb: number;
  readonly chainKb: number;
  readonly fds: number;
}

/**
 * Feeds on the process tree of `npm run synthetic` (root first). The scheduler is the deepest Node process running
 * `entry`; it is busy while a Node child (Playwright) runs. The last idle sample before each run starts is kept: one
 * before the first run, then one after each run but the last.
 */
export class SchedulerWatch {
  readonly perRun: IdleSample[] = [];
  runsEnded = 0;
  private lastIdle: IdleSample | undefined;
  private busy = false;

  constructor(private readonly entry: string) {}

  poll(tree: readonly Proc[]): void {
    const map = new Map(tree.map((p) => [p.pid, p]));
    // Found again on every poll: tsx's CLI runs `entry` in a child Node, which appears a moment after its parent; and
    // a child being spawned is, until it execs, a copy of the scheduler with the same command line (left out).
    const lines = new Map(tree.filter((p) => p.comm === 'node').map((p) => [p.pid, cmdlineOf(p.pid)]));
    const scheduler = tree.filter((p) => lines.get(p.pid)?.includes(this.entry) && lines.get(p.ppid) !== lines.get(p.pid)).pop()?.pid;
    if (scheduler === undefined) return;
    const below = treeOf(scheduler, map).slice(1);
    const busy = below.some((p) => p.comm === 'node');
    if (busy && !this.busy) this.flush();
    if (!busy && this.busy) this.runsEnded++;
    this.busy = busy;
    if (busy) return;
    const chain: number[] = [];
    for (let p: Proc | undefined = map.get(scheduler); p; p = map.get(p.ppid)) chain.push(p.pid);
    const memory = memoryOf(scheduler);
    const fds = fdCount(scheduler);
    if (!memory || fds === undefined) return;
    this.lastIdle = { schedulerKb: memory.rssKb, chainKb: chain.reduce((s, pid) => s + (memoryOf(pid)?.rssKb ?? 0), 0), fds };
  }

  /** The gap ended (a run started): keep its last idle sample. */
  private flush(): void {
    if (this.lastIdle) this.perRun.push(this.lastIdle);
    this.lastIdle = undefined;
  }
}

export interface FlatJudgement {
  readonly flat: boolean;
  readonly early: number[];
  readonly late: number[];
  readonly growth: number;
  readonly noise: number;
  readonly slopePerRun: number;
  readonly rule: string;
}

/**
 * The rule for "flat beyond noise", written before running: leave out a warm-up (the first 5 samples, or a quarter
 * when there are fewer than 20), compare the last 10 samples with the 10 after the warm-up (fewer when there are
 * fewer): flat when the median grew by no more than the early samples' own spread (max − min), or `minNoise`.
 */
export function judgeFlat(samples: readonly number[], minNoise: number, unit: string): FlatJudgement {
  const warm = Math.min(5, Math.floor(samples.length / 4));
  const rest = samples.slice(warm);
  const w = Math.max(1, Math.min(10, Math.floor(rest.length / 2)));
  const early = rest.slice(0, w);
  const late = rest.slice(-w);
  const noise = early.length ? Math.max(Math.max(...early) - Math.min(...early), minNoise) : minNoise;
  const growth = early.length && late.length ? median(late) - median(early) : NaN;
  return {
    flat: Number.isFinite(growth) && growth <= noise,
    early,
    late,
    growth,
    noise,
    slopePerRun: slope(rest),
    rule: `warm-up ${warm}, early ${early.length} vs late ${late.length} samples: flat when the median grows by ≤ max(early spread, ${minNoise} ${unit})`,
  };
}

/** Bytes of every file under a folder (0 when it does not exist). */
export function folderBytes(dir: string): number {
  let total = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += folderBytes(p);
    else if (e.isFile()) total += fs.statSync(p, { throwIfNoEntry: false })?.size ?? 0;
  }
  return total;
}
