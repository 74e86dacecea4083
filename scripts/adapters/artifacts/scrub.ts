// Scrubs what a test run wrote before anyone reads it: session cookies, Authorization headers and storage state are
// removed from traces (zips under test-results and the HTML report) and the HTML report's data; known secrets too.
import fs from 'node:fs';
import path from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync, type Unzipped } from 'fflate';
import { redact, redactJson, REDACTED } from '../../config/redact.ts';

/** Headers whose values are credentials of the synthetic account's live session. */
export const SENSITIVE_HEADER = /^(cookie|set-cookie|authorization|proxy-authorization|x-api-key|x-auth-token)$/i;
/** Playwright's trace logs print request headers as "  cookie: sid=…". */
const HEADER_LOG = /^(\s*)(cookie|set-cookie|authorization|proxy-authorization|x-api-key|x-auth-token):\s*\S.*$/gim;

/** A copy of one parsed trace event with every credential value replaced. */
export function scrubEvent(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrubEvent);
  if (!value || typeof value !== 'object') return typeof value === 'string' ? value.replace(HEADER_LOG, `$1$2: ${REDACTED}`) : value;
  const o = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const isHeader = typeof o.name === 'string' && 'value' in o && SENSITIVE_HEADER.test(o.name);
  for (const [k, v] of Object.entries(o)) {
    if (isHeader && k === 'value') out[k] = REDACTED;
    else if (k === 'cookies' && Array.isArray(v))
      out[k] = v.map((c) => (c && typeof c === 'object' ? { ...(c as object), value: REDACTED } : REDACTED));
    else if (k === 'storageState' && v) out[k] = REDACTED;
    else out[k] = scrubEvent(v);
  }
  return out;
}

const TEXT_ENTRY = /\.(trace|network|stacks|json|jsonl|md|txt|html|har)$/i;

/** Scrubs one text file's content: JSON lines event by event, anything else as text. */
export function scrubText(text: string, secrets: readonly string[]): string {
  const lines = text.split('\n').map((line) => {
    const t = line.trim();
    if (!t.startsWith('{') && !t.startsWith('[')) return line.replace(HEADER_LOG, `$1$2: ${REDACTED}`);
    try {
      return JSON.stringify(scrubEvent(JSON.parse(t)));
    } catch {
      return line.replace(HEADER_LOG, `$1$2: ${REDACTED}`);
    }
  });
  return redact(lines.join('\n'), secrets);
}

/** Scrubs every text entry of a zip (a Playwright trace, or the HTML report's data); binary entries stay as they are. */
export function scrubZip(bytes: Uint8Array, secrets: readonly string[]): Uint8Array {
  const entries: Unzipped = unzipSync(bytes);
  let changed = false;
  for (const [name, data] of Object.entries(entries)) {
    if (name.endsWith('.zip')) {
      const inner = scrubZip(data, secrets);
      changed ||= inner !== data;
      entries[name] = inner as (typeof entries)[string];
    } else if (TEXT_ENTRY.test(name) || !name.includes('.')) {
      const before = strFromU8(data);
      const after = scrubText(before, secrets);
      if (after !== before) {
        entries[name] = strToU8(after);
        changed = true;
      }
    }
  }
  return changed ? zipSync(entries) : bytes;
}

const EMBEDDED_ZIP = /(data:application\/zip;base64,)([A-Za-z0-9+/=]+)/g;

function* filesUnder(dir: string): Generator<string> {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* filesUnder(p);
    else if (e.isFile()) yield p;
  }
}

/**
 * Scrubs every trace and the HTML report under the given folders in place (write-then-rename). Returns the files it
 * changed. Runs after the reporters that write them (see fixtures/reporters/scrub-reporter.ts).
 */
export function scrubArtifacts(dirs: readonly string[], secrets: readonly string[]): string[] {
  const changed: string[] = [];
  const write = (file: string, content: Uint8Array | string) => {
    const tmp = `${file}.${process.pid}.scrub`;
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, file);
    changed.push(file);
  };
  for (const dir of dirs) {
    for (const file of filesUnder(dir)) {
      if (file.endsWith('.zip')) {
        const bytes = fs.readFileSync(file);
        const out = scrubZip(bytes, secrets);
        if (out !== bytes) write(file, out);
      } else if (file.endsWith('.html')) {
        const html = fs.readFileSync(file, 'utf8');
        const out = html.replace(
          EMBEDDED_ZIP,
          (_all, prefix: string, b64: string) => prefix + Buffer.from(scrubZip(Buffer.from(b64, 'base64'), secrets)).toString('base64'),
        );
        if (out !== html) write(file, out);
      } else if (TEXT_ENTRY.test(file)) {
        const text = fs.readFileSync(file, 'utf8');
        const out = scrubText(text, secrets);
        if (out !== text) write(file, out);
      }
    }
  }
  return changed;
}

/** Fields of Playwright's JSON report that are identifiers the verdict matches on, not free text. */
const REPORT_IDENTIFIERS = new Set([
  'title',
  'file',
  'projectName',
  'projectId',
  'tags',
  'type',
  'status',
  'expectedStatus',
  'id',
  'rootDir',
  'testDir',
]);

/** results.json: secrets redacted inside free-text values (errors, output), identifiers and numbers as they were. */
export function scrubResultsJson(file: string, secrets: readonly string[], vocabulary: ReadonlySet<string>): boolean {
  if (!fs.existsSync(file)) return false;
  const text = fs.readFileSync(file, 'utf8');
  let out: string;
  try {
    out = `${JSON.stringify(redactJson(JSON.parse(text), secrets, vocabulary, REPORT_IDENTIFIERS), null, 2)}\n`;
  } catch {
    return false;
  }
  if (out === text) return false;
  fs.writeFileSync(`${file}.${process.pid}.scrub`, out);
  fs.renameSync(`${file}.${process.pid}.scrub`, file);
  return true;
}

/** True when text (JSON, JSON lines or a log) still holds a cookie, an Authorization header or a storage state. */
export function hasSessionCredentials(text: string): boolean {
  try {
    const whole: unknown = JSON.parse(text);
    return JSON.stringify(scrubEvent(whole)) !== JSON.stringify(whole);
  } catch {
    return scrubText(text, []) !== text;
  }
}
