// The example extra smoke spec (apps/demo-shop/smoke/example-extra-smoke.ts) run for real against the demo shop, so the template a user copies keeps working.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, runSuite, summary } from '../helpers/run-suite.ts';

const EXAMPLE = 'apps/demo-shop/smoke/example-extra-smoke.ts';

/**
 * A config outside the repository that wraps the real one and points only the smoke project at the example. Copying the
 * example into tests/smoke instead would let every other suite run in parallel collect it.
 */
function wrapperConfig(dir: string): string {
  const file = path.join(dir, 'example.config.mjs');
  fs.writeFileSync(
    file,
    `import config from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'playwright.config.ts')).href)};
export default {
  ...config,
  projects: config.projects.map((p) => (p.name === 'smoke' ? { ...p, testMatch: /[\\\\/]example-extra-smoke\\.ts$/ } : p)),
};
`,
  );
  return file;
}

let scratch: string;

describe('the example extra smoke spec', () => {
  before(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-suite-example-'));
  });
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('is not collected by the suite itself (only *.spec.ts files are)', async () => {
    const run = await runSuite(['--list', '--project', 'smoke'], { AFTERCHECK_BASE_URL: 'demo' }, { timeoutMs: 60_000 });
    try {
      assert.equal(run.code, 0, summary(run));
      assert.match(run.stdout, /\[smoke\] › tests\/smoke\/smoke\.spec\.ts/, 'the listing shows the smoke checks');
      assert.doesNotMatch(run.stdout, /example-extra-smoke/);
    } finally {
      run.cleanup();
    }
  });

  it('passes both of its checks against the demo shop, tagged @smoke, with blocker severity', async () => {
    const run = await runSuite(['-c', wrapperConfig(scratch), '--project', 'smoke', '--workers=2'], { AFTERCHECK_BASE_URL: 'demo' });
    try {
      assert.equal(run.code, 0, summary(run));
      const smoke = run.inProject('smoke');
      // File paths are relative to the wrapper's directory.
      assert.deepEqual(
        smoke.map((t) => path.resolve(scratch, t.file)),
        [path.join(ROOT, EXAMPLE), path.join(ROOT, EXAMPLE)],
        summary(run),
      );
      assert.deepEqual(smoke.map((t) => [t.title, t.outcome]).sort(), [
        ['main navigation reaches the search page', 'expected'],
        ['search API answers with results', 'expected'],
      ]);
      for (const t of smoke) {
        assert.ok(t.tags.includes('@smoke'), t.title);
        assert.deepEqual(
          t.annotations.filter((a) => a.type === 'allure.label.severity'),
          [{ type: 'allure.label.severity', description: 'blocker' }],
          t.title,
        );
      }
    } finally {
      run.cleanup();
    }
  });
});
