// Flux contract test: the real @influxdata/influxdb-client QueryApi against a local responder speaking InfluxDB 2.x's query API and annotated CSV.
// No InfluxDB 2.x can run here, so this responder checks the request the client sends and answers the way 2.x does.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type net from 'node:net';
import { runHealthGate, type HealthManifest } from '../../scripts/gates/health-gate.ts';
import { createInfluxReader } from '../../scripts/adapters/influx/reader.ts';
import type { HealthReport } from '../../scripts/engine/types.ts';
import { MINUTE, testEnv, testPolicy } from './health-support.ts';

const TOKEN = 'flux-contract-token-9d8c7b';
const ORG = 'acme';
const BUCKET = 'metrics';
const DEPLOY = Date.parse('2026-04-01T09:00:00Z');
const NOW = new Date(DEPLOY + 30 * MINUTE);
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
    relative: { maxRatio: 1.5, maxIncrease: 50 },
  },
  { id: 'error_rate', title: 'Error rate', unit: '%', query: { template: 'error_rate' }, severity: 'major', absolute: { fail: 1 } },
]);

interface Recorded {
  method: string;
  path: string;
  org: string | null;
  headers: http.IncomingHttpHeaders;
  body: { query?: unknown; dialect?: { annotations?: unknown; header?: unknown }; type?: unknown };
}

type Mode = 'normal' | 'unauthorized' | 'html' | 'flux-error' | 'stall';
let mode: Mode = 'normal';
const requests: Recorded[] = [];
const sockets = new Set<net.Socket>();
/** Connections that carried a query (the /ping connection is fetch's keep-alive pool, not the Flux client's). */
const querySockets = new Set<net.Socket>();

/** Per-minute values from the range in the query, like aggregateWindow(every: 1m) would produce. */
function rowsFor(query: string): { t: string; v: number }[] {
  const m = /range\(start: time\(v: "([^"]+)"\), stop: time\(v: "([^"]+)"\)\)/.exec(query);
  if (!m) return [];
  const current = query.includes('r.version == "2.0.0"');
  const latency = query.includes('latency_p95_ms');
  const rows: { t: string; v: number }[] = [];
  for (let t = Date.parse(m[1]!), i = 0; t < Date.parse(m[2]!); t += MINUTE, i++) {
    const v = latency ? (current ? 300 : 100) + (i % 3) : current ? 0.2 : 0.1;
    rows.push({ t: new Date(t).toISOString().replace('.000Z', 'Z'), v });
  }
  return rows;
}

const ANNOTATIONS = [
  '#datatype,string,long,dateTime:RFC3339,double',
  '#group,false,false,false,false',
  '#default,_result,,,',
  ',result,table,_time,_value',
];

/** InfluxDB 2.x's annotated CSV: current data as two tables in one block, baseline as two blocks (as 2.x does when a schema repeats). */
function annotatedCsv(query: string): string {
  const rows = rowsFor(query);
  const half = Math.ceil(rows.length / 2);
  const line = (table: number, r: { t: string; v: number }) => `,,${table},${r.t},${r.v}`;
  const out: string[] = [];
  if (query.includes('r.version == "2.0.0"')) {
    out.push(...ANNOTATIONS, ...rows.slice(0, half).map((r) => line(0, r)), ...rows.slice(half).map((r) => line(1, r)), '');
  } else {
    out.push(
      ...ANNOTATIONS,
      ...rows.slice(0, half).map((r) => line(0, r)),
      '',
      ...ANNOTATIONS,
      ...rows.slice(half).map((r) => line(1, r)),
      '',
    );
  }
  return `${out.join('\r\n')}\r\n`;
}

const responder = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/ping') {
    res.writeHead(204, { 'x-influxdb-version': 'v2.7.4', 'x-influxdb-build': 'OSS' });
    res.end();
    return;
  }
  if (!querySockets.has(req.socket)) {
    querySockets.add(req.socket);
    req.socket.once('close', () => querySockets.delete(req.socket));
  }
  let raw = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => (raw += c));
  req.on('end', () => {
    let body: Recorded['body'] = {};
    try {
      body = JSON.parse(raw) as Recorded['body'];
    } catch {
      /* recorded as empty: the assertions catch it */
    }
    requests.push({ method: req.method ?? '', path: url.pathname, org: url.searchParams.get('org'), headers: req.headers, body });
    if (mode === 'stall') return; // never answers
    if (req.method !== 'POST' || url.pathname !== '/api/v2/query') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'not found', message: 'path not found' }));
      return;
    }
    if (mode === 'unauthorized' || req.headers.authorization !== `Token ${TOKEN}`) {
      res.writeHead(401, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ code: 'unauthorized', message: 'unauthorized access' }));
      return;
    }
    if (mode === 'html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>\n');
      return;
    }
    if (mode === 'flux-error') {
      res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
      res.end(
        '#datatype,string,string\r\n#group,true,true\r\n#default,,\r\n,error,reference\r\n,"error calling function ""aggregateWindow"": missing required argument every",\r\n\r\n',
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
    res.end(annotatedCsv(typeof body.query === 'string' ? body.query : ''));
  });
});
responder.on('connection', (s) => {
  sockets.add(s);
  s.on('close', () => sockets.delete(s));
});

let url = '';
before(async () => {
  await new Promise<void>((r) => responder.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(responder.address() as net.AddressInfo).port}`;
});
after(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => responder.close(r));
});
beforeEach(() => {
  mode = 'normal';
  requests.length = 0;
});

const fluxEnv = (over: Record<string, string> = {}) =>
  testEnv({
    AFTERCHECK_INFLUX_URL: url,
    AFTERCHECK_INFLUX_TOKEN: TOKEN,
    AFTERCHECK_INFLUX_ORG: ORG,
    AFTERCHECK_INFLUX_BUCKET: BUCKET,
    ...over,
  });
const gate = (over: Record<string, string> = {}, m: HealthManifest = manifest): Promise<HealthReport> =>
  runHealthGate({ env: fluxEnv(over), policy, manifest: m, now: NOW });

describe('Flux contract test (InfluxDB 2.x query API through the real client)', () => {
  test('auto mode picks Flux for a 2.x server with an org and a bucket', async () => {
    const c = await createInfluxReader({ url, token: TOKEN, org: ORG, bucket: BUCKET, database: BUCKET, timeoutMs: 2000 }).connect();
    assert.equal(c.kind, 'ok');
    assert.equal(c.source.dialect, 'flux');
    assert.equal(c.source.serverVersion, 'v2.7.4');
  });

  test('the client sends POST /api/v2/query?org=… with a Token header and a JSON body holding the query and the annotation dialect', async () => {
    await gate();
    assert.equal(requests.length, 4, 'one current and one baseline query per signal');
    for (const r of requests) {
      assert.equal(r.method, 'POST');
      assert.equal(r.path, '/api/v2/query');
      assert.equal(r.org, ORG);
      assert.equal(r.headers.authorization, `Token ${TOKEN}`);
      assert.match(String(r.headers['content-type']), /^application\/json/);
      assert.equal(r.body.type, 'flux');
      assert.deepEqual(r.body.dialect?.annotations, ['datatype', 'group', 'default']);
      assert.equal(r.body.dialect?.header, true);
      assert.match(
        String(r.body.query),
        /^from\(bucket: "metrics"\)\n {2}\|> range\(start: time\(v: "2026-04-01T(08:50|09:00):00\.000Z"\), stop: time\(v: "2026-04-01T(09:00|09:10):00\.000Z"\)\)/,
      );
      assert.match(String(r.body.query), /aggregateWindow\(every: 1m, fn: (mean|sum), createEmpty: false, timeSrc: "_start"\)/);
    }
  });

  test('annotated CSV with several tables becomes one series per window, judged by the rules', async () => {
    const report = await gate();
    assert.equal(report.source.dialect, 'flux');
    assert.equal(report.source.database, BUCKET);
    const latency = report.signals.find((s) => s.id === 'latency_p95')!;
    assert.deepEqual(latency.samples, { current: 10, baseline: 10 });
    assert.equal(latency.series.current[0]!.t, '2026-04-01T09:00:00.000Z');
    assert.equal(latency.series.current[9]!.t, '2026-04-01T09:09:00.000Z');
    assert.ok(latency.current! > 300 && latency.current! < 302);
    assert.ok(latency.baseline! > 100 && latency.baseline! < 102);
    assert.equal(latency.outcome, 'fail', latency.reason);
    assert.equal(latency.rules.find((r) => r.rule === 'relative')?.outcome, 'fail');
    const errors = report.signals.find((s) => s.id === 'error_rate')!;
    assert.equal(errors.outcome, 'pass', errors.reason);
    assert.equal(errors.current, 0.2);
    assert.match(errors.query.current, /pivot\(rowKey: \["_time"\]/);
  });

  test('a hostile version reaches Flux as one escaped string literal', async () => {
    await gate({}, { ...manifest, version: '2.0.0" or r.version != "x\n' });
    const q = String(requests[0]!.body.query);
    assert.match(q, /r\.version == "2\.0\.0\\" or r\.version != \\"x\\n"\)/);
  });

  test('a 401 JSON error is inconclusive with an auth cause, and the token never appears', async () => {
    mode = 'unauthorized';
    const report = await gate();
    assert.equal(report.outcome, 'inconclusive');
    for (const s of report.signals)
      assert.match(
        s.reason,
        /\(auth\): InfluxDB refused the credentials at http:\/\/127\.0\.0\.1:\d+\/api\/v2\/query \(HTTP 401: unauthorized access\)/,
      );
    assert.ok(!JSON.stringify(report).includes(TOKEN));
  });

  test('a malformed body (an HTML page with status 200) is inconclusive, not "no data"', async () => {
    mode = 'html';
    const report = await gate();
    assert.equal(report.outcome, 'inconclusive');
    for (const s of report.signals)
      assert.match(
        s.reason,
        /\(malformed\): InfluxDB answered with something that is not annotated CSV \("<html><body><h1>502 Bad Gateway/,
      );
  });

  test('a Flux error table is inconclusive with the server message', async () => {
    mode = 'flux-error';
    const report = await gate();
    assert.equal(report.outcome, 'inconclusive');
    assert.match(
      report.signals[0]!.reason,
      /\(query\): InfluxDB could not run the Flux query: error calling function "aggregateWindow": missing required argument every/,
    );
  });

  test('a query that never gets an answer times out and is inconclusive', async () => {
    mode = 'stall';
    const report = await gate({ AFTERCHECK_INFLUX_TIMEOUT_MS: '300' });
    assert.equal(report.outcome, 'inconclusive');
    for (const s of report.signals)
      assert.match(s.reason, /\(timeout\): InfluxDB at http:\/\/127\.0\.0\.1:\d+ did not answer within 300 ms/);
    // The timed-out requests' connections are closed by the client side, not left hanging (bounded wait).
    for (let i = 0; i < 40 && querySockets.size > 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(querySockets.size, 0, 'query connections left open after the timeout');
  });
});
