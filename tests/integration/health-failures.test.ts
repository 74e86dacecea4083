// Health gate failure paths: unreachable InfluxDB, a refused token (real influxd with auth), a server too slow to answer.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { freePort, startInfluxd, type Influxd } from '../../scripts/setup/influxd.ts';
import { runHealthGate, type HealthManifest } from '../../scripts/gates/health-gate.ts';
import { renderHealthTable } from '../../scripts/adapters/health-table.ts';
import { healthExitCode } from '../../scripts/gates/health-output.ts';
import type { HealthReport } from '../../scripts/engine/types.ts';
import { MINUTE, seed, testEnv, testPolicy } from './health-support.ts';

const DEPLOY = Date.parse('2026-02-01T08:00:00Z');
const NOW = new Date(DEPLOY + 20 * MINUTE);
const manifest: HealthManifest = {
  version: '2.0.0',
  previousVersion: '1.9.0',
  deployedAt: new Date(DEPLOY).toISOString(),
  changeSize: 'patch',
};
const policy = testPolicy([
  {
    id: 'latency_p95',
    title: 'Latency p95',
    unit: 'ms',
    query: { template: 'latency_p95' },
    severity: 'major',
    absolute: { fail: 500 },
    relative: { maxRatio: 1.5 },
  },
  { id: 'error_rate', title: 'Error rate', unit: '%', query: { template: 'error_rate' }, severity: 'major', absolute: { fail: 1 } },
]);
const ADMIN = { username: 'admin', password: 'correct-horse-battery' };
const WRONG_TOKEN = 'admin:wrong-password-4f9a2c';

/** The token must appear nowhere in what the gate produces: the report (health.json) and the printed table. */
function assertTokenAbsent(report: HealthReport, token: string): void {
  const out = JSON.stringify(report) + renderHealthTable(report, { color: false });
  assert.ok(!out.includes(token), 'the token leaked into the report or the table');
  assert.ok(!out.includes(token.split(':')[1]!), 'the password leaked into the report or the table');
  assert.ok(!out.includes(Buffer.from(token).toString('base64')), 'the encoded credentials leaked');
}

describe('an unreachable InfluxDB', () => {
  test('makes every signal inconclusive with the cause named, and the token stays out of the output', async () => {
    const port = await freePort(); // nothing listens there
    const token = 'admin:s3cret-unreachable-token';
    const env = testEnv({
      AFTERCHECK_INFLUX_URL: `http://127.0.0.1:${port}`,
      AFTERCHECK_INFLUX_DATABASE: 'db',
      AFTERCHECK_INFLUX_TOKEN: token,
    });
    const report = await runHealthGate({ env, policy, manifest, now: NOW });
    assert.equal(report.outcome, 'inconclusive');
    assert.match(
      report.error ?? '',
      new RegExp(`InfluxDB at http://127\\.0\\.0\\.1:${port}/? is unreachable \\(ECONNREFUSED\\); check AFTERCHECK_INFLUX_URL`),
    );
    for (const s of report.signals) {
      assert.equal(s.outcome, 'inconclusive');
      assert.equal(s.reason, report.error, 'every signal names the cause itself, not a symptom');
      assert.match(s.query.current, /^SELECT /, 'the report still shows the query it would have run');
    }
    assert.equal(healthExitCode(report, policy), 3);
    assertTokenAbsent(report, token);
  });
});

describe('a refused token (influxd with authentication)', () => {
  let influx: Influxd;
  before(async () => {
    influx = await startInfluxd({ auth: ADMIN });
    await influx.createDatabase('secured');
    await seed(influx, 'secured', [
      {
        measurement: 'http_requests',
        service: 'demo-shop',
        version: '1.9.0',
        from: DEPLOY - 10 * MINUTE,
        count: 20,
        fields: () => ({ latency_p95_ms: 80, count: 50, errors: 0 }),
        ints: ['count', 'errors'],
      },
      {
        measurement: 'http_requests',
        service: 'demo-shop',
        version: '2.0.0',
        from: DEPLOY,
        count: 20,
        fields: () => ({ latency_p95_ms: 85, count: 50, errors: 0 }),
        ints: ['count', 'errors'],
      },
    ]);
  });
  after(async () => {
    await influx?.stop();
  });

  test('a wrong password is inconclusive with an auth cause, and the token is redacted', async () => {
    const env = testEnv({ AFTERCHECK_INFLUX_URL: influx.url, AFTERCHECK_INFLUX_DATABASE: 'secured', AFTERCHECK_INFLUX_TOKEN: WRONG_TOKEN });
    const report = await runHealthGate({ env, policy, manifest, now: NOW });
    assert.equal(report.outcome, 'inconclusive');
    for (const s of report.signals) {
      assert.equal(s.outcome, 'inconclusive');
      assert.match(
        s.reason,
        /\(auth\): InfluxDB refused the credentials at http:\/\/127\.0\.0\.1:\d+\/query \(HTTP 401: authorization failed\); check AFTERCHECK_INFLUX_TOKEN/,
      );
    }
    assert.equal(healthExitCode(report, policy), 3);
    assertTokenAbsent(report, WRONG_TOKEN);
  });

  test('no token at all is refused the same way', async () => {
    const env = testEnv({ AFTERCHECK_INFLUX_URL: influx.url, AFTERCHECK_INFLUX_DATABASE: 'secured' });
    const report = await runHealthGate({ env, policy, manifest, now: NOW });
    assert.equal(report.outcome, 'inconclusive');
    assert.match(report.signals[0]!.reason, /\(auth\)/);
  });

  test('the right user:password token reads the data (the failure above is the token, nothing else)', async () => {
    const token = `${ADMIN.username}:${ADMIN.password}`;
    const env = testEnv({ AFTERCHECK_INFLUX_URL: influx.url, AFTERCHECK_INFLUX_DATABASE: 'secured', AFTERCHECK_INFLUX_TOKEN: token });
    const report = await runHealthGate({ env, policy, manifest, now: NOW });
    assert.equal(report.outcome, 'pass', report.signals.map((s) => s.reason).join('\n'));
    assert.equal(report.signals[0]!.current, 85);
    assertTokenAbsent(report, token);
  });
});

describe('a server too slow to answer', () => {
  const sockets = new Set<net.Socket>();
  let silent: net.Server;
  let stalling: http.Server;
  before(async () => {
    // Accepts connections and never says a word: neither /ping nor /query answers.
    silent = net.createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    // Answers /ping like InfluxDB 1.8 but never answers a query: the per-query timeout must fire.
    stalling = http.createServer((req, res) => {
      if (req.url?.startsWith('/ping')) {
        res.writeHead(204, { 'x-influxdb-version': '1.8.10' });
        res.end();
      }
    });
    stalling.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await Promise.all([
      new Promise<void>((r) => silent.listen(0, '127.0.0.1', r)),
      new Promise<void>((r) => stalling.listen(0, '127.0.0.1', r)),
    ]);
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await Promise.all([new Promise((r) => silent.close(r)), new Promise((r) => stalling.close(r))]);
  });

  test('a server that never answers /ping is inconclusive with a timeout named', async () => {
    const { port } = silent.address() as net.AddressInfo;
    const token = 'abcdef-silent-token-77';
    const env = testEnv({
      AFTERCHECK_INFLUX_URL: `http://127.0.0.1:${port}`,
      AFTERCHECK_INFLUX_DATABASE: 'db',
      AFTERCHECK_INFLUX_TIMEOUT_MS: '300',
      AFTERCHECK_INFLUX_TOKEN: token,
    });
    const report = await runHealthGate({ env, policy, manifest, now: NOW });
    assert.equal(report.outcome, 'inconclusive');
    assert.match(report.error ?? '', /did not answer within 300 ms \(AFTERCHECK_INFLUX_TIMEOUT_MS\)/);
    for (const s of report.signals) assert.equal(s.reason, report.error, 'every signal names the timeout itself');
    assertTokenAbsent(report, token);
  });

  test('a server that answers /ping but stalls on queries times out each query', async () => {
    const { port } = stalling.address() as net.AddressInfo;
    const env = testEnv({
      AFTERCHECK_INFLUX_URL: `http://127.0.0.1:${port}`,
      AFTERCHECK_INFLUX_DATABASE: 'db',
      AFTERCHECK_INFLUX_TIMEOUT_MS: '300',
    });
    const report = await runHealthGate({ env, policy, manifest, now: NOW });
    assert.equal(report.outcome, 'inconclusive');
    assert.equal(report.error, undefined, 'the server was reachable');
    assert.equal(report.source.dialect, 'influxql');
    for (const s of report.signals) {
      assert.equal(s.outcome, 'inconclusive');
      assert.match(
        s.reason,
        /current data could not be read \(timeout\): InfluxDB at http:\/\/127\.0\.0\.1:\d+\/? did not answer within 300 ms/,
      );
    }
    assert.equal(healthExitCode(report, policy), 3);
  });
});
