// Git, read-only, for manifest derivation: resolve refs and list changed files with renames (execFile, no shell, so refs are never interpreted).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { childEnv } from '../config/env.ts';

const run = promisify(execFile);

export type ChangeStatus = 'added' | 'modified' | 'deleted' | 'renamed' | 'copied' | 'type-changed' | 'unmerged' | 'unknown';

export interface GitChange {
  readonly status: ChangeStatus;
  /** The path after the change (for a deleted file: the path it had). */
  readonly path: string;
  /** For renames and copies: the path before. */
  readonly oldPath?: string;
}

export class GitError extends Error {
  constructor(
    message: string,
    readonly kind: 'missing-git' | 'not-a-repo' | 'bad-ref' | 'failed',
  ) {
    super(message);
    this.name = 'GitError';
  }
}

async function git(repo: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await run('git', ['-C', repo, ...args], { maxBuffer: 64 * 1024 * 1024, encoding: 'utf8', env: GIT_ENV });
    return stdout;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new GitError('git is not installed (apt-get install -y git)', 'missing-git');
    const stderr = (e.stderr ?? e.message).trim();
    if (/not a git repository/i.test(stderr)) throw new GitError(`${repo} is not inside a git repository`, 'not-a-repo');
    throw new GitError(`git ${args.join(' ')} failed: ${stderr.split('\n')[0]}`, 'failed');
  }
}

/**
 * Prompts and pagers off (this runs unattended in CI), C locale for parseable messages, and no inherited GIT_DIR/GIT_WORK_TREE,
 * which would silently point every command at another repository than `repo`.
 */
const GIT_ENV = childEnv({
  GIT_TERMINAL_PROMPT: '0',
  GIT_PAGER: 'cat',
  LC_ALL: 'C',
  GIT_DIR: undefined,
  GIT_WORK_TREE: undefined,
  GIT_INDEX_FILE: undefined,
});

/** The commit a ref names, or undefined when the repository has no such commit. Refs starting with "-" are refused (they would read as options). */
export async function resolveCommit(repo: string, ref: string): Promise<string | undefined> {
  if (!ref || ref.startsWith('-')) return undefined;
  try {
    return (await git(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim() || undefined;
  } catch (err) {
    if (err instanceof GitError && err.kind === 'failed') return undefined;
    throw err;
  }
}

const STATUS: Record<string, ChangeStatus> = {
  A: 'added',
  M: 'modified',
  D: 'deleted',
  R: 'renamed',
  C: 'copied',
  T: 'type-changed',
  U: 'unmerged',
};

/** Parses `git diff --name-status -z` output: NUL-separated, so file names with spaces, tabs or newlines survive. */
export function parseNameStatus(output: string): GitChange[] {
  const fields = output.split('\0');
  const changes: GitChange[] = [];
  for (let i = 0; i < fields.length;) {
    const code = fields[i++];
    if (!code) continue;
    const status = STATUS[code[0] ?? ''] ?? 'unknown';
    if (status === 'renamed' || status === 'copied') {
      const oldPath = fields[i++] ?? '';
      const path = fields[i++] ?? '';
      changes.push({ status, path, oldPath });
    } else {
      changes.push({ status, path: fields[i++] ?? '' });
    }
  }
  return changes;
}

/**
 * Files changed between two commits, with rename detection. `--relative` keeps paths relative to `repo` (a project inside a
 * monorepo maps its own files with its own globs, and changes outside it are not its changes).
 */
export async function changedFiles(repo: string, from: string, to: string): Promise<GitChange[]> {
  const out = await git(repo, ['diff', '--name-status', '-z', '-M', '--relative', '--no-color', '--no-ext-diff', from, to, '--']);
  return parseNameStatus(out);
}

/** The top level of the work tree containing `dir`; throws GitError when there is none. */
export async function repoRoot(dir: string): Promise<string> {
  return (await git(dir, ['rev-parse', '--show-toplevel'])).trim();
}
