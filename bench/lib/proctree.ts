// Reads Linux /proc: a process tree (parent links), each process's resident memory and open file handles.
import fs from 'node:fs';

export interface Proc {
  readonly pid: number;
  readonly ppid: number;
  /** The executable's short name (/proc/<pid>/stat), e.g. node, chromium, influxd. */
  readonly comm: string;
}

/** Every process now running, by pid; processes that vanish while being read are left out. */
export function listProcs(): Map<number, Proc> {
  const out = new Map<number, Proc>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    out.set(Number(name), { pid: Number(name), ppid: Number(fields[1]), comm: stat.slice(stat.indexOf('(') + 1, close) });
  }
  return out;
}

/** The root and every process below it. */
export function treeOf(root: number, procs: ReadonlyMap<number, Proc>): Proc[] {
  const children = new Map<number, Proc[]>();
  for (const p of procs.values()) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out: Proc[] = [];
  const rootProc = procs.get(root);
  if (!rootProc) return out;
  const queue = [rootProc];
  while (queue.length) {
    const p = queue.shift()!;
    out.push(p);
    queue.push(...(children.get(p.pid) ?? []));
  }
  return out;
}

/** VmRSS and VmHWM (peak) in kB, or undefined when the process is gone (or a kernel thread). */
export function memoryOf(pid: number): { rssKb: number; hwmKb: number } | undefined {
  let status: string;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  const rssKb = kb('VmRSS');
  return Number.isFinite(rssKb) ? { rssKb, hwmKb: kb('VmHWM') } : undefined;
}

/** Open file handles (entries of /proc/<pid>/fd), or undefined when the process is gone. */
export function fdCount(pid: number): number | undefined {
  try {
    return fs.readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return undefined;
  }
}

export function cmdlineOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** The sum of VmRSS over a tree, in kB (shared pages are counted in every process that maps them, as `ps` does). */
export function treeRssKb(tree: readonly Proc[]): number {
  return tree.reduce((sum, p) => sum + (memoryOf(p.pid)?.rssKb ?? 0), 0);
}
