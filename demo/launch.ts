// Starts the demo shop as a child process (`tsx demo/server.ts`), waits for its "listening on" line, and stops it cleanly.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv } from '../scripts/config/env.ts';
import { CONTROL_HEADER, CONTROL_PATH } from './src/control.ts';

export interface StartDemoOptions {
  readonly version?: string;
  /** Fault names (see demo/src/faults.ts); an unknown name makes the start fail with exit code 4. */
  readonly faults?: readonly string[];
  /** 0 or unset: a free port. */
  readonly port?: number;
  readonly influx?: { readonly url: string; readonly database: string; readonly token?: string };
  readonly metricsIntervalMs?: number;
  /** Stamps the shop's metric points this many ms off the wall clock (negative: earlier); for tests that fill two windows at once. */
  readonly metricsClockOffsetMs?: number;
  /** Unset: a fresh temp dir, removed when the demo has exited (even if it had to be killed). */
  readonly dataDir?: string;
  /** More DEMO_* variables; applied last. */
  readonly env?: Readonly<Record<string, string>>;
  /** How long to wait for the "listening on" line (default 20 s: the first start compiles TypeScript). */
  readonly startTimeoutMs?: number;
}

export interface RunningDemo {
  readonly url: string;
  readonly version: string;
  readonly pid: number;
  /** SIGTERM, then SIGKILL after 3 s; resolves when the process has exited. Safe to call twice. */
  stop(): Promise<void>;
  /** The last part of the demo's stderr (its log), for diagnostics. */
  stderr(): string;
  /** Switches the active faults at run time (POST /__control/faults); resolves with the time the shop switched. */
  setFaults(faults: readonly string[]): Promise<{ readonly at: string; readonly faults: readonly string[] }>;
}

/** The start failed: the demo exited (exitCode set, 4 for bad configuration) or never said it was listening. */
export class DemoStartError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'DemoStartError';
  }
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVER = path.join(ROOT, 'demo', 'server.ts');
const READY = /^demo-shop (\S+) listening on (http:\/\/127\.0\.0\.1:\d+)$/m;
const STDERR_TAIL = 16 * 1024;
const KILL_AFTER_MS = 3000;

/** Options decide; anything not given is inherited from this process's environment (e.g. DEMO_FAULTS from the shell). */
function demoEnv(opts: StartDemoOptions): Record<string, string> {
  const o: Record<string, string | undefined> = {};
  if (opts.version !== undefined) o.DEMO_VERSION = opts.version;
  if (opts.faults !== undefined) o.DEMO_FAULTS = opts.faults.join(',');
  o.DEMO_PORT = String(opts.port ?? 0);
  if (opts.influx) {
    o.DEMO_INFLUX_URL = opts.influx.url;
    o.DEMO_INFLUX_DATABASE = opts.influx.database;
    o.DEMO_INFLUX_TOKEN = opts.influx.token;
  }
  if (opts.metricsIntervalMs !== undefined) o.DEMO_METRICS_INTERVAL_MS = String(opts.metricsIntervalMs);
  if (opts.metricsClockOffsetMs !== undefined) o.DEMO_METRICS_CLOCK_OFFSET_MS = String(opts.metricsClockOffsetMs);
  if (opts.dataDir !== undefined) o.DEMO_DATA_DIR = path.resolve(opts.dataDir);
  return childEnv({ ...o, ...opts.env });
}

/** POSTs the faults to the shop's control route with the token only this launcher knows. */
async function switchFaults(url: string, token: string, faults: readonly string[]): Promise<{ at: string; faults: string[] }> {
  const res = await fetch(`${url}${CONTROL_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [CONTROL_HEADER]: token },
    body: JSON.stringify({ faults }),
    signal: AbortSignal.timeout(5000),
  });
  const body = (await res.json()) as { at?: string; faults?: string[]; error?: string };
  if (!res.ok || !body.at) throw new Error(`the demo shop refused the fault switch: HTTP ${res.status} ${body.error ?? ''}`.trim());
  return { at: body.at, faults: body.faults ?? [] };
}

export function startDemo(opts: StartDemoOptions = {}): Promise<RunningDemo> {
  // The temp dir is made and removed here, not by the server, so it goes away even when the server is SIGKILLed.
  const tempDir = opts.dataDir === undefined ? fs.mkdtempSync(path.join(os.tmpdir(), 'demo-shop-')) : undefined;
  const controlToken = crypto.randomBytes(24).toString('hex');
  const env = { DEMO_CONTROL_TOKEN: controlToken, ...demoEnv(tempDir ? { ...opts, dataDir: tempDir } : opts) };
  // `node --import tsx` rather than the tsx CLI: one process, so `pid` and signals reach the server itself.
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-STDERR_TAIL)));
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
      resolve();
    }),
  );
  // A test runner that dies must not leave shops behind.
  const killOnExit = () => {
    child.kill('SIGKILL');
    if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  exited.then(() => process.off('exit', killOnExit));

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
      await exited;
      clearTimeout(timer);
    })());

  const timeoutMs = opts.startTimeoutMs ?? 20_000;
  return new Promise<RunningDemo>((resolve, reject) => {
    const fail = (why: string, exitCode: number | null) => {
      cleanup();
      void stop();
      const log = stderr.trim() ? `\n--- demo stderr ---\n${stderr.trim()}` : ' (no output on stderr)';
      reject(new DemoStartError(`demo shop did not start: ${why}${log}`, exitCode, stderr));
    };
    const onData = (chunk: string) => {
      stdout = (stdout + chunk).slice(-STDERR_TAIL);
      const m = READY.exec(stdout);
      if (!m) return;
      cleanup();
      // Keep reading so a chatty child never blocks on a full pipe.
      child.stdout.resume();
      const url = m[2]!;
      resolve({
        url,
        version: m[1]!,
        pid: child.pid!,
        stop,
        stderr: () => stderr,
        setFaults: (faults) => switchFaults(url, env.DEMO_CONTROL_TOKEN ?? controlToken, faults),
      });
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(`it exited with ${code !== null ? `code ${code}` : `signal ${signal}`} before listening`, code);
    const onError = (err: Error) => fail(`could not spawn ${process.execPath}: ${err.message}`, null);
    const timer = setTimeout(() => fail(`no "listening on" line within ${timeoutMs} ms`, null), timeoutMs);
    function cleanup() {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('close', onExit);
      child.off('error', onError);
    }
    child.stdout.setEncoding('utf8').on('data', onData);
    // 'close' rather than 'exit': by then stderr has been read to the end, so the error shows all of it.
    child.once('close', onExit);
    child.once('error', onError);
  });
}
