// The suite's Allure reporter, on a REAL Playwright run of a throwaway project: a test's own severity is its one Allure severity label.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { childEnv } from '../../scripts/config/env.ts';
import { severity } from '../../fixtures/tags.ts';
import { verifyDetails } from '../fixtures/apps/notes/tags.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const REPORTER = path.join(REPO, 'fixtures/reporters/allure-reporter.ts');

// The same run through the suite's reporter and through plain allure-playwright: the plain one is the control that shows
// the duplicate this reporter removes (and that the TestCase other reporters see is left alone).
const CONFIG = `export default {
  testDir: '.',
  workers: 1,
  reporter: [[${JSON.stringify(REPORTER)}, { resultsDir: 'suite-results' }], ['allure-playwright', { resultsDir: 'plain-results' }]],
};
`;

// What the real specs write: verifyDetails() on the describe block, severity() on one test.
const SPEC = (block: unknown, own: unknown) => `import { test } from '@playwright/test';
test.describe('search', ${JSON.stringify(block)}, () => {
  test('a cosmetic search detail', { annotation: ${JSON.stringify(own)} }, async () => {});
  test('a query finds the product', async () => {});
  test.skip('a skipped cosmetic detail', { annotation: ${JSON.stringify(own)} }, async () => {});
});
`;

type AllureResult = { name: string; labels: { name: string; value: string }[] };

function severities(dir: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('-result.json'))) {
    const r = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as AllureResult;
    out.set(
      r.name,
      r.labels.filter((l) => l.name === 'severity').map((l) => l.value),
    );
  }
  return out;
}

let dir: string;

describe("the suite's Allure reporter (real Playwright run)", () => {
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-suite-allure-'));
    const { tag: _tag, ...block } = verifyDetails('notebook');
    fs.writeFileSync(path.join(dir, 'playwright.config.mjs'), CONFIG);
    fs.writeFileSync(path.join(dir, 'severity.spec.mjs'), SPEC(block, severity('minor')));
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    const r = spawnSync(
      process.execPath,
      [path.join(REPO, 'node_modules/@playwright/test/cli.js'), 'test', '-c', 'playwright.config.mjs'],
      {
        cwd: dir,
        env: childEnv({ FORCE_COLOR: '0', CI: '1' }),
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("the notebook feature is critical in the fixture registry, so the block's severity differs from the test's", () => {
    assert.equal(verifyDetails('notebook').annotation.find((a) => a.type === 'allure.label.severity')?.description, 'critical');
  });

  it("without the suite's reporter, allure-playwright gives the overriding test both severity labels", () => {
    assert.deepEqual(severities(path.join(dir, 'plain-results')).get('a cosmetic search detail'), ['critical', 'minor']);
  });

  const cases: [string, string[]][] = [
    ['a cosmetic search detail', ['minor']],
    ['a query finds the product', ['critical']],
    ['a skipped cosmetic detail', ['minor']],
  ];
  for (const [title, expected] of cases) {
    it(`"${title}" gets the one severity label ${expected.join(', ')}`, () => {
      assert.deepEqual(severities(path.join(dir, 'suite-results')).get(title), expected);
    });
  }
});
