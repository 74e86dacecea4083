// Sharding with one verdict, for real: the suite in two shards (blob reports), merged with `npm run merge`, judges the
// same as one unsharded run of the same release; a merge missing a shard, or a shard without a run id, is refused.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readTestRun } from '../../scripts/adapters/playwright-results.ts';
import { DEMO_ACCOUNT } from '../../scripts/config/env.ts';
import { startDemo, type RunningDemo } from '../../demo/launch.ts';
import { cleanEnv, command, playwright, ROOT, type CommandRun } from '../helpers/commands.ts';
import { health, policyJson, signal } from '../unit/verdict-fixtures.ts';

const MINUTE = 60_000;
const POLICY = policyJson({ name: 'shard test policy' });

interface VerdictDoc {
  decision: string;
  reasons: { rule: string; decision: string }[];
  evidence: Record<'setup' | 'smoke' | 'verify' | 'selection' | 'logs' | 'flaky', unknown>;
}

let dir: string;
let shop: RunningDemo;
let env: Record<string, string>;
let healthFile: string;
const reports = (name: string) => path.join(dir, name);
const verdictOf = (name: string) => JSON.parse(fs.readFileSync(path.join(reports(name), 'verdict.json'), 'utf8')) as VerdictDoc;
const show = (r: CommandRun) => `exit ${r.code}\n${r.stdout.slice(-2500)}\n${r.stderr.slice(-1500)}`;

/** `npm run merge -- <dir>` as a user runs it (the npm script in package.json), into `name`'s reports dir. */
function merge(name: string, blobs: readonly string[]): Promise<CommandRun> {
  const blobDir = path.join(reports(name), 'blob-report');
  fs.mkdirSync(blobDir, { recursive: true });
  for (const b of blobs) fs.copyFileSync(b, path.join(blobDir, path.basename(b)));
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', 'merge', '--', blobDir], {
      cwd: ROOT,
      env: cleanEnv({ ...env, AFTERCHECK_REPORTS_DIR: reports(name) }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const blob = (name: string, i: number) => path.join(reports(name), 'blob-report', `report-${i}-of-2.zip`);
const verdict = (name: string) => command('verdict', ['--health', healthFile], { ...env, AFTERCHECK_REPORTS_DIR: reports(name) });
/** Each test once, by project, file and title: what the verdict judged. */
const testSet = (name: string) => {
  const run = readTestRun({ resultsPath: path.join(reports(name), 'results.json') });
  assert.equal(run.kind, 'ok');
  return run.kind === 'ok' ? run.tests.map((t) => `${t.project} ${t.file} ${t.title}: ${t.status}`).sort() : [];
};

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-shards-'));
  shop = await startDemo({ faults: [] });
  const deployedAt = new Date(Date.now() - 20 * MINUTE).toISOString();
  const manifest = path.join(dir, 'manifest.json');
  fs.writeFileSync(
    manifest,
    JSON.stringify({ version: '2.0.0', previousVersion: '1.0.0', deployedAt, changeSize: 'patch', features: ['search', 'account'] }),
  );
  fs.writeFileSync(path.join(dir, 'policy.json'), JSON.stringify(POLICY));
  healthFile = path.join(dir, 'health.json');
  fs.writeFileSync(
    healthFile,
    JSON.stringify(
      health([signal('error_rate', 'pass'), signal('latency_p95', 'pass')], {
        generatedAt: new Date().toISOString(),
        deployedAt,
        checkingPeriod: { ms: 10 * MINUTE, monitorUntil: new Date(Date.parse(deployedAt) + 10 * MINUTE).toISOString(), complete: true },
      }),
    ),
  );
  env = {
    AFTERCHECK_APP: 'demo-shop',
    AFTERCHECK_BASE_URL: shop.url,
    AFTERCHECK_USERNAME: DEMO_ACCOUNT.username,
    AFTERCHECK_PASSWORD: DEMO_ACCOUNT.password,
    AFTERCHECK_MANIFEST: manifest,
    AFTERCHECK_POLICY: path.join(dir, 'policy.json'),
    AFTERCHECK_SERVICE: 'demo-shop',
    AFTERCHECK_RUN_ID: 'ci-run-7',
    AFTERCHECK_RETRIES: '0',
  };
});
after(async () => {
  await shop?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a sharded run merged into one verdict', { timeout: 600_000 }, () => {
  it('each shard writes only its blob report; the merge writes the reports; the verdict and its evidence equal an unsharded run', async () => {
    const whole = await playwright([], { ...env, AFTERCHECK_REPORTS_DIR: reports('whole') });
    assert.equal(whole.code, 0, show(whole));
    for (const i of [1, 2]) {
      const shard = await playwright([`--shard=${i}/2`], { ...env, AFTERCHECK_REPORTS_DIR: reports(`shard${i}`) });
      assert.equal(shard.code, 0, show(shard));
      assert.ok(fs.existsSync(blob(`shard${i}`, i)), `shard ${i} wrote its blob report`);
      for (const file of ['results.json', 'junit.xml', 'allure-results', 'html', 'verify-selection.json'])
        assert.ok(!fs.existsSync(path.join(reports(`shard${i}`), file)), `a shard writes no ${file}: only the merge judges`);
    }
    const merged = await merge('merged', [blob('shard1', 1), blob('shard2', 2)]);
    assert.equal(merged.code, 0, show(merged));

    assert.equal(verdict('whole').code, 0);
    const v = verdict('merged');
    assert.equal(v.code, 0, show(v));
    const [a, b] = [verdictOf('whole'), verdictOf('merged')];
    assert.equal(b.decision, a.decision);
    assert.equal(a.decision, 'proceed');
    assert.deepEqual(b.reasons, a.reasons);
    // The expected evidence: every group's counts, every changed feature's tests, the selection, logs, flaky tests.
    for (const k of ['setup', 'smoke', 'verify', 'selection', 'logs', 'flaky'] as const)
      assert.deepEqual(b.evidence[k], a.evidence[k], `evidence.${k}`);
    assert.deepEqual(testSet('merged'), testSet('whole'));

    // Allure results of both shards, combined: a result for every test the unsharded run reported.
    const names = (name: string) =>
      new Set(
        fs
          .readdirSync(path.join(reports(name), 'allure-results'))
          .filter((f) => f.endsWith('-result.json'))
          .map(
            (f) => (JSON.parse(fs.readFileSync(path.join(reports(name), 'allure-results', f), 'utf8')) as { fullName: string }).fullName,
          ),
      );
    assert.deepEqual([...names('merged')].sort(), [...names('whole')].sort());
  });

  it('a merge that lacks a shard is inconclusive, naming the shard', async () => {
    const partial = await merge('partial', [blob('shard1', 1)]);
    assert.equal(partial.code, 0, show(partial));
    const v = verdict('partial');
    assert.equal(v.code, 3, show(v));
    const doc = verdictOf('partial');
    assert.ok(
      doc.reasons.some((r) => r.rule === 'shards-missing'),
      JSON.stringify(doc.reasons),
    );
  });

  it('a shard without AFTERCHECK_RUN_ID stops at once (exit 4): no merge could show its shards are one run', async () => {
    const { AFTERCHECK_RUN_ID: _unset, ...rest } = env;
    const run = await playwright(['--shard=1/2'], { ...rest, AFTERCHECK_REPORTS_DIR: reports('no-run-id') });
    assert.equal(run.code, 4, show(run));
    assert.match(run.stderr, /AFTERCHECK_RUN_ID.*a sharded run/s);
  });
});
