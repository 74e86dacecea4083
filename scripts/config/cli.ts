// Command-line flags for every aftercheck command: parsed leniently so that every problem (unknown, missing value, stray argument) is reported at once.
import { parseArgs } from 'node:util';
import type { Problem } from './errors.ts';

export interface FlagSpec {
  readonly type: 'string' | 'boolean';
}

type Values<O extends Record<string, FlagSpec>> = { -readonly [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string };

/**
 * node:util parseArgs in strict mode stops at the first bad flag; this collects them all. Values of known flags are
 * returned (the last occurrence wins); each command then adds its own checks to `problems` and throws one ConfigError.
 */
export function parseFlags<O extends Record<string, FlagSpec>>(
  argv: readonly string[],
  options: O,
  command: string,
): { values: Values<O>; problems: Problem[] } {
  // parseArgs would take the next flag as a string flag's value (`--out --json`): mark such a flag empty instead, so
  // it is reported as missing its value and the next flag is still read as a flag.
  const args = argv.map((a, i) => {
    const name = /^--([^=]+)$/.exec(a)?.[1];
    const next = argv[i + 1];
    return name && options[name]?.type === 'string' && (next === undefined || next.startsWith('--')) ? `${a}=` : a;
  });
  const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  const problems: Problem[] = [];
  const values: Record<string, string | boolean> = {};
  const fix = `see \`${command} -- --help\``;
  for (const t of tokens) {
    if (t.kind === 'positional') {
      problems.push({
        field: 'arguments',
        value: JSON.stringify(t.value),
        message: 'is not an option (no positional arguments are taken)',
        fix,
      });
      continue;
    }
    if (t.kind !== 'option') continue;
    const spec = options[t.name];
    if (!spec) {
      problems.push({
        field: t.rawName,
        value: t.value === undefined ? '(flag)' : JSON.stringify(t.value),
        message: 'is not a known option',
        fix: `use one of ${Object.keys(options)
          .map((o) => `--${o}`)
          .join(', ')}`,
      });
    } else if (spec.type === 'boolean') {
      if (t.inlineValue)
        problems.push({ field: t.rawName, value: JSON.stringify(t.value), message: 'takes no value', fix: `write ${t.rawName} alone` });
      else values[t.name] = true;
    } else if (t.value === undefined || t.value === '') {
      problems.push({
        field: t.rawName,
        value: '(missing)',
        message: 'needs a value',
        fix: `write ${t.rawName} <value> or ${t.rawName}=<value>`,
      });
    } else {
      values[t.name] = t.value;
    }
  }
  return { values: values as Values<O>, problems };
}
