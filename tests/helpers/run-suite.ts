// Runs the real Playwright suite as a child process with a fresh temp reports dir; returns exit code, output, timing and the parsed results.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JSONReport, JSONReportSuite } from '@playwright/test/reporter';
import { cleanEnv, spawnBounded } from './commands.ts';
import type { VerifySelection } from '../../scripts/engine/types.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface RunTest {
  readonly project: string;
  readonly file: string;
  /** describe titles, outermost first (without the file). */
  readonly describes: readonly string[];
  readonly title: string;
  /** With "@", as written in the specs. */
  readonly tags: readonly string[];
  /** Playwright's verdict: expected (passed), unexpected (failed), flaky, skipped. */
  readonly outcome: 'expected' | 'unexpected' | 'flaky' | 'skipped';
  /** The last attempt's status; undefined when the test never ran. */
  readonly status?: string;
  readonly error?: string;
  readonly annotations: readonly { readonly type: string; readonly description?: string }[];
}

export interface SuiteRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
  readonly reportsDir: string;
  readonly report?: JSONReport;
  readonly tests: readonly RunTest[];
  readonly selection?: VerifySelection;
  /** Tests of a project that failed (outcome unexpected). */
  failed(project?: string): RunTest[];
  passed(project?: string): RunTest[];
  inProject(project: string): RunTest[];
  /** Removes the reports dir. */
  cleanup(): void;
}

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

function flatten(suite: JSONReportSuite, describes: string[], out: RunTest[]): void {
  for (const spec of suite.specs) {
    for (const t of spec.tests) {
      const last = t.results[t.results.length - 1];
      out.push({
        project: t.projectName,
        file: spec.file,
        describes,
        title: spec.title,
        tags: spec.tags.map((tag) => (tag.startsWith('@') ? tag : `@${tag}`)),
        outcome: t.status,
        status: last?.status,
        error: last?.error?.message?.replace(ANSI, ''),
        // Playwright lists runtime annotations both on the test and on its last result.
        annotations: [
          ...new Map(
            [...t.annotations, ...(last?.annotations ?? [])].map((a) => [
              `${a.type}\0${a.description ?? ''}`,
              { type: a.type, description: a.description },
            ]),
          ).values(),
        ],
      });
    }
  }
  for (const child of suite.suites ?? []) flatten(child, [...describes, child.title], out);
}

export interface RunOptions {
  /** Hard stop for the child (default 180 s); the test fails rather than hanging. */
  readonly timeoutMs?: number;
}

/**
 * `npx playwright test <args>` in the project root. The child's environment is this process's, with every aftercheck and
 * demo key cleared (set to "" so a developer's .env cannot fill them in), then `env` applied, with a fresh
 * AFTERCHECK_REPORTS_DIR and, unless given, a manifest path that does not exist.
 */
export async function runSuite(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  options: RunOptions = {},
): Promise<SuiteRun> {
  const reportsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-suite-run-'));
  const childEnvironment = cleanEnv({
    AFTERCHECK_REPORTS_DIR: reportsDir,
    AFTERCHECK_MANIFEST: path.join(reportsDir, 'no-release-manifest.json'),
    FORCE_COLOR: '0',
    ...env,
  });

  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 180_000;
  const { code, stdout, stderr, timedOut } = await spawnBounded('npx', ['playwright', 'test', ...args], {
    cwd: ROOT,
    env: childEnvironment,
    timeoutMs,
  });
  const durationMs = Date.now() - started;
  if (timedOut)
    throw new Error(
      `the suite did not finish within ${timeoutMs} ms (args: ${args.join(' ')})\n${stdout.slice(-4000)}\n${stderr.slice(-2000)}`,
    );

  const resultsFile = path.join(reportsDir, 'results.json');
  const report = fs.existsSync(resultsFile) ? (JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as JSONReport) : undefined;
  const tests: RunTest[] = [];
  for (const s of report?.suites ?? []) flatten(s, [], tests);
  const selectionFile = path.join(reportsDir, 'verify-selection.json');
  const selection = fs.existsSync(selectionFile) ? (JSON.parse(fs.readFileSync(selectionFile, 'utf8')) as VerifySelection) : undefined;
  const of = (project?: string) => tests.filter((t) => project === undefined || t.project === project);
  return {
    code,
    stdout: stdout.replace(ANSI, ''),
    stderr: stderr.replace(ANSI, ''),
    durationMs,
    reportsDir,
    report,
    tests,
    selection,
    failed: (project) => of(project).filter((t) => t.outcome === 'unexpected'),
    passed: (project) => of(project).filter((t) => t.outcome === 'expected'),
    inProject: (project) => of(project),
    cleanup: () => fs.rmSync(reportsDir, { recursive: true, force: true }),
  };
}

/** A short account of a run for assertion messages: exit code and each test's outcome and first error line. */
export function summary(run: SuiteRun): string {
  const lines = run.tests.map((t) => `  [${t.project}] ${t.title}: ${t.outcome}${t.error ? ` — ${t.error.split('\n')[0]}` : ''}`);
  return `exit ${run.code} after ${run.durationMs} ms\n${lines.join('\n')}\n--- stderr ---\n${run.stderr.slice(-1500)}`;
}
