// Numbers, values, times and spans as the health reports show them to people.

/** A number for people: 3 significant digits for small values, fewer decimals for large ones; `–` for none. */
export function formatNumber(v: number | null): string {
  if (v === null || Number.isNaN(v)) return '–';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞';
  const a = Math.abs(v);
  if (a >= 1000) return v.toFixed(0);
  if (a >= 100) return String(Number(v.toFixed(1)));
  if (a >= 1) return String(Number(v.toFixed(2)));
  if (a === 0) return '0';
  return String(Number(v.toPrecision(3)));
}

export function formatValue(v: number | null, unit: string): string {
  const n = formatNumber(v);
  if (v === null || !unit) return n;
  return unit === '%' ? `${n} %` : `${n} ${unit}`;
}

/** A signed change: "+12 ms", "−3.5 %". */
export function formatChange(v: number, unit: string): string {
  return `${v >= 0 ? '+' : '−'}${formatValue(Math.abs(v), unit)}`;
}

/** A span for people: "45 s", "12 min", "6 h 40 min", "3 d 4 h". */
export function formatSpan(ms: number): string {
  if (!Number.isFinite(ms)) return '∞';
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 120) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h${min % 60 ? ` ${min % 60} min` : ''}`;
  return `${Math.floor(h / 24)} d${h % 24 ? ` ${h % 24} h` : ''}`;
}

/** An ISO time without milliseconds, in UTC, as every report writes it ("2026-03-02T10:25:00Z"). */
export function formatTime(t: number | string): string {
  return new Date(t).toISOString().replace(/\.000Z$/, 'Z');
}

export const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;
