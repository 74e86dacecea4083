// Formatting for people, shared by every verdict module and output: durations, numbers with units, quoted lists.

/** "1h 30m", "45s", "-2m 5s": the two largest units. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const neg = ms < 0;
  let s = Math.round(Math.abs(ms) / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  return `${neg ? '-' : ''}${parts.slice(0, 2).join(' ') || '0s'}`;
}

/** A number for reports: fewer decimals as it grows; "no data" for none. */
export function formatNumber(v: number | null | undefined, unit = ''): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'no data';
  const abs = Math.abs(v);
  const n = abs >= 100 ? v.toFixed(0) : abs >= 10 ? v.toFixed(1) : abs >= 1 ? v.toFixed(2) : abs === 0 ? '0' : v.toPrecision(2);
  const trimmed = n.includes('.') ? n.replace(/0+$/, '').replace(/\.$/, '') : n;
  return unit ? `${trimmed} ${unit}`.replace(/ %$/, '%') : trimmed;
}

export const quote = (s: string): string => `“${s}”`;

/** Reasons are one-liners (tables, console, Allure categories group by message); the full error stays in the evidence. */
export const firstLine = (s: string | undefined): string =>
  (s ?? '')
    .split('\n')
    .find((l) => l.trim())
    ?.trim() ?? '';

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** “a”, “b” and 3 more */
export function listNames(names: readonly string[], max = 5): string {
  return names.slice(0, max).map(quote).join(', ') + (names.length > max ? ` and ${names.length - max} more` : '');
}

export const listTitles = (ts: readonly { readonly title: string }[], max = 5): string =>
  listNames(
    ts.map((t) => t.title),
    max,
  );
