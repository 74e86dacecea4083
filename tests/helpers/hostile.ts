// The hostile-input harness: a valid release's files (policy, manifest, results, health.json) with one thing made
// wrong per case, run through the real command; each case asserts the exit code and the message, and that no previous
// report was lost or left looking current.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { manifestDigest } from '../../scripts/config/manifest.ts';
import { command, playwright, type CommandRun } from './commands.ts';
import { playwrightJson, smokeChecks } from './results-file.ts';
import { health, policyJson, signal } from '../unit/verdict-fixtures.ts';

export type Json = Record<string, unknown>;
export const MINUTE = 60_000;
export const deployedAt = new Date(Date.now() - 20 * MINUTE).toISOString();
export const POLICY: Json = policyJson({ name: 'hostile test policy' });
export const MANIFEST: Json = { version: '2.0.0', previousVersion: '1.0.0', deployedAt, changeSize: 'patch', features: [] };
export const HEALTH = () =>
  health([signal('error_rate', 'pass'), signal('latency_p95', 'pass')], {
    generatedAt: new Date().toISOString(),
    deployedAt,
    checkingPeriod: { ms: 600_000, monitorUntil: new Date(Date.parse(deployedAt) + 600_000).toISOString(), complete: true },
  }) as unknown as Json;
export const TAIL = 'WHERE time >= $start AND time < $end GROUP BY time($interval)';
export const customSignal = (query: Json) => ({
  ...POLICY,
  signals: [{ id: 'custom', title: 'Custom', query, severity: 'major', absolute: { fail: 1 } }],
});

export interface Files {
  /** Replace a file with this content (an object is written as JSON). */
  set(name: 'policy' | 'manifest' | 'results' | 'health', content: unknown): void;
  readonly paths: Readonly<Record<'policy' | 'manifest' | 'results' | 'health' | 'reports', string>>;
}

export interface Case {
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

export const results =
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
export const healthWith = (over: (h: Json) => Json) => (f: Files) => f.set('health', over(HEALTH()));
export const signals = (h: Json) => h.signals as Json[];

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

/** Runs every case as one describe block; `minimum` keeps the suite from shrinking unnoticed. */
export function hostileSuite(title: string, cases: readonly Case[], minimum: number): void {
  describe(title, () => {
    before(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-hostile-'))));
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    it(`holds at least ${minimum} cases (${cases.length})`, () => assert.ok(cases.length >= minimum));

    for (const c of cases) {
      it(`${c.name}: exit ${c.code}`, async () => {
        const { out, reports, verdict } = await runCase(c);
        const seen = `${out.stdout}\n${out.stderr}\n${JSON.stringify(verdict?.reasons ?? '')}`;
        assert.equal(out.code, c.code, seen.slice(-3000));
        for (const s of c.says)
          assert.ok(typeof s === 'string' ? seen.includes(s) : s.test(seen), `${String(s)} in:\n${seen.slice(-3000)}`);
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
}
