// The watch on the console: a block redrawn in place on a terminal, one plain line per evaluation elsewhere.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createProgress, type ProgressFrame } from '../../scripts/adapters/watch-progress.ts';

const frame = (n: number, over: Partial<ProgressFrame> = {}): ProgressFrame => ({
  evaluation: {
    at: `2026-11-26T10:0${n}:00.000Z`,
    decision: n > 2 ? 'rollback' : 'continue-monitoring',
    rule: n > 2 ? 'health-breach.major' : 'checking-period',
    signals: [
      { id: 'error_rate', title: 'Error rate', unit: '%', outcome: n > 2 ? 'fail' : 'pass', latest: 4.5, current: 2.25, limit: '≤ 1 %' },
    ],
  },
  number: n,
  deployedAt: '2026-11-26T10:00:00.000Z',
  monitorUntil: '2026-11-26T10:30:00.000Z',
  next: Date.parse(`2026-11-26T10:0${n + 1}:00.000Z`),
  detectedAt: n > 2 ? `2026-11-26T10:0${n}:00.000Z` : null,
  notes: [],
  ...over,
});

function capture(isTTY: boolean) {
  let text = '';
  return { stream: { isTTY, columns: 120, write: (s: string) => (text += s) }, text: () => text };
}

describe('watch progress', () => {
  it('without a terminal prints one plain line per evaluation: time, decision, elapsed and remaining, next evaluation, each signal', () => {
    const c = capture(false);
    const p = createProgress(c.stream, { live: true, color: false, secrets: ['s3cret-value'] });
    p.evaluated(frame(1));
    p.evaluated(frame(3, { notes: ['aftercheck: sent the decision-change alert (ROLLBACK) to s3cret-value'] }));
    const lines = c.text().trimEnd().split('\n');
    assert.equal(lines.length, 3);
    assert.match(
      lines[0]!,
      /^\[10:01:00\] evaluation 1: CONTINUE MONITORING \(checking-period\); elapsed 1m, 29m left; next evaluation 10:02:00; error_rate pass \(window 2\.25%, latest 4\.5%\)$/,
    );
    assert.match(lines[1]!, /\[REDACTED\]/);
    assert.match(lines[2]!, /evaluation 3: ROLLBACK .*; detected 10:03:00; error_rate fail/);
    assert.ok(!c.text().includes('\x1b['), 'no escape codes in a log');
  });

  it('on a terminal redraws its block in place, keeping notes above it, and signals with their window, newest value and limit', () => {
    const c = capture(true);
    const p = createProgress(c.stream, { live: true, color: false, secrets: [] });
    p.evaluated(frame(1));
    const first = c.text();
    assert.match(first, /Watching — evaluation 1 at 10:01:00: CONTINUE MONITORING/);
    assert.match(first, /Error rate\s+pass\s+window 2\.25%\s+latest 4\.5%\s+limit ≤ 1 %/);
    p.evaluated(frame(2, { notes: ['a note'] }));
    const second = c.text().slice(first.length);
    assert.ok(second.startsWith('\x1b[3F\x1b[0J'), 'moves up over the three lines it drew and clears them');
    assert.match(second, /^\x1b\[3F\x1b\[0Ja note\nWatching — evaluation 2/);
  });

  it('a live block turns into plain lines when asked (the demo, while its test run prints too)', () => {
    const c = capture(true);
    const p = createProgress(c.stream, { live: true, color: false, secrets: [] });
    p.setLive(false);
    p.evaluated(frame(1));
    assert.match(c.text(), /^\[10:01:00\] evaluation 1/);
  });
});
