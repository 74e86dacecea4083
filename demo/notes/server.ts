// Entry point of Fieldnotes, the second sample target: NOTES_* config, a real SQLite store, one "listening on" line, stops on SIGTERM/SIGINT.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { handler } from './app.ts';
import { Store } from './store.ts';

/** The faults a release of Fieldnotes can carry, to prove the checks catch them. */
export const NOTES_FAULTS = ['notes-broken'] as const;

// A sample target is not aftercheck: it reads its own NOTES_* variables, like any app would read its own.
const env = process.env;
const faults = (env.NOTES_FAULTS ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const unknown = faults.filter((f) => !(NOTES_FAULTS as readonly string[]).includes(f));
if (unknown.length) {
  process.stderr.write(`notes-app: unknown NOTES_FAULTS ${unknown.join(', ')}; known: ${NOTES_FAULTS.join(', ')}\n`);
  process.exit(4);
}
const dataDir = env.NOTES_DATA_DIR || fs.mkdtempSync(path.join(os.tmpdir(), 'notes-app-'));
const store = new Store(dataDir, {
  username: env.NOTES_USERNAME || 'monitor@fieldnotes.test',
  password: env.NOTES_PASSWORD || 'fieldnotes-synthetic-password',
});
if (faults.includes('notes-broken')) store.breakNotes();
const version = env.NOTES_VERSION || '1.2.0';
const server = http.createServer(handler({ store, version }));
server.keepAliveTimeout = 1_000;
server.listen(Number(env.NOTES_PORT || 0), '127.0.0.1', () => {
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : 0;
  if (faults.length) process.stderr.write(`notes-app: faults active: ${faults.join(', ')}\n`);
  process.stdout.write(`notes-app ${version} listening on http://127.0.0.1:${port}\n`);
});

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.closeAllConnections();
    server.close(() => {
      store.close();
      if (!env.NOTES_DATA_DIR) fs.rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  });
