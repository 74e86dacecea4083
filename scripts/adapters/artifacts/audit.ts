// The secret audit of a reports directory: every file, zips (traces, HTML report data) unzipped, searched for known
// secrets and for session credentials left in traces. The verdict fails closed on any finding.
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { hasSessionCredentials } from './scrub.ts';

export interface NamedSecret {
  /** Where it comes from, e.g. AFTERCHECK_PASSWORD; never the value. */
  readonly name: string;
  readonly value: string;
}

export interface Leak {
  /** The file, relative to the audited directory, with `!entry` for a zip entry. */
  readonly where: string;
  /** What was found: a secret's name, or "a session cookie or Authorization header". */
  readonly what: string;
}

export interface AuditResult {
  readonly leaks: readonly Leak[];
  readonly filesScanned: number;
  /** Secrets too short to search for without matching ordinary text; named so people can choose longer ones. */
  readonly unauditable: readonly string[];
}

/** Shorter secrets would match ordinary words and code in every report. */
export const MIN_AUDITED_LENGTH = 8;
const SKIP = /\.(png|jpe?g|gif|webp|webm|mp4|woff2?|ttf|ico)$/i;
/** Structured files where session credentials live if the scrubber missed them: traces, storage state, JSON reports. */
const STRUCTURED = /\.(trace|network|json|jsonl)$/;
const SESSION = 'a session cookie, Authorization header or storage state';
const EMBEDDED_ZIP = /data:application\/zip;base64,([A-Za-z0-9+/=]+)/g;

function* filesUnder(dir: string): Generator<string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* filesUnder(p);
    else if (e.isFile()) yield p;
  }
}

function searchBytes(bytes: Uint8Array, where: string, secrets: readonly NamedSecret[], leaks: Leak[]): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const s of secrets) {
    const forms = new Set([s.value, encodeURIComponent(s.value), Buffer.from(s.value).toString('base64')]);
    if ([...forms].some((f) => buf.indexOf(f) >= 0)) leaks.push({ where, what: s.name });
  }
}

function searchZip(bytes: Uint8Array, where: string, secrets: readonly NamedSecret[], leaks: Leak[]): void {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch {
    leaks.push({ where, what: 'an archive that cannot be opened, so it cannot be shown free of secrets' });
    return;
  }
  for (const [name, data] of Object.entries(entries)) {
    const at = `${where}!${name}`;
    if (name.endsWith('.zip')) searchZip(data, at, secrets, leaks);
    else if (!SKIP.test(name)) {
      searchBytes(data, at, secrets, leaks);
      if (STRUCTURED.test(name) && hasSessionCredentials(Buffer.from(data).toString('utf8'))) leaks.push({ where: at, what: SESSION });
    }
  }
}

/** Audits every file under `dir` (except `exclude`; only `only` when given; relative paths); a missing directory has nothing to leak. */
export function auditReports(
  dir: string,
  secrets: readonly NamedSecret[],
  exclude: readonly string[] = [],
  only?: readonly string[],
): AuditResult {
  const usable = secrets.filter((s) => s.value.length >= MIN_AUDITED_LENGTH);
  const unauditable = [...new Set(secrets.filter((s) => s.value && s.value.length < MIN_AUDITED_LENGTH).map((s) => s.name))];
  const leaks: Leak[] = [];
  let filesScanned = 0;
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return { leaks, filesScanned, unauditable };
  for (const file of filesUnder(dir)) {
    const rel = path.relative(dir, file);
    if (exclude.includes(rel) || (only && !only.includes(rel)) || SKIP.test(file)) continue;
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (e) {
      // Removed between listing and reading (a test run tidying up while a watch audits): no longer in the reports.
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    filesScanned++;
    if (file.endsWith('.zip')) searchZip(bytes, rel, usable, leaks);
    else {
      searchBytes(bytes, rel, usable, leaks);
      if (STRUCTURED.test(file) && hasSessionCredentials(bytes.toString('utf8'))) leaks.push({ where: rel, what: SESSION });
      if (file.endsWith('.html'))
        for (const m of bytes.toString('utf8').matchAll(EMBEDDED_ZIP))
          searchZip(Buffer.from(m[1]!, 'base64'), `${rel} (embedded report data)`, usable, leaks);
    }
  }
  return { leaks, filesScanned, unauditable };
}
