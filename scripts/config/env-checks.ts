// Checks the env reader applies beyond each key's schema: misspelt AFTERCHECK_* keys, credentials in URLs, secret-named query parameters.
import { editDistance } from './nearest.ts';

/** Query parameter names whose values are credentials: redacted in every output, and treated as secrets. */
export const SECRET_PARAM =
  /^(?:.*[-_])?(?:token|key|apikey|api_key|password|passwd|pwd|secret|signature|sig|auth|authorization|credential|credentials|session|sessionid|code)$/i;

/** The values of secret-named query parameters of a URL (for redaction); none for a value that is not a URL. */
export function urlSecrets(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const u = new URL(url);
    return [...u.searchParams.entries()].filter(([k, v]) => SECRET_PARAM.test(k) && v).map(([, v]) => v);
  } catch {
    return [];
  }
}

/** True when the URL carries `user:password@`. */
export function hasUserinfo(url: string): boolean {
  try {
    const u = new URL(url);
    return !!(u.username || u.password);
  } catch {
    return false;
  }
}

/**
 * One warning per set AFTERCHECK_* key that aftercheck does not know (a typo such as AFTERCHECK_INFUX_URL is otherwise
 * silently ignored), with the nearest known key. Internal keys the suite publishes to its workers are not the user's.
 */
export function unknownKeyWarnings(setKeys: readonly string[], known: readonly string[]): string[] {
  const out: string[] = [];
  for (const key of setKeys) {
    if (!key.startsWith('AFTERCHECK_') || key.startsWith('AFTERCHECK_INTERNAL_') || known.includes(key)) continue;
    const [best] = known
      .filter((k) => k.startsWith('AFTERCHECK_'))
      .map((k) => [k, editDistance(key, k)] as const)
      .sort((a, b) => a[1] - b[1]);
    const hint = best && best[1] <= Math.max(2, Math.floor(key.length / 5)) ? `; did you mean ${best[0]}?` : '';
    out.push(`${key} is not an aftercheck setting and is ignored${hint} (see .env.example for every key)`);
  }
  return out;
}

/**
 * A webhook URL is a credential as a whole (Slack's carries its token in the path): the URL as given, as the URL
 * parser writes it, and its path and query on their own, so a message quoting only part of it is redacted too.
 */
export function webhookSecrets(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const u = new URL(url);
    const tail = `${u.pathname}${u.search}`;
    return [...new Set([url, u.toString(), ...(tail.length >= 8 ? [tail] : [])])];
  } catch {
    return [url];
  }
}
