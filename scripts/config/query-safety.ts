// Custom policy queries must be one read-only statement: a single InfluxQL SELECT (no INTO, no second statement) or a
// Flux pipeline of allow-listed functions (no to(), no writes, no external sources). Checked when the policy loads.

export interface SafetyProblem {
  readonly message: string;
  readonly fix: string;
}

interface Scanned {
  /** The text with string literals, quoted identifiers, regexes and comments blanked out (same length). */
  readonly code: string;
  /** Regex literals, with their start offsets, for the placeholder check. */
  readonly regexes: readonly { readonly start: number; readonly text: string }[];
}

const blank = (s: string) => s.replace(/[^\n]/g, ' ');

/**
 * Blanks literals and comments so keyword and call checks see only code. A "/" starts a regex literal only after
 * =~ or !~ (elsewhere it is division, as in `sum(x) / $intervalSeconds`).
 */
function scan(text: string, lineComment: string): Scanned {
  let code = '';
  const regexes: { start: number; text: string }[] = [];
  let i = 0;
  const readQuoted = (quote: string) => {
    let j = i + 1;
    while (j < text.length && text[j] !== quote) j += text[j] === '\\' ? 2 : 1;
    return Math.min(j + 1, text.length);
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (text.startsWith(lineComment, i)) {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      code += blank(text.slice(i, stop));
      i = stop;
    } else if (text.startsWith('/*', i) && lineComment === '--') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      code += blank(text.slice(i, stop));
      i = stop;
    } else if (ch === "'" || ch === '"') {
      const stop = readQuoted(ch);
      code += `${ch}${blank(text.slice(i + 1, stop - 1))}${ch}`;
      i = stop;
    } else if (ch === '/' && /[=!]~\s*$/.test(text.slice(Math.max(0, i - 8), i))) {
      const stop = readQuoted('/');
      regexes.push({ start: i, text: text.slice(i, stop) });
      code += `/${blank(text.slice(i + 1, stop - 1))}/`;
      i = stop;
    } else {
      code += ch;
      i++;
    }
  }
  return { code, regexes };
}

function placeholderInRegex(s: Scanned): SafetyProblem[] {
  return s.regexes
    .filter((r) => /\$[A-Za-z_]/.test(r.text))
    .map((r) => ({
      message: `puts a placeholder inside the regex literal ${r.text}, where its quoted value would change the pattern`,
      fix: 'compare with = $version (or == in Flux) instead of a regex; placeholders become complete, escaped literals',
    }));
}

const WRITE_KEYWORDS = ['INTO', 'DROP', 'DELETE', 'CREATE', 'ALTER', 'GRANT', 'REVOKE', 'KILL', 'INSERT', 'SET', 'SHOW'];

export function influxqlSafetyProblems(text: string): SafetyProblem[] {
  const s = scan(text, '--');
  const problems: SafetyProblem[] = [];
  const code = s.code.trim();
  if (code.includes(';'))
    problems.push({ message: 'holds more than one statement (";")', fix: 'write a single SELECT statement, without ";"' });
  if (!/^select\b/i.test(code)) problems.push({ message: 'is not a SELECT statement', fix: 'policy queries only read: start with SELECT' });
  const found = WRITE_KEYWORDS.filter((k) => new RegExp(`\\b${k}\\b`, 'i').test(code));
  if (found.length) {
    problems.push({
      message: `uses ${found.join(', ')}, which ${found.includes('INTO') ? 'writes into another measurement or database' : 'changes or reveals the database instead of reading metrics'}`,
      fix: 'use a plain read-only SELECT … FROM … WHERE … GROUP BY time($interval)',
    });
  }
  return [...problems, ...placeholderInRegex(s)];
}

/** Flux functions a policy query may call: reading one bucket, shaping and aggregating. Anything else is refused. */
export const FLUX_FUNCTIONS: ReadonlySet<string> = new Set([
  'from',
  'range',
  'filter',
  'aggregateWindow',
  'window',
  'mean',
  'median',
  'sum',
  'count',
  'min',
  'max',
  'first',
  'last',
  'quantile',
  'spread',
  'stddev',
  'group',
  'keep',
  'drop',
  'rename',
  'map',
  'pivot',
  'sort',
  'limit',
  'tail',
  'fill',
  'duplicate',
  'difference',
  'derivative',
  'increase',
  'timeShift',
  'toFloat',
  'toInt',
  'float',
  'int',
  'uint',
  'string',
  'bool',
  'exists',
  'yield',
  'union',
  'distinct',
  'unique',
  'integral',
  'movingAverage',
  'reduce',
  'elapsed',
  'math.abs',
  'math.floor',
  'math.ceil',
  'math.round',
  'math.sqrt',
  'math.pow',
  'strings.hasPrefix',
  'strings.hasSuffix',
  'strings.containsStr',
  'strings.toLower',
  'strings.toUpper',
]);
const FLUX_IMPORTS = new Set(['math', 'strings']);
const FLUX_KEYWORDS = new Set(['and', 'or', 'not', 'if', 'then', 'else', 'return', 'exists']);

export function fluxSafetyProblems(text: string): SafetyProblem[] {
  const s = scan(text, '//');
  const problems: SafetyProblem[] = [];
  for (const m of s.code.matchAll(/^\s*import\s+"([^"]*)"/gm)) {
    const pkg = text.slice(m.index! + m[0].indexOf('"') + 1, m.index! + m[0].length - 1);
    if (!FLUX_IMPORTS.has(pkg))
      problems.push({ message: `imports the package "${pkg}"`, fix: `import only ${[...FLUX_IMPORTS].map((p) => `"${p}"`).join(', ')}` });
  }
  const calls = new Set<string>();
  for (const m of s.code.replace(/^\s*import\s+"[^"]*"/gm, '').matchAll(/([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*\(/g)) {
    // `r._value` and `params.start` are member reads, not calls; only `name(` is a call, and `and (…)` is logic.
    if (!FLUX_KEYWORDS.has(m[1]!)) calls.add(m[1]!);
  }
  const refused = [...calls].filter((c) => !FLUX_FUNCTIONS.has(c));
  if (refused.length) {
    problems.push({
      message: `calls ${refused.map((c) => `${c}()`).join(', ')}, which ${refused.some((c) => /(^|\.)to$|write|http|sql|csv|socket|experimental/.test(c)) ? 'can write or reach outside the bucket' : 'is not on the list of read-only functions'}`,
      fix: 'shape the query as from() |> range() |> filter() |> aggregateWindow() with the read-only functions listed in the README',
    });
  }
  return [...problems, ...placeholderInRegex(s)];
}
