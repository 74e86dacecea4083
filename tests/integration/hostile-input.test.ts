// The hostile-input suite: bad, forged or malicious env, manifest, policy, flags, results, health files and query text,
// each through the real command. Every case asserts the exit code and the message, and that no previous report was lost
// or left looking current.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { strToU8, zipSync } from 'fflate';
import { manifestDigest } from '../../scripts/config/manifest.ts';
import { command, playwright, type CommandRun } from '../helpers/commands.ts';
import { playwrightJson, smokeChecks } from '../helpers/results-file.ts';
import { health, signal } from '../unit/verdict-fixtures.ts';

type Json = Record<string, unknown>;
const MINUTE = 60_000;
const deployedAt = new Date(Date.now() - 20 * MINUTE).toISOString();
const POLICY: Json = {
  name: 'hostile test policy',
  owner: { team: 'qa', rollbackDecider: 'the release manager' },
  checkingPeriods: { patch: '10m', minor: '30m', major: '4h', migration: '4h', infrastructure: '2h' },
  signals: [
    {
      id: 'error_rate',
      title: 'Error rate',
      unit: '%',
      query: { template: 'error_rate' },
      severity: 'major',
      absolute: { warn: 0.5, fail: 1 },
    },
    {
      id: 'latency_p95',
      title: 'Latency p95',
      unit: 'ms',
      query: { template: 'latency_p95' },
      severity: 'minor',
      relative: { maxRatio: 1.5 },
    },
  ],
};
const MANIFEST: Json = { version: '2.0.0', previousVersion: '1.0.0', deployedAt, changeSize: 'patch', features: [] };
const HEALTH = () =>
  health([signal('error_rate', 'pass'), signal('latency_p95', 'pass')], {
    generatedAt: new Date().toISOString(),
    deployedAt,
    checkingPeriod: { ms: 600_000, monitorUntil: new Date(Date.parse(deployedAt) + 600_000).toISOString(), complete: true },
  }) as unknown as Json;
const TAIL = 'WHERE time >= $start AND time < $end GROUP BY time($interval)';
const customSignal = (query: Json) => ({
  ...POLICY,
  signals: [{ id: 'custom', title: 'Custom', query, severity: 'major', absolute: { fail: 1 } }],
});

interface Files {
  /** Replace a file with this content (an object is written as JSON). */
  set(name: 'policy' | 'manifest' | 'results' | 'health', content: unknown): void;
  readonly paths: Readonly<Record<'policy' | 'manifest' | 'results' | 'health' | 'reports', string>>;
}

interface Case {
  readonly name: string;
  readonly cmd: 'verdict' | 'health' | 'manifest' | 'demo' | 'playwright';
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly mutate?: (f: Files) => void;
  readonly code: number;
  /** Each must appear in stderr, stdout or the verdict's reasons. */
  readonly says: readonly (string | RegExp)[];
  /** The verdict rule that must be among the reasons (verdict cases that decide). */
  readonly rule?: string;
}

const results =
  (over: { attestation?: unknown; tests?: ReturnType<typeof smokeChecks>; startTime?: string } = {}) =>
  (f: Files) => {
    const digest = manifestDigest(fs.readFileSync(f.paths.manifest));
    const att = {
      runId: 'run-1',
      app: 'Demo Shop',
      target: 'demo',
      manifest: { path: f.paths.manifest, version: '2.0.0', digest },
      narrowedBy: [],
    };
    f.set('results', {
      ...playwrightJson({
        tests: over.tests ?? smokeChecks(),
        attestation: att,
        startTime: over.startTime ?? new Date(Date.now() - 10 * MINUTE).toISOString(),
      }),
      ...(over.attestation !== undefined
        ? { config: { metadata: over.attestation === null ? {} : { aftercheck: over.attestation } } }
        : {}),
    });
  };
const healthWith = (over: (h: Json) => Json) => (f: Files) => f.set('health', over(HEALTH()));
const signals = (h: Json) => h.signals as Json[];

const cases: Case[] = [
  // --- the control: everything valid ---
  {
    name: 'valid inputs of this release proceed (the control case)',
    cmd: 'verdict',
    code: 0,
    says: [/PROCEED/],
    rule: 'all-checks-passed',
  },
  // --- environment ---
  {
    name: 'AFTERCHECK_RETRIES=" " is a typo, not 0',
    cmd: 'playwright',
    env: { AFTERCHECK_RETRIES: ' ' },
    code: 4,
    says: ['AFTERCHECK_RETRIES', 'whole number'],
  },
  {
    name: 'an InfluxDB timeout above 2^31-1 ms is refused',
    cmd: 'verdict',
    env: { AFTERCHECK_INFLUX_TIMEOUT_MS: '9999999999' },
    code: 4,
    says: ['AFTERCHECK_INFLUX_TIMEOUT_MS', '2147483647'],
  },
  {
    name: 'an InfluxDB timeout written as 1e3 is refused',
    cmd: 'verdict',
    env: { AFTERCHECK_INFLUX_TIMEOUT_MS: '1e3' },
    code: 4,
    says: ['written in digits'],
  },
  {
    name: 'a misspelt scheme in the target is refused',
    cmd: 'verdict',
    env: { AFTERCHECK_BASE_URL: 'htp://typo' },
    code: 4,
    says: ['AFTERCHECK_BASE_URL', 'http(s) URL'],
  },
  {
    name: 'credentials in the target URL are refused without being printed',
    cmd: 'verdict',
    env: { AFTERCHECK_BASE_URL: 'https://monitor:s3cret-pw@shop.test' },
    code: 4,
    says: ['AFTERCHECK_USERNAME and AFTERCHECK_PASSWORD', /%5BREDACTED%5D/],
  },
  {
    name: 'an InfluxDB URL that is not http(s) is refused',
    cmd: 'verdict',
    env: { AFTERCHECK_INFLUX_URL: 'ftp://influx' },
    code: 4,
    says: ['AFTERCHECK_INFLUX_URL'],
  },
  {
    name: 'a carriage return in the service name is named as such',
    cmd: 'verdict',
    env: { AFTERCHECK_SERVICE: 'demo-shop\r' },
    code: 4,
    says: ['AFTERCHECK_SERVICE', 'control characters'],
  },
  {
    name: 'a misspelt AFTERCHECK_ key is named with the nearest known key',
    cmd: 'verdict',
    env: { AFTERCHECK_INFUX_URL: 'http://x' },
    code: 0,
    says: ['AFTERCHECK_INFUX_URL', 'did you mean AFTERCHECK_INFLUX_URL?'],
  },
  {
    name: 'AFTERCHECK_VERIFY_ALL=maybe is refused',
    cmd: 'verdict',
    env: { AFTERCHECK_VERIFY_ALL: 'maybe' },
    code: 4,
    says: ['AFTERCHECK_VERIFY_ALL'],
  },
  { name: 'a run id with a space is refused', cmd: 'verdict', env: { AFTERCHECK_RUN_ID: 'run 1' }, code: 4, says: ['AFTERCHECK_RUN_ID'] },
  {
    name: 'an unknown InfluxDB dialect is refused',
    cmd: 'verdict',
    env: { AFTERCHECK_INFLUX_DIALECT: 'sql' },
    code: 4,
    says: ['must be auto, influxql or flux'],
  },
  {
    name: 'several environment problems are listed at once',
    cmd: 'verdict',
    env: { AFTERCHECK_INFLUX_DIALECT: 'sql', AFTERCHECK_VERIFY_ALL: 'maybe', AFTERCHECK_RETRIES: '9' },
    code: 4,
    says: ['3 problems'],
  },
  // --- manifest ---
  {
    name: 'a manifest that is not JSON',
    cmd: 'verdict',
    mutate: (f) => f.set('manifest', '{"version": '),
    code: 4,
    says: ['is not valid JSON'],
  },
  {
    name: 'a deploy time that is not ISO-8601',
    cmd: 'verdict',
    mutate: (f) => f.set('manifest', { ...MANIFEST, deployedAt: 'yesterday' }),
    code: 4,
    says: ['deployedAt', 'ISO-8601'],
  },
  {
    name: 'an unknown feature lists the known ids',
    cmd: 'verdict',
    mutate: (f) => f.set('manifest', { ...MANIFEST, features: ['serch'] }),
    code: 4,
    says: ['features[0]', 'is not a known feature id', 'search'],
  },
  {
    name: 'a carriage return in a version blames the manifest, not the policy',
    cmd: 'verdict',
    mutate: (f) => f.set('manifest', { ...MANIFEST, version: '2.0.0\r' }),
    code: 4,
    says: ['release manifest', 'version', 'control characters'],
  },
  {
    name: 'an unknown change size lists the sizes',
    cmd: 'verdict',
    mutate: (f) => f.set('manifest', { ...MANIFEST, changeSize: 'huge' }),
    code: 4,
    says: ['changeSize', 'patch, minor, major, migration, infrastructure'],
  },
  {
    name: 'an unknown manifest key is refused',
    cmd: 'verdict',
    mutate: (f) => f.set('manifest', { ...MANIFEST, deployedBy: 'x' }),
    code: 4,
    says: ['deployedBy'],
  },
  {
    name: 'the health gate refuses a release whose version equals its baseline',
    cmd: 'health',
    mutate: (f) => f.set('manifest', { ...MANIFEST, previousVersion: '2.0.0' }),
    code: 4,
    says: ['equals the previous version'],
  },
  // --- policy ---
  {
    name: 'a negative fail limit',
    cmd: 'verdict',
    mutate: (f) =>
      f.set('policy', {
        ...POLICY,
        signals: [{ ...(POLICY.signals as Json[])[0], absolute: { fail: -1 } }, (POLICY.signals as Json[])[1]],
      }),
    code: 4,
    says: ['absolute.fail', '0 or more'],
  },
  {
    name: 'a 999999999d checking period',
    cmd: 'verdict',
    mutate: (f) => f.set('policy', { ...POLICY, checkingPeriods: { ...(POLICY.checkingPeriods as Json), patch: '999999999d' } }),
    code: 4,
    says: ['checkingPeriods.patch', 'at most 366d'],
  },
  {
    name: 'an unknown template lists the template names',
    cmd: 'verdict',
    mutate: (f) => f.set('policy', customSignal({ template: 'errr_rate' })),
    code: 4,
    says: ['query.template', 'error_rate, latency_p50'],
  },
  {
    name: 'a query with no kind says which kinds there are',
    cmd: 'verdict',
    mutate: (f) => f.set('policy', customSignal({})),
    code: 4,
    says: ['names no query kind', '"influxql"'],
  },
  {
    name: 'a second statement after ";"',
    cmd: 'verdict',
    mutate: (f) => f.set('policy', customSignal({ influxql: `SELECT mean("v") FROM "m" ${TAIL}; DROP DATABASE "x"` })),
    code: 4,
    says: ['more than one statement'],
  },
  {
    name: 'SELECT … INTO',
    cmd: 'verdict',
    mutate: (f) => f.set('policy', customSignal({ influxql: `SELECT mean("v") INTO "x" FROM "m" ${TAIL}` })),
    code: 4,
    says: ['INTO, which writes'],
  },
  {
    name: 'a Flux query that writes with to()',
    cmd: 'verdict',
    mutate: (f) =>
      f.set(
        'policy',
        customSignal({
          flux: 'from(bucket: $bucket) |> range(start: $start, stop: $end) |> aggregateWindow(every: $interval, fn: mean) |> to(bucket: "x")',
        }),
      ),
    code: 4,
    says: ['to()'],
  },
  {
    name: 'a placeholder inside a regex literal',
    cmd: 'verdict',
    mutate: (f) =>
      f.set(
        'policy',
        customSignal({
          influxql: `SELECT mean("v") FROM "m" WHERE "version" =~ /$version/ AND time >= $start AND time < $end GROUP BY time($interval)`,
        }),
      ),
    code: 4,
    says: ['inside the regex literal'],
  },
  {
    name: 'a quoted placeholder',
    cmd: 'verdict',
    mutate: (f) =>
      f.set(
        'policy',
        customSignal({
          influxql: `SELECT mean("v") FROM "m" WHERE "version" = '$version' AND time >= $start AND time < $end GROUP BY time($interval)`,
        }),
      ),
    code: 4,
    says: ['inside quotes'],
  },
  {
    name: 'an interval longer than a checking period',
    cmd: 'verdict',
    mutate: (f) => f.set('policy', { ...POLICY, interval: '20m' }),
    code: 4,
    says: ['interval', 'longer than the patch checking period'],
  },
  {
    name: 'a warn level beyond the fail level',
    cmd: 'verdict',
    mutate: (f) =>
      f.set('policy', {
        ...POLICY,
        signals: [{ ...(POLICY.signals as Json[])[0], absolute: { warn: 2, fail: 1 } }, (POLICY.signals as Json[])[1]],
      }),
    code: 4,
    says: ['warn level 2 is beyond fail level 1'],
  },
  { name: 'a policy that is not JSON', cmd: 'verdict', mutate: (f) => f.set('policy', 'name: yaml'), code: 4, says: ['is not valid JSON'] },
  // --- flags ---
  { name: '--now yesterday', cmd: 'verdict', args: ['--now', 'yesterday'], code: 4, says: ['--now', 'ISO-8601'] },
  { name: '--health with --no-health', cmd: 'verdict', args: ['--health', 'x.json', '--no-health'], code: 4, says: ['cannot be combined'] },
  {
    name: 'an unknown flag and a stray argument, both listed',
    cmd: 'verdict',
    args: ['--bogus', 'stray'],
    code: 4,
    says: ['--bogus', 'stray', '2 problems'],
  },
  {
    name: 'the health gate refuses an unknown change size',
    cmd: 'health',
    args: ['--change-size', 'huge'],
    code: 4,
    says: ['--change-size'],
  },
  {
    name: 'a manifest derivation without --from',
    cmd: 'manifest',
    args: ['--version', '2.0.0', '--previous-version', '1.0.0'],
    code: 4,
    says: ['--from', 'is required', 'moved the previous manifest'],
  },
  { name: 'an unknown demo fault', cmd: 'demo', args: ['--faults=nope'], code: 4, says: ['--faults', 'is not a demo fault'] },
  // --- results ---
  {
    name: 'a truncated results file',
    cmd: 'verdict',
    mutate: (f) => f.set('results', '{"suites": ['),
    code: 3,
    says: ['not valid JSON'],
    rule: 'results-missing',
  },
  {
    name: 'a JSON file that is not a Playwright report',
    cmd: 'verdict',
    mutate: (f) => f.set('results', { hello: 1 }),
    code: 3,
    says: ['not a Playwright JSON report'],
    rule: 'results-missing',
  },
  {
    name: 'results without a run record',
    cmd: 'verdict',
    mutate: results({ attestation: null }),
    code: 3,
    says: ['does not say which release'],
    rule: 'results-unattested',
  },
  {
    name: 'results with a forged, malformed run record',
    cmd: 'verdict',
    mutate: results({ attestation: { runId: 'x' } }),
    code: 3,
    says: ['malformed'],
    rule: 'results-unattested',
  },
  {
    name: 'results made for another manifest',
    cmd: 'verdict',
    mutate: results({
      attestation: {
        runId: 'x',
        app: 'a',
        target: 'demo',
        manifest: { path: 'm', version: '1.9.0', digest: `sha256:${'b'.repeat(64)}` },
        narrowedBy: [],
      },
    }),
    code: 3,
    says: ['manifest 1.9.0'],
    rule: 'results-foreign',
  },
  {
    name: 'results made against another target',
    cmd: 'verdict',
    env: { AFTERCHECK_BASE_URL: 'https://prod.example.test' },
    code: 3,
    says: ['the run checked demo'],
    rule: 'results-foreign',
  },
  {
    name: 'results of another CI run',
    cmd: 'verdict',
    env: { AFTERCHECK_RUN_ID: 'ci-77' },
    code: 3,
    says: ['AFTERCHECK_RUN_ID'],
    rule: 'results-foreign',
  },
  {
    name: 'results of a run that started before the deploy',
    cmd: 'verdict',
    mutate: results({ startTime: new Date(Date.parse(deployedAt) - 5 * MINUTE).toISOString() }),
    code: 3,
    says: ['before the deploy'],
    rule: 'results-stale',
  },
  {
    name: 'a test that "passed" with zero attempts did not run',
    cmd: 'verdict',
    mutate: results({ tests: smokeChecks().map((t, i) => (i === 2 ? { ...t, status: 'skipped' as const } : t)) }),
    code: 3,
    says: ['(skipped)'],
    rule: 'smoke-incomplete',
  },
  {
    name: 'a result with an unknown status',
    cmd: 'verdict',
    mutate: (f) => f.set('results', JSON.parse(JSON.stringify(playwrightJson()).replace('"status":"expected"', '"status":"great"'))),
    code: 3,
    says: ['not a Playwright JSON report'],
    rule: 'results-missing',
  },
  // --- secrets left in reports: the audit fails closed ---
  {
    name: 'a configured password left in a report file is found, and the file named',
    cmd: 'verdict',
    env: { AFTERCHECK_USERNAME: 'monitor', AFTERCHECK_PASSWORD: 'planted-Pa55-word' },
    mutate: (f) => {
      fs.mkdirSync(path.join(f.paths.reports, 'html'), { recursive: true });
      fs.writeFileSync(path.join(f.paths.reports, 'html', 'notes.txt'), 'login with planted-Pa55-word');
    },
    code: 3,
    says: ['html/notes.txt (AFTERCHECK_PASSWORD)'],
    rule: 'secret-leak',
  },
  {
    name: 'a session cookie left in a zipped trace is found, and the entry named',
    cmd: 'verdict',
    mutate: (f) => {
      fs.mkdirSync(path.join(f.paths.reports, 'test-results', 'x'), { recursive: true });
      const event = JSON.stringify({
        type: 'resource-snapshot',
        snapshot: { request: { headers: [{ name: 'Cookie', value: 'sid=live-session-id' }] } },
      });
      fs.writeFileSync(path.join(f.paths.reports, 'test-results', 'x', 'trace.zip'), zipSync({ '0-trace.network': strToU8(event) }));
    },
    code: 3,
    says: ['test-results/x/trace.zip!0-trace.network (a session cookie'],
    rule: 'secret-leak',
  },
  // --- the health file ---
  {
    name: 'a health file with 1 of the 2 policy signals',
    cmd: 'verdict',
    mutate: healthWith((h) => ({ ...h, signals: signals(h).slice(0, 1) })),
    code: 3,
    says: ['leaves out 1'],
    rule: 'health-incomplete',
  },
  {
    name: 'a health file with an unknown outcome',
    cmd: 'verdict',
    mutate: healthWith((h) => ({ ...h, signals: signals(h).map((s, i) => (i ? s : { ...s, outcome: 'great' })) })),
    code: 3,
    says: ['signals.0.outcome'],
    rule: 'health-unavailable',
  },
  {
    name: 'a health file with signals the policy does not have',
    cmd: 'verdict',
    mutate: healthWith((h) => ({ ...h, signals: signals(h).map((s) => ({ ...s, id: `${String(s.id)}_x` })) })),
    code: 3,
    says: ['not in the policy'],
    rule: 'health-mismatch',
  },
  {
    name: 'a health file for another deploy',
    cmd: 'verdict',
    mutate: healthWith((h) => ({ ...h, deployedAt: '2026-01-01T00:00:00.000Z' })),
    code: 3,
    says: ['deploy time 2026-01-01T00:00:00.000Z'],
    rule: 'health-mismatch',
  },
  {
    name: 'a health file whose signal has no outcome',
    cmd: 'verdict',
    mutate: healthWith((h) => ({ ...h, signals: signals(h).map(({ outcome: _o, ...s }) => s) })),
    code: 3,
    says: ['outcome'],
    rule: 'health-unavailable',
  },
  {
    name: 'a health file that is not JSON',
    cmd: 'verdict',
    mutate: (f) => f.set('health', 'nope'),
    code: 3,
    says: ['is not valid JSON'],
    rule: 'health-unavailable',
  },
  {
    name: 'a health file dated in the future',
    cmd: 'verdict',
    mutate: healthWith((h) => ({ ...h, generatedAt: new Date(Date.now() + 3_600_000).toISOString() })),
    code: 3,
    says: ['in the future'],
    rule: 'health-stale',
  },
];

let root: string;
let n = 0;
const PREVIOUS_VERDICT = { decision: 'proceed', note: 'a PROCEED of an earlier run' };

async function runCase(c: Case): Promise<{ out: CommandRun; reports: string; verdict?: Json }> {
  const dir = path.join(root, `case-${++n}`);
  const reports = path.join(dir, 'reports');
  fs.mkdirSync(reports, { recursive: true });
  const paths = {
    policy: path.join(dir, 'policy.json'),
    manifest: path.join(dir, 'release-manifest.json'),
    results: path.join(reports, 'results.json'),
    health: path.join(dir, 'health.json'),
    reports,
  };
  const files: Files = {
    paths,
    set: (name, content) => fs.writeFileSync(paths[name], typeof content === 'string' ? content : JSON.stringify(content)),
  };
  files.set('policy', POLICY);
  files.set('manifest', MANIFEST);
  files.set('health', HEALTH());
  results()(files);
  c.mutate?.(files);
  fs.writeFileSync(path.join(reports, 'verdict.json'), JSON.stringify(PREVIOUS_VERDICT));
  const env = {
    AFTERCHECK_BASE_URL: 'demo',
    AFTERCHECK_POLICY: paths.policy,
    AFTERCHECK_MANIFEST: paths.manifest,
    AFTERCHECK_REPORTS_DIR: reports,
    AFTERCHECK_INFLUX_URL: 'http://127.0.0.1:9',
    AFTERCHECK_INFLUX_DATABASE: 'x',
    ...c.env,
  };
  const args = c.args ?? (c.cmd === 'verdict' ? ['--health', paths.health] : []);
  const out = c.cmd === 'playwright' ? await playwright(['--list'], env) : command(c.cmd, args, env, dir);
  const verdictFile = path.join(reports, 'verdict.json');
  return { out, reports, ...(fs.existsSync(verdictFile) ? { verdict: JSON.parse(fs.readFileSync(verdictFile, 'utf8')) as Json } : {}) };
}

describe('hostile input', () => {
  before(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-hostile-'))));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it(`holds at least 40 cases (${cases.length})`, () => assert.ok(cases.length >= 40));

  for (const c of cases) {
    it(`${c.name}: exit ${c.code}`, async () => {
      const { out, reports, verdict } = await runCase(c);
      const seen = `${out.stdout}\n${out.stderr}\n${JSON.stringify(verdict?.reasons ?? '')}`;
      assert.equal(out.code, c.code, seen.slice(-3000));
      for (const s of c.says) assert.ok(typeof s === 'string' ? seen.includes(s) : s.test(seen), `${String(s)} in:\n${seen.slice(-3000)}`);
      if (c.rule)
        assert.ok(
          (verdict?.reasons as { rule: string }[] | undefined)?.some((r) => r.rule === c.rule),
          `rule ${c.rule} in ${JSON.stringify(verdict?.reasons)}`,
        );
      // No previous report lost, none left looking current.
      if (c.cmd === 'verdict' && c.code !== 0) {
        assert.notEqual(verdict?.decision, 'proceed', 'the earlier PROCEED is not left in place');
        if (c.code === 4)
          assert.deepEqual(
            JSON.parse(fs.readFileSync(path.join(reports, 'previous', 'verdict.json'), 'utf8')),
            PREVIOUS_VERDICT,
            'the earlier verdict is kept aside',
          );
      } else if (c.cmd !== 'verdict')
        assert.deepEqual(verdict, PREVIOUS_VERDICT, 'a command that does not decide leaves the verdict alone');
      assert.deepEqual(
        fs.readdirSync(reports).filter((f) => f.endsWith('.tmp')),
        [],
        'no temp files left',
      );
    });
  }
});
