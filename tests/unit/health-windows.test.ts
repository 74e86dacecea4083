// Unit tests of the health windows: current window after the deploy, baseline windows, whole intervals, checking period.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { baselineCandidates, computeWindows, intervalStarts, type WindowInput } from '../../scripts/engine/windows.ts';
import type { ChangeSize } from '../../scripts/config/manifest.ts';
import { durationsMs } from '../../scripts/config/policy.ts';

const periods = { patch: '10m', minor: '30m', major: '4h', migration: '4h', infrastructure: '2h' };
/** The window settings of a policy, with its durations in ms as policy loading computes them. */
const policy = (over: Partial<Omit<WindowInput['policy'], 'ms'>> = {}): WindowInput['policy'] => {
  const p = {
    checkingPeriods: periods,
    interval: '1m',
    warmup: '1m',
    baseline: { window: 'before-deploy', matchVersion: true } as const,
    ...over,
  };
  return { ...p, ms: durationsMs(p) };
};

interface Case {
  name: string;
  deployedAt: string;
  now: string;
  changeSize?: ChangeSize;
  policy?: Partial<Omit<WindowInput['policy'], 'ms'>>;
  current: [string, string];
  baseline: [string, string];
  intervals: number;
  monitorUntil: string;
  complete: boolean;
}

const cases: Case[] = [
  {
    name: 'mid-period: the current window runs from deploy + warm-up to now, in whole minutes; the baseline is as long and ends at the deploy',
    deployedAt: '2026-05-04T10:00:30Z',
    now: '2026-05-04T10:05:10Z',
    current: ['10:02:00', '10:05:00'],
    baseline: ['09:57:00', '10:00:00'],
    intervals: 3,
    monitorUntil: '10:10:30',
    complete: false,
  },
  {
    name: 'after the period: the current window stops at deploy + period and the period is complete',
    deployedAt: '2026-05-04T10:00:30Z',
    now: '2026-05-04T12:00:00Z',
    current: ['10:02:00', '10:10:00'],
    baseline: ['09:52:00', '10:00:00'],
    intervals: 8,
    monitorUntil: '10:10:30',
    complete: true,
  },
  {
    name: 'a major change watches for 4 hours',
    deployedAt: '2026-05-04T10:00:00Z',
    now: '2026-05-04T11:00:00Z',
    changeSize: 'major',
    current: ['10:01:00', '11:00:00'],
    baseline: ['09:01:00', '10:00:00'],
    intervals: 59,
    monitorUntil: '14:00:00',
    complete: false,
  },
  {
    name: 'the same time yesterday as baseline',
    deployedAt: '2026-05-04T10:00:00Z',
    now: '2026-05-04T10:30:00Z',
    policy: { baseline: { window: 'yesterday', matchVersion: true } },
    current: ['10:01:00', '10:10:00'],
    baseline: ['2026-05-03T10:01:00', '2026-05-03T10:10:00'],
    intervals: 9,
    monitorUntil: '10:10:00',
    complete: true,
  },
  {
    name: 'the same time a week ago as baseline',
    deployedAt: '2026-05-04T10:00:00Z',
    now: '2026-05-04T10:05:00Z',
    policy: { baseline: { window: 'last-week', matchVersion: true } },
    current: ['10:01:00', '10:05:00'],
    baseline: ['2026-04-27T10:01:00', '2026-04-27T10:05:00'],
    intervals: 4,
    monitorUntil: '10:10:00',
    complete: false,
  },
  {
    name: 'within the warm-up there is no whole interval yet',
    deployedAt: '2026-05-04T10:00:00Z',
    now: '2026-05-04T10:00:50Z',
    current: ['10:01:00', '10:01:00'],
    baseline: ['10:00:00', '10:00:00'],
    intervals: 0,
    monitorUntil: '10:10:00',
    complete: false,
  },
  {
    name: 'a deploy time in the future leaves an empty window',
    deployedAt: '2026-05-04T11:00:00Z',
    now: '2026-05-04T10:00:00Z',
    current: ['11:01:00', '11:01:00'],
    baseline: ['11:00:00', '11:00:00'],
    intervals: 0,
    monitorUntil: '11:10:00',
    complete: false,
  },
  {
    name: 'a compressed policy (2 s interval, no warm-up) aligns on 2 s buckets',
    deployedAt: '2026-05-04T10:00:01.500Z',
    now: '2026-05-04T10:00:31.900Z',
    policy: { interval: '2s', warmup: '0s', checkingPeriods: { ...periods, patch: '1m' } },
    current: ['10:00:02', '10:00:30'],
    baseline: ['09:59:32', '10:00:00'],
    intervals: 14,
    monitorUntil: '10:01:01.500',
    complete: false,
  },
];

const at = (s: string) => new Date(s.includes('T') ? `${s}Z`.replace('ZZ', 'Z') : `2026-05-04T${s}Z`).toISOString();

describe('health windows', () => {
  for (const c of cases) {
    test(c.name, () => {
      const w = computeWindows({
        deployedAt: c.deployedAt,
        now: new Date(c.now),
        changeSize: c.changeSize ?? 'patch',
        policy: policy(c.policy),
      });
      assert.deepEqual(w.current, { start: at(c.current[0]), end: at(c.current[1]) });
      assert.deepEqual(w.baseline, { start: at(c.baseline[0]), end: at(c.baseline[1]) });
      assert.equal(w.intervals, c.intervals);
      assert.equal(w.monitorUntil, at(c.monitorUntil));
      assert.equal(w.complete, c.complete);
      // The baseline is always as long as the current window.
      assert.equal(Date.parse(w.baseline.end) - Date.parse(w.baseline.start), Date.parse(w.current.end) - Date.parse(w.current.start));
    });
  }

  test('an unparsable deploy time is refused', () => {
    assert.throws(() => computeWindows({ deployedAt: 'yesterday', now: new Date(), changeSize: 'patch', policy: policy() }), RangeError);
  });
});

describe('baseline candidates', () => {
  const w = computeWindows({
    deployedAt: '2026-05-04T14:00:00Z',
    now: new Date('2026-05-04T14:31:00Z'),
    changeSize: 'minor',
    policy: policy(),
  });
  test('time-of-day tries yesterday, last week (any version), then before the deploy', () => {
    assert.deepEqual(
      baselineCandidates(w, 'time-of-day').map((c) => [c.source, c.window.start, c.window.end, c.anyVersion]),
      [
        ['yesterday', '2026-05-03T14:01:00.000Z', '2026-05-03T14:30:00.000Z', true],
        ['last-week', '2026-04-27T14:01:00.000Z', '2026-04-27T14:30:00.000Z', true],
        ['before-deploy', '2026-05-04T13:31:00.000Z', '2026-05-04T14:00:00.000Z', false],
      ],
    );
  });
  test('an explicit choice is the only candidate, matched by version', () =>
    assert.deepEqual(
      baselineCandidates(w, 'yesterday').map((c) => [c.source, c.anyVersion]),
      [['yesterday', false]],
    ));
  test('a shifted window that would reach into the release is left out', () => {
    const long = computeWindows({
      deployedAt: '2026-05-04T14:00:00Z',
      now: new Date('2026-05-06T14:00:00Z'),
      changeSize: 'major',
      policy: policy({ checkingPeriods: { ...periods, major: '2d' } }),
    });
    assert.deepEqual(
      baselineCandidates(long, 'time-of-day').map((c) => c.source),
      ['last-week', 'before-deploy'],
    );
  });
  test('the policy default time-of-day reports yesterday as its window', () => {
    const tod = computeWindows({
      deployedAt: '2026-05-04T14:00:00Z',
      now: new Date('2026-05-04T14:31:00Z'),
      changeSize: 'minor',
      policy: policy({ baseline: { window: 'time-of-day', matchVersion: true } }),
    });
    assert.equal(tod.baseline.start, '2026-05-03T14:01:00.000Z');
  });
  test('interval starts cover the window in whole intervals', () =>
    assert.deepEqual(
      intervalStarts({ start: '2026-05-04T14:00:00Z', end: '2026-05-04T14:03:30Z' }, 60_000),
      [0, 1, 2].map((i) => Date.parse('2026-05-04T14:00:00Z') + i * 60_000),
    ));
});
