// Section 2, CLI start-up: `--help` of `npm run health` and `npm run verdict`, and the direct tsx start, against Node's, tsx's and npm's own start.
import fs from 'node:fs';
import path from 'node:path';
import { measure } from '../lib/measure.ts';
import { cleanEnv } from '../../tests/helpers/commands.ts';
import { npmRun, sampled, tsxRun } from '../lib/commands.ts';
import { TSX, type BenchContext } from '../lib/context.ts';
import type { SectionResult } from '../lib/model.ts';
import { alternate, pairRow, rssRow } from '../lib/rounds.ts';

// Expected before running (the issue: `npm run health -- --help` 0.52 s on a quiet machine; nothing changed since):
const EXPECT = {
  npm: '0.4–0.6 s, 1.5–3× npm’s own `npm run` of `node -e 0`; target not met',
  direct: '1.5–2.5× tsx on an empty file: the command’s imports',
  tsx: '2–4× bare Node: tsx’s loader',
};

export async function cliSection(ctx: BenchContext): Promise<SectionResult> {
  // npm's own start-up: `npm run` of a script that starts bare Node, in a package of its own.
  const npmFloor = ctx.dir('npm-noop');
  fs.writeFileSync(
    path.join(npmFloor, 'package.json'),
    JSON.stringify({ name: 'npm-noop', private: true, scripts: { noop: 'node -e 0' } }),
  );
  ctx.log('  CLI start-up, alternating rounds');
  const s = await alternate(
    [
      { id: 'npm run health --help', run: async () => sampled(await npmRun('health', ['--help'], {})) },
      { id: 'npm run noop', run: async () => sampled(await npmRun('noop', [], {}, { cwd: npmFloor })) },
      { id: 'npm run verdict --help', run: async () => sampled(await npmRun('verdict', ['--help'], {})) },
      { id: 'node -e 0', run: async () => sampled(await measure(process.execPath, ['-e', '0'], { cwd: npmFloor, env: cleanEnv({}) })) },
      { id: 'tsx health --help', run: async () => sampled(await tsxRun('scripts/cli/health.ts', ['--help'], {})) },
      { id: 'tsx empty', run: async () => sampled(await tsxRun('bench/floors/empty.ts', [], {})) },
    ],
    { rounds: ctx.quick ? 1 : ctx.options.rounds * 2, warmup: ctx.options.warmup, log: ctx.log },
  );
  const npmFloorName = '`npm run` of `node -e 0` (npm’s own start)';
  const target = { kind: 'absolute', max: 250, text: '≤ 0.25 s' } as const;
  ctx.footprint.push(
    rssRow(
      '`npm run health -- --help`',
      s['npm run health --help'],
      s['npm run noop'],
      npmFloorName,
      '1.5–3×: tsx’s CLI adds a second Node',
    ),
    rssRow('`node --import tsx scripts/cli/health.ts --help`', s['tsx health --help'], s['tsx empty'], 'tsx on an empty file', '1.1–1.5×'),
  );
  const row = (what: string, a: string, b: string, floorName: string, expected: string, withTarget = false) =>
    pairRow({ what, unit: 'ms', a: s[a], b: s[b], floorName, expected, ...(withTarget ? { target } : {}) });
  return {
    section: 2,
    title: 'CLI start-up',
    rows: [
      row('`npm run health -- --help`', 'npm run health --help', 'npm run noop', npmFloorName, EXPECT.npm, true),
      row('`npm run verdict -- --help`', 'npm run verdict --help', 'npm run noop', npmFloorName, EXPECT.npm, true),
      row(
        '`node --import tsx scripts/cli/health.ts --help`',
        'tsx health --help',
        'tsx empty',
        '`node --import tsx bench/floors/empty.ts`',
        EXPECT.direct,
      ),
      row('`node --import tsx bench/floors/empty.ts` (tsx’s loader alone)', 'tsx empty', 'node -e 0', '`node -e 0`', EXPECT.tsx),
    ],
    tables: [],
    notes: [
      `The 0.25 s target is absolute; the floors show what it leaves: npm’s own start and tsx’s loader (${TSX.replace(/^.*node_modules\//, '')}) are paid by any \`npm run\` of TypeScript.`,
    ],
  };
}
