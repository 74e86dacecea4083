// InfluxQL escaping: identifiers, string literals, RFC3339 time literals and duration literals; the only way values enter InfluxQL text.

/**
 * InfluxQL's scanner (influxql/scanner.go, ScanString) accepts exactly four escapes inside quotes: \n, \\, \' and \".
 * A raw newline ends the literal with "bad string", and any other backslash sequence is "bad escape". So every
 * backslash, both quote characters and every newline are escaped; nothing else needs to be (a carriage return or `;`
 * inside quotes is plain text to the parser).
 */
function escapeQuoted(value: string): string {
  return value.replace(/[\\'"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** A quoted InfluxQL identifier (measurement, field, tag key, database): `"name"`. */
export function influxqlIdent(name: string): string {
  if (name.length === 0) throw new RangeError('an InfluxQL identifier cannot be empty');
  return `"${escapeQuoted(name)}"`;
}

/** A single-quoted InfluxQL string literal, safe for any value (tag values, versions). */
export function influxqlString(value: string): string {
  return `'${escapeQuoted(value)}'`;
}

/**
 * An RFC3339 time literal. Only Date objects (or epoch milliseconds) are accepted, and the text is produced by
 * toISOString(), so no caller-supplied characters ever reach the query.
 */
export function influxqlTime(t: Date | number): string {
  const d = typeof t === 'number' ? new Date(t) : t;
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a valid time: ${String(t)}`);
  return `'${d.toISOString()}'`;
}

/** A duration literal for GROUP BY time(...), in the largest whole unit (2s, 1m, 1500ms). */
export function durationLiteral(ms: number): string {
  if (!Number.isInteger(ms) || ms <= 0) throw new RangeError(`a duration must be a positive whole number of milliseconds, got ${ms}`);
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/** A numeric literal; refuses NaN and infinities so that a bad value cannot become a syntax surprise. */
export function numberLiteral(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  return String(n);
}
