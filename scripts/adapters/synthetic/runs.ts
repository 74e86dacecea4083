// Scheduled runs on disk: one dated folder per run under <reports>/synthetic/ with its run.json, retention by count and
// age that deletes the oldest run folders and nothing else, and an index page linking every run kept.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeAtomic } from '../verdict-files.ts';
import { RUN_SOURCES } from './points.ts';

/** `2026-11-26T10.15.00.123Z`, plus `-2` and on when two runs start in the same millisecond. */
export const RUN_DIR_RE = /^\d{4}-\d{2}-\d{2}T\d{2}\.\d{2}\.\d{2}\.\d{3}Z(-\d+)?$/;
export const RUN_FILE = 'run.json';
export const INDEX_FILE = 'index.html';

export function runDirName(startedAt: Date): string {
  return startedAt.toISOString().replace(/:/g, '.');
}

/** A fresh folder for a run starting now (never reusing one). */
export function makeRunDir(root: string, startedAt: Date): string {
  fs.mkdirSync(root, { recursive: true });
  const name = runDirName(startedAt);
  for (let n = 1; ; n++) {
    const dir = path.join(root, n === 1 ? name : `${name}-${n}`);
    try {
      fs.mkdirSync(dir);
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

const at = z.iso.datetime({ offset: true });
export const runSummarySchema = z.object({
  schemaVersion: z.literal(1),
  run: z.string(),
  number: z.number().int().min(1),
  startedAt: at,
  endedAt: at,
  source: z.enum(RUN_SOURCES),
  location: z.string(),
  grep: z.string().nullable(),
  exitCode: z.number().int().nullable(),
  /** passed: every test that ran passed; failed: a test failed or the run broke; error: no results at all. */
  status: z.enum(['passed', 'failed', 'error']),
  tests: z.object({ total: z.number(), passed: z.number(), failed: z.number(), flaky: z.number(), skipped: z.number() }),
  failures: z.array(z.object({ title: z.string(), error: z.string().optional() })),
  points: z.object({ written: z.number(), error: z.string().optional() }),
  /** Runs skipped while this one was going (they were due, and never start while another run is under way). */
  skippedDuring: z.number().int().min(0),
  consecutiveFailures: z.number().int().min(0),
  alert: z.object({ kind: z.string(), ok: z.boolean(), error: z.string().optional() }).nullable(),
});
export type RunSummary = z.output<typeof runSummarySchema>;

export function writeRunSummary(dir: string, s: RunSummary): void {
  writeAtomic(path.join(dir, RUN_FILE), `${JSON.stringify(s, null, 2)}\n`);
}

export interface KeptRun {
  readonly name: string;
  readonly startedAt: number;
  readonly summary: RunSummary | null;
}

/** Every run folder under root, newest first; anything else there is not a run and is left alone. */
export function listRuns(root: string): KeptRun[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && RUN_DIR_RE.test(d.name))
    .map((d) => {
      let summary: RunSummary | null = null;
      try {
        const r = runSummarySchema.safeParse(JSON.parse(fs.readFileSync(path.join(root, d.name, RUN_FILE), 'utf8')));
        if (r.success) summary = r.data;
      } catch {
        // A run still going, or one that broke before writing its summary: listed without one.
      }
      const startedAt = Date.parse(d.name.replace(/-\d+$/, '').replace(/T(\d{2})\.(\d{2})\.(\d{2})\./, 'T$1:$2:$3.'));
      return { name: d.name, startedAt, summary };
    })
    .sort((a, b) => b.startedAt - a.startedAt || b.name.localeCompare(a.name));
}

export interface Retention {
  /** At most this many runs are kept. */
  readonly keep: number;
  /** Runs older than this are deleted. */
  readonly maxAgeMs: number;
}

/** Which runs go (pure): beyond the newest `keep`, or older than the age limit; never the run named `current`. */
export function expiredRuns(runs: readonly Pick<KeptRun, 'name' | 'startedAt'>[], r: Retention, now: number, current?: string): string[] {
  const newestFirst = [...runs].sort((a, b) => b.startedAt - a.startedAt || b.name.localeCompare(a.name));
  return newestFirst.filter((run, i) => run.name !== current && (i >= r.keep || now - run.startedAt > r.maxAgeMs)).map((run) => run.name);
}

/** Deletes the expired run folders (only folders named like runs, only under root); returns their names. */
export function applyRetention(root: string, r: Retention, now: number, current?: string): string[] {
  const gone = expiredRuns(listRuns(root), r, now, current);
  for (const name of gone) fs.rmSync(path.join(root, name), { recursive: true, force: true });
  return gone;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The index page: every run kept, newest first, with its outcome and links to its reports. */
export function renderIndex(runs: readonly KeptRun[], title: string): string {
  const rows = runs.map((r) => {
    const s = r.summary;
    const status = s ? s.status : 'running or incomplete';
    const counts = s ? `${s.tests.passed} passed, ${s.tests.failed} failed, ${s.tests.flaky} flaky, ${s.tests.skipped} skipped` : '–';
    const link = (file: string, text: string) => `<a href="${esc(`${r.name}/${file}`)}">${text}</a>`;
    const skips = s?.skippedDuring ? ` (${s.skippedDuring} skipped while it ran)` : '';
    const failures = s?.failures.length ? `<br><small>${esc(s.failures.map((f) => f.title).join('; '))}</small>` : '';
    return `<tr class="${esc(status)}"><td>${esc(new Date(r.startedAt).toISOString())}</td><td>${esc(status)}${esc(skips)}</td><td>${esc(counts)}${failures}</td><td>${link('html/index.html', 'Playwright report')} · ${link('results.json', 'results.json')} · ${link(RUN_FILE, RUN_FILE)}</td></tr>`;
  });
  const skipped = runs.reduce((n, r) => n + (r.summary?.skippedDuring ?? 0), 0);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}tr.failed td:nth-child(2),tr.error td:nth-child(2){color:#b00;font-weight:600}tr.passed td:nth-child(2){color:#070}</style>
</head><body>
<h1>${esc(title)}</h1>
<p>${runs.length} run(s) kept, newest first; ${skipped} run(s) skipped because the one before was still going.</p>
<table><thead><tr><th>Started</th><th>Outcome</th><th>Tests</th><th>Reports</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>
</body></html>
`;
}

export function writeIndex(root: string, title: string): string {
  const file = path.join(root, INDEX_FILE);
  writeAtomic(file, renderIndex(listRuns(root), title));
  return file;
}
