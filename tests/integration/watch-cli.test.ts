// `npm run verdict -- --watch` as a process, in real time: plain lines without a terminal, and a SIGTERM that loses
// nothing — a valid verdict.json marked as cut short, exit 143, and no process left behind.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { manifestDigest } from '../../scripts/config/manifest.ts';
import { startInfluxd, type Influxd } from '../../scripts/setup/influxd.ts';
import { cleanEnv, ROOT } from '../helpers/commands.ts';
import { playwrightJson } from '../helpers/results-file.ts';

let influx: Influxd;
let work: string;

const POLICY = {
  name: 'watch cli test',
  owner: { team: 'qa', rollbackDecider: 'the release manager' },
  checkingPeriods: { patch: '10m', minor: '10m', major: '10m', migration: '10m', infrastructure: '10m' },
  interval: '1s',
  warmup: '0s',
  signals: [
    { id: 'error_rate', title: 'Error rate', unit: '%', query: { template: 'error_rate' }, severity: 'major', absolute: { fail: 1 } },
  ],
};

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-watch-cli-'));
  influx = await startInfluxd({ dir: path.join(work, 'influxdb') });
  await influx.createDatabase('aftercheck');
});
after(async () => {
  await influx?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

/** Processes whose environment carries the marker. */
function marked(marker: string): string[] {
  return fs
    .readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/environ`, 'latin1').includes(marker);
      } catch {
        return false;
      }
    });
}

describe('npm run verdict -- --watch (a process, real time)', () => {
  it('SIGTERM mid-watch leaves a valid verdict.json marked as cut short (when, by what, what was measured), exits 143, and leaves no process', async () => {
    const reports = path.join(work, 'reports');
    fs.mkdirSync(reports, { recursive: true });
    const manifestFile = path.join(work, 'manifest.json');
    fs.writeFileSync(
      manifestFile,
      JSON.stringify({
        version: '2.0.0',
        previousVersion: '1.0.0',
        deployedAt: new Date(Date.now() - 5000).toISOString(),
        changeSize: 'patch',
        features: [],
      }),
    );
    fs.writeFileSync(path.join(work, 'policy.json'), JSON.stringify(POLICY));
    const digest = manifestDigest(fs.readFileSync(manifestFile));
    fs.writeFileSync(
      path.join(reports, 'results.json'),
      JSON.stringify(
        playwrightJson({
          startTime: new Date().toISOString(),
          attestation: {
            runId: 'run-1',
            app: 'demo-shop',
            target: 'demo',
            manifest: { path: manifestFile, version: '2.0.0', digest },
            narrowedBy: [],
          },
        }),
      ),
    );
    const marker = `WATCH_TEST_MARKER_${process.pid}_${Date.now()}`;
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/cli/verdict.ts'), '--watch'], {
      cwd: ROOT,
      env: cleanEnv({
        [marker]: '1',
        AFTERCHECK_APP: 'demo-shop',
        AFTERCHECK_REPORTS_DIR: reports,
        AFTERCHECK_MANIFEST: manifestFile,
        AFTERCHECK_POLICY: path.join(work, 'policy.json'),
        AFTERCHECK_RUN_ID: 'run-1',
        AFTERCHECK_INFLUX_URL: influx.url,
        AFTERCHECK_INFLUX_DATABASE: 'aftercheck',
        AFTERCHECK_INFLUX_DIALECT: 'influxql',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const deadline = Date.now() + 60_000;
    while ((out.match(/\] evaluation \d+:/g) ?? []).length < 2) {
      assert.ok(Date.now() < deadline, `no two evaluations within a minute:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(out, /^\[\d\d:\d\d:\d\d\] evaluation 1: \S+/m, 'without a terminal: one plain line per evaluation');
    child.kill('SIGTERM');
    const code = await exited;
    assert.equal(code, 143, out);

    const doc = JSON.parse(fs.readFileSync(path.join(reports, 'verdict.json'), 'utf8'));
    assert.equal(doc.schemaVersion, 1);
    assert.equal(doc.watch.status, 'cut-short');
    assert.equal(doc.watch.cutShort.signal, 'SIGTERM');
    assert.ok(Date.parse(doc.watch.cutShort.at) >= Date.parse(doc.evaluations.at(-1).at));
    assert.ok(doc.evaluations.length >= 2, `${doc.evaluations.length} evaluations:\n${out}`);
    assert.match(doc.warnings.join('\n'), /The watch was cut short at .* \(SIGTERM\)/);
    assert.notEqual(doc.decision, 'proceed', 'a watch cut short in its period never proceeds');
    const md = fs.readFileSync(path.join(reports, 'verdict.md'), 'utf8');
    assert.match(md, /\*\*Cut short\*\* at .* \(SIGTERM\)/);
    assert.deepEqual(
      fs.readdirSync(reports).filter((f) => f.endsWith('.tmp')),
      [],
    );
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(marked(marker), [], 'no process left running');
  });
});
