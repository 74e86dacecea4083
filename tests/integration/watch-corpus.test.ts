// The watch over recorded releases: accuracy-corpus histories in a real influxd, watched through the real verdict step
// with a clock that jumps from evaluation to evaluation (each one sees only the data up to its time). Healthy releases
// with blips never roll back; a fault that starts halfway is caught before the period ends, once, and alerted once.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CASES, type Case } from '../../bench/accuracy/cases.ts';
import { scaleOf, writeCorpus } from '../../bench/accuracy/corpus.ts';
import { deployTime, VERSIONS } from '../../bench/accuracy/model.ts';
import { loadEnv } from '../../scripts/config/env.ts';
import { manifestDigest } from '../../scripts/config/manifest.ts';
import { createProgress } from '../../scripts/adapters/watch-progress.ts';
import { runWatch, type RunWatchResult } from '../../scripts/gates/watch-run.ts';
import { startInfluxd, type Influxd } from '../../scripts/setup/influxd.ts';
import { playwrightJson } from '../helpers/results-file.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const scale = scaleOf('shipped', ROOT);
const HEALTHY = ['h01', 'h23', 'h27', 'h28', 'h30'];
const LATE = 'r13';
const byId = (id: string) => CASES.find((c) => c.id === id)!;

let influx: Influxd;
let work: string;
let policyFile: string;
let receiver: http.Server;
let webhook: string;
const received: { text: string }[] = [];

/** The shipped policy, watched every 2 minutes (its interval is 1 minute): the same rules, fewer evaluations to run. */
function writePolicy(): string {
  const p = JSON.parse(fs.readFileSync(path.join(ROOT, 'apps/demo-shop/policy.json'), 'utf8'));
  delete p.$schema;
  p.watch = { every: '2m' };
  const file = path.join(work, 'policy.json');
  fs.writeFileSync(file, JSON.stringify(p));
  return file;
}

/** One release: its manifest, a passing test run of it, and a watch through its checking period. */
async function watchCase(
  c: Case,
  opts: { alerts?: boolean; reportsDir?: string; startAt?: number } = {},
): Promise<RunWatchResult & { reportsDir: string }> {
  const dir = fs.mkdtempSync(path.join(work, `${c.id}-`));
  const reportsDir = opts.reportsDir ?? path.join(dir, 'reports');
  fs.mkdirSync(reportsDir, { recursive: true });
  const deployed = deployTime(c, scale);
  const manifestFile = path.join(dir, 'manifest.json');
  fs.writeFileSync(
    manifestFile,
    JSON.stringify({
      version: VERSIONS.current,
      previousVersion: VERSIONS.previous,
      deployedAt: new Date(deployed).toISOString(),
      changeSize: 'minor',
      features: [],
    }),
  );
  const digest = manifestDigest(fs.readFileSync(manifestFile));
  const results = playwrightJson({
    startTime: new Date(deployed + 30_000).toISOString(),
    attestation: {
      runId: 'run-1',
      app: 'demo-shop',
      target: 'demo',
      manifest: { path: manifestFile, version: VERSIONS.current, digest },
      narrowedBy: [],
    },
  });
  fs.writeFileSync(path.join(reportsDir, 'results.json'), JSON.stringify(results));
  const env = loadEnv({
    source: {
      AFTERCHECK_APP: 'demo-shop',
      AFTERCHECK_SERVICE: `acc-${c.id}`,
      AFTERCHECK_INFLUX_URL: influx.url,
      AFTERCHECK_INFLUX_DATABASE: scale.database,
      AFTERCHECK_INFLUX_DIALECT: 'influxql',
      AFTERCHECK_REPORTS_DIR: reportsDir,
      AFTERCHECK_MANIFEST: manifestFile,
      AFTERCHECK_POLICY: policyFile,
      AFTERCHECK_RUN_ID: 'run-1',
      NO_COLOR: '1',
      ...(opts.alerts ? { AFTERCHECK_ALERT_WEBHOOK_URL: webhook, AFTERCHECK_ALERT_RETRIES: '0' } : {}),
    },
  });
  // The clock starts a minute after the deploy and moves only when the watch sleeps.
  let now = opts.startAt ?? deployed + 60_000;
  const lines: string[] = [];
  const r = await runWatch({
    env,
    health: { mode: 'run' },
    progress: createProgress({ write: (s: string) => lines.push(s) }, { live: false, color: false, secrets: [] }),
    signal: new AbortController().signal,
    clock: {
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    },
  });
  return { ...r, reportsDir };
}

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-watch-corpus-'));
  influx = await startInfluxd({ dir: path.join(work, 'influxdb') });
  await writeCorpus(influx, [...HEALTHY, LATE].map(byId), scale);
  policyFile = writePolicy();
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push(JSON.parse(body) as { text: string });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  webhook = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks/T000/B000/planted-webhook-secret`;
});
after(async () => {
  await influx?.stop();
  receiver?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('watching recorded releases through their checking period (shipped policy, real InfluxDB)', () => {
  for (const id of HEALTHY) {
    it(`a healthy release with its blips (${id}: ${byId(id).title}) is watched to the end and proceeds, never rolling back on the way`, async () => {
      const r = await watchCase(byId(id));
      const decisions = r.evaluations.map((e) => e.decision);
      assert.equal(r.end, 'period-over', decisions.join(', '));
      assert.ok(r.evaluations.length >= 15, `${r.evaluations.length} evaluations`);
      assert.deepEqual(
        decisions.filter((d) => d === 'rollback' || d === 'hotfix'),
        [],
        `no early rollback or hotfix: ${decisions.join(', ')}`,
      );
      assert.equal(r.verdict?.decision, 'proceed', r.verdict?.decidingReason.message);
      assert.equal(r.detectedAt, null);
      const doc = JSON.parse(fs.readFileSync(path.join(r.reportsDir, 'verdict.json'), 'utf8'));
      assert.equal(doc.schemaVersion, 1);
      assert.equal(doc.watch.status, 'period-over');
      assert.equal(doc.evaluations.length, r.evaluations.length);
    });
  }

  it('errors that start halfway through are caught before the period ends, with detectedAt after the onset, alerted once, and not again by a second process', async () => {
    const c = byId(LATE);
    const onset = deployTime(c, scale) + 0.5 * scale.periodMs;
    const r = await watchCase(c, { alerts: true });
    assert.equal(r.end, 'rollback', r.evaluations.map((e) => `${e.at} ${e.decision}`).join('\n'));
    assert.equal(r.verdict?.decision, 'rollback');
    assert.ok(r.detectedAt, 'detectedAt recorded');
    const detected = Date.parse(r.detectedAt!);
    const monitorUntil = deployTime(c, scale) + scale.periodMs;
    assert.ok(detected > onset, `never before the fault: detected ${r.detectedAt}, onset ${new Date(onset).toISOString()}`);
    assert.ok(detected < monitorUntil, `a sustained breach does not wait out the period (detected ${r.detectedAt})`);
    assert.ok(detected - onset <= 2 * 120_000, `within two evaluation intervals of the onset (detected ${r.detectedAt})`);
    const before = r.evaluations.filter((e) => Date.parse(e.at) < onset);
    assert.ok(before.length >= 5 && before.every((e) => e.decision !== 'rollback'), 'no rollback before the onset');
    const doc = JSON.parse(fs.readFileSync(path.join(r.reportsDir, 'verdict.json'), 'utf8'));
    assert.equal(doc.detectedAt, r.detectedAt);
    assert.equal(doc.watch.status, 'rollback');
    assert.ok(doc.evaluations.at(-1).signals.some((s: { id: string; outcome: string }) => s.id === 'error_rate' && s.outcome === 'fail'));

    // One alert for the change to rollback, one for the end of the watch: nothing for the quiet evaluations before.
    assert.deepEqual(
      r.alerts.map((a) => [a.kind, a.status, a.ok]),
      [
        ['decision-change', 'ROLLBACK', true],
        ['watch-end', 'ROLLBACK', true],
      ],
    );
    assert.equal(received.length, 2);
    assert.match(received[0]!.text, /ROLLBACK · acc-r13 2\.0\.0/);
    assert.match(received[0]!.text, /Error rate/);
    const all = fs.readdirSync(r.reportsDir, { recursive: true }).map(String);
    for (const f of all.filter((f) => fs.statSync(path.join(r.reportsDir, f)).isFile()))
      assert.ok(!fs.readFileSync(path.join(r.reportsDir, f), 'latin1').includes('planted-webhook-secret'), `${f} holds the webhook URL`);
    assert.match(doc.checklist.find((x: { item: string }) => x.item === 'alerting').evidence, /this run delivered 2/);

    // The same release watched again by another process, a minute later: the state file knows both alerts went out.
    const again = await watchCase(c, { alerts: true, reportsDir: r.reportsDir, startAt: detected + 60_000 });
    assert.equal(again.verdict?.decision, 'rollback');
    assert.deepEqual(again.alerts, []);
    assert.equal(received.length, 2);
  });
});
