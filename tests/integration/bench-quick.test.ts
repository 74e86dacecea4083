// `npm run bench -- --quick` runs every section for real and writes its table: five sections, each with a measured floor and a ratio.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDemo } from '../../demo/launch.ts';
import { DEMO_ACCOUNT, loadEnv } from '../../scripts/config/env.ts';
import { findChromium } from '../../fixtures/browser.ts';
import { FLOOR_TARGET_FILE } from '../../bench/floors/target.ts';
import { cleanEnv, ROOT, spawnBounded } from '../helpers/commands.ts';

const SECTIONS = ['1. Smoke overhead', '2. Health gate and CLI start-up', '3. Time to verdict', '4. Report generation', '5. Footprint'];
const EARLIER = '<!-- bench:begin before -->\n## before · an earlier run\n\nkept as it was\n<!-- bench:end before -->\n';

/** The headline rows of one section: its first table's cells (Measured | aftercheck | Floor | Floor value | Ratio | …). */
function headlineRows(markdown: string, title: string): string[][] {
  const start = markdown.indexOf(`### ${title}`);
  assert.ok(start >= 0, `section "${title}" is missing`);
  const next = markdown.indexOf('\n### ', start + 4);
  const body = markdown.slice(start, next < 0 ? undefined : next);
  const table = body.split('\n\n').find((block) => block.startsWith('| Measured |'));
  assert.ok(table, `section "${title}" has no headline table:\n${body}`);
  return table
    .split('\n')
    .slice(2)
    .map((line) =>
      line
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((c) => c.trim()),
    );
}

const measured = (cell: string | undefined) => /^-?\d/.test(cell ?? '');

/** Both smoke floors against a shop with one fault: a floor that cannot fail would make every ratio to it meaningless. */
describe('the smoke floors', () => {
  const faults = [
    { fault: 'health-500', check: /health/ },
    { fault: 'js-error', check: /main page|uncaught/ },
  ];
  for (const f of faults) {
    it(`fail on a demo shop with ${f.fault}, naming the check`, async () => {
      const shop = await startDemo({ faults: [f.fault] });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-floor-'));
      try {
        const chromium = findChromium({ override: loadEnv().chromiumPath });
        fs.writeFileSync(path.join(dir, FLOOR_TARGET_FILE), JSON.stringify({ baseURL: shop.url, ...DEMO_ACCOUNT, chromium }));
        const env = cleanEnv({ FORCE_COLOR: '0' });
        const spec = await spawnBounded(
          process.execPath,
          [
            path.join(ROOT, 'node_modules/@playwright/test/cli.js'),
            'test',
            '-c',
            path.join(ROOT, 'bench/floors/smoke-spec/playwright.config.ts'),
          ],
          { cwd: dir, env, timeoutMs: 180_000 },
        );
        assert.equal(spec.code, 1, spec.stdout);
        assert.match(spec.stdout, /1 failed/, spec.stdout);
        assert.match(spec.stdout.split('\n').find((l) => l.includes('✘')) ?? '', f.check, spec.stdout);
        const core = await spawnBounded(
          process.execPath,
          ['--import', import.meta.resolve('tsx'), path.join(ROOT, 'bench/floors/smoke-core.ts')],
          {
            cwd: dir,
            env,
            timeoutMs: 180_000,
          },
        );
        assert.equal(core.code, 1, core.stderr);
        const failures = (JSON.parse(core.stdout.trim().split('\n').pop()!) as { failures: string[] }).failures;
        assert.equal(failures.length, 1, failures.join('\n'));
        assert.match(failures[0]!, f.check);
      } finally {
        await shop.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('npm run bench -- --quick', () => {
  it('writes all five sections, each with a row measured against its floor as a ratio, and keeps other labelled runs', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-bench-quick-'));
    const out = path.join(dir, 'RESULTS.md');
    fs.writeFileSync(out, `# results\n\n${EARLIER}`);
    const committed = path.join(ROOT, 'bench', 'RESULTS.md');
    const before = fs.existsSync(committed) ? fs.readFileSync(committed, 'utf8') : undefined;
    try {
      // A hang guard, not a timing assertion: the bench's speed is what it measures, never what this test checks.
      const run = await spawnBounded('npm', ['run', 'bench', '--', '--quick', '--out', out], {
        cwd: ROOT,
        env: cleanEnv({}),
        timeoutMs: 30 * 60_000,
      });
      assert.equal(run.code, 0, `${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`);
      const md = fs.readFileSync(out, 'utf8');
      assert.ok(md.includes(EARLIER), 'the earlier "before" section is kept as it was');
      assert.match(md, /<!-- bench:begin quick -->\n## quick · commit \S+/);
      assert.match(md, /Machine: \d+ × .*; Node v\d+.*Chromium \d+/);
      for (const title of SECTIONS) {
        const rows = headlineRows(md, title);
        const complete = rows.filter((r) => measured(r[1]) && r[2] && measured(r[3]) && /^\d+\.\d+×/.test(r[4] ?? ''));
        assert.ok(
          complete.length > 0,
          `section "${title}" has no row with a value, a floor and a ratio:\n${rows.map((r) => r.join(' | ')).join('\n')}`,
        );
      }
      assert.equal(
        fs.existsSync(committed) ? fs.readFileSync(committed, 'utf8') : undefined,
        before,
        'a quick run with --out leaves bench/RESULTS.md alone',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
