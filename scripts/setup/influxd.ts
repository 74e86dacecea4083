// Starts a real, private InfluxDB 1.x (influxd) on a free loopback port in a temp dir, for tests and the demo; stops it cleanly.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { childEnv } from '../config/env.ts';
import { influxqlIdent, influxqlString } from '../adapters/influx/escape.ts';

export const DEFAULT_INFLUXD = '/usr/bin/influxd';

export interface StartInfluxdOptions {
  /** Data directory; a fresh temp dir (removed on stop) when omitted. */
  readonly dir?: string;
  /** Path to the influxd binary. */
  readonly binary?: string;
  /** Turn on HTTP authentication and create this admin user before returning. */
  readonly auth?: { readonly username: string; readonly password: string };
  /** How long to wait for /ping to answer. */
  readonly startTimeoutMs?: number;
}

export interface Influxd {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  readonly pid: number;
  /** CREATE DATABASE (idempotent). */
  createDatabase(name: string): Promise<void>;
  /** Writes line protocol to a database; `precision` defaults to ms. */
  write(database: string, lines: string | readonly string[], precision?: 'ns' | 'ms' | 's'): Promise<void>;
  /** Runs an InfluxQL statement (admin use: setup, assertions); throws on any error. */
  query(text: string, database?: string): Promise<unknown>;
  /** SIGTERM, then SIGKILL after a grace period; removes a temp dir it created. Safe to call twice. */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (the OS picks it; a tiny race remains until influxd binds, so start() retries). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;
/** If the parent dies without stopping its servers (a crashed test), take them down with it. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const c of running) c.kill('SIGKILL');
  });
}

function authHeader(auth: StartInfluxdOptions['auth']): Record<string, string> {
  return auth ? { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` } : {};
}

async function waitForPing(url: string, child: ChildProcess, logTail: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`influxd exited (${child.exitCode ?? child.signalCode}) before answering /ping. Last output:\n${logTail()}`);
    }
    try {
      const res = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 204) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`influxd did not answer ${url}/ping within ${timeoutMs} ms. Last output:\n${logTail()}`);
}

async function launch(
  o: StartInfluxdOptions,
  dir: string,
): Promise<{ child: ChildProcess; url: string; port: number; logTail: () => string }> {
  const binary = o.binary ?? DEFAULT_INFLUXD;
  const port = await freePort();
  const rpcPort = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = childEnv({
    INFLUXDB_HTTP_BIND_ADDRESS: `127.0.0.1:${port}`,
    INFLUXDB_BIND_ADDRESS: `127.0.0.1:${rpcPort}`,
    INFLUXDB_META_DIR: path.join(dir, 'meta'),
    INFLUXDB_DATA_DIR: path.join(dir, 'data'),
    INFLUXDB_DATA_WAL_DIR: path.join(dir, 'wal'),
    INFLUXDB_REPORTING_DISABLED: 'true',
    INFLUXDB_DATA_QUERY_LOG_ENABLED: 'false',
    INFLUXDB_HTTP_LOG_ENABLED: 'false',
    INFLUXDB_HTTP_AUTH_ENABLED: o.auth ? 'true' : 'false',
    // Keep the footprint small: no background monitoring database, no UDP/graphite listeners (off by default).
    INFLUXDB_MONITOR_STORE_ENABLED: 'false',
  });
  const child = spawn(binary, ['run', '-config', '/dev/null'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    tail.push(chunk.toString('utf8'));
    if (tail.length > 40) tail.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  running.add(child);
  child.on('exit', () => running.delete(child));
  const spawnError = new Promise<never>((_, reject) => child.on('error', reject));
  spawnError.catch(() => undefined);
  const logTail = () => tail.join('').split('\n').slice(-15).join('\n');
  try {
    await Promise.race([waitForPing(url, child, logTail, o.startTimeoutMs ?? 20_000), spawnError]);
  } catch (e) {
    await killAndWait(child, 2000);
    throw e;
  }
  return { child, url, port, logTail };
}

function killAndWait(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts influxd with everything pointed into a private directory and bound to loopback only.
 * Throws a clear error when the binary is missing (naming the apt package) or when it does not come up.
 */
export async function startInfluxd(o: StartInfluxdOptions = {}): Promise<Influxd> {
  const binary = o.binary ?? DEFAULT_INFLUXD;
  if (!fs.existsSync(binary)) {
    throw new Error(
      `InfluxDB server not found at ${binary}. Install it with \`apt-get install -y influxdb\` (Debian/Ubuntu), or pass the binary's path.`,
    );
  }
  installExitHook();
  const ownDir = o.dir === undefined;
  const dir = o.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-influxd-'));
  fs.mkdirSync(dir, { recursive: true });

  let started: Awaited<ReturnType<typeof launch>> | undefined;
  let lastError: unknown;
  // A port taken between freePort() and influxd's bind makes influxd exit at once; a couple of retries cover the race.
  for (let attempt = 0; attempt < 3 && !started; attempt++) {
    try {
      started = await launch(o, dir);
    } catch (e) {
      lastError = e;
    }
  }
  if (!started) {
    if (ownDir) fs.rmSync(dir, { recursive: true, force: true });
    throw lastError instanceof Error ? lastError : new Error(String(lastError));
  }
  const { child, url, port } = started;
  const headers = authHeader(o.auth);

  const query = async (text: string, database?: string): Promise<unknown> => {
    const body = new URLSearchParams({ q: text, ...(database ? { db: database } : {}) });
    const res = await fetch(`${url}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: body.toString(),
      signal: AbortSignal.timeout(10_000),
    });
    const json = (await res.json()) as { error?: string; results?: { error?: string }[] };
    const err = json.error ?? json.results?.find((r) => r.error)?.error;
    if (!res.ok || err) throw new Error(`influxd rejected ${JSON.stringify(text.slice(0, 80))}: HTTP ${res.status} ${err ?? ''}`);
    return json;
  };

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await killAndWait(child, 5000);
      if (ownDir) fs.rmSync(dir, { recursive: true, force: true });
    })());

  try {
    // With auth on, 1.x accepts exactly one unauthenticated statement: creating the first admin user.
    if (o.auth)
      await fetch(`${url}/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          q: `CREATE USER ${influxqlIdent(o.auth.username)} WITH PASSWORD ${influxqlString(o.auth.password)} WITH ALL PRIVILEGES`,
        }).toString(),
        signal: AbortSignal.timeout(10_000),
      }).then((r) => r.arrayBuffer());
  } catch (e) {
    await stop();
    throw e;
  }

  return {
    url,
    port,
    dir,
    pid: child.pid!,
    async createDatabase(name) {
      await query(`CREATE DATABASE ${influxqlIdent(name)}`);
    },
    async write(database, lines, precision = 'ms') {
      const body = typeof lines === 'string' ? lines : lines.join('\n');
      const res = await fetch(`${url}/write?${new URLSearchParams({ db: database, precision })}`, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(10_000),
      });
      const text = await res.text();
      if (res.status !== 204) throw new Error(`influxd refused the write to ${database}: HTTP ${res.status} ${text.slice(0, 200)}`);
    },
    query,
    stop,
  };
}
