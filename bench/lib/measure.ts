// Runs one command as a child process and measures it: wall time, exit code, output, and its process tree's peak memory and launches.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listProcs, treeOf, treeRssKb, type Proc } from './proctree.ts';

export interface Measured {
  readonly wallMs: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  /** Epoch ms of the spawn and of the exit: to line the run up with the times in its own reports. */
  readonly startedAt: number;
  readonly endedAt: number;
  /** The highest sum of VmRSS over the tree seen by the poller (every `pollMs`), in kB. */
  readonly peakRssKb: number;
  /**
   * CPU time (user + sys) of the command and every descendant it waited for, from GNU time's rusage; undefined where
   * /usr/bin/time is missing. Less sensitive than wall time to other work on the machine.
   */
  readonly cpuMs: number | undefined;
  /** Browsers started (Chromium processes whose parent is not Chromium) and Node processes seen in the tree. */
  readonly browsers: number;
  readonly nodes: number;
}

export interface MeasureOptions {
  readonly cwd: string;
  readonly env: Record<string, string>;
  readonly timeoutMs?: number;
  readonly pollMs?: number;
  /** Called on every poll with the tree (root first), e.g. to sample one process of it. */
  readonly onPoll?: (tree: readonly Proc[], at: number) => void;
}

const MAX_OUTPUT = 4 * 1024 * 1024;
const GNU_TIME = '/usr/bin/time';
const hasTime = fs.existsSync(GNU_TIME);
let timeFiles = 0;

/** GNU time's last line, "<user s> <sys s>" (a line before it may say the command failed). */
function cpuFrom(file: string): number | undefined {
  try {
    const last = fs.readFileSync(file, 'utf8').trim().split('\n').pop() ?? '';
    const m = /^(\d+\.\d+) (\d+\.\d+)$/.exec(last);
    return m ? (Number(m[1]) + Number(m[2])) * 1000 : undefined;
  } catch {
    return undefined;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** Runs `cmd args` in its own process group; past the timeout the whole group is killed and timedOut is set. */
export function measure(cmd: string, args: readonly string[], o: MeasureOptions): Promise<Measured> {
  const timeFile = path.join(os.tmpdir(), `aftercheck-bench-time-${process.pid}-${++timeFiles}.txt`);
  const [file, argv] = hasTime ? [GNU_TIME, ['-f', '%U %S', '-o', timeFile, cmd, ...args]] : [cmd, [...args]];
  const startedAt = Date.now();
  const t0 = performance.now();
  const child = spawn(file, argv, { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => stdout.length < MAX_OUTPUT && (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => stderr.length < MAX_OUTPUT && (stderr += c));
  let peakRssKb = 0;
  const browsers = new Set<number>();
  const nodes = new Set<number>();
  const poll = () => {
    if (!child.pid) return;
    const procs = listProcs();
    const tree = treeOf(child.pid, procs);
    peakRssKb = Math.max(peakRssKb, treeRssKb(tree));
    for (const p of tree) {
      if (p.comm === 'chromium' && procs.get(p.ppid)?.comm !== 'chromium') browsers.add(p.pid);
      if (p.comm === 'node') nodes.add(p.pid);
    }
    o.onPoll?.(tree, Date.now());
  };
  const timer = setInterval(poll, o.pollMs ?? 100);
  let timedOut = false;
  const killer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }, o.timeoutMs ?? 600_000);
  return new Promise((resolve) => {
    let wallMs = 0;
    let endedAt = 0;
    child.once('exit', () => {
      wallMs = performance.now() - t0;
      endedAt = Date.now();
    });
    child.once('error', (e) => (stderr += `spawn failed: ${e.message}\n`));
    child.once('close', (code) => {
      clearInterval(timer);
      clearTimeout(killer);
      // A grandchild that outlived its parent (a browser still closing) must not outlive the bench.
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // The group is gone: the normal case.
      }
      resolve({
        wallMs: wallMs || performance.now() - t0,
        code,
        stdout,
        stderr,
        timedOut,
        startedAt,
        endedAt: endedAt || Date.now(),
        peakRssKb,
        cpuMs: hasTime ? cpuFrom(timeFile) : undefined,
        browsers: browsers.size,
        nodes: nodes.size,
      });
    });
  });
}
