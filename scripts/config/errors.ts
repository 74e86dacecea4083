// Configuration and usage errors: every problem at once, each naming the field, the value seen and the fix; exit code 4.
export interface Problem {
  /** Where the problem is: an env key, a JSON path in a file (`policy.signals[2].limits.fail`), or a CLI flag. */
  readonly field: string;
  /** The value seen, already redacted for secrets; '(unset)' when missing. */
  readonly value: string;
  readonly message: string;
  readonly fix: string;
}

/** Exit codes shared by every aftercheck command (documented in the README and in each --help). */
export const EXIT = Object.freeze({
  ok: 0,
  rollback: 1,
  hotfix: 2,
  inconclusive: 3,
  config: 4,
});

export class ConfigError extends Error {
  readonly exitCode = EXIT.config;
  constructor(
    /** What was being read: 'environment', 'policy aftercheck.policy.json', 'manifest …', 'command line'. */
    readonly source: string,
    readonly problems: readonly Problem[],
  ) {
    super(formatProblems(source, problems));
    this.name = 'ConfigError';
  }
}

export function formatProblems(source: string, problems: readonly Problem[]): string {
  const lines = problems.map((p) => `  - ${p.field} = ${p.value}: ${p.message}.\n    Fix: ${p.fix}.`.replace(/\.\./g, '.'));
  return `aftercheck: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the ${source}:\n${lines.join('\n')}`;
}

/** Turns zod issues into Problems, reading the offending value from the input by path. */
export function zodProblems(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  input: unknown,
  prefix: string,
  fixFor: (path: string) => string,
): Problem[] {
  return issues.map((issue) => {
    const p = formatPath(prefix, issue.path);
    let value: unknown = input;
    for (const seg of issue.path) value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[seg] : undefined;
    return { field: p, value: value === undefined ? '(unset)' : truncate(JSON.stringify(value)), message: issue.message, fix: fixFor(p) };
  });
}

function formatPath(prefix: string, segs: readonly PropertyKey[]): string {
  let out = prefix;
  for (const s of segs) out += typeof s === 'number' ? `[${s}]` : `${out ? '.' : ''}${String(s)}`;
  return out || '(root)';
}

function truncate(s: string | undefined, max = 120): string {
  if (s === undefined) return '(unset)';
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
