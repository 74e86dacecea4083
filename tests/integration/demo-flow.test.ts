// End to end: `npm run demo`'s whole flow (real influxd, demo shop v1 → v2 under traffic, Chromium suite, health gate, verdict, Allure) for healthy and faulty releases.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { childEnv } from '../../scripts/config/env.ts';
import { findSecret } from '../helpers/find-secret.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PASSWORD = 'Planted-Pa55word-7f3c';
const TOKEN = 'planted-influx-token-9d2e';

interface Flow {
  code: number;
  out: string;
  reports: string;
  verdict: VerdictFile;
}
interface VerdictFile {
  decision: string;
  exitCode: number;
  detectedAt?: string | null;
  watch?: { status: string; everySeconds: number; monitorUntil: string };
  evaluations?: Array<{ at: string; decision: string }>;
  decidingReason: { rule: string; message: string };
  reasons: Array<{ rule: string; input: string; message: string }>;
  evidence: { health: { kind: string; signals?: Array<{ id: string; outcome: string }> } };
}

let work: string;
let policyPath: string;

/**
 * The demo policy, compressed further by config alone: a 16 s checking period (and so a 16 s baseline) in 1 s
 * intervals. A smoke failure ends the flow early (rollback), and 5 samples still arrive before that interim verdict.
 */
function writeTestPolicy(): string {
  const policy = JSON.parse(fs.readFileSync(path.join(ROOT, 'apps/demo-shop/policy.demo.json'), 'utf8'));
  policy.$schema = undefined;
  policy.checkingPeriods = Object.fromEntries(Object.keys(policy.checkingPeriods).map((k) => [k, '16s']));
  policy.interval = '1s';
  policy.warmup = '0s';
  for (const s of policy.signals) s.minSamples = 5;
  const file = path.join(work, 'policy.json');
  fs.writeFileSync(file, JSON.stringify(policy, null, 2));
  return file;
}

function runDemo(name: string, args: string[], extraEnv: Record<string, string> = {}): Promise<Flow> {
  const reports = path.join(work, name);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/cli/demo.ts'), '--change-size', 'patch', ...args], {
      cwd: ROOT,
      env: childEnv({
        AFTERCHECK_REPORTS_DIR: reports,
        AFTERCHECK_POLICY: policyPath,
        NO_COLOR: '1',
        FORCE_COLOR: '0',
        AFTERCHECK_BASE_URL: undefined,
        ...extraEnv,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const file = path.join(reports, 'verdict.json');
      if (!fs.existsSync(file)) return reject(new Error(`${name}: no verdict.json (exit ${code})\n${out.slice(-4000)}`));
      resolve({ code: code ?? -1, out, reports, verdict: JSON.parse(fs.readFileSync(file, 'utf8')) as VerdictFile });
    });
  });
}

function verdictCli(reports: string, args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/cli/verdict.ts'), ...args], {
      cwd: ROOT,
      env: childEnv({
        AFTERCHECK_REPORTS_DIR: reports,
        AFTERCHECK_POLICY: policyPath,
        AFTERCHECK_MANIFEST: path.join(reports, 'release-manifest.json'),
        NO_COLOR: '1',
        ...env,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code: code ?? -1, out }));
  });
}

const explain = (f: Flow) =>
  `decision ${f.verdict.decision}; reasons:\n${f.verdict.reasons.map((r) => `  ${r.rule}: ${r.message}`).join('\n')}\n--- output tail ---\n${f.out.slice(-3000)}`;

before(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-demo-flow-'));
  policyPath = writeTestPolicy();
});
after(() => fs.rmSync(work, { recursive: true, force: true }));

describe('the demo flow', { concurrency: 2 }, () => {
  it('a healthy release proceeds with exit 0, full reports, and no planted secret in any of them', async () => {
    const flow = await runDemo('healthy', [], {
      AFTERCHECK_USERNAME: 'planted.monitor@demo.shop',
      AFTERCHECK_PASSWORD: PASSWORD,
      AFTERCHECK_INFLUX_TOKEN: TOKEN,
    });
    assert.equal(flow.code, 0, explain(flow));
    assert.ok(['proceed', 'continue-monitoring'].includes(flow.verdict.decision), explain(flow));
    for (const f of [
      'verdict.json',
      'verdict.md',
      'health.json',
      'results.json',
      'junit.xml',
      'html/index.html',
      'allure-report/index.html',
    ]) {
      assert.ok(fs.existsSync(path.join(flow.reports, f)), `${f} was written`);
    }
    assert.equal(flow.verdict.evidence.health.kind, 'report');
    // The checking period was watched while the suite ran: several evaluations, none deciding a rollback or hotfix.
    assert.equal(flow.verdict.watch?.status, 'period-over', explain(flow));
    assert.ok((flow.verdict.evaluations?.length ?? 0) >= 2, explain(flow));
    assert.deepEqual(
      flow.verdict.evaluations!.filter((e) => e.decision === 'rollback' || e.decision === 'hotfix'),
      [],
      explain(flow),
    );
    assert.equal(flow.verdict.detectedAt, null);
    assert.ok(
      flow.verdict.evidence.health.signals!.every((s) => s.outcome === 'pass' || s.outcome === 'warn'),
      explain(flow),
    );
    for (const secret of [PASSWORD, TOKEN]) {
      const scan = findSecret(flow.reports, secret);
      assert.ok(scan.filesScanned > 20, `scanned ${scan.filesScanned} files`);
      assert.deepEqual(scan.hits, [], `${secret} leaked into reports`);
      assert.ok(!flow.out.includes(secret), `${secret} leaked into the console`);
    }

    // The same evidence with InfluxDB gone: never a pass.
    const gone = await verdictCli(flow.reports, [], {
      AFTERCHECK_INFLUX_URL: 'http://127.0.0.1:9',
      AFTERCHECK_INFLUX_DATABASE: 'aftercheck',
      AFTERCHECK_INFLUX_DIALECT: 'influxql',
    });
    assert.equal(gone.code, 3, gone.out);
    const v = JSON.parse(fs.readFileSync(path.join(flow.reports, 'verdict.json'), 'utf8')) as VerdictFile;
    assert.equal(v.decision, 'inconclusive');
    assert.match(JSON.stringify(v.reasons), /unreachable|ECONNREFUSED|refused/i);

    // And with no results file.
    const none = await verdictCli(flow.reports, ['--results', path.join(work, 'nowhere', 'results.json'), '--no-health'], {});
    assert.equal(none.code, 3, none.out);
    assert.match(none.out, /nowhere[/\\]results\.json/);
  });

  const faulty: Array<{ fault: string; rule: RegExp; names: RegExp }> = [
    { fault: 'health-500', rule: /^smoke-failure$/, names: /health endpoint reports the database connected/ },
    { fault: 'login-broken', rule: /^smoke-failure$/, names: /login works end to end/ },
  ];
  for (const c of faulty) {
    it(`a release with ${c.fault} is rolled back, naming the failed smoke check`, async () => {
      const flow = await runDemo(c.fault, ['--faults', c.fault]);
      assert.equal(flow.code, 1, explain(flow));
      assert.equal(flow.verdict.decision, 'rollback');
      assert.match(flow.verdict.decidingReason.rule, c.rule, explain(flow));
      assert.match(flow.verdict.decidingReason.message, c.names, explain(flow));
    });
  }

  it('errors switched on 20 s after the deploy fail the error-rate signal (major → rollback) within two evaluation intervals, with detectedAt', async () => {
    // Exactly `npm run demo -- --faults=errors --fault-after=20s`: the demo's own policy and change size.
    const flow = await runDemo('errors', ['--change-size', 'minor', '--faults', 'errors', '--fault-after', '20s'], {
      AFTERCHECK_POLICY: path.join(ROOT, 'apps/demo-shop/policy.demo.json'),
    });
    assert.equal(flow.code, 1, explain(flow));
    assert.equal(flow.verdict.decision, 'rollback');
    const switched = /fault switch: errors on at (\S+)/.exec(flow.out)?.[1];
    assert.ok(switched, explain(flow));
    assert.ok(flow.verdict.detectedAt, explain(flow));
    const every = flow.verdict.watch!.everySeconds * 1000;
    const delay = Date.parse(flow.verdict.detectedAt!) - Date.parse(switched);
    assert.ok(delay > 0 && delay <= 2 * every, `detected ${delay} ms after the switch (every ${every} ms)\n${explain(flow)}`);
    assert.ok(
      flow.verdict.evaluations!.filter((e) => Date.parse(e.at) < Date.parse(switched)).every((e) => e.decision !== 'rollback'),
      'no rollback before the fault',
    );
    const errorRate = flow.verdict.evidence.health.signals?.find((s) => s.id === 'error_rate');
    assert.equal(errorRate?.outcome, 'fail', explain(flow));
    assert.ok(
      flow.verdict.reasons.some((r) => r.rule === 'health-breach.major' && /Error rate|error_rate/.test(r.message)),
      explain(flow),
    );
    // Every CI widget sees the rollback: a failed "Release verdict" testcase in junit.xml, and the report's name.
    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
      fs.readFileSync(path.join(flow.reports, 'junit.xml'), 'utf8'),
    ) as { testsuites: { failures: string; testsuite: { name: string; testcase: { name: string; failure?: { type: string } } }[] } };
    const verdictCase = junit.testsuites.testsuite.find((s) => s.name === 'aftercheck release verdict')?.testcase;
    assert.equal(verdictCase?.name, 'Release verdict');
    assert.equal(verdictCase?.failure?.type, 'rollback');
    assert.ok(Number(junit.testsuites.failures) >= 1, 'the root counts the failure');
    const index = fs.readFileSync(path.join(flow.reports, 'allure-report', 'index.html'), 'utf8');
    assert.match(index, /<title>\s*ROLLBACK · demo-shop 1\.5\.0\s*<\/title>/);
  });
});
