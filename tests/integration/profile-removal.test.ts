// Deleting the bundled demo's profile breaks nothing else: in a copy of the repository without apps/demo-shop, typecheck and the unit tests pass.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { copyRepo, type RepoCopy } from '../helpers/repo-copy.ts';

let repo: RepoCopy;

describe('a repository without the demo profile (rm -rf apps/demo-shop)', () => {
  before(() => {
    repo = copyRepo();
    assert.ok(fs.existsSync(path.join(repo.dir, 'apps/demo-shop/aftercheck.config.ts')), 'the copy had the demo profile');
    fs.rmSync(path.join(repo.dir, 'apps/demo-shop'), { recursive: true, force: true });
  });
  after(() => repo?.remove());

  it('still type-checks: nothing outside apps/demo-shop imports it', async () => {
    const run = await repo.run(
      process.execPath,
      ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json'].map((a, i) => (i === 0 ? path.join(repo.dir, a) : a)),
    );
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  });

  it('still passes every unit test: they use their own fixture profile', async () => {
    // As `npm run test:unit` runs them: every tests/unit/*.test.ts in one process.
    const run = await repo.run(process.execPath, ['--import', 'tsx', '--test', 'tests/run-unit.ts'], {}, 300_000);
    assert.equal(run.code, 0, `${run.stdout.slice(-6000)}\n${run.stderr.slice(-2000)}`);
    assert.match(run.stdout, /^# fail 0$/m);
    assert.match(run.stdout, /^# pass [1-9]\d*$/m);
  });

  it('a suite run says there is no profile and how to write one, with exit code 4', async () => {
    const run = await repo.run(
      process.execPath,
      ['node_modules/@playwright/test/cli.js', 'test', '--list'],
      { AFTERCHECK_BASE_URL: 'http://127.0.0.1:9' },
      60_000,
    );
    assert.equal(run.code, 4, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stderr, /there is no profile apps\/demo-shop\/aftercheck\.config\.ts/);
    assert.match(run.stderr, /use one of: \(none yet\), or write one with `npm run init -- --url <URL> --app demo-shop`/);
  });
});
