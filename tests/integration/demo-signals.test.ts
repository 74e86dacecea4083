// Stopping `npm run demo` stops everything it started: SIGTERM to npm (a CI runner cancelling) and Ctrl-C to the process
// group (a terminal) both end InfluxDB, the demo shops and the traffic generator at once, and remove the temp dir.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cleanEnv, ROOT } from '../helpers/commands.ts';

/** Processes whose environment carries the marker: everything the demo started inherits it. */
function marked(marker: string): string[] {
  const out: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/environ`, 'latin1').includes(marker))
        out.push(`${pid} ${fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ').trim()}`);
    } catch {
      // Gone, or not ours to read.
    }
  }
  return out;
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const ways: [string, (pid: number) => void][] = [
  ['SIGTERM to the npm process', (pid) => process.kill(pid, 'SIGTERM')],
  ['Ctrl-C to the whole process group', (pid) => process.kill(-pid, 'SIGINT')],
];

describe('stopping npm run demo', () => {
  for (const [how, stop] of ways) {
    it(`${how} ends InfluxDB, the demo shops and the traffic within seconds, and removes the temp dir`, async () => {
      const marker = `AFTERCHECK_TEST_MARKER_${crypto.randomUUID().replace(/-/g, '')}`;
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-signals-'));
      const reports = path.join(tmp, 'reports');
      const child = spawn('npm', ['run', 'demo', '--', '--change-size', 'patch'], {
        cwd: ROOT,
        detached: true,
        env: cleanEnv({ TMPDIR: tmp, AFTERCHECK_REPORTS_DIR: reports, [marker]: '1' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
      child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code, sig) => resolve(code ?? (sig ? 128 : null))));
      try {
        // The baseline phase: influxd, the v1 shop and the traffic generator are all running.
        await waitFor(() => (/v1\.4\.0 at http/.test(output) ? true : undefined), 90_000, `the baseline phase (${output.slice(-500)})`);
        await waitFor(() => (marked(marker).some((p) => p.includes('influxd')) ? true : undefined), 10_000, 'influxd to run');
        assert.ok(marked(marker).length >= 3, marked(marker).join('\n'));
        stop(child.pid!);
        await Promise.race([
          exited,
          new Promise((_, reject) => setTimeout(() => reject(new Error('npm run demo did not exit within 20 s')), 20_000)),
        ]);
        const left = await waitFor(
          () => (marked(marker).length === 0 ? [] : undefined),
          10_000,
          `every process to end: ${marked(marker).join('; ')}`,
        );
        assert.deepEqual(left, []);
        assert.deepEqual(
          fs.readdirSync(tmp).filter((f) => f.startsWith('aftercheck-demo-') || f.startsWith('demo-shop-')),
          [],
          'the temp dirs are gone',
        );
      } finally {
        for (const p of marked(marker)) process.kill(Number(p.split(' ')[0]), 'SIGKILL');
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    });
  }
});
