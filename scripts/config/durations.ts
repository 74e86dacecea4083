// Policy durations (30s, 10m, 4h, 1d, 1h30m): the one grammar and its parse to milliseconds.

/** Durations are written like 30s, 10m, 4h, 1d (or 1h30m); parsed to milliseconds. */
export const DURATION_RE = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Milliseconds, or null for text that is not a duration or too long for a timer (2³¹−1 ms, about 24.8 days). */
export function parseDuration(s: string): number | null {
  const m = DURATION_RE.exec(s);
  if (!m || s === '') return null;
  const [, d, h, mi, se] = m.map((x) => (x ? Number(x) : 0));
  const ms = (((d! * 24 + h!) * 60 + mi!) * 60 + se!) * 1000;
  return Number.isSafeInteger(ms) && ms <= MAX_DURATION_MS ? ms : null;
}

export const MAX_DURATION_MS = 2 ** 31 - 1;
