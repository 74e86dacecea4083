// Redaction of secrets (passwords, tokens, URL credentials) from what leaves the process: logs, reports, verdict files.
// Applied only when output is written, never to data being judged.
import { SECRET_PARAM } from './env-checks.ts';

export const REDACTED = '[REDACTED]';

/** Secrets shorter than this are not replaced in free text: "abc" would shred ordinary words (the secret audit says so). */
export const MIN_REDACTED_LENGTH = 4;

/** Replaces every occurrence of every secret (also URL- and JSON-encoded) in free text. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < MIN_REDACTED_LENGTH) continue;
    for (const form of new Set([s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)])) out = out.split(form).join(REDACTED);
  }
  return out;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A copy of a JSON value with secrets redacted inside string values only. Keys, numbers and booleans are never touched,
 * and neither is a string that is wholly a word of the report's vocabulary (a decision, an outcome, a rule id: `keep`)
 * or a timestamp: a password such as "fail" or "2026" must not turn a failed signal into a pass or garble a date, and
 * the result must stay valid JSON of the same shape.
 */
export function redactJson<T>(
  value: T,
  secrets: readonly string[],
  keep: ReadonlySet<string> = new Set(),
  keepKeys: ReadonlySet<string> = new Set(),
): T {
  if (!secrets.some((s) => s && s.length >= MIN_REDACTED_LENGTH)) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return keep.has(v) || ISO_TIME.test(v) ? v : redact(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    // Values under keepKeys are identifiers the verdict matches on (test titles, files, tags), not free text.
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, keepKeys.has(k) ? x : walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** JSON text of a value, redacted as redactJson does, for files that people and tools read. */
export function stringifyRedacted(value: unknown, secrets: readonly string[], keep?: ReadonlySet<string>, space = 2): string {
  return JSON.stringify(redactJson(value, secrets, keep), null, space);
}

/** Redacts a URL's userinfo and secret-named query parameters (token, key, password, signature, auth…), then any known secret. */
export function redactUrl(url: string, secrets: readonly string[] = []): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = u.username ? REDACTED : '';
      u.password = u.password ? REDACTED : '';
    }
    for (const k of [...u.searchParams.keys()]) if (SECRET_PARAM.test(k) || /^(p|u)$/i.test(k)) u.searchParams.set(k, REDACTED);
    return redact(u.toString(), secrets);
  } catch {
    return redact(url, secrets);
  }
}
