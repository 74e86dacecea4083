// Unit tests of the accuracy scoring: each expectation against each kind of result lands in the right cell of the table.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CASES, type Case } from '../../bench/accuracy/cases.ts';
import { scoreCase, summarize, targetsMet, type Observed, type Verdict } from '../../bench/accuracy/score.ts';
import type { HealthReport, Outcome, SignalResult } from '../../scripts/engine/types.ts';

const caseOf = (id: string): Case => CASES.find((c) => c.id === id)!;
const signal = (id: string, outcome: Outcome, reason = `${id} ${outcome}`): SignalResult => ({ id, outcome, reason }) as SignalResult;
const observed = (exit: number, signals: SignalResult[]): Observed => ({ exit, report: { signals } as unknown as HealthReport });

describe('scoring one case', () => {
  const cases: [string, string, Observed, Verdict][] = [
    ['a healthy release that proceeds is as expected', 'h01', observed(0, [signal('cpu', 'pass')]), 'correct'],
    ['a healthy release rolled back is a false alarm', 'h01', observed(1, [signal('error_rate', 'fail')]), 'false-alarm'],
    ['a healthy release with a standing warn turned hotfix is a false alarm', 'h01', observed(2, [signal('cpu', 'warn')]), 'false-alarm'],
    [
      'a healthy release judged inconclusive is counted apart',
      'h01',
      observed(3, [signal('cpu', 'inconclusive', 'metrics stopped at x')]),
      'inconclusive-healthy',
    ],
    ['a regression that exits 0 is missed', 'r01', observed(0, [signal('error_rate', 'warn')]), 'missed'],
    ['a regression caught on its signal with its decision is as expected', 'r01', observed(1, [signal('error_rate', 'fail')]), 'correct'],
    ['a regression caught on another signal is the wrong signal', 'r01', observed(1, [signal('latency_p95', 'fail')]), 'wrong-signal'],
    [
      'a major regression that only earns a hotfix is the wrong decision',
      'r02',
      observed(2, [signal('heap_used', 'fail')]),
      'wrong-signal',
    ],
    [
      'a regression judged inconclusive is counted apart',
      'r01',
      observed(3, [signal('error_rate', 'inconclusive', 'no data for version "2"')]),
      'inconclusive-regression',
    ],
    ['missing data that passes is the worst cell', 'm01', observed(0, [signal('cpu', 'pass')]), 'missing-passed'],
    ['missing data judged a breach is counted', 'm01', observed(1, [signal('memory_rss', 'fail')]), 'missing-failed'],
    [
      'missing data inconclusive for the expected cause is as expected',
      'm01',
      observed(3, [signal('cpu', 'inconclusive', 'metrics stopped at 10:08')]),
      'correct',
    ],
    [
      'missing data inconclusive for another cause is counted',
      'm01',
      observed(3, [signal('cpu', 'inconclusive', 'no data for version "2"')]),
      'missing-wrong-cause',
    ],
    ['a gate that did not run (exit 4, no report) is an error', 'h01', { exit: 4, report: null, stderr: 'bad policy' }, 'error'],
  ];
  for (const [name, id, o, verdict] of cases) test(name, () => assert.equal(scoreCase(caseOf(id), o).verdict, verdict));

  test('an inconclusive signal whose reason names no known cause is counted as unnamed', () => {
    const s = scoreCase(caseOf('m01'), observed(3, [signal('cpu', 'inconclusive', 'something odd')]));
    assert.deepEqual(s.unnamed, ['cpu: something odd']);
  });
});

describe('the table and the targets', () => {
  test('the counts add up to the cases, and one missed regression fails the targets', () => {
    const results = [
      scoreCase(caseOf('h01'), observed(0, [])),
      scoreCase(caseOf('h02'), observed(2, [signal('cpu', 'warn')])),
      scoreCase(caseOf('r01'), observed(0, [])),
      scoreCase(caseOf('m01'), observed(3, [signal('cpu', 'inconclusive', 'metrics stopped at 10:08')])),
    ];
    const s = summarize('shipped', 'p.json', results);
    assert.equal(
      Object.values(s.counts).reduce((a, b) => a + b, 0),
      4,
    );
    assert.deepEqual(s.byKind, {
      healthy: { total: 2, correct: 1 },
      regression: { total: 1, correct: 0 },
      missing: { total: 1, correct: 1 },
    });
    const t = targetsMet(s);
    assert.equal(t.met, false);
    assert.match(t.lines.join('\n'), /✗ missed regressions: 1 \(target 0\)/);
    assert.match(t.lines.join('\n'), /✓ false alarms: 1 of 2 healthy \(target ≤ 1\)/);
  });
  test('the corpus has at least 50 healthy releases, 20 regressions and missing-data cases, and a CI slice of about ten', () => {
    const n = (k: Case['kind']) => CASES.filter((c) => c.kind === k).length;
    assert.ok(n('healthy') >= 50 && n('regression') >= 20 && n('missing') >= 5, `${n('healthy')}/${n('regression')}/${n('missing')}`);
    const slice = CASES.filter((c) => c.slice);
    assert.ok(slice.length >= 8 && slice.length <= 12, `${slice.length}`);
    assert.deepEqual(new Set(slice.map((c) => c.kind)), new Set(['healthy', 'regression', 'missing']));
    assert.equal(new Set(CASES.map((c) => c.id)).size, CASES.length, 'case ids are unique');
  });
});
