// The watch loop with a fake clock: when it evaluates, when it stops (rollback, period over, a cut), and what it waits for.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextEvaluationAt, runWatchLoop, type LoopEvaluation } from '../../scripts/gates/watch.ts';
import { checkVerdictFlags } from '../../scripts/cli/verdict.ts';
import { ConfigError, type Problem } from '../../scripts/config/errors.ts';
import { parsePolicy } from '../../scripts/config/policy.ts';

const T0 = Date.parse('2026-11-26T10:00:00.000Z');
const iso = (t: number) => new Date(t).toISOString();

/** A clock that only moves when the loop sleeps, and a script of decisions by evaluation number. */
function harness(o: { decisions: (n: number) => string; periodMs: number; everyMs?: number; settleMs?: number; abortAtMs?: number }) {
  let now = T0;
  const stop = new AbortController();
  const at: number[] = [];
  const evaluate = async (d: Date): Promise<LoopEvaluation> => {
    at.push(d.getTime() - T0);
    return {
      decision: o.decisions(at.length),
      monitorUntil: iso(T0 + o.periodMs),
      complete: d.getTime() >= T0 + o.periodMs,
    };
  };
  const sleep = async (ms: number) => {
    if (o.abortAtMs !== undefined && now - T0 + ms >= o.abortAtMs) {
      now = T0 + o.abortAtMs;
      stop.abort('SIGTERM');
      return;
    }
    now += ms;
  };
  const run = (extra: { holdFinal?: Promise<unknown> } = {}) =>
    runWatchLoop({
      everyMs: o.everyMs ?? 10_000,
      settleMs: o.settleMs ?? 2_000,
      now: () => now,
      sleep,
      evaluate,
      signal: stop.signal,
      ...extra,
    });
  return { run, at };
}

describe('the watch loop', () => {
  it('evaluates every interval until the period is over, then once more after the settle time, and ends', async () => {
    const h = harness({ decisions: () => 'continue-monitoring', periodMs: 35_000 });
    const r = await h.run();
    assert.equal(r.end, 'period-over');
    assert.deepEqual(h.at, [0, 10_000, 20_000, 30_000, 37_000]);
    assert.equal(r.evaluations, 5);
  });

  it('ends at the first evaluation that decides a rollback, without waiting out the period', async () => {
    const h = harness({ decisions: (n) => (n === 3 ? 'rollback' : 'continue-monitoring'), periodMs: 600_000 });
    const r = await h.run();
    assert.equal(r.end, 'rollback');
    assert.deepEqual(h.at, [0, 10_000, 20_000]);
  });

  it('keeps watching through a hotfix or an inconclusive evaluation (only a rollback ends it early)', async () => {
    const h = harness({ decisions: (n) => (n === 2 ? 'hotfix' : n === 3 ? 'inconclusive' : 'continue-monitoring'), periodMs: 30_000 });
    const r = await h.run();
    assert.equal(r.end, 'period-over');
    assert.deepEqual(h.at, [0, 10_000, 20_000, 30_000, 32_000]);
  });

  it('is cut short by an abort while it sleeps, after the evaluations it completed', async () => {
    const h = harness({ decisions: () => 'continue-monitoring', periodMs: 600_000, abortAtMs: 25_000 });
    const r = await h.run();
    assert.equal(r.end, 'cut-short');
    assert.deepEqual(h.at, [0, 10_000, 20_000]);
  });

  it('with evidence still being made, keeps evaluating past the period until it is there, then decides once more', async () => {
    let done!: () => void;
    const tests = new Promise<void>((r) => (done = r));
    const h = harness({ decisions: () => 'continue-monitoring', periodMs: 15_000 });
    const running = h.run({ holdFinal: tests });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(h.at, [0, 10_000, 17_000], 'the period is over, but the final verdict waits');
    done();
    const r = await running;
    assert.equal(r.end, 'period-over');
    assert.deepEqual(h.at, [0, 10_000, 17_000, 17_000]);
  });

  it('a rollback decided while evidence is still being made waits for it, then decides once more and ends', async () => {
    let done!: () => void;
    const tests = new Promise<void>((r) => (done = r));
    const h = harness({ decisions: (n) => (n >= 2 ? 'rollback' : 'continue-monitoring'), periodMs: 600_000 });
    const running = h.run({ holdFinal: tests });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(h.at, [0, 10_000]);
    done();
    const r = await running;
    assert.equal(r.end, 'rollback');
    assert.deepEqual(h.at, [0, 10_000, 10_000]);
  });

  it('the next evaluation is one interval on, the last one the settle time after the period, then none', () => {
    const until = iso(T0 + 30_000);
    assert.equal(nextEvaluationAt(T0, 10_000, until, 2_000), T0 + 10_000);
    assert.equal(nextEvaluationAt(T0 + 25_000, 10_000, until, 2_000), T0 + 32_000);
    assert.equal(nextEvaluationAt(T0 + 32_000, 10_000, until, 2_000), null);
    assert.equal(nextEvaluationAt(T0, 10_000, null, 2_000), null);
  });
});

describe('how often the watch evaluates', () => {
  const base = {
    name: 'p',
    owner: { team: 't', rollbackDecider: 'lead' },
    checkingPeriods: { patch: '10m', minor: '30m', major: '4h', migration: '4h', infrastructure: '2h' },
    interval: '1m',
    signals: [{ id: 'error_rate', title: 'Error rate', query: { template: 'error_rate' }, severity: 'major', absolute: { fail: 1 } }],
  };
  it("is the policy's interval unless watch.every says otherwise", () => {
    assert.equal(parsePolicy(base, 'p').ms.watchEvery, 60_000);
    assert.equal(parsePolicy({ ...base, watch: { every: '5m' } }, 'p').ms.watchEvery, 300_000);
  });
  it('is never shorter than the interval: there would be no new data to judge', () => {
    assert.throws(
      () => parsePolicy({ ...base, watch: { every: '30s' } }, 'p'),
      (e: Error) => e instanceof ConfigError && /watch\.every.*shorter than the interval/s.test(e.message),
    );
  });
  it('--watch cannot be combined with --now or --health', () => {
    for (const v of [
      { watch: true, now: '2026-11-26T10:00:00Z' },
      { watch: true, health: 'h.json' },
    ]) {
      const problems: Problem[] = [];
      checkVerdictFlags(v, problems);
      assert.deepEqual(
        problems.map((p) => p.field),
        ['--watch'],
      );
    }
  });
});
