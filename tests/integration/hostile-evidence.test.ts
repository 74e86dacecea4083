// The hostile-input suite, part 2: forged, partial, stale or foreign evidence (results, health files) and secrets left in
// reports, each through the real verdict (exit code, message, the rule, and no previous report left looking current).
import fs from 'node:fs';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { deployedAt, healthWith, hostileSuite, MINUTE, results, signals, type Case } from '../helpers/hostile.ts';
import { playwrightJson, smokeChecks } from '../helpers/results-file.ts';

const cases: Case[] = [
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

hostileSuite('hostile input: forged, partial, stale or foreign evidence and leaked secrets', cases, 18);
