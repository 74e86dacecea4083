// The commands the bench times, run as users run them, each in a clean aftercheck environment: the suite, the floors, npm scripts.
import fs from 'node:fs';
import path from 'node:path';
import { cleanEnv } from '../../tests/helpers/commands.ts';
import { FLOOR_TARGET_FILE, type FloorTarget } from '../floors/target.ts';
import { ACCOUNT, PLAYWRIGHT_CLI, ROOT, TSX, type BenchContext } from './context.ts';
import { measure, type Measured, type MeasureOptions } from './measure.ts';
import type { Sample } from './rounds.ts';

export type Env = Readonly<Record<string, string | undefined>>;
type Extra = Pick<MeasureOptions, 'onPoll' | 'timeoutMs' | 'pollMs'>;
/** Only the measuring options of `o` (never its env or args). */
const extra = (o: Extra): Extra => ({
  ...(o.onPoll ? { onPoll: o.onPoll } : {}),
  ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
  ...(o.pollMs ? { pollMs: o.pollMs } : {}),
});

/** The suite's environment for a run against `baseURL` into `reportsDir`: the demo's account, no manifest. */
export function suiteEnv(baseURL: string, reportsDir: string, more: Env = {}): Record<string, string> {
  return cleanEnv({
    AFTERCHECK_BASE_URL: baseURL,
    AFTERCHECK_USERNAME: ACCOUNT.username,
    AFTERCHECK_PASSWORD: ACCOUNT.password,
    AFTERCHECK_REPORTS_DIR: reportsDir,
    AFTERCHECK_MANIFEST: path.join(reportsDir, 'no-release-manifest.json'),
    ...more,
  });
}

/**
 * aftercheck's @smoke as `npx playwright test --grep @smoke` runs it, minus npx's own launcher (left out of every
 * Playwright run here, floors included): Playwright's CLI with the repository's config, from the run's own folder.
 */
export function aftercheckSmoke(
  ctx: BenchContext,
  baseURL: string,
  o: { args?: readonly string[]; env?: Env; name?: string } & Extra = {},
) {
  const dir = ctx.dir(o.name ?? 'smoke');
  const reportsDir = path.join(dir, 'reports');
  const run = measure(
    process.execPath,
    [PLAYWRIGHT_CLI, 'test', '-c', path.join(ROOT, 'playwright.config.ts'), '--grep', '@smoke', ...(o.args ?? [])],
    {
      cwd: dir,
      env: suiteEnv(baseURL, reportsDir, o.env),
      ...extra(o),
    },
  );
  return run.then((m) => ({ ...m, dir, reportsDir }));
}

/** A folder with floor-target.json for one floor run against `baseURL`. */
function floorDir(ctx: BenchContext, baseURL: string, name: string): string {
  const dir = ctx.dir(name);
  const target: FloorTarget = { baseURL, username: ACCOUNT.username, password: ACCOUNT.password, chromium: ctx.options.chromium };
  fs.writeFileSync(path.join(dir, FLOOR_TARGET_FILE), JSON.stringify(target));
  return dir;
}

/** Floor (a): the single-spec @playwright/test run (list reporter). */
export function floorSpec(ctx: BenchContext, baseURL: string, o: { args?: readonly string[] } & Extra = {}): Promise<Measured> {
  const dir = floorDir(ctx, baseURL, 'floor-spec');
  const config = path.join(ROOT, 'bench', 'floors', 'smoke-spec', 'playwright.config.ts');
  return measure(process.execPath, [PLAYWRIGHT_CLI, 'test', '-c', config, ...(o.args ?? [])], { cwd: dir, env: cleanEnv({}), ...extra(o) });
}

/** Floor (b): the bare playwright-core script; its last stdout line is its own phase times. */
export async function floorCore(ctx: BenchContext, baseURL: string, o: Extra = {}) {
  const dir = floorDir(ctx, baseURL, 'floor-core');
  const m = await measure(process.execPath, ['--import', TSX, path.join(ROOT, 'bench', 'floors', 'smoke-core.ts')], {
    cwd: dir,
    env: cleanEnv({}),
    ...extra(o),
  });
  let phases: Record<string, number> | undefined;
  try {
    phases = (JSON.parse(m.stdout.trim().split('\n').pop() ?? '') as { times: Record<string, number> }).times;
  } catch {
    phases = undefined;
  }
  return { ...m, phases };
}

/** `npm run <script> -- <args>` from the repository root (npm's --silent: no banner). */
export function npmRun(script: string, args: readonly string[], env: Env, o: Extra & { cwd?: string } = {}): Promise<Measured> {
  return measure('npm', ['run', '--silent', script, ...(args.length ? ['--', ...args] : [])], {
    cwd: o.cwd ?? ROOT,
    env: cleanEnv(env),
    ...extra(o),
  });
}

/** `node --import tsx <file> <args>` from the repository root. */
export function tsxRun(file: string, args: readonly string[], env: Env, o: Extra = {}): Promise<Measured> {
  return measure(process.execPath, ['--import', TSX, path.join(ROOT, file), ...args], { cwd: ROOT, env: cleanEnv(env), ...extra(o) });
}

/** The last lines of a run's output, for a failure note. */
export function tail(m: Pick<Measured, 'stdout' | 'stderr' | 'code'>, lines = 3): string {
  const text = `${m.stderr}\n${m.stdout}`.trim().split('\n').filter(Boolean).slice(-lines).join(' | ');
  return `exit ${m.code}${text ? `: ${text.slice(0, 300)}` : ''}`;
}

/** A run as a sample: its wall time, right when it exited with `expectedCode`, its peak memory. */
export function sampled(m: Measured, expectedCode = 0, detail?: unknown): Sample {
  return {
    value: m.wallMs,
    ok: m.code === expectedCode && !m.timedOut,
    note: tail(m),
    peakRssKb: m.peakRssKb,
    ...(m.cpuMs === undefined ? {} : { cpuMs: m.cpuMs }),
    ...(detail === undefined ? {} : { detail }),
  };
}
