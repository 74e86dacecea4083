// Redaction of secrets (passwords, tokens) from any text or JSON that leaves the process: logs, reports, verdict files.
export const REDACTED = '[REDACTED]';

/** Replaces every occurrence of every secret (and its URL-encoded form) in the text. Secrets shorter than 4 characters are ignored to avoid mangling ordinary text. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < 4) continue;
    for (const form of new Set([s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)])) out = out.split(form).join(REDACTED);
  }
  return out;
}

/** Redacts a URL's userinfo and token-like query parameters, then any known secret. */
export function redactUrl(url: string, secrets: readonly string[] = []): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = u.username ? REDACTED : '';
      u.password = u.password ? REDACTED : '';
    }
    for (const k of [...u.searchParams.keys()]) if (/^(p|password|token|u)$/i.test(k)) u.searchParams.set(k, REDACTED);
    return redact(u.toString(), secrets);
  } catch {
    return redact(url, secrets);
  }
}
