// The machine a run measured on: cores, memory, Node, Chromium, the commit, and how busy the machine was (load average).
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { ROOT } from './context.ts';

export interface Machine {
  readonly cpus: string;
  readonly memory: string;
  readonly node: string;
  readonly chromium: string;
  readonly playwright: string;
  readonly influxd: string;
  readonly commit: string;
  readonly date: string;
}

function firstLine(cmd: string, args: readonly string[]): string {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', timeout: 15_000 });
  return (r.stdout ?? '').trim().split('\n')[0] || `unknown (${cmd} ${args.join(' ')} failed)`;
}

export function describeMachine(chromium: string): Machine {
  const cpus = os.cpus();
  const dirty = firstLine('git', ['status', '--porcelain', '--untracked-files=no']);
  const head = firstLine('git', ['rev-parse', '--short=10', 'HEAD']);
  return {
    cpus: `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown cpu'}`,
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    node: process.version,
    chromium: firstLine(chromium, ['--version']),
    playwright: firstLine(process.execPath, ['-p', "require('@playwright/test/package.json').version"]),
    influxd: firstLine('influxd', ['version']),
    commit: `${head}${dirty && !dirty.startsWith('unknown') ? ' with uncommitted changes' : ''}`,
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
  };
}

/** The 1-minute load average over the core count, e.g. "load 4.1 on 2 cores". */
export function loadNow(): string {
  return `load ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`;
}
