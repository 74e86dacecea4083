// The run record: which command-line filters narrowed a run, read from the runner's argv as users type them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { narrowingArgs } from '../../fixtures/run-record.ts';

const PW = ['/usr/bin/node', '/repo/node_modules/@playwright/test/cli.js', 'test'];

const rows: [string, string[], string[]][] = [
  ['a plain run is not narrowed', [], []],
  ['--grep with its value is a narrowing filter', ['--grep', 'main page loads'], ['--grep "main page loads"']],
  ['-g=value is the same filter', ['-g=@smoke'], ['-g "@smoke"']],
  ['a file argument narrows the run', ['tests/smoke/smoke.spec.ts'], ['tests/smoke/smoke.spec.ts']],
  ['--project and --shard narrow it', ['--project', 'smoke', '--shard=1/2'], ['--project "smoke"', '--shard "1/2"']],
  ['--last-failed and -x narrow it', ['--last-failed', '-x'], ['--last-failed', '-x']],
  ['values of other options are not taken for file filters', ['--reporter', 'list', '--workers', '2', '-c', 'pw.config.ts'], []],
  ['--retries=1 and --trace on are not filters', ['--retries=1', '--trace', 'on'], []],
];

describe('narrowing filters on the command line', () => {
  for (const [name, args, want] of rows) it(name, () => assert.deepEqual(narrowingArgs([...PW, ...args]), want));
});
