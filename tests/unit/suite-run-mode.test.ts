// How Playwright was started decides what a run may write: listing writes nothing, a shard only its blob report, a
// merge every report; a shard records itself under its own key, and a sharded run needs one run id.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReporterDescription } from '@playwright/test';
import { checkShardable, reportersFor, runModeOf, type RunMode } from '../../fixtures/run-mode.ts';
import { combineRepeats } from '../../scripts/adapters/playwright-results.ts';
import { runMetadata } from '../../fixtures/run-record.ts';
import { ConfigError } from '../../scripts/config/errors.ts';
import { RUN_METADATA_KEY, SHARD_METADATA_PREFIX } from '../../scripts/contract.ts';
import { attestation, test } from './verdict-fixtures.ts';

const PW = ['/usr/bin/node', '/repo/node_modules/@playwright/test/cli.js'];

describe('run mode from the command line', () => {
  const rows: [string, string[], RunMode][] = [
    ['a plain run', ['test'], { kind: 'run' }],
    ['--list lists, even with other flags', ['test', '--grep', '@smoke', '--list'], { kind: 'list' }],
    ['--shard=2/3 is shard 2 of 3', ['test', '--shard=2/3'], { kind: 'shard', current: 2, total: 3 }],
    ['--shard 1/2 (two words) is shard 1 of 2', ['test', '--shard', '1/2'], { kind: 'shard', current: 1, total: 2 }],
    ['--shard=1/1 is the whole run', ['test', '--shard=1/1'], { kind: 'run' }],
    ['merge-reports merges', ['merge-reports', '--config', 'playwright.config.ts', 'reports/blob-report'], { kind: 'merge' }],
    ['a worker process (no subcommand) is a plain run', [], { kind: 'run' }],
  ];
  for (const [name, args, want] of rows) it(name, () => assert.deepEqual(runModeOf([...PW, ...args]), want));
});

describe('reporters by mode', () => {
  const full: ReporterDescription[] = [['list'], ['html'], ['json'], ['junit'], ['/x/allure.ts'], ['/x/selection.ts'], ['/x/scrub.ts']];
  const full2: ReporterDescription[] = [...full.slice(0, 5), ['/x/selection.ts', { outputFile: '/r/verify-selection.json' }], full[6]!];
  const shard = { blobDir: '/r/blob-report', scrubber: '/x/scrub.ts', selection: '/x/selection.ts' };
  it('listing tests writes no report at all: the list, and the @verify selection printed only', () =>
    assert.deepEqual(reportersFor({ kind: 'list' }, full2, shard), [
      ['list'],
      ['/x/selection.ts', { outputFile: '/r/verify-selection.json', printOnly: true }],
    ]));
  it('a shard scrubs, then writes its blob report (named by shard) and nothing else', () => {
    const r = reportersFor({ kind: 'shard', current: 2, total: 3 }, full, shard);
    assert.deepEqual(
      r.map((x) => x[0]),
      ['list', '/x/scrub.ts', 'blob'],
    );
    assert.deepEqual(r[2]![1], { outputDir: '/r/blob-report', fileName: 'report-2-of-3.zip' });
  });
  it('a merge and a plain run write every report', () => {
    assert.deepEqual(reportersFor({ kind: 'merge' }, full, shard), full);
    assert.deepEqual(reportersFor({ kind: 'run' }, full, shard), full);
  });
});

describe('shard records', () => {
  it('a shard records itself under its own key as well as the run key; a whole run only under the run key', () => {
    const one = attestation({ shard: { current: 1, total: 2 } });
    assert.deepEqual(Object.keys(runMetadata(one)), [RUN_METADATA_KEY, `${SHARD_METADATA_PREFIX}1`]);
    assert.deepEqual(Object.keys(runMetadata(attestation())), [RUN_METADATA_KEY]);
  });
  it('a sharded run without AFTERCHECK_RUN_ID stops with a config error; with one, or unsharded, it runs', () => {
    assert.throws(
      () => checkShardable({ kind: 'shard', current: 1, total: 2 }, undefined),
      (e: unknown) => e instanceof ConfigError && /AFTERCHECK_RUN_ID/.test(e.message),
    );
    assert.doesNotThrow(() => checkShardable({ kind: 'shard', current: 1, total: 2 }, 'run-42'));
    assert.doesNotThrow(() => checkShardable({ kind: 'run' }, undefined));
  });
});

describe('one outcome per test when merged shards ran it more than once', () => {
  const probe = (status: Parameters<typeof test>[2], extra = {}) => test('target is reachable', ['@smoke'], status, extra);
  it('two passing runs of the probe are one passed check', () => {
    const out = combineRepeats([
      probe('passed', { startedAt: '2026-11-26T10:02:00Z' }),
      probe('passed', { startedAt: '2026-11-26T10:01:00Z' }),
    ]);
    assert.equal(out.length, 1);
    assert.equal(out[0]!.status, 'passed');
    assert.equal(out[0]!.attempts, 2);
    assert.equal(out[0]!.startedAt, '2026-11-26T10:01:00Z');
  });
  it('a failure in one shard stands against a pass in the other', () => {
    const out = combineRepeats([probe('passed'), probe('failed', { error: 'unreachable' })]);
    assert.equal(out[0]!.status, 'failed');
    assert.equal(out[0]!.error, 'unreachable');
  });
  it('a skipped copy does not hide one that ran; different tests stay apart', () => {
    const out = combineRepeats([probe('skipped'), probe('passed'), test('main page loads', ['@smoke'])]);
    assert.deepEqual(
      out.map((t) => [t.title, t.status]),
      [
        ['target is reachable', 'passed'],
        ['main page loads', 'passed'],
      ],
    );
  });
});
