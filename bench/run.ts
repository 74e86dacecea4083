// `npm run bench`: every headline of issue 13 as a ratio to a floor measured in the same run, in alternating rounds; a table and bench/RESULTS.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { findChromium } from '../fixtures/browser.ts';
import { parseFlags } from '../scripts/config/cli.ts';
import { loadEnv, reportsDirOf } from '../scripts/config/env.ts';
import { ConfigError, EXIT } from '../scripts/config/errors.ts';
import { BenchContext, ROOT } from './lib/context.ts';
import { describeMachine, loadNow } from './lib/machine.ts';
import type { SectionResult } from './lib/model.ts';
import { consoleLines } from './lib/render.ts';
import { renderRun } from './lib/results-body.ts';
import { mergeResults } from './lib/results-file.ts';
import { cliSection } from './sections/cli.ts';
import { footprintSection } from './sections/footprint.ts';
import { healthSection } from './sections/health.ts';
import { reportSection } from './sections/report.ts';
import { smokeSection } from './sections/smoke.ts';
import { verdictTimeSection } from './sections/verdict-time.ts';
import { exitWith } from './lib/main.ts';

/** In the order they run: footprint last, since it gathers the peak memory the others measured. */
const SECTIONS = {
  smoke: smokeSection,
  health: healthSection,
  cli: cliSection,
  verdict: verdictTimeSection,
  report: reportSection,
  footprint: footprintSection,
} as const satisfies Record<string, (ctx: BenchContext) => Promise<SectionResult>>;
type SectionId = keyof typeof SECTIONS;
const IDS = Object.keys(SECTIONS) as SectionId[];

const HELP = `Usage: npm run bench [-- options]

Measures aftercheck against floors in bench/floors/, each in the same run, in alternating rounds (A, B, A, B…):
  1 smoke     @smoke on a running demo shop vs a single-spec @playwright/test run and a bare playwright-core script;
              where the time goes (phases, reporters, config load, browsers, sign-ins); a closed port
  2 health    npm run health vs its own InfluxQL requests replayed over HTTP, at 1×, 10× and 100× data density
    cli       CLI start-up: npm run health/verdict -- --help vs npm's, Node's and tsx's own start
  3 verdict   npm run demo: deploy → first decision, and watch detection latency (--fault-after)
  4 report    npm run report vs a bare npx allure generate of the same results
  5 footprint peak memory of each command vs its floor; memory and file handles over 50 scheduled synthetic runs;
              reports/ after one run and after 50 with retention
Prints a table and writes the results as a labelled section of a Markdown file (other labels are kept).

Options:
  --quick           every section with one or two rounds and small data (about two minutes on a quiet machine)
  --out <file>      where to write (default bench/RESULTS.md; with --quick, <reports>/bench-quick.md, so a quick run
                    never overwrites the committed results unless asked)
  --label <name>    the section of the file to replace or add (default "latest"; "quick" with --quick)
  --only <ids>      only these sections, comma-separated: ${IDS.join(', ')}
  --rounds <n>      alternating rounds of the headline measurements (default 5; 1 with --quick)
  --help            this text

Exit codes: 0 written (targets met or not: the file says), 1 a section failed, 4 usage error.`;

function options(argv: readonly string[]) {
  const { values, problems } = parseFlags(
    argv,
    {
      quick: { type: 'boolean' },
      out: { type: 'string' },
      label: { type: 'string' },
      only: { type: 'string' },
      rounds: { type: 'string' },
      help: { type: 'boolean' },
    },
    'npm run bench',
  );
  const only = (values.only ?? IDS.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const id of only)
    if (!IDS.includes(id as SectionId))
      problems.push({ field: '--only', value: JSON.stringify(id), message: 'is not a section', fix: `use any of ${IDS.join(', ')}` });
  const quick = !!values.quick;
  const rounds = Number(values.rounds ?? (quick ? 1 : 5));
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 50)
    problems.push({
      field: '--rounds',
      value: JSON.stringify(values.rounds),
      message: 'must be a whole number from 1 to 50',
      fix: 'use e.g. --rounds 5',
    });
  const label = values.label ?? (quick ? 'quick' : 'latest');
  if (!/^[\w.-]+$/.test(label))
    problems.push({
      field: '--label',
      value: JSON.stringify(label),
      message: 'may hold letters, digits, ".", "_" and "-"',
      fix: 'use e.g. --label before',
    });
  if (problems.length) throw new ConfigError('command line', problems);
  const out = path.resolve(values.out ?? (quick ? path.join(reportsDirOf(), 'bench-quick.md') : path.join(ROOT, 'bench', 'RESULTS.md')));
  return { help: !!values.help, quick, rounds, label, out, only: IDS.filter((id) => only.includes(id)) };
}

async function main(): Promise<number> {
  const o = options(process.argv.slice(2));
  if (o.help) {
    console.log(HELP);
    return EXIT.ok;
  }
  const browser = findChromium({ override: loadEnv().chromiumPath, playwrightManaged: chromium.executablePath() });
  const machine = describeMachine(browser);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-bench-'));
  const log = (line: string) => console.log(line);
  const ctx = new BenchContext({ quick: o.quick, rounds: o.rounds, warmup: o.quick ? 0 : 1, chromium: browser }, work, log);
  const started = Date.now();
  const load = { start: loadNow(), end: '', sections: [] as string[] };
  const results: SectionResult[] = [];
  const failures: string[] = [];
  try {
    for (const id of o.only) {
      log(`\n▶ ${id} (${loadNow()})`);
      load.sections.push(`${id} ${os.loadavg()[0]!.toFixed(1)}`);
      try {
        results.push(await SECTIONS[id](ctx));
      } catch (e) {
        failures.push(`${id}: ${(e as Error).stack ?? String(e)}`);
        log(`  section ${id} failed: ${(e as Error).message}`);
      }
    }
  } finally {
    await ctx.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
  load.end = loadNow();
  const minutes = (Date.now() - started) / 60_000;
  log(consoleLines(results).join('\n'));
  const body = renderRun({ label: o.label, machine, quick: o.quick, rounds: o.rounds, load, minutes, results, failures });
  fs.mkdirSync(path.dirname(o.out), { recursive: true });
  fs.writeFileSync(o.out, mergeResults(fs.existsSync(o.out) ? fs.readFileSync(o.out, 'utf8') : undefined, o.label, body));
  log(`\nwritten ${path.relative(process.cwd(), o.out) || o.out} (section "${o.label}", ${minutes.toFixed(1)} min)`);
  if (failures.length) console.error(`\n${failures.join('\n\n')}`);
  return failures.length ? 1 : EXIT.ok;
}

exitWith(main, 'npm run bench', 1);
