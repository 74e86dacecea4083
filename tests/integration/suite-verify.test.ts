// End-to-end runs of the real @verify suite on the demo shop: selection by manifest, faults failing only their feature, identification, cleanup, no password in reports.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_ACCOUNT } from '../../scripts/config/env.ts';
import { startDemo, type RunningDemo } from '../../demo/launch.ts';
import { ShopClient } from '../helpers/demo-client.ts';
import { findSecret } from '../helpers/find-secret.ts';
import { startRecordingProxy, type RecordingProxy } from '../helpers/recording-proxy.ts';
import { runSuite, summary, type SuiteRun } from '../helpers/run-suite.ts';

const WORKERS = '--workers=2';
let scratch: string;

function writeManifest(name: string, features: string[]): string {
  const file = path.join(scratch, name);
  fs.writeFileSync(
    file,
    JSON.stringify({ version: '1.5.0', previousVersion: '1.4.0', deployedAt: '2026-11-26T10:00:00Z', changeSize: 'minor', features }),
  );
  return file;
}

function featureOf(tags: readonly string[]): string | undefined {
  return tags.find((t) => t.startsWith('@feature:'))?.slice('@feature:'.length);
}

function verifyFailuresByFeature(run: SuiteRun): string[] {
  return [...new Set(run.failed('verify').map((t) => featureOf(t.tags) ?? '?'))].sort();
}

before(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-suite-verify-'));
});
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('@verify selection', () => {
  it('a manifest naming search runs only the search @verify tests, and they pass', async () => {
    const run = await runSuite(['--grep', '@verify', WORKERS], {
      AFTERCHECK_BASE_URL: 'demo',
      AFTERCHECK_MANIFEST: writeManifest('search.json', ['search']),
    });
    try {
      assert.equal(run.code, 0, summary(run));
      const verify = run.inProject('verify');
      assert.ok(verify.length >= 2, summary(run));
      assert.deepEqual([...new Set(verify.map((t) => featureOf(t.tags)))], ['search'], summary(run));
      assert.deepEqual(
        verify.filter((t) => t.outcome !== 'expected'),
        [],
      );
      // The dependencies still ran: verification builds on a passing smoke.
      assert.ok(run.passed('smoke').length >= 5, summary(run));
      assert.deepEqual(run.selection?.selectedFeatures, ['search']);
      assert.deepEqual(run.selection?.testsPerFeature, { search: verify.length });
      assert.deepEqual(run.selection?.unverified, []);
      assert.match(run.stdout, new RegExp(`Selected features: search \\(${verify.length} tests\\)`));
    } finally {
      run.cleanup();
    }
  });

  it('a manifest naming an unknown feature stops the run with exit 4, listing the known ids', async () => {
    const run = await runSuite(['--grep', '@verify'], {
      AFTERCHECK_BASE_URL: 'demo',
      AFTERCHECK_MANIFEST: writeManifest('unknown.json', ['search', 'serch']),
    });
    try {
      assert.equal(run.code, 4, summary(run));
      assert.match(run.stderr, /features\[1\] = "serch": is not a known feature id/);
      assert.match(run.stderr, /use one of: search, checkout, orders, account, recommendations/);
      assert.equal(run.report, undefined);
    } finally {
      run.cleanup();
    }
  });

  it('a changed feature without @verify tests is shown as unverified when listing (no browser), and listing records nothing', async () => {
    const run = await runSuite(['--list', '--grep', '@verify'], {
      AFTERCHECK_BASE_URL: 'demo',
      AFTERCHECK_MANIFEST: writeManifest('reco.json', ['recommendations', 'account']),
    });
    try {
      assert.equal(run.code, 0, summary(run));
      assert.match(run.stdout, /Selected features: account \([1-9]\d* tests?\), recommendations \(0 tests\)/);
      assert.match(run.stdout, /Unverified feature: recommendations — no @verify test tagged @feature:recommendations/);
      assert.ok(!/Unverified feature: account/.test(run.stdout));
      assert.equal(run.selection, undefined, 'no verify-selection.json: listing never touches reports');
    } finally {
      run.cleanup();
    }
  });
});

describe('@verify flows under faults', () => {
  it('search-broken fails the search tests and nothing else', async () => {
    const run = await runSuite([WORKERS, '--retries=0'], {
      AFTERCHECK_BASE_URL: 'demo',
      AFTERCHECK_VERIFY_ALL: 'true',
      DEMO_FAULTS: 'search-broken',
    });
    try {
      assert.equal(run.code, 1, summary(run));
      assert.deepEqual(run.failed('smoke'), [], summary(run));
      assert.deepEqual(verifyFailuresByFeature(run), ['search'], summary(run));
      const otherFeatures = run.inProject('verify').filter((t) => featureOf(t.tags) !== 'search');
      assert.deepEqual(
        otherFeatures.filter((t) => t.outcome !== 'expected').map((t) => t.title),
        [],
        summary(run),
      );
    } finally {
      run.cleanup();
    }
  });

  it('checkout-broken fails the checkout tests only, and a failing run with traces holds the password nowhere', async () => {
    const password = `planted-${process.pid}-Secret-7q`;
    const run = await runSuite([WORKERS], {
      AFTERCHECK_BASE_URL: 'demo',
      AFTERCHECK_VERIFY_ALL: 'true',
      DEMO_FAULTS: 'checkout-broken',
      AFTERCHECK_USERNAME: DEMO_ACCOUNT.username,
      AFTERCHECK_PASSWORD: password,
      DEMO_SYNTHETIC_PASSWORD: password,
    });
    try {
      assert.equal(run.code, 1, summary(run));
      assert.deepEqual(run.failed('setup').concat(run.failed('smoke')), [], summary(run));
      assert.deepEqual(verifyFailuresByFeature(run), ['checkout'], summary(run));
      const checkout = run.failed('verify')[0]!;
      assert.match(checkout.error ?? '', /check-out failed: POST \/checkout answered 500: "Payment service error/);
      // The orders flow needs a placed order: with checkout broken it is skipped with the reason, not failed.
      const newOrder = run.inProject('verify').find((t) => t.title === 'a new order shows in the history with its total');
      assert.equal(newOrder?.outcome, 'skipped', summary(run));
      // Signing in worked with the planted password (the login check reports the run's one sign-in), so it really was typed.
      assert.ok(
        run.passed('smoke').some((t) => t.title === 'login works end to end'),
        summary(run),
      );

      const scan = findSecret(run.reportsDir, password);
      assert.deepEqual(scan.hits, [], `the password leaked into ${scan.hits.join(', ')}`);
      assert.ok(scan.zipsOpened >= 1, 'the failing checkout kept a trace, and it was opened');
      // Control: the scanner does see through traces and the HTML report's embedded data (the account email is in both).
      const control = findSecret(run.reportsDir, DEMO_ACCOUNT.username).hits;
      assert.ok(
        control.some((h) => h.includes('trace.zip »')),
        `control hits: ${control.join(', ')}`,
      );
      assert.ok(
        control.some((h) => h.includes('index.html » embedded zip')),
        `control hits: ${control.join(', ')}`,
      );
    } finally {
      run.cleanup();
    }
  });
});

describe('a deployed target (not the bundled demo)', () => {
  let demo: RunningDemo;
  let proxy: RecordingProxy;
  const header = 'X-Probe-Check';
  const suffix = 'probe-suite/9.9';

  before(async () => {
    demo = await startDemo({ env: { DEMO_SYNTHETIC_HEADER: header } });
    proxy = await startRecordingProxy(demo.url);
  });
  after(async () => {
    await proxy?.close();
    await demo?.stop();
  });

  it('passes smoke and every verify flow, identifies every request, and leaves no synthetic order behind', async () => {
    const run = await runSuite([WORKERS], {
      AFTERCHECK_BASE_URL: proxy.url,
      AFTERCHECK_USERNAME: DEMO_ACCOUNT.username,
      AFTERCHECK_PASSWORD: DEMO_ACCOUNT.password,
      AFTERCHECK_VERIFY_ALL: 'true',
      AFTERCHECK_ALLOW_WRITES: 'true',
      AFTERCHECK_SYNTHETIC_HEADER: header,
      AFTERCHECK_SYNTHETIC_HEADER_VALUE: 'aftercheck-test',
      AFTERCHECK_USER_AGENT_SUFFIX: suffix,
    });
    try {
      assert.equal(run.code, 0, summary(run));
      assert.ok(run.passed('verify').length >= 8, summary(run));
      for (const feature of ['search', 'checkout', 'orders', 'account'])
        assert.ok(
          run.passed('verify').some((t) => featureOf(t.tags) === feature),
          feature,
        );
      assert.deepEqual(
        run.selection?.unverified.map((u) => u.feature),
        ['recommendations'],
      );

      assert.ok(proxy.requests.length > 30, `${proxy.requests.length} requests`);
      const unidentified = proxy.requests.filter(
        (r) => r.headers[header.toLowerCase()] !== 'aftercheck-test' || !String(r.headers['user-agent']).endsWith(` ${suffix}`),
      );
      assert.deepEqual(
        unidentified.map((r) => `${r.method} ${r.path} ua=${r.headers['user-agent']}`),
        [],
      );
      assert.ok(
        proxy.requests.some((r) => /Chrome\/\d+/.test(String(r.headers['user-agent']))),
        "the suffix is appended to the browser's own user agent",
      );

      const deletes = proxy.requests.filter((r) => r.method === 'DELETE' && r.path.startsWith('/api/orders/'));
      assert.ok(deletes.length >= 2, 'checkout and orders each deleted the order they created');
      assert.deepEqual(
        deletes.filter((r) => r.status !== 204).map((r) => `${r.path} → ${r.status}`),
        [],
      );
      const shop = new ShopClient(demo.url);
      await shop.signIn(DEMO_ACCOUNT.username, DEMO_ACCOUNT.password);
      const { orders } = await shop.json<{ orders: unknown[] }>('/api/orders');
      assert.deepEqual(orders, [], 'no order of the synthetic account is left');
    } finally {
      run.cleanup();
    }
  });
});
