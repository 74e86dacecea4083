// Regression tests for the evidence-integrity defects, through the real commands: each one was a silent PROCEED (or a
// leak, or lost data) on the previous main. Real Chromium, the real demo shop, a real influxd.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { auditReports } from '../../scripts/adapters/artifacts/audit.ts';
import { DEMO_ACCOUNT } from '../../scripts/config/env.ts';
import { manifestDigest } from '../../scripts/config/manifest.ts';
import { startInfluxd, type Influxd } from '../../scripts/setup/influxd.ts';
import { startDemo, type RunningDemo } from '../../demo/launch.ts';
import { command, playwright } from '../helpers/commands.ts';
import { findSecret } from '../helpers/find-secret.ts';
import { playwrightJson, smokeChecks } from '../helpers/results-file.ts';
import { health, policyJson, signal } from '../unit/verdict-fixtures.ts';
import { MINUTE, seed } from './health-support.ts';

const POLICY = policyJson({ name: 'trust test policy' });

let dir: string;
const write = (name: string, content: unknown) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return p;
};
const readVerdict = (reports: string) =>
  JSON.parse(fs.readFileSync(path.join(reports, 'verdict.json'), 'utf8')) as {
    decision: string;
    decidingReason: { rule: string; message: string };
    reasons: { rule: string; message: string }[];
    deployedAt: string;
  };

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-trust-'));
  write('policy.json', POLICY);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

// One influxd for the file, started by the first block that needs it; each block has a database of its own.
let sharedInflux: Promise<Influxd> | undefined;
const influxd = () => (sharedInflux ??= startInfluxd());
after(async () => (await sharedInflux)?.stop());

/** A manifest deployed 20 minutes ago (patch: a 10-minute period, so it is over) and a passing health report for it. */
function release(name: string) {
  const deployedAt = new Date(Date.now() - 20 * MINUTE).toISOString();
  const manifest = write(`${name}-manifest.json`, {
    version: '2.0.0',
    previousVersion: '1.0.0',
    deployedAt,
    changeSize: 'patch',
    features: [],
  });
  const healthFile = write(
    `${name}-health.json`,
    health([signal('error_rate', 'pass'), signal('latency_p95', 'pass')], {
      generatedAt: new Date().toISOString(),
      deployedAt,
      checkingPeriod: { ms: 600_000, monitorUntil: new Date(Date.parse(deployedAt) + 600_000).toISOString(), complete: true },
    }),
  );
  return { manifest, healthFile, reports: path.join(dir, `${name}-reports`) };
}

describe('a partial or stale test run is never evidence (defects 1 and 2)', () => {
  const r = release('runs');
  const env = (extra: Record<string, string> = {}) => ({
    AFTERCHECK_BASE_URL: 'demo',
    AFTERCHECK_REPORTS_DIR: r.reports,
    AFTERCHECK_MANIFEST: r.manifest,
    AFTERCHECK_POLICY: path.join(dir, 'policy.json'),
    AFTERCHECK_RETRIES: '0',
    ...extra,
  });

  it('a complete smoke run of this release, then the verdict: proceed', async () => {
    const run = await playwright(['--grep', '@smoke'], env());
    assert.equal(run.code, 0, run.stdout.slice(-2000));
    const v = command('verdict', ['--health', r.healthFile], env());
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.equal(readVerdict(r.reports).decision, 'proceed');
  });

  it('a test step that stops on a configuration error leaves no results looking current: the verdict says so', async () => {
    const run = await playwright([], env({ AFTERCHECK_BASE_URL: 'htp://typo' }));
    assert.equal(run.code, 4, run.stderr);
    assert.ok(!fs.existsSync(path.join(r.reports, 'results.json')), 'the previous results.json was retired');
    assert.ok(fs.existsSync(path.join(r.reports, 'previous', 'results.json')), 'and kept aside, not lost');
    const v = command('verdict', ['--health', r.healthFile], env());
    assert.equal(v.code, 3, v.stdout);
    const doc = readVerdict(r.reports);
    assert.equal(doc.decidingReason.rule, 'results-missing');
    assert.match(doc.decidingReason.message, /stopped before testing \(configuration error, exit 4\)/);
  });

  it('a run narrowed to the main page, against a target whose health and sign-in fail, is inconclusive naming the checks that never ran', async () => {
    const run = await playwright(['--grep', 'main page loads'], env({ DEMO_FAULTS: 'health-500,login-broken' }));
    assert.equal(run.code, 0, `the narrowed run itself passes: ${run.stdout.slice(-1500)}`);
    const v = command('verdict', ['--health', r.healthFile], env());
    assert.equal(v.code, 3, v.stdout);
    const doc = readVerdict(r.reports);
    const incomplete = doc.reasons.find((x) => x.rule === 'smoke-incomplete');
    assert.ok(incomplete, JSON.stringify(doc.reasons.map((x) => x.rule)));
    for (const name of ['health endpoint reports the database connected', 'login works end to end', '--grep "main page loads"'])
      assert.ok(incomplete.message.includes(name), `${name} in ${incomplete.message}`);
  });
});

describe('a policy query can only read (defect 3, real influxd)', () => {
  let influx: Influxd;
  before(async () => {
    influx = await influxd();
    await influx.createDatabase('victim');
    await influx.write('victim', 'http_requests,service=s,version=1 count=1i');
  });

  const hostile: [string, string][] = [
    [
      'a second statement that drops the database',
      `SELECT mean("count") FROM "http_requests" WHERE time >= $start AND time < $end GROUP BY time($interval); DROP DATABASE "victim"`,
    ],
    [
      'SELECT … INTO another database',
      `SELECT mean("count") INTO "victim"."autogen"."copy" FROM "http_requests" WHERE time >= $start AND time < $end GROUP BY time($interval)`,
    ],
  ];
  for (const [name, influxql] of hostile) {
    it(`${name} is refused when the policy loads (exit 4), and the database is untouched`, async () => {
      const policy = write('hostile-policy.json', {
        ...POLICY,
        signals: [{ id: 'x', title: 'X', query: { influxql }, severity: 'major', absolute: { fail: 1 } }],
      });
      const r = release('hostile');
      const out = command('health', [], {
        AFTERCHECK_POLICY: policy,
        AFTERCHECK_MANIFEST: r.manifest,
        AFTERCHECK_INFLUX_URL: influx.url,
        AFTERCHECK_INFLUX_DATABASE: 'victim',
        AFTERCHECK_REPORTS_DIR: r.reports,
      });
      assert.equal(out.code, 4, out.stdout + out.stderr);
      assert.match(out.stderr, /signals\[0\]\.query\.influxql/);
      const dbs = JSON.stringify(await influx.query('SHOW DATABASES'));
      assert.match(dbs, /victim/);
      assert.doesNotMatch(JSON.stringify(await influx.query('SHOW MEASUREMENTS', 'victim')), /copy/);
    });
  }
});

describe('a password that is also a word of the report cannot change the decision (defect 4, real influxd)', () => {
  let influx: Influxd;
  const DEPLOY = Date.parse('2026-11-26T10:00:00Z');
  const m = { version: '2.0.0', previousVersion: '1.0.0', deployedAt: new Date(DEPLOY).toISOString(), changeSize: 'patch', features: [] };
  before(async () => {
    influx = await influxd();
    await influx.createDatabase('aftercheck');
    const fields = (errRate: number) => (i: number) => ({ count: 100, errors: Math.round(100 * errRate), latency_p95_ms: 100 + (i % 3) });
    await seed(influx, 'aftercheck', [
      {
        measurement: 'http_requests',
        service: 'demo-shop',
        version: '1.0.0',
        from: DEPLOY - 12 * MINUTE,
        count: 24,
        fields: fields(0),
        ints: ['count', 'errors'],
      },
      {
        measurement: 'http_requests',
        service: 'demo-shop',
        version: '2.0.0',
        from: DEPLOY,
        count: 24,
        fields: fields(0.2),
        ints: ['count', 'errors'],
      },
    ]);
  });

  for (const password of ['fail', 'major', 'null', 'true', '1000', '2026']) {
    it(`with AFTERCHECK_PASSWORD=${password} a release with 20 % errors still rolls back, and verdict.json stays valid`, () => {
      const manifest = write(`m-${password}.json`, m);
      const reports = path.join(dir, `redaction-${password}`);
      fs.mkdirSync(reports, { recursive: true });
      const digest = manifestDigest(fs.readFileSync(manifest));
      fs.writeFileSync(
        path.join(reports, 'results.json'),
        JSON.stringify(
          playwrightJson({
            tests: smokeChecks(),
            attestation: {
              runId: 'r',
              app: 'Demo Shop',
              target: 'demo',
              manifest: { path: manifest, version: '2.0.0', digest },
              narrowedBy: [],
            },
          }),
        ),
      );
      const out = command('verdict', ['--now', '2026-11-26T10:12:30Z'], {
        AFTERCHECK_BASE_URL: 'demo',
        AFTERCHECK_USERNAME: 'monitor',
        AFTERCHECK_PASSWORD: password,
        AFTERCHECK_POLICY: path.join(dir, 'policy.json'),
        AFTERCHECK_MANIFEST: manifest,
        AFTERCHECK_REPORTS_DIR: reports,
        AFTERCHECK_INFLUX_URL: influx.url,
        AFTERCHECK_INFLUX_DATABASE: 'aftercheck',
      });
      assert.equal(out.code, 1, out.stdout + out.stderr);
      const doc = readVerdict(reports);
      assert.equal(doc.decision, 'rollback');
      assert.equal(doc.decidingReason.rule, 'health-breach.major');
      assert.equal(doc.deployedAt, m.deployedAt, 'timestamps are not garbled');
      const healthDoc = JSON.parse(fs.readFileSync(path.join(reports, 'health.json'), 'utf8')) as { signals: { outcome: string }[] };
      assert.equal(healthDoc.signals[0]!.outcome, 'fail');
    });
  }
});

describe('credentials in the target URL and live session cookies never reach a report (defects 5 and 6, real Chromium)', () => {
  let shop: RunningDemo;
  const URL_TOKEN = 'planted-url-token-7Zk2Qw';
  let reports: string;
  before(async () => {
    shop = await startDemo({
      faults: ['checkout-broken'],
      env: { DEMO_SYNTHETIC_USERNAME: DEMO_ACCOUNT.username, DEMO_SYNTHETIC_PASSWORD: DEMO_ACCOUNT.password },
    });
  });
  after(() => shop?.stop());

  it('a URL with user:password is refused before anything runs (exit 4), pointing to the credential keys', async () => {
    const out = await playwright(['--grep', '@smoke'], {
      AFTERCHECK_BASE_URL: 'http://monitor:hunter2-pw@127.0.0.1:9/',
      AFTERCHECK_REPORTS_DIR: path.join(dir, 'userinfo'),
    });
    assert.equal(out.code, 4);
    assert.match(out.stderr, /AFTERCHECK_USERNAME and AFTERCHECK_PASSWORD/);
    assert.ok(!out.stderr.includes('hunter2-pw'));
  });

  it('a failing signed-in flow keeps its trace, and no trace, report or result holds the URL token or the session cookie', async () => {
    const r = release('cookies');
    fs.writeFileSync(r.manifest, JSON.stringify({ ...JSON.parse(fs.readFileSync(r.manifest, 'utf8')), features: ['checkout'] }));
    reports = r.reports;
    const out = await playwright([], {
      AFTERCHECK_BASE_URL: `${shop.url}/?token=${URL_TOKEN}`,
      AFTERCHECK_USERNAME: DEMO_ACCOUNT.username,
      AFTERCHECK_PASSWORD: DEMO_ACCOUNT.password,
      AFTERCHECK_ALLOW_WRITES: 'true',
      AFTERCHECK_RETRIES: '0',
      AFTERCHECK_MANIFEST: r.manifest,
      AFTERCHECK_REPORTS_DIR: reports,
    });
    assert.equal(out.code, 1, 'the checkout flow fails');
    const traces = findSecret(reports, 'Cookie');
    assert.ok(traces.zipsOpened > 0 && traces.hits.length > 0, 'a trace with request headers was kept (the test is not vacuous)');
    for (const secret of [URL_TOKEN, DEMO_ACCOUNT.password]) {
      const found = findSecret(reports, secret);
      assert.deepEqual(found.hits, [], `${secret} found`);
    }
    assert.deepEqual(auditReports(reports, []).leaks, [], 'no cookie value, Authorization header or storage state in any file');
  });
});

describe('an old PROCEED never survives a verdict that could not be written (defect 8)', () => {
  it('when the reports directory cannot be written, stdout, stderr and the exit code still carry the decision', () => {
    const r = release('unwritable');
    const blocked = path.join(dir, 'not-a-directory');
    fs.writeFileSync(blocked, 'a file where the reports directory should be');
    const out = command('verdict', ['--health', r.healthFile, '--results', path.join(dir, 'none.json')], {
      AFTERCHECK_BASE_URL: 'demo',
      AFTERCHECK_POLICY: path.join(dir, 'policy.json'),
      AFTERCHECK_MANIFEST: r.manifest,
      AFTERCHECK_REPORTS_DIR: blocked,
    });
    assert.equal(out.code, 3, out.stdout + out.stderr);
    assert.match(out.stdout, /Verdict: INCONCLUSIVE/);
    assert.match(out.stderr, /could not write the verdict .*the decision is inconclusive, exit 3/);
  });
});
