// `npm run accuracy`: writes the corpus into a real influxd, runs `npm run health` per case for both policies, prints and writes the table.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFlags } from '../../scripts/config/cli.ts';
import { ConfigError, EXIT } from '../../scripts/config/errors.ts';
import { startInfluxd } from '../../scripts/setup/influxd.ts';
import { CASES } from './cases.ts';
import { inPool, judgeCase, scaleOf, writeCorpus } from './corpus.ts';
import { renderConsole, renderMarkdown, scoreCase, summarize, targetsMet, type Summary } from './score.ts';
import { exitWith } from '../lib/main.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HELP = `Usage: npm run accuracy [-- options]

Scores the health gate on the seeded corpus in bench/accuracy/cases.ts: ${CASES.length} cases written into a private
influxd, each judged by \`npm run health\`, for the shipped policy (apps/demo-shop/policy.json) and the demo's compressed
one (apps/demo-shop/policy.demo.json) at its own time scale. Prints the confusion tables and writes bench/ACCURACY.md.

Options:
  --cases <ids>        only these cases, comma-separated (bench/ACCURACY.md is then left alone)
  --scale <name>       shipped or demo (default both)
  --concurrency <n>    health runs at once (default 2)
  --keep               keep the work folder (every case's health report) and print where it is
  --help               this text

Exit codes: 0 the shipped policy meets its targets (0 missed, ≤ 1 false alarm, 0 missing-data passes, every
inconclusive naming its cause), 1 it does not, 4 usage error.`;

async function main(): Promise<number> {
  const { values, problems } = parseFlags(
    process.argv.slice(2),
    {
      cases: { type: 'string' },
      scale: { type: 'string' },
      concurrency: { type: 'string' },
      keep: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    'npm run accuracy',
  );
  const only = values.cases
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const id of only ?? [])
    if (!CASES.some((c) => c.id === id))
      problems.push({ field: '--cases', value: JSON.stringify(id), message: 'is not a case', fix: 'see bench/accuracy/cases.ts' });
  const SCALES = ['shipped', 'demo'] as const;
  const scales = SCALES.filter((s) => values.scale === undefined || values.scale === s);
  if (!scales.length)
    problems.push({ field: '--scale', value: JSON.stringify(values.scale), message: 'is not a scale', fix: 'use shipped or demo' });
  const concurrency = Number(values.concurrency ?? '2');
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 8)
    problems.push({
      field: '--concurrency',
      value: JSON.stringify(values.concurrency),
      message: 'must be a whole number from 1 to 8',
      fix: 'use e.g. --concurrency 2',
    });
  if (problems.length) throw new ConfigError('command line', problems);
  if (values.help) {
    console.log(HELP);
    return EXIT.ok;
  }
  const cases = only ? CASES.filter((c) => only.includes(c.id)) : CASES;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-accuracy-'));
  const influx = await startInfluxd({ dir: path.join(work, 'influxdb') });
  try {
    const summaries: Summary[] = [];
    for (const name of scales) {
      const scale = scaleOf(name, ROOT);
      const started = Date.now();
      const lines = await writeCorpus(influx, cases, scale);
      console.log(
        `${name}: wrote ${cases.length} cases (${lines} points) in ${Math.round((Date.now() - started) / 1000)} s; judging with ${scale.policy}…`,
      );
      let done = 0;
      const scored = await inPool(cases, concurrency, async (c) => {
        const result = scoreCase(c, await judgeCase(c, scale, { root: ROOT, influxUrl: influx.url, work }));
        if (++done % 10 === 0) console.log(`  ${done}/${cases.length}`);
        return result;
      });
      const summary = summarize(name, scale.policy, scored);
      summaries.push(summary);
      console.log(renderConsole(summary));
    }
    if (!only && scales.length === 2) {
      const md = renderMarkdown(summaries, {
        generatedAt: new Date().toISOString().slice(0, 10),
        seedNote: `${cases.length} cases (${cases.filter((c) => c.kind === 'healthy').length} healthy, ${cases.filter((c) => c.kind === 'regression').length} regressions, ${cases.filter((c) => c.kind === 'missing').length} missing data), each seeded by its id, so every run writes the same data.`,
      });
      // The hand-written account of the rule changes between runs follows the generated table.
      const history = path.join(ROOT, 'bench', 'accuracy', 'history.md');
      fs.writeFileSync(path.join(ROOT, 'bench', 'ACCURACY.md'), fs.existsSync(history) ? `${md}\n${fs.readFileSync(history, 'utf8')}` : md);
      console.log('wrote bench/ACCURACY.md');
    }
    const shipped = summaries.find((s) => s.scale === 'shipped');
    return shipped && !targetsMet(shipped).met ? 1 : EXIT.ok;
  } finally {
    await influx.stop();
    if (values.keep) console.log(`reports kept in ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
}

exitWith(main, 'npm run accuracy', 3);
