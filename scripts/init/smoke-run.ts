// After `npm run init` wrote a profile: runs its @smoke suite once (the real Playwright run) and says what passed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { JSONReport, JSONReportSuite } from '@playwright/test/reporter';
import { REPO_ROOT } from '../config/apps.ts';
import { childEnv } from '../config/env.ts';
import { redact } from '../config/redact.ts';
import { REPORT } from '../contract.ts';

export interface SmokeLine {
  readonly project: string;
  readonly title: string;
  readonly outcome: string;
  readonly error?: string;
}

export interface SmokeRun {
  readonly exitCode: number;
  readonly lines: readonly SmokeLine[];
  readonly reportsDir: string;
}

function collect(suite: JSONReportSuite, out: SmokeLine[]): void {
  for (const spec of suite.specs)
    for (const t of spec.tests) {
      const last = t.results[t.results.length - 1];
      const error = last?.error?.message?.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '').split('\n')[0];
      out.push({ project: t.projectName, title: spec.title, outcome: t.status, ...(error ? { error } : {}) });
    }
  for (const child of suite.suites ?? []) collect(child, out);
}

/** `npx playwright test --grep @smoke` for the profile, reports into `reportsDir`; no release manifest, so nothing to verify. */
export async function runSmoke(profile: string, url: string, reportsDir: string): Promise<SmokeRun> {
  fs.rmSync(reportsDir, { recursive: true, force: true });
  fs.mkdirSync(reportsDir, { recursive: true });
  const env = childEnv({
    AFTERCHECK_APP: profile,
    AFTERCHECK_BASE_URL: url,
    AFTERCHECK_REPORTS_DIR: reportsDir,
    AFTERCHECK_MANIFEST: path.join(reportsDir, 'no-release-manifest.json'),
    FORCE_COLOR: '0',
  });
  const cli = path.join(REPO_ROOT, 'node_modules', '@playwright', 'test', 'cli.js');
  const child = spawn(process.execPath, [cli, 'test', '--grep', '@smoke'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-8_000)));
  const exitCode = await new Promise<number>((resolve) => child.once('close', (code) => resolve(code ?? 1)));
  const results = path.join(reportsDir, REPORT.results);
  const lines: SmokeLine[] = [];
  if (fs.existsSync(results)) for (const s of (JSON.parse(fs.readFileSync(results, 'utf8')) as JSONReport).suites) collect(s, lines);
  else
    lines.push({
      project: '-',
      title: 'the suite did not run',
      outcome: 'unexpected',
      error: stderr.trim().split('\n').slice(0, 6).join(' / '),
    });
  return { exitCode, lines, reportsDir };
}

/** "✓ main page loads" lines and a count, for the terminal. */
export function describeSmoke(run: SmokeRun, secrets: readonly string[]): string[] {
  const mark: Record<string, string> = { expected: '✓', flaky: '~', skipped: '-', unexpected: '✗' };
  const smoke = run.lines.filter((l) => l.project === 'smoke');
  const passed = smoke.filter((l) => l.outcome === 'expected' || l.outcome === 'flaky').length;
  return [
    ...run.lines.map((l) => redact(`  ${mark[l.outcome] ?? '?'} [${l.project}] ${l.title}${l.error ? ` — ${l.error}` : ''}`, secrets)),
    `Smoke: ${passed} of ${smoke.length} checks passed${run.exitCode === 0 ? '' : ` (exit ${run.exitCode})`}. Reports: ${path.relative(process.cwd(), run.reportsDir) || run.reportsDir}`,
  ];
}
