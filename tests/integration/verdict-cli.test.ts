// `npm run verdict` (scripts/cli/verdict.ts) end to end: exit codes per decision, usage errors listed at once, and no planted secret in any written file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { childEnv, loadEnv } from '../../scripts/config/env.ts';
import type { HealthReport } from '../../scripts/engine/types.ts';
import { runVerdict } from '../../scripts/gates/verdict-run.ts';
import { health, signal } from '../unit/verdict-fixtures.ts';
import { playwrightJson, smokeChecks } from '../helpers/results-file.ts';
import { manifestDigest } from '../../scripts/config/manifest.ts';
import { targetId } from '../../scripts/contract.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PASSWORD = 'planted-Pa55word-7781';
const TOKEN = 'planted-influx-token-QW93';
const URL_TOKEN = 'planted-url-token-Hv27Lq';

const POLICY = {
  name: 'cli test policy',
  owner: { team: 'team-shop', rollbackDecider: 'On-call engineering lead' },
  alerting: { channel: '#shop-alerts' },
  checkingPeriods: { patch: '10m', minor: '30m', major: '4h', migration: '4h', infrastructure: '1d' },
  signals: [
    { id: 'error_rate', title: 'Error rate', unit: '%', query: { template: 'error_rate' }, severity: 'major', absolute: { fail: 1 } },
    {
      id: 'latency_p95',
      title: 'Latency p95',
      unit: 'ms',
      query: { template: 'latency_p95' },
      severity: 'minor',
      relative: { maxRatio: 1.2 },
    },
  ],
};
const MANIFEST = {
  version: '2.0.0',
  previousVersion: '1.0.0',
  deployedAt: '2026-11-26T10:00:00.000Z',
  changeSize: 'patch',
  features: [],
  commit: 'abc1234',
};
const NOW = '2026-11-26T10:15:00.000Z';

/** A results.json of this release: every configured smoke check passing, optionally one failing with an error text. */
function playwrightReport(opts: { failWith?: string; target?: string } = {}) {
  const tests = smokeChecks().map((t) =>
    opts.failWith && t.title === 'login works end to end' ? { ...t, status: 'failed' as const, error: opts.failWith } : t,
  );
  const digest = manifestDigest(fs.readFileSync(path.join(dir, 'manifest.json')));
  return playwrightJson({
    tests,
    attestation: {
      runId: 'run-1',
      app: 'Demo Shop',
      target: opts.target ?? 'demo',
      manifest: { path: path.join(dir, 'manifest.json'), version: '2.0.0', digest },
      narrowedBy: [],
    },
  });
}

let dir: string;
const file = (name: string, content: unknown) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return p;
};

function cli(args: string[], env: Record<string, string | undefined> = {}, reportsDir = path.join(dir, 'reports')) {
  const r = spawnSync(
    process.execPath,
    [path.join(REPO, 'node_modules/tsx/dist/cli.mjs'), path.join(REPO, 'scripts/cli/verdict.ts'), ...args],
    {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
      env: childEnv({
        AFTERCHECK_REPORTS_DIR: reportsDir,
        AFTERCHECK_POLICY: path.join(dir, 'policy.json'),
        AFTERCHECK_MANIFEST: path.join(dir, 'manifest.json'),
        AFTERCHECK_BASE_URL: undefined,
        AFTERCHECK_PASSWORD: undefined,
        AFTERCHECK_USERNAME: undefined,
        AFTERCHECK_INFLUX_URL: undefined,
        AFTERCHECK_INFLUX_TOKEN: undefined,
        AFTERCHECK_INFLUX_DATABASE: undefined,
        AFTERCHECK_INFLUX_BUCKET: undefined,
        GITHUB_STEP_SUMMARY: undefined,
        NO_COLOR: '1',
        ...env,
      }),
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function filesUnder(root: string): string[] {
  return fs
    .readdirSync(root, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(root, e.name)) : [path.join(root, e.name)]));
}

describe('npm run verdict (CLI)', () => {
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-verdict-cli-'));
    file('policy.json', POLICY);
    file('manifest.json', MANIFEST);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a missing results file gives exit 3 with the reason naming the file', () => {
    const missing = path.join(dir, 'nowhere', 'results.json');
    const r = cli(['--results', missing, '--no-health', '--now', NOW]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout, /INCONCLUSIVE/);
    assert.ok(r.stdout.includes(missing), r.stdout);
    const doc = JSON.parse(fs.readFileSync(path.join(dir, 'reports/verdict.json'), 'utf8'));
    assert.equal(doc.schemaVersion, 1);
    assert.equal(doc.decision, 'inconclusive');
    assert.equal(doc.exitCode, 3);
    assert.equal(doc.decidingReason.rule, 'results-missing');
    assert.ok(doc.decidingReason.message.includes(missing));
    assert.ok(fs.existsSync(path.join(dir, 'reports/verdict.md')));
  });

  it('bad flags give exit 4 with every problem listed at once', () => {
    const r = cli(['--bogus', '--now', 'yesterday', 'stray']);
    assert.equal(r.code, 4);
    for (const text of ['--bogus', 'is not a known option', '--now', 'ISO-8601', 'stray', '3 problems'])
      assert.ok(r.stderr.includes(text), `${text} in ${r.stderr}`);
  });

  it('--help documents the options and the exit codes', () => {
    const r = cli(['--help']);
    assert.equal(r.code, 0);
    for (const text of [
      '--results',
      '--health',
      '--no-health',
      '--now',
      '0  proceed',
      '1  rollback',
      '2  hotfix',
      '3  inconclusive',
      '4  configuration',
    ])
      assert.ok(r.stdout.includes(text), text);
  });

  it('without InfluxDB configured the health input is inconclusive, named as such', () => {
    const results = file('results-ok.json', playwrightReport());
    const r = cli(['--results', results, '--now', NOW], {}, path.join(dir, 'reports-noinflux'));
    assert.equal(r.code, 3, r.stderr);
    const doc = JSON.parse(fs.readFileSync(path.join(dir, 'reports-noinflux/verdict.json'), 'utf8'));
    assert.equal(doc.decidingReason.rule, 'health-unavailable');
    assert.match(doc.decidingReason.message, /AFTERCHECK_INFLUX_URL is unset/);
  });

  it('an invalid manifest is a configuration error (exit 4) naming the field, and an error in junit.xml, never an old pass', () => {
    const reportsDir = path.join(dir, 'reports-badmanifest');
    fs.mkdirSync(reportsDir, { recursive: true });
    const junit = path.join(reportsDir, 'junit.xml');
    fs.writeFileSync(
      junit,
      '<testsuites tests="1" failures="0" errors="0"><testsuite name="s" tests="1" failures="0" errors="0"><testcase name="t"/></testsuite></testsuites>\n',
    );
    const bad = file('bad-manifest.json', { ...MANIFEST, deployedAt: 'yesterday', features: ['nope'] });
    const r = cli(['--manifest', bad, '--no-health'], {}, reportsDir);
    assert.equal(r.code, 4);
    assert.match(r.stderr, /deployedAt/);
    assert.match(r.stderr, /features\[0\]/);
    const xml = fs.readFileSync(junit, 'utf8');
    assert.match(xml, /<testsuites tests="2" failures="0" errors="1"/);
    assert.match(xml, /<testcase name="Release verdict"[^>]*><error message="INCONCLUSIVE · the verdict step failed \(exit 4\)/);
  });

  it('planted passwords and tokens never appear in any written file or output', () => {
    const reportsDir = path.join(dir, 'reports-secrets');
    const summary = path.join(dir, 'step-summary.md');
    const target = `http://127.0.0.1:9/?token=${URL_TOKEN}`;
    const results = file(
      'results-secret.json',
      playwrightReport({
        failWith: `Error: login failed for synthetic.monitor with password ${PASSWORD}\n    at token=${encodeURIComponent(TOKEN)}`,
        target: targetId(target, [URL_TOKEN]),
      }),
    );
    const h = health(
      [
        signal('error_rate', 'inconclusive', {
          reason: `InfluxDB said 401 for token ${TOKEN}`,
          query: { current: `SELECT * -- ${TOKEN}`, baseline: 'SELECT 1' },
        }),
        signal('latency_p95', 'pass'),
      ],
      { source: { url: `http://influx:${TOKEN}@127.0.0.1:8086`, dialect: 'influxql', database: 'x' } },
    );
    const healthFile = file('health-secret.json', h);
    const r = cli(
      ['--results', results, '--health', healthFile, '--now', NOW],
      {
        AFTERCHECK_BASE_URL: target,
        AFTERCHECK_USERNAME: 'synthetic.monitor@demo.shop',
        AFTERCHECK_PASSWORD: PASSWORD,
        AFTERCHECK_INFLUX_TOKEN: TOKEN,
        GITHUB_STEP_SUMMARY: summary,
      },
      reportsDir,
    );
    assert.equal(r.code, 1, `the failed smoke check means rollback: ${r.stderr}`);
    const written = [...filesUnder(reportsDir), summary];
    for (const expected of ['verdict.json', 'verdict.md', 'environment.properties', '-attachment.svg', '-result.json', 'step-summary.md']) {
      assert.ok(
        written.some((f) => f.endsWith(expected)),
        `${expected} written`,
      );
    }
    for (const f of written) {
      const text = fs.readFileSync(f, 'utf8');
      for (const secret of [PASSWORD, TOKEN, URL_TOKEN, encodeURIComponent(PASSWORD), encodeURIComponent(TOKEN)])
        assert.ok(!text.includes(secret), `${secret} leaked into ${f}`);
    }
    for (const secret of [PASSWORD, TOKEN])
      assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), 'console output is redacted');
    assert.match(fs.readFileSync(path.join(reportsDir, 'verdict.json'), 'utf8'), /\[REDACTED\]/, 'the secret was there and got redacted');
  });

  it('an unreachable InfluxDB makes the in-process health gate inconclusive, and health.json is written', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    const reportsDir = fs.mkdtempSync(path.join(dir, 'unreachable-'));
    const env = loadEnv({
      cwd: dir,
      source: {
        AFTERCHECK_REPORTS_DIR: reportsDir,
        AFTERCHECK_POLICY: path.join(dir, 'policy.json'),
        AFTERCHECK_MANIFEST: path.join(dir, 'manifest.json'),
        AFTERCHECK_INFLUX_URL: `http://127.0.0.1:${port}`,
        AFTERCHECK_INFLUX_DATABASE: 'aftercheck',
        AFTERCHECK_INFLUX_DIALECT: 'influxql',
        AFTERCHECK_INFLUX_TIMEOUT_MS: '3000',
      },
    });
    const r = await runVerdict({ env, resultsPath: file('results-unreachable.json', playwrightReport()), now: new Date(NOW) });
    assert.equal(r.verdict.decision, 'inconclusive');
    assert.equal(r.exitCode, 3);
    assert.ok(
      r.verdict.reasons.some((x) => x.input === 'health' && x.decision === 'inconclusive'),
      JSON.stringify(r.verdict.reasons),
    );
    assert.ok(r.files!.health && fs.existsSync(r.files!.health), 'health.json written');
    assert.equal(r.verdict.checklist.find((c) => c.item === 'health')?.state, 'missing');
  });

  // In-process: the same pipeline the demo calls, one decision per exit code.
  const exits: [string, HealthReport, number, string][] = [
    ['a major breach exits 1 (rollback)', health([signal('error_rate', 'fail'), signal('latency_p95', 'pass')]), 1, 'rollback'],
    ['a minor breach exits 2 (hotfix)', health([signal('error_rate', 'pass'), signal('latency_p95', 'fail')]), 2, 'hotfix'],
    [
      'a signal without data exits 3 (inconclusive)',
      health([signal('error_rate', 'inconclusive'), signal('latency_p95', 'pass')]),
      3,
      'inconclusive',
    ],
    ['all passing after the checking period exits 0 (proceed)', health(), 0, 'proceed'],
  ];
  for (const [name, report, code, decision] of exits) {
    it(name, async () => {
      const reportsDir = fs.mkdtempSync(path.join(dir, 'inproc-'));
      const env = loadEnv({
        cwd: dir,
        source: {
          AFTERCHECK_REPORTS_DIR: reportsDir,
          AFTERCHECK_POLICY: path.join(dir, 'policy.json'),
          AFTERCHECK_MANIFEST: path.join(dir, 'manifest.json'),
        },
      });
      const results = file(`results-${code}.json`, playwrightReport());
      const r = await runVerdict({ env, resultsPath: results, health: { mode: 'report', report }, now: new Date(NOW) });
      assert.equal(r.verdict.decision, decision);
      assert.equal(r.exitCode, code);
      assert.ok(fs.existsSync(r.files!.json) && fs.existsSync(r.files!.allure.resultFile));
    });
  }
});
