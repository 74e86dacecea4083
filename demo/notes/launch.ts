// Starts Fieldnotes (the second sample target) as a child process, waits for its "listening on" line, and stops it cleanly.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv } from '../../scripts/config/env.ts';

/** The account Fieldnotes seeds unless NOTES_USERNAME/NOTES_PASSWORD say otherwise. */
export const NOTES_ACCOUNT = Object.freeze({ username: 'monitor@fieldnotes.test', password: 'fieldnotes-synthetic-password' });

export interface RunningNotes {
  readonly url: string;
  stop(): Promise<void>;
  stderr(): string;
}

const SERVER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'server.ts');
const READY = /notes-app \S+ listening on (http:\/\/127\.0\.0\.1:\d+)/;

/** `env`: NOTES_* variables (faults, version, account); the rest of this process's environment is inherited. */
export function startNotes(env: Readonly<Record<string, string>> = {}, timeoutMs = 20_000): Promise<RunningNotes> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    env: childEnv({ NOTES_PORT: '0', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-16_384)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    }
    process.off('exit', killOnExit);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`Fieldnotes did not start within ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      const m = READY.exec(stdout);
      if (!m) return;
      clearTimeout(timer);
      resolve({ url: m[1]!, stop, stderr: () => stderr });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Fieldnotes exited with ${code} before listening:\n${stderr}`));
    });
  });
}
