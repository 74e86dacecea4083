// Unit tests for finding Chromium: CHROMIUM_PATH wins, then the usual paths in order, and a clear install hint when there is none.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CHROMIUM_ARGS, findChromium } from '../../fixtures/browser.ts';
import { ConfigError } from '../../scripts/config/errors.ts';

const only =
  (...present: string[]) =>
  (file: string) =>
    present.includes(file);

describe('finding the browser', () => {
  it('CHROMIUM_PATH wins over every candidate', () => {
    assert.equal(
      findChromium({
        override: '/opt/chrome/chrome',
        candidates: ['/usr/bin/chromium'],
        isExecutable: only('/opt/chrome/chrome', '/usr/bin/chromium'),
      }),
      '/opt/chrome/chrome',
    );
  });

  it('a CHROMIUM_PATH that is not executable is a config error naming it, never a silent fallback', () => {
    assert.throws(
      () => findChromium({ override: '/nope/chromium', candidates: ['/usr/bin/chromium'], isExecutable: only('/usr/bin/chromium') }),
      (e: unknown) => e instanceof ConfigError && e.problems[0]?.field === 'CHROMIUM_PATH' && e.message.includes('"/nope/chromium"'),
    );
  });

  it('the first executable candidate is used, in order', () => {
    assert.equal(findChromium({ override: undefined, candidates: ['/a', '/b', '/c'], isExecutable: only('/c', '/b') }), '/b');
  });

  it("Playwright's own download is the last resort", () => {
    assert.equal(
      findChromium({
        override: undefined,
        candidates: ['/a'],
        playwrightManaged: '/ms-playwright/chrome',
        isExecutable: only('/ms-playwright/chrome'),
      }),
      '/ms-playwright/chrome',
    );
  });

  it('no browser at all names what was tried and the install commands', () => {
    assert.throws(
      () => findChromium({ override: undefined, candidates: ['/a', '/b'], isExecutable: only() }),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.message.includes('/a, /b') &&
        e.message.includes('apt-get install -y chromium') &&
        e.message.includes('npm run demo'),
    );
  });

  it("this machine has a usable Chromium (the suite's integration tests need one)", () => {
    assert.match(findChromium({ override: undefined }), /chrom/i);
  });

  it('the launch flags include what running as root without a GPU needs', () => {
    for (const flag of [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ]) {
      assert.ok(CHROMIUM_ARGS.includes(flag), flag);
    }
  });
});
