// `npm run manifest`: derives the release manifest from a git range through the feature registry's path globs, sizes the change, validates and writes it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import picomatch from 'picomatch';
import { changedFiles, GitError, resolveCommit, type ChangeStatus, type GitChange } from './adapters/git.ts';
import { loadEnv } from './config/env.ts';
import { loadProfile } from './config/profile.ts';
import { ConfigError, EXIT, type Problem } from './config/errors.ts';
import { CHANGE_SIZES, manifestSchema, parseManifest, type ChangeSize, type ReleaseManifest } from './config/manifest.ts';
import { parseFlags } from './config/cli.ts';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCHEMA_FILE = path.join(PROJECT_ROOT, 'schemas', 'release-manifest.schema.json');

export const HELP = `Usage: npm run manifest -- --from <ref> --version <v> --previous-version <v> [options]

Builds the release manifest from the files changed between two git refs: each changed file (both paths of a
rename, and deleted files too) goes through the feature path globs of the app profile's aftercheck.config.ts.

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

Exit codes: 0 written, 4 bad input (unknown ref, bad version, bad flag).`;

/** Database migrations: schema changes carry their own risk, whatever the version says. */
export const MIGRATION_GLOBS: readonly string[] = Object.freeze([
  '**/migrations/**',
  '**/migration/**',
  '**/migrate/**',
  '**/*.sql',
  '**/schema.prisma',
  '**/alembic/versions/**',
  '**/flyway/**',
  '**/liquibase/**',
]);

/** Build, deploy and runtime environment: a change here can break every feature at once. */
export const INFRASTRUCTURE_GLOBS: readonly string[] = Object.freeze([
  '**/Dockerfile',
  '**/Dockerfile.*',
  '**/*.dockerfile',
  '**/docker-compose*.{yml,yaml}',
  '**/compose*.{yml,yaml}',
  '.github/workflows/**',
  '.gitlab-ci.yml',
  '.ci/**',
  '**/Jenkinsfile',
  '**/*.tf',
  '**/*.tfvars',
  '**/k8s/**',
  '**/kubernetes/**',
  '**/helm/**',
  '**/charts/**',
  '**/deploy/**',
  '**/infra/**',
  '**/terraform/**',
  '**/ansible/**',
  '**/nginx*.conf',
  '**/Procfile',
]);

export interface FileMapping {
  readonly status: ChangeStatus;
  readonly path: string;
  readonly oldPath?: string;
  /** Features whose globs match the new or the old path, in registry order. */
  readonly features: readonly string[];
}

export interface Mapping {
  readonly files: readonly FileMapping[];
  readonly features: readonly string[];
  readonly unmapped: readonly FileMapping[];
}

type Registry = Readonly<Record<string, { readonly paths: readonly string[] }>>;

/** Maps every changed file to features; a rename counts for the features of both its old and its new path. */
export function mapChanges(changes: readonly GitChange[], registry: Registry): Mapping {
  const matchers = Object.entries(registry).map(([id, f]) => [id, picomatch([...f.paths], { dot: true })] as const);
  const files = changes.map((c) => {
    const paths = c.oldPath ? [c.oldPath, c.path] : [c.path];
    const features = matchers.filter(([, m]) => paths.some((p) => m(p))).map(([id]) => id);
    return Object.freeze({
      status: c.status,
      path: c.path,
      ...(c.oldPath ? { oldPath: c.oldPath } : {}),
      features: Object.freeze(features),
    });
  });
  const hit = new Set(files.flatMap((f) => f.features));
  return Object.freeze({
    files: Object.freeze(files),
    features: Object.freeze(Object.keys(registry).filter((id) => hit.has(id))),
    unmapped: Object.freeze(files.filter((f) => !f.features.length)),
  });
}

export interface ChangeSizeDecision {
  readonly size: ChangeSize;
  readonly given: boolean;
  /** How it was decided, for people: "given with --change-size", "guessed: migration files changed (…)". */
  readonly how: string;
  /** Set when a given size looks smaller than what the files suggest. */
  readonly warning?: string;
}

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

function listSome(paths: readonly string[], max = 3): string {
  return `${paths.slice(0, max).join(', ')}${paths.length > max ? ` and ${paths.length - max} more` : ''}`;
}

function touched(paths: readonly string[], globs: readonly string[]): string[] {
  const match = picomatch([...globs], { dot: true });
  return paths.filter((p) => match(p));
}

/** The size from the version bump; undefined when either version is not semver. */
export function semverSize(version: string, previousVersion: string): { size: ChangeSize; how: string } | undefined {
  const a = SEMVER.exec(version);
  const b = SEMVER.exec(previousVersion);
  if (!a || !b) return undefined;
  const [, aMaj, aMin, aPat, aPre] = a.map((x) => x ?? '');
  const [, bMaj, bMin, bPat, bPre] = b.map((x) => x ?? '');
  const direction = `${previousVersion} → ${version}`;
  if (aMaj !== bMaj) return { size: 'major', how: `the major version changed (${direction})` };
  if (aMin !== bMin) return { size: 'minor', how: `the minor version changed (${direction})` };
  if (aPat !== bPat || aPre !== bPre) return { size: 'patch', how: `only the patch or pre-release part changed (${direction})` };
  return { size: 'patch', how: `the version did not change (${direction}): a redeploy, treated as patch` };
}

/**
 * Given wins. Otherwise the riskiest evidence wins: migrations, then infrastructure, then the semver bump.
 * Versions that are not semver and no other evidence → ConfigError asking for --change-size (never a silent default).
 */
export function decideChangeSize(input: {
  given?: ChangeSize;
  version: string;
  previousVersion: string;
  changedPaths: readonly string[];
}): ChangeSizeDecision {
  const migrations = touched(input.changedPaths, MIGRATION_GLOBS);
  const infra = touched(input.changedPaths, INFRASTRUCTURE_GLOBS);
  let guess: { size: ChangeSize; how: string } | undefined;
  if (migrations.length) guess = { size: 'migration', how: `migration files changed (${listSome(migrations)})` };
  else if (infra.length) guess = { size: 'infrastructure', how: `infrastructure files changed (${listSome(infra)})` };
  else guess = semverSize(input.version, input.previousVersion);

  if (input.given) {
    const rank = (s: ChangeSize) => CHANGE_SIZES.indexOf(s);
    const warning =
      guess && rank(guess.size) > rank(input.given)
        ? `--change-size ${input.given} was given, but ${guess.how} suggests ${guess.size}`
        : undefined;
    return Object.freeze({ size: input.given, given: true, how: 'given with --change-size', ...(warning ? { warning } : {}) });
  }
  if (!guess) {
    throw new ConfigError('command line', [
      {
        field: '--change-size',
        value: '(unset)',
        message: `cannot be guessed: "${input.version}" and "${input.previousVersion}" are not semver versions and no migration or infrastructure file changed`,
        fix: `pass --change-size ${CHANGE_SIZES.join('|')}`,
      },
    ]);
  }
  return Object.freeze({ size: guess.size, given: false, how: `guessed: ${guess.how}` });
}

export interface DeriveOptions {
  /** The project directory (feature globs are relative to it). */
  readonly repo: string;
  readonly from: string;
  readonly to: string;
  readonly version: string;
  readonly previousVersion: string;
  readonly changeSize?: ChangeSize;
  readonly deployedAt: string;
  readonly notes?: string;
  readonly registry: Registry;
  /** Where the manifest will be written; named in validation messages. */
  readonly source: string;
}

export interface Derivation {
  readonly manifest: ReleaseManifest;
  readonly mapping: Mapping;
  readonly changeSize: ChangeSizeDecision;
  readonly range: { readonly from: string; readonly to: string; readonly fromCommit: string; readonly toCommit: string };
}

function refProblem(flag: string, ref: string, repo: string): Problem {
  return {
    field: flag,
    value: JSON.stringify(ref),
    message: `is not a commit in the git repository at ${repo}`,
    fix: 'use a tag, branch or SHA that exists there (check `git log --oneline`); in CI, fetch the history and tags first (e.g. actions/checkout with fetch-depth: 0)',
  };
}

/** The whole derivation: resolve refs, diff, map, size, validate. Throws ConfigError for bad refs or values. */
export async function deriveManifest(o: DeriveOptions): Promise<Derivation> {
  let fromCommit: string | undefined;
  let toCommit: string | undefined;
  try {
    [fromCommit, toCommit] = await Promise.all([resolveCommit(o.repo, o.from), resolveCommit(o.repo, o.to)]);
  } catch (err) {
    if (err instanceof GitError)
      throw new ConfigError('command line', [
        {
          field: '--repo',
          value: JSON.stringify(o.repo),
          message: err.message,
          fix: "run it inside the project's git work tree or pass --repo <dir>",
        },
      ]);
    throw err;
  }
  const problems: Problem[] = [];
  if (!fromCommit) problems.push(refProblem('--from', o.from, o.repo));
  if (!toCommit) problems.push(refProblem('--to', o.to, o.repo));
  if (problems.length || !fromCommit || !toCommit) throw new ConfigError('command line', problems);

  const changes = await changedFiles(o.repo, fromCommit, toCommit);
  const mapping = mapChanges(changes, o.registry);
  const changedPaths = changes.flatMap((c) => (c.oldPath ? [c.oldPath, c.path] : [c.path]));
  const changeSize = decideChangeSize({ given: o.changeSize, version: o.version, previousVersion: o.previousVersion, changedPaths });
  const manifest = parseManifest(
    {
      version: o.version,
      previousVersion: o.previousVersion,
      deployedAt: o.deployedAt,
      changeSize: changeSize.size,
      features: [...mapping.features],
      commit: toCommit,
      ...(o.notes !== undefined ? { notes: o.notes } : {}),
    },
    o.source,
    Object.keys(o.registry),
  );
  return Object.freeze({ manifest, mapping, changeSize, range: Object.freeze({ from: o.from, to: o.to, fromCommit, toCommit }) });
}

const STATUS_LETTER: Record<ChangeStatus, string> = {
  added: 'A',
  modified: 'M',
  deleted: 'D',
  renamed: 'R',
  copied: 'C',
  'type-changed': 'T',
  unmerged: 'U',
  unknown: '?',
};

function fileLabel(f: FileMapping): string {
  return `${STATUS_LETTER[f.status]} ${f.oldPath ? `${f.oldPath} → ${f.path}` : f.path}`;
}

/** The human report: which file maps to which feature, what maps to nothing, how the change size was decided. */
export function describeDerivation(d: Derivation, out: string): string[] {
  const { manifest, mapping, changeSize, range } = d;
  const lines = [
    `Release ${manifest.previousVersion} → ${manifest.version}, changes ${range.from}..${range.to} (${range.fromCommit.slice(0, 10)}..${range.toCommit.slice(0, 10)}): ${mapping.files.length} file${mapping.files.length === 1 ? '' : 's'} changed`,
  ];
  const mapped = mapping.files.filter((f) => f.features.length);
  if (mapped.length) {
    lines.push('Files mapped to features:');
    for (const f of mapped) lines.push(`  ${fileLabel(f)}  →  ${f.features.join(', ')}`);
  }
  lines.push(`Features: ${manifest.features.length ? manifest.features.join(', ') : '(none: nothing to verify)'}`);
  if (mapping.unmapped.length) {
    lines.push(
      `Warning: ${mapping.unmapped.length} changed file${mapping.unmapped.length === 1 ? ' maps' : 's map'} to no feature (add globs to the feature registry in the app profile's aftercheck.config.ts if they belong to one):`,
    );
    for (const f of mapping.unmapped) lines.push(`  ${fileLabel(f)}`);
  }
  lines.push(`Change size: ${changeSize.size} (${changeSize.how})`);
  if (changeSize.warning) lines.push(`Warning: ${changeSize.warning}`);
  lines.push(out === '-' ? 'Manifest written to stdout' : `Wrote ${out}`);
  return lines;
}

/** The manifest as written: "$schema" first so editors validate and complete it. */
export function renderManifest(manifest: ReleaseManifest, outFile: string | undefined): string {
  const schema = outFile
    ? path
        .relative(path.dirname(path.resolve(outFile)), SCHEMA_FILE)
        .split(path.sep)
        .join('/')
    : path.relative(PROJECT_ROOT, SCHEMA_FILE);
  const { $schema: _ignored, ...rest } = manifest;
  return `${JSON.stringify({ $schema: schema.startsWith('.') ? schema : `./${schema}`, ...rest }, null, 2)}\n`;
}

interface CliOptions {
  readonly help: boolean;
  readonly derive?: Omit<DeriveOptions, 'registry' | 'source'>;
  readonly out: string;
  /** Every flag problem; when there are any, `derive` is absent and `refs` says which refs to check too. */
  readonly problems: readonly Problem[];
  readonly refs: { readonly repo: string; readonly from?: string; readonly to: string };
}

const FLAGS = {
  from: { type: 'string' },
  to: { type: 'string' },
  version: { type: 'string' },
  'previous-version': { type: 'string' },
  'change-size': { type: 'string' },
  'deployed-at': { type: 'string' },
  notes: { type: 'string' },
  out: { type: 'string' },
  repo: { type: 'string' },
  help: { type: 'boolean' },
} as const;

/** Parses flags; every problem (missing, malformed, unknown) is collected, for one ConfigError together with bad refs. */
export function parseCli(argv: readonly string[], defaults: { out: string; now: Date; cwd: string }): CliOptions {
  const { values, problems } = parseFlags(argv, FLAGS, 'npm run manifest');
  const out = values.out ?? defaults.out;
  const repo = path.resolve(defaults.cwd, values.repo ?? '.');
  const to = values.to?.trim() || 'HEAD';
  if (values.help) return { help: true, out, problems: [], refs: { repo, to } };
  const required = (flag: 'from' | 'version' | 'previous-version', what: string) => {
    const v = values[flag]?.trim();
    if (!v && !problems.some((p) => p.field === `--${flag}`))
      problems.push({ field: `--${flag}`, value: '(unset)', message: 'is required', fix: `pass --${flag} <${what}>` });
    return v ?? '';
  };
  const from = required('from', 'ref');
  const version = required('version', 'version');
  const previousVersion = required('previous-version', 'version');
  const sizeRaw = values['change-size'];
  if (sizeRaw !== undefined && !(CHANGE_SIZES as readonly string[]).includes(sizeRaw)) {
    problems.push({
      field: '--change-size',
      value: JSON.stringify(sizeRaw),
      message: `must be one of ${CHANGE_SIZES.join(', ')}`,
      fix: 'pass a valid size, or omit it to have it guessed',
    });
  }
  const deployedAt = values['deployed-at'] ?? defaults.now.toISOString();
  if (!manifestSchema.shape.deployedAt.safeParse(deployedAt).success) {
    problems.push({
      field: '--deployed-at',
      value: JSON.stringify(deployedAt),
      message: 'is not an ISO-8601 date-time with a zone',
      fix: 'write e.g. 2026-11-26T10:15:00Z, or omit it for now',
    });
  }
  const refs = { repo, to, ...(from ? { from } : {}) };
  if (problems.length) return { help: false, out, problems, refs };
  return {
    help: false,
    out,
    problems,
    refs,
    derive: {
      repo,
      from,
      to,
      version,
      previousVersion,
      deployedAt,
      ...(sizeRaw ? { changeSize: sizeRaw as ChangeSize } : {}),
      ...(values.notes !== undefined ? { notes: values.notes } : {}),
    },
  };
}

/** The ref problems to report alongside flag problems, so one run names everything that is wrong. */
async function refProblems(refs: CliOptions['refs']): Promise<Problem[]> {
  const out: Problem[] = [];
  for (const [flag, ref] of [
    ['--from', refs.from],
    ['--to', refs.to],
  ] as const) {
    if (ref === undefined) continue;
    try {
      if (!(await resolveCommit(refs.repo, ref))) out.push(refProblem(flag, ref, refs.repo));
    } catch {
      // Not a git work tree: deriveManifest names --repo when the flags are fixed; the flag problems come first.
    }
  }
  return out;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const env = loadEnv();
    const cli = parseCli(argv, {
      out: path.relative(process.cwd(), env.manifestPath) || env.manifestPath,
      now: new Date(),
      cwd: process.cwd(),
    });
    if (cli.help) {
      console.log(HELP);
      return EXIT.ok;
    }
    if (!cli.derive) throw new ConfigError('command line', [...cli.problems, ...(await refProblems(cli.refs))]);
    const source = cli.out === '-' ? '(stdout)' : cli.out;
    const { config: appConfig } = await loadProfile(env.app);
    const derivation = await deriveManifest({ ...cli.derive, registry: appConfig.features, source });
    const text = renderManifest(derivation.manifest, cli.out === '-' ? undefined : cli.out);
    const report = describeDerivation(derivation, cli.out).join('\n');
    if (cli.out === '-') {
      process.stdout.write(text);
      process.stderr.write(`${report}\n`);
    } else {
      fs.mkdirSync(path.dirname(path.resolve(cli.out)), { recursive: true });
      fs.writeFileSync(cli.out, text);
      console.log(report);
    }
    return EXIT.ok;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return EXIT.config;
    }
    if (err instanceof GitError) {
      process.stderr.write(`aftercheck: ${err.message}\n`);
      return EXIT.config;
    }
    throw err;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
