// A copy of this repository's working tree (tracked and unignored files, like a fresh clone of it) in a temp dir, sharing node_modules, for tests that change the tree.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cleanEnv, spawnBounded } from './commands.ts';
import { ROOT } from './run-suite.ts';

export interface RepoCopy {
  readonly dir: string;
  /** Runs a command in the copy with every aftercheck key cleared, then `env` applied; resolves with its exit code and output. */
  run(cmd: string, args: readonly string[], env?: Readonly<Record<string, string>>, timeoutMs?: number): Promise<CommandRun>;
  remove(): void;
}

export interface CommandRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function copyRepo(): RepoCopy {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-repo-copy-'));
  const files = execFileSync('git', ['-C', ROOT, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' })
    .split('\0')
    .filter((f) => f && f !== 'node_modules' && fs.existsSync(path.join(ROOT, f)));
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
  }
  fs.symlinkSync(fs.realpathSync(path.join(ROOT, 'node_modules')), path.join(dir, 'node_modules'), 'dir');
  return {
    dir,
    run: (cmd, args, env = {}, timeoutMs = 180_000) => spawnBounded(cmd, args, { cwd: dir, env: cleanEnv(env), timeoutMs }),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
