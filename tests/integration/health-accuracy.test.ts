// A slice of the accuracy corpus end to end: written into a real influxd, judged by `npm run health`, scored by the table's code.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startInfluxd, type Influxd } from '../../scripts/setup/influxd.ts';
import { CASES } from '../../bench/accuracy/cases.ts';
import { inPool, judgeCase, scaleOf, writeCorpus } from '../../bench/accuracy/corpus.ts';
import { scoreCase, summarize, targetsMet, type Scored } from '../../bench/accuracy/score.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SLICE = CASES.filter((c) => c.slice);

let influx: Influxd;
let work: string;
let scored: Scored[] = [];

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-accuracy-slice-'));
  influx = await startInfluxd({ dir: path.join(work, 'influxdb') });
  const scale = scaleOf('shipped', ROOT);
  await writeCorpus(influx, SLICE, scale);
  scored = await inPool(SLICE, 2, async (c) => scoreCase(c, await judgeCase(c, scale, { root: ROOT, influxUrl: influx.url, work })));
});
after(async () => {
  await influx?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe(`a slice of the accuracy corpus (${SLICE.map((c) => c.id).join(', ')}) under the shipped policy`, () => {
  test('every case runs `npm run health` to a report and a decision', () => {
    assert.equal(scored.length, SLICE.length);
    for (const s of scored) assert.notEqual(s.verdict, 'error', `${s.id}: ${s.detail}`);
  });

  test('every case ends as its expectation says, written before it ran', () => {
    const off = scored
      .filter((s) => s.verdict !== 'correct')
      .map((s) => `${s.id}: expected ${s.expected}, got ${s.decision} (${s.detail})`);
    assert.deepEqual(off, []);
  });

  test('the table counts them, and the slice meets the targets', () => {
    const summary = summarize('shipped', 'apps/demo-shop/policy.json', scored);
    assert.equal(
      Object.values(summary.counts).reduce((a, b) => a + b, 0),
      SLICE.length,
    );
    assert.equal(summary.counts.correct, SLICE.length);
    assert.equal(targetsMet(summary).met, true, targetsMet(summary).lines.join('\n'));
  });

  test('the missing-data case names its cause, and regressions name the signal that caught them', () => {
    const m01 = scored.find((s) => s.id === 'm01')!;
    assert.match(m01.detail, /metrics stopped at/);
    assert.match(scored.find((s) => s.id === 'r02')!.detail, /memory_rss/);
  });
});
