// `npm run manifest`: flags → the derivation (scripts/gates/derive-manifest.ts) → release-manifest.json. A failed run
// moves the previous manifest aside, so later steps cannot mistake the last release's for this one.
import fs from 'node:fs';
import path from 'node:path';
import { resolveCommit } from '../adapters/git.ts';
import { loadEnv } from '../config/env.ts';
import { loadProfile } from '../config/profile.ts';
import { EXIT, type Problem } from '../config/errors.ts';
import { CHANGE_SIZES, manifestSchema, type ChangeSize } from '../config/manifest.ts';
import { deriveManifest, describeDerivation, refProblem, renderManifest, type DeriveOptions } from '../gates/derive-manifest.ts';
import { runIfMain, type CommandSpec } from './frame.ts';

export const HELP = `Usage: npm run manifest -- --from <ref> --version <v> --previous-version <v> [options]

Builds the release manifest from the files changed between two git refs: each changed file (both paths of a
rename, and deleted files too) goes through the feature path globs of the app profile's aftercheck.config.ts
(apps/<AFTERCHECK_APP>/).

Options:
  --from <ref>              the previously deployed commit, tag or branch (required)
  --to <ref>                the commit being deployed (default HEAD)
  --version <v>             the version being deployed (required)
  --previous-version <v>    the version it replaces (required)
  --change-size <size>      ${CHANGE_SIZES.join('|')}; guessed when omitted (migrations → migration,
                            infrastructure files → infrastructure, else from the semver bump)
  --deployed-at <iso>       deploy time, ISO-8601 with zone (default now)
  --notes <text>            free text stored in the manifest
  --out <file>              where to write it (default AFTERCHECK_MANIFEST or release-manifest.json; "-" = stdout)
  --repo <dir>              the project directory inside the git work tree (default: the current directory)
  --help                    this text

A run that fails moves an existing manifest at --out to <file>.previous: the last release's manifest must not pass
for this one's.

Exit codes: 0 written, 4 bad input (unknown ref, bad version, bad flag).`;

const OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  version: { type: 'string' },
  'previous-version': { type: 'string' },
  'change-size': { type: 'string' },
  'deployed-at': { type: 'string' },
  notes: { type: 'string' },
  out: { type: 'string' },
  repo: { type: 'string' },
} as const;

type Values = { -readonly [K in keyof typeof OPTIONS]?: string };

/** The derivation's options from the flags, or undefined with every problem pushed (bad refs included). */
export async function deriveOptions(
  values: Values,
  problems: Problem[],
  now = new Date(),
  cwd = process.cwd(),
): Promise<Omit<DeriveOptions, 'registry' | 'source'> | undefined> {
  const repo = path.resolve(cwd, values.repo ?? '.');
  const to = values.to?.trim() || 'HEAD';
  const required = (flag: 'from' | 'version' | 'previous-version', what: string) => {
    const v = values[flag]?.trim();
    if (!v && !problems.some((p) => p.field === `--${flag}`))
      problems.push({ field: `--${flag}`, value: '(unset)', message: 'is required', fix: `pass --${flag} <${what}>` });
    return v ?? '';
  };
  const from = required('from', 'ref');
  const version = required('version', 'version');
  const previousVersion = required('previous-version', 'version');
  const size = values['change-size'];
  if (size !== undefined && !(CHANGE_SIZES as readonly string[]).includes(size)) {
    problems.push({
      field: '--change-size',
      value: JSON.stringify(size),
      message: `must be one of ${CHANGE_SIZES.join(', ')}`,
      fix: 'pass a valid size, or omit it to have it guessed',
    });
  }
  const deployedAt = values['deployed-at'] ?? now.toISOString();
  if (!manifestSchema.shape.deployedAt.safeParse(deployedAt).success) {
    problems.push({
      field: '--deployed-at',
      value: JSON.stringify(deployedAt),
      message: 'is not an ISO-8601 date-time with a zone',
      fix: 'write e.g. 2026-11-26T10:15:00Z, or omit it for now',
    });
  }
  if (problems.length) {
    // Bad refs are reported in the same message as bad flags, so one run names everything that is wrong.
    for (const [flag, ref] of [
      ['--from', from],
      ['--to', to],
    ] as const) {
      if (!ref) continue;
      try {
        if (!(await resolveCommit(repo, ref))) problems.push(refProblem(flag, ref, repo));
      } catch {
        // Not a git work tree: deriveManifest names --repo once the flags are fixed.
      }
    }
    return undefined;
  }
  return {
    repo,
    from,
    to,
    version,
    previousVersion,
    deployedAt,
    ...(size ? { changeSize: size as ChangeSize } : {}),
    ...(values.notes !== undefined ? { notes: values.notes } : {}),
  };
}

let out: string | undefined;

export const command: CommandSpec<typeof OPTIONS> = {
  name: 'npm run manifest',
  help: HELP,
  options: OPTIONS,
  async check(values, problems) {
    out = values.out;
    await deriveOptions(values, problems);
  },
  async run(values, { io }) {
    const env = loadEnv();
    out = values.out ?? (path.relative(process.cwd(), env.manifestPath) || env.manifestPath);
    const derive = await deriveOptions(values, []);
    const { config: appConfig } = await loadProfile(env.app);
    const derivation = await deriveManifest({ ...derive!, registry: appConfig.features, source: out === '-' ? '(stdout)' : out });
    const text = renderManifest(derivation.manifest, out === '-' ? undefined : out);
    const report = describeDerivation(derivation, out).join('\n');
    if (out === '-') {
      io.stdout.write(text);
      io.stderr.write(`${report}\n`);
    } else {
      fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
      fs.writeFileSync(out, text);
      io.stdout.write(`${report}\n`);
    }
    return EXIT.ok;
  },
  onFailure() {
    if (out === '-') return;
    let file = out;
    try {
      file ??= loadEnv().manifestPath;
    } catch {
      file ??= path.resolve('release-manifest.json');
    }
    if (!fs.existsSync(file)) return;
    fs.renameSync(file, `${file}.previous`);
    process.stderr.write(
      `aftercheck: moved the previous manifest ${file} to ${file}.previous, so that no later step takes it for this release's\n`,
    );
  },
};

await runIfMain(import.meta.url, command);
