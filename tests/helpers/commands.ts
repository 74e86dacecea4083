// Runs aftercheck's commands as users do (a child process per call), with a clean aftercheck environment plus `env`.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv, ENV_KEYS } from '../../scripts/config/env.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** tsx's loader by absolute URL, so a command may run with any working directory. */
const TSX = import.meta.resolve('tsx');

const ENTRY: Record<string, string> = {
  verdict: 'scripts/cli/verdict.ts',
  manifest: 'scripts/cli/manifest.ts',
  report: 'scripts/cli/report.ts',
  schemas: 'scripts/cli/schemas.ts',
  health: 'scripts/cli/health.ts',
  demo: 'scripts/cli/demo.ts',
  synthetic: 'scripts/cli/synthetic.ts',
  alert: 'scripts/cli/alert.ts',
};

export interface CommandRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The process environment without any aftercheck or demo key (a developer's .env cannot fill them in: set to ""), then `env`. */
export function cleanEnv(env: Readonly<Record<string, string | undefined>> = {}): Record<string, string> {
  // NODE_TEST_CONTEXT would make a nested `node --test` report to this runner instead of printing its results.
  const cleared: Record<string, string | undefined> = { NODE_TEST_CONTEXT: undefined };
  for (const key of Object.keys(childEnv())) if (/^(AFTERCHECK_|DEMO_|PLAYWRIGHT_|GITHUB_STEP_SUMMARY)/.test(key)) cleared[key] = undefined;
  for (const key of Object.keys(ENV_KEYS)) if (/^(AFTERCHECK_|DEMO_)/.test(key)) cleared[key] = '';
  return childEnv({ ...cleared, NO_COLOR: '1', FORCE_COLOR: '0', ...env });
}

/** `npm run <name> -- <args>`, synchronously; `cwd` defaults to the repository root. */
export function command(
  name: keyof typeof ENTRY | string,
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
  cwd = ROOT,
): CommandRun {
  const r = spawnSync(process.execPath, ['--import', TSX, path.join(ROOT, ENTRY[name] ?? name), ...args], {
    cwd,
    env: cleanEnv(env),
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `npx playwright test <args>` in the repository root, asynchronously (it may serve a demo shop the test also talks to). */
export function playwright(args: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<CommandRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/@playwright/test/cli.js'), 'test', ...args], {
      cwd: ROOT,
      env: cleanEnv(env),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface BoundedRun extends CommandRun {
  /** The command outlived its time and was killed with its whole process group. */
  readonly timedOut: boolean;
}

/** Runs a command in its own process group, collecting its output; past `timeoutMs` the whole group is killed. */
export function spawnBounded(
  cmd: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs: number },
): Promise<BoundedRun> {
  const child = spawn(cmd, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }, options.timeoutMs);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    }),
  );
}
