// Unit tests for @verify selection: manifest + registry + verify-all → selected features, the verify project's grep, and the recorded coverage.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../scripts/config/errors.ts';
import { readManifest, type ManifestRead } from '../../scripts/config/manifest.ts';
import { countVerifyTests, describeSelection, featureGrep, recordSelection, selectFeatures } from '../../scripts/config/selection.ts';

const REGISTRY = ['search', 'checkout', 'orders', 'account', 'recommendations'];

/** What Playwright matches a project's grep against: the title path, then the tags. */
const SUBJECTS = {
  search: 'search.spec.ts search a query for a featured product finds it @verify @feature:search',
  searchEmpty: 'search.spec.ts search a query that matches nothing shows the empty state @verify @feature:search',
  checkout: 'checkout.spec.ts checkout adding a product and checking out confirms the order @verify @feature:checkout @writes',
  account: 'account.spec.ts account signing out ends the session @verify @feature:account',
  searchV2: 'search-v2.spec.ts faceted search @verify @feature:search-v2',
};

function manifest(features: string[], file = '/x/release-manifest.json'): ManifestRead {
  return {
    kind: 'ok',
    path: file,
    digest: 'sha256:test',
    manifest: { version: '1.5.0', previousVersion: '1.4.0', deployedAt: '2026-11-26T10:00:00Z', changeSize: 'minor', features },
  };
}

function withTempManifest(content: unknown, fn: (file: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-suite-selection-'));
  try {
    const file = path.join(dir, 'release-manifest.json');
    fs.writeFileSync(file, JSON.stringify(content));
    fn(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('selecting features for @verify', () => {
  it('a manifest naming search selects only the search tests', () => {
    const s = selectFeatures({ manifest: manifest(['search']), registry: REGISTRY, verifyAll: false });
    assert.deepEqual(s.selectedFeatures, ['search']);
    assert.equal(s.grep.test(SUBJECTS.search), true);
    assert.equal(s.grep.test(SUBJECTS.searchEmpty), true);
    assert.equal(s.grep.test(SUBJECTS.checkout), false);
    assert.equal(s.grep.test(SUBJECTS.account), false);
  });

  it('a feature tag matches only as a whole tag, so search does not select search-v2', () => {
    assert.equal(featureGrep(['search']).test(SUBJECTS.searchV2), false);
    assert.equal(featureGrep(['search-v2']).test(SUBJECTS.searchV2), true);
    assert.equal(featureGrep(['search-v2']).test(SUBJECTS.search), false);
  });

  it('feature ids are escaped in the grep, so regex characters match only themselves', () => {
    const grep = featureGrep(['a.b', 'c+']);
    assert.equal(grep.test('t @verify @feature:a.b'), true);
    assert.equal(grep.test('t @verify @feature:axb'), false);
    assert.equal(grep.test('t @verify @feature:c+'), true);
    assert.equal(grep.test('t @verify @feature:cc'), false);
  });

  it('several changed features are selected in registry order', () => {
    const s = selectFeatures({ manifest: manifest(['account', 'search']), registry: REGISTRY, verifyAll: false });
    assert.deepEqual(s.selectedFeatures, ['search', 'account']);
    assert.equal(s.grep.test(SUBJECTS.account), true);
    assert.equal(s.grep.test(SUBJECTS.checkout), false);
  });

  it('verify-all selects every feature and every @verify test, whatever the manifest says', () => {
    const s = selectFeatures({ manifest: manifest(['search']), registry: REGISTRY, verifyAll: true });
    assert.deepEqual(s.selectedFeatures, REGISTRY);
    assert.deepEqual(s.manifestFeatures, ['search']);
    for (const subject of Object.values(SUBJECTS)) assert.equal(s.grep.test(subject), true, subject);
    assert.equal(s.grep.test('smoke.spec.ts main page loads @smoke'), false);
  });

  it('no manifest selects nothing and says where it looked', () => {
    const s = selectFeatures({
      manifest: { kind: 'missing', path: '/srv/app/release-manifest.json' },
      registry: REGISTRY,
      verifyAll: false,
    });
    assert.deepEqual(s.selectedFeatures, []);
    assert.match(s.reason, /^no manifest at \/srv\/app\/release-manifest\.json/);
    for (const subject of Object.values(SUBJECTS)) assert.equal(s.grep.test(subject), false, subject);
  });

  it('a manifest naming no features is "nothing to verify", with nothing unverified', () => {
    const s = selectFeatures({ manifest: manifest([]), registry: REGISTRY, verifyAll: false });
    assert.deepEqual(s.selectedFeatures, []);
    assert.match(s.reason, /nothing to verify/);
    assert.deepEqual(recordSelection(s, {}, { writesExcluded: false, verifyTestsInRun: 0 }).unverified, []);
  });

  it('an unknown feature in the manifest file is a config error naming the known ids', () => {
    withTempManifest(
      { version: '2', previousVersion: '1', deployedAt: '2026-11-26T10:00:00Z', changeSize: 'patch', features: ['serch'] },
      (file) => {
        assert.throws(
          () => readManifest(file, REGISTRY),
          (e: unknown) =>
            e instanceof ConfigError &&
            /"serch"/.test(e.message) &&
            e.message.includes('search, checkout, orders, account, recommendations'),
        );
      },
    );
  });

  it('the selection itself refuses unknown ids too, naming the known ones', () => {
    assert.throws(
      () => selectFeatures({ manifest: manifest(['search', 'payments']), registry: REGISTRY, verifyAll: false }),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.problems.length === 1 &&
        /"payments"/.test(e.message) &&
        /use one of: search, checkout/.test(e.message),
    );
  });
});

describe('recording the selection (the coverage gate input)', () => {
  const tests = [
    { tags: ['@verify', '@feature:search'] },
    { tags: ['@verify', '@feature:search'] },
    { tags: ['@verify', '@feature:checkout', '@writes'] },
    { tags: ['@smoke'] },
    // A @feature tag without @verify is not verification.
    { tags: ['@feature:orders'] },
  ];

  it('counts @verify tests per selected feature only', () => {
    assert.deepEqual(countVerifyTests(['search', 'orders'], tests), { search: 2, orders: 0 });
  });

  it('a changed feature with no tests is recorded as unverified, with the reason', () => {
    const s = selectFeatures({ manifest: manifest(['search', 'recommendations']), registry: REGISTRY, verifyAll: false });
    const record = recordSelection(s, countVerifyTests(s.selectedFeatures, tests), { writesExcluded: false, verifyTestsInRun: 3 });
    assert.deepEqual(record.testsPerFeature, { search: 2, recommendations: 0 });
    assert.deepEqual(
      record.unverified.map((u) => u.feature),
      ['recommendations'],
    );
    assert.match(record.unverified[0]!.reason, /no @verify test tagged @feature:recommendations/);
    assert.deepEqual(describeSelection(record), [
      `Selected features: search (2 tests), recommendations (0 tests) — ${s.reason}`,
      `Unverified feature: recommendations — ${record.unverified[0]!.reason}`,
    ]);
  });

  it('the reason says when writes were excluded or the verify project did not run at all', () => {
    const s = selectFeatures({ manifest: manifest(['checkout']), registry: REGISTRY, verifyAll: false });
    assert.match(
      recordSelection(s, { checkout: 0 }, { writesExcluded: true, verifyTestsInRun: 2 }).unverified[0]!.reason,
      /excluded every @writes test because AFTERCHECK_ALLOW_WRITES is false/,
    );
    assert.match(
      recordSelection(s, { checkout: 0 }, { writesExcluded: false, verifyTestsInRun: 0 }).unverified[0]!.reason,
      /verify project was filtered out/,
    );
  });

  it('a profile without a verify folder is named as the cause, not "filtered out"', () => {
    const s = selectFeatures({ manifest: manifest(['checkout']), registry: REGISTRY, verifyAll: false });
    const reason = recordSelection(s, { checkout: 0 }, { writesExcluded: false, verifyTestsInRun: 0, missingVerifyDir: 'apps/shop/verify' })
      .unverified[0]!.reason;
    assert.match(reason, /the app profile has no verify folder: apps\/shop\/verify does not exist/);
    assert.doesNotMatch(reason, /filtered out/);
  });

  it('the record carries the manifest path and the reason for the verdict', () => {
    const s = selectFeatures({ manifest: { kind: 'missing', path: '/r/m.json' }, registry: REGISTRY, verifyAll: false });
    const record = recordSelection(s, {}, { writesExcluded: false, verifyTestsInRun: 0 });
    assert.equal(record.manifestPath, '/r/m.json');
    assert.match(record.reason ?? '', /^no manifest at \/r\/m\.json/);
    assert.equal(record.verifyAll, false);
  });
});
