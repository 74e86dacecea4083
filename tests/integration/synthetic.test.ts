// `npm run synthetic` for real: a real demo shop (its fault switched at run time), real Chromium, a real influxd and a
// real local webhook receiver. Skips are counted, every test lands as a synthetic_check point with its tags, alerts
// come exactly once per incident across separate processes, retention removes only the oldest runs, and the
// synthetic failure rate gates a verdict like any other signal.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_ACCOUNT } from '../../scripts/config/env.ts';
import { startInfluxd, type Influxd } from '../../scripts/setup/influxd.ts';
import { startDemo, type RunningDemo } from '../../demo/launch.ts';
import { cleanEnv, ROOT } from '../helpers/commands.ts';

let influx: Influxd;
let shop: RunningDemo;
let work: string;
let receiver: http.Server;
let webhook: string;
const alerts: { text: string }[] = [];

const POLICY = {
  name: 'synthetic test policy',
  owner: { team: 'shop-platform', rollbackDecider: 'the release manager' },
  alerting: { channel: '#shop-alerts', afterFailedRuns: 2 },
  checkingPeriods: { patch: '10m', minor: '10m', major: '10m', migration: '10m', infrastructure: '10m' },
  interval: '5s',
  warmup: '0s',
  signals: [
    {
      id: 'synthetic_failure_rate',
      title: 'Synthetic failure rate',
      unit: '%',
      query: { template: 'synthetic_failure_rate' },
      severity: 'major',
      minSamples: 2,
      // Runs come every few seconds, not every interval: coverage is judged on the intervals that had a run.
      coverage: { minShare: 0.05, stoppedAfter: 100 },
      absolute: { fail: 5 },
    },
  ],
};

function manifest(version: string, deployedAt: Date): void {
  fs.writeFileSync(
    path.join(work, 'manifest.json'),
    JSON.stringify({
      version,
      previousVersion: version === '2.0.0' ? '1.0.0' : '0.9.0',
      deployedAt: deployedAt.toISOString(),
      changeSize: 'patch',
      features: [],
    }),
  );
}

const env = () => ({
  AFTERCHECK_APP: 'demo-shop',
  AFTERCHECK_BASE_URL: shop.url,
  AFTERCHECK_USERNAME: DEMO_ACCOUNT.username,
  AFTERCHECK_PASSWORD: DEMO_ACCOUNT.password,
  AFTERCHECK_REPORTS_DIR: path.join(work, 'reports'),
  AFTERCHECK_POLICY: path.join(work, 'policy.json'),
  AFTERCHECK_MANIFEST: path.join(work, 'manifest.json'),
  AFTERCHECK_SERVICE: 'demo-shop',
  AFTERCHECK_INFLUX_URL: influx.url,
  AFTERCHECK_INFLUX_DATABASE: 'aftercheck',
  AFTERCHECK_INFLUX_DIALECT: 'influxql',
  AFTERCHECK_ALERT_WEBHOOK_URL: webhook,
  AFTERCHECK_ALERT_RETRIES: '0',
  AFTERCHECK_LOCATION: 'ci-test',
});

/** A command as its own process (asynchronously: the webhook receiver lives in this one). */
function run(entry: string, args: readonly string[], over: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, entry), ...args], {
      cwd: ROOT,
      env: cleanEnv({ ...env(), ...over }),
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}
const synthetic = (...extra: string[]) => run('scripts/cli/synthetic.ts', ['--every', '1s', '--grep', 'health endpoint', ...extra]);

async function query(q: string): Promise<{ tags?: Record<string, string>; values: unknown[][] }[]> {
  const r = (await influx.query(q, 'aftercheck')) as { results: { series?: { tags?: Record<string, string>; values: unknown[][] }[] }[] };
  return r.results[0]?.series ?? [];
}

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-synthetic-'));
  fs.writeFileSync(path.join(work, 'policy.json'), JSON.stringify(POLICY));
  influx = await startInfluxd({ dir: path.join(work, 'influxdb') });
  await influx.createDatabase('aftercheck');
  shop = await startDemo({ version: '1.0.0' });
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      alerts.push(JSON.parse(body) as { text: string });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  webhook = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/services/T0/B0/planted-hook-secret-77`;
});
after(async () => {
  await shop?.stop();
  await influx?.stop();
  receiver?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('npm run synthetic (real demo shop, Chromium, InfluxDB and webhook receiver)', () => {
  const root = () => path.join(work, 'reports', 'synthetic');
  const runs = () =>
    fs
      .readdirSync(root())
      .filter((n) => /^\d{4}-/.test(n))
      .sort();

  it('runs on schedule without overlap (a run still going makes the next skip, counted), failing runs alert once after two in a row and once on recovery, across processes', async () => {
    manifest('1.0.0', new Date(Date.now() - 3_600_000));
    const first = await synthetic('--max-runs', '1');
    assert.equal(first.code, 0, first.out);
    assert.match(first.out, /run 1 \(.*\): passed; 1 passed, 0 failed/);
    // Each run takes seconds, the schedule is every second: the runs due meanwhile were skipped, and counted.
    const skipped = Number(/1 run\(s\): 1 passed; (\d+) skipped because a run was still going/.exec(first.out)?.[1]);
    assert.ok(skipped >= 1, first.out);
    assert.match(first.out, /skipped a run: the one started .* is still going/);
    const summaries = runs().map((r) => JSON.parse(fs.readFileSync(path.join(root(), r, 'run.json'), 'utf8')));
    assert.equal(
      summaries.reduce((n, s) => n + s.skippedDuring, 0),
      skipped,
    );
    assert.equal(alerts.length, 0);

    // The deploy of 2.0.0, whose health endpoint then fails.
    const deployedAt = new Date();
    manifest('2.0.0', deployedAt);
    await shop.setFaults(['health-500']);
    const failed: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await synthetic('--max-runs', '1');
      assert.equal(r.code, 1, r.out);
      failed.push(r.out);
      // Nothing after the first failure, one alert after the second, nothing after the third.
      assert.equal(alerts.length, i === 0 ? 0 : 1, `after failed run ${i + 1}: ${alerts.length} alerts\n${r.out}`);
    }
    assert.match(alerts[0]!.text, /FAILING · demo-shop 2\.0\.0: Scheduled synthetic checks from ci-test failed 2 runs in a row/);
    assert.match(alerts[0]!.text, /health endpoint reports the database connected/);
    assert.match(alerts[0]!.text, /owner shop-platform/);

    await shop.setFaults([]);
    fs.mkdirSync(path.join(root(), 'notes'));
    fs.writeFileSync(path.join(root(), 'README.txt'), 'not a run');
    const back = await synthetic('--max-runs', '1', '--keep', '3');
    assert.equal(back.code, 0, back.out);
    assert.equal(alerts.length, 2, back.out);
    assert.match(alerts[1]!.text, /RECOVERED · demo-shop 2\.0\.0/);
    const state = JSON.parse(fs.readFileSync(path.join(work, 'reports', 'alert-state.json'), 'utf8'));
    assert.deepEqual(state.incidents['synthetic:demo-shop:ci-test'], {
      ...state.incidents['synthetic:demo-shop:ci-test'],
      failures: 0,
      open: false,
    });

    // Five runs, keep three: the two oldest went, and nothing else did.
    assert.match(back.out, /retention removed \S+, \S+/);
    assert.equal(runs().length, 3);
    assert.ok(fs.existsSync(path.join(root(), 'notes')) && fs.existsSync(path.join(root(), 'README.txt')), 'other files stay');
    const index = fs.readFileSync(path.join(root(), 'index.html'), 'utf8');
    for (const r of runs()) assert.ok(index.includes(`${r}/html/index.html`), `index links ${r}`);
    assert.ok(!summaries.some((s) => runs().includes(s.run)), 'the oldest run went');
    for (const file of fs.readdirSync(path.join(work, 'reports'), { recursive: true }).map(String))
      if (fs.statSync(path.join(work, 'reports', file)).isFile())
        assert.ok(
          !fs.readFileSync(path.join(work, 'reports', file), 'latin1').includes('planted-hook-secret-77'),
          `${file} holds the webhook URL`,
        );
  });

  it('every test of every run is a synthetic_check point with its tags, and the synthetic failure rate gates a verdict', async () => {
    const byVersion = await query(
      'SELECT count("ran"), sum("failed") FROM synthetic_check GROUP BY "version","source","location","app","service"',
    );
    const rows = Object.fromEntries(
      byVersion.map((s) => [s.tags!.version!, { tags: s.tags, count: s.values[0]![1], failed: s.values[0]![2] }]),
    );
    assert.deepEqual(rows['1.0.0'], {
      tags: { app: 'demo-shop', location: 'ci-test', service: 'demo-shop', source: 'scheduled', version: '1.0.0' },
      count: 1,
      failed: 0,
    });
    assert.deepEqual(rows['2.0.0'], {
      tags: { app: 'demo-shop', location: 'ci-test', service: 'demo-shop', source: 'scheduled', version: '2.0.0' },
      count: 4,
      failed: 3,
    });
    const tests = await query('SELECT count("ran") FROM synthetic_check GROUP BY "test","project","feature"');
    assert.deepEqual(tests.map((s) => [s.tags!.project, s.tags!.test, s.tags!.feature, s.values[0]![1]]).sort(), [
      ['smoke', 'health endpoint reports the database connected', 'none', 5],
    ]);
    const status = await query(
      `SELECT "status", "duration_ms", "retries" FROM synthetic_check WHERE "test" = 'health endpoint reports the database connected' AND "version" = '2.0.0'`,
    );
    // Failed on both attempts (AFTERCHECK_RETRIES=1) three times, then passed at once.
    assert.deepEqual(
      status[0]!.values.map((v) => [v[1], v[3]]),
      [
        ['failed', 1],
        ['failed', 1],
        ['failed', 1],
        ['passed', 0],
      ],
    );
    assert.ok(
      status[0]!.values.every((v) => typeof v[2] === 'number' && v[2] > 0),
      'durations recorded',
    );

    const v = await run('scripts/cli/verdict.ts', []);
    assert.equal(v.code, 1, v.out);
    const doc = JSON.parse(fs.readFileSync(path.join(work, 'reports', 'verdict.json'), 'utf8'));
    assert.equal(doc.decision, 'rollback');
    const reason = doc.reasons.find((r: { rule: string }) => r.rule === 'health-breach.major');
    assert.match(reason.message, /Synthetic failure rate/);
    const alerting = () =>
      JSON.parse(fs.readFileSync(path.join(work, 'reports', 'verdict.json'), 'utf8')).checklist.find(
        (c: { item: string }) => c.item === 'alerting',
      );
    assert.equal(alerting().state, 'missing', 'a configured webhook is not yet a delivered alert');
  });

  it('npm run alert -- --test sends one test alert and records it: the checklist then ticks "Alerting configured"; a dead webhook crosses it', async () => {
    const alerting = () =>
      JSON.parse(fs.readFileSync(path.join(work, 'reports', 'verdict.json'), 'utf8')).checklist.find(
        (c: { item: string }) => c.item === 'alerting',
      );
    const before = alerts.length;
    const t = await run('scripts/cli/alert.ts', ['--test']);
    assert.equal(t.code, 0, t.out);
    assert.equal(alerts.length, before + 1);
    assert.match(
      alerts.at(-1)!.text,
      /TEST · demo-shop: Test alert from aftercheck for demo-shop: alerts for this service reach #shop-alerts/,
    );
    await run('scripts/cli/verdict.ts', []);
    assert.equal(alerting().state, 'done', alerting().evidence);
    assert.match(alerting().evidence, /#shop-alerts; test alert delivered/);

    const dead = {
      AFTERCHECK_ALERT_WEBHOOK_URL: 'http://127.0.0.1:9/services/T0/B0/dead-hook-secret-55',
      AFTERCHECK_ALERT_TIMEOUT_MS: '500',
    };
    const d = await run('scripts/cli/alert.ts', ['--test'], dead);
    assert.equal(d.code, 3, d.out);
    assert.match(d.out, /test alert not delivered after 1 attempt\(s\)/);
    assert.ok(!d.out.includes('dead-hook-secret-55'), d.out);
    await run('scripts/cli/verdict.ts', [], dead);
    assert.equal(alerting().state, 'failed', alerting().evidence);
    assert.equal(alerts.length, before + 1);
  });
});
