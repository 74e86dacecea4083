// The real `npx playwright test --list` on bad input: one message listing every problem (environment, manifest, browser), exit code 4.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runSuite, summary } from '../helpers/run-suite.ts';

describe("the suite's configuration check", () => {
  it('lists a bad env value, an unknown manifest feature and a missing browser in one message, with exit code 4', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-suite-config-'));
    const manifest = path.join(dir, 'release-manifest.json');
    fs.writeFileSync(
      manifest,
      JSON.stringify({
        version: '1.5.0',
        previousVersion: '1.4.0',
        deployedAt: '2026-11-26T10:00:00Z',
        changeSize: 'minor',
        features: ['payments'],
      }),
    );
    const run = await runSuite(
      ['--list'],
      { AFTERCHECK_RETRIES: 'abc', AFTERCHECK_MANIFEST: manifest, CHROMIUM_PATH: '/nope', AFTERCHECK_BASE_URL: 'demo' },
      { timeoutMs: 60_000 },
    );
    try {
      assert.equal(run.code, 4, summary(run));
      const messages = run.stderr.match(/^aftercheck: \d+ problems? in /gm) ?? [];
      assert.deepEqual(messages, ['aftercheck: 3 problems in '], `exactly one message:\n${run.stderr}`);
      for (const problem of [
        /- AFTERCHECK_RETRIES = "abc": must be a whole number/,
        /- features\[0\] \(in the release manifest .*release-manifest\.json\) = "payments": is not a known feature id/,
        /- CHROMIUM_PATH = "\/nope": is not an executable file/,
      ]) {
        assert.match(run.stderr, problem);
      }
      assert.doesNotMatch(run.stdout, /Listing tests/, 'no test is listed from a configuration with problems');
    } finally {
      run.cleanup();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
