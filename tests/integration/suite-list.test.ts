// `npx playwright test --list` never touches reports: results.json, junit.xml, html/, allure-results and the selection
// record stay byte for byte, and even a configuration error while listing retires nothing.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { playwright } from '../helpers/commands.ts';

let reports: string;

/** Every file under the reports dir with its hash. */
function snapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(reports, p)] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(reports);
  return out;
}

before(() => {
  reports = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-list-'));
  // The previous run's reports, as a verdict would read them.
  fs.writeFileSync(path.join(reports, 'results.json'), '{"config":{},"suites":[],"note":"the last run"}');
  fs.writeFileSync(path.join(reports, 'junit.xml'), '<testsuites tests="7"></testsuites>\n');
  fs.writeFileSync(path.join(reports, 'verify-selection.json'), '{}');
  for (const d of ['html', 'allure-results']) fs.mkdirSync(path.join(reports, d));
  fs.writeFileSync(path.join(reports, 'html', 'index.html'), '<html></html>');
  fs.writeFileSync(path.join(reports, 'allure-results', 'a-result.json'), '{}');
});
after(() => fs.rmSync(reports, { recursive: true, force: true }));

describe('listing tests', () => {
  it('lists the suite and leaves every report as it was', async () => {
    const before = snapshot();
    const run = await playwright(['--list'], { AFTERCHECK_BASE_URL: 'demo', AFTERCHECK_REPORTS_DIR: reports });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /\[smoke\] .*main page loads/);
    assert.deepEqual(snapshot(), before);
  });

  it('a configuration error while listing says so (exit 4) and moves nothing aside', async () => {
    const before = snapshot();
    const run = await playwright(['--list'], { AFTERCHECK_BASE_URL: 'htp://typo', AFTERCHECK_REPORTS_DIR: reports });
    assert.equal(run.code, 4, run.stdout);
    assert.match(run.stderr, /AFTERCHECK_BASE_URL/);
    assert.deepEqual(snapshot(), before);
  });
});
