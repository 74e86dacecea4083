// `npm run health`: the health gate — reads every policy signal from InfluxDB, judges it, prints a table, writes health.json, exits 0-4.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadEnv, type AftercheckEnv } from './config/env.ts';
import { ConfigError, EXIT, type Problem } from './config/errors.ts';
import { parseFlags } from './config/cli.ts';
import { reportPath } from './contract.ts';
import { loadPolicy, type Policy } from './config/policy.ts';
import { CHANGE_SIZES, parseManifest, readManifest } from './config/manifest.ts';
import { redact } from './config/redact.ts';
import { exitCodeFor, healthDecision } from './engine/health.ts';
import type { HealthReport } from './engine/types.ts';
import { runHealthGate, type HealthManifest } from './gates/health-gate.ts';
import { renderHealthTable } from './adapters/health-table.ts';

export { runHealthGate, type HealthGateDeps, type HealthManifest } from './gates/health-gate.ts';
export { renderHealthTable } from './adapters/health-table.ts';

/** The name the verdict uses; the same function. */
export const evaluateHealth = runHealthGate;

/**
 * Exit code of the health gate alone: 0 pass (or a warn while the period runs, or one that cleared), 1 a major breach,
 * 2 only minor breaches or a warn still standing when the period ended (warnAtEnd: hotfix), 3 inconclusive.
 */
export function healthExitCode(report: HealthReport, policy: Pick<Policy, 'verdict'>): number {
  return exitCodeFor(healthDecision(report, policy.verdict));
}

export function writeHealthReport(report: HealthReport, file: string, secrets: readonly string[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, redact(`${JSON.stringify(report, null, 2)}\n`, secrets));
}

// ---------- command line ----------

export const HELP = `Usage: npm run health [-- options]

Evaluates every health signal of the policy against InfluxDB: the new version over the checking period so far, the
previous version over a baseline window of the same length. Prints a table and writes <reports>/health.json.

Options (each overrides the release manifest's field):
  --manifest <file>          release manifest (default: AFTERCHECK_MANIFEST or release-manifest.json)
  --policy <file>            policy (default: AFTERCHECK_POLICY or aftercheck.policy.json)
  --version <v>              the version now deployed (its \`version\` tag)
  --previous-version <v>     the version before it (the baseline's \`version\` tag)
  --deployed-at <iso>        deploy time, e.g. 2026-11-26T10:15:00Z
  --change-size <size>       ${CHANGE_SIZES.join('|')}: picks the checking period
  --now <iso>                evaluate as of this time (default: now)
  --out <file>               where to write the report (default: <AFTERCHECK_REPORTS_DIR>/health.json)
  --json                     print the report as JSON instead of the table
  --help                     this text

InfluxDB: AFTERCHECK_INFLUX_URL, AFTERCHECK_INFLUX_TOKEN, AFTERCHECK_INFLUX_DATABASE (InfluxQL) or
AFTERCHECK_INFLUX_ORG + AFTERCHECK_INFLUX_BUCKET (Flux), AFTERCHECK_INFLUX_DIALECT=auto|influxql|flux,
AFTERCHECK_INFLUX_TIMEOUT_MS (per query).

Exit codes: 0 all signals pass (or warn while the checking period runs, or a warn that cleared), 1 a major breach
(rollback), 2 only minor breaches, or a warn still standing when the period ended (policy warnAtEnd: hotfix),
3 inconclusive (no data, too little coverage, metrics stopped, InfluxDB unreachable/refused/slow), 4 configuration or
usage error.`;

const FLAGS = {
  manifest: { type: 'string' },
  policy: { type: 'string' },
  version: { type: 'string' },
  'previous-version': { type: 'string' },
  'deployed-at': { type: 'string' },
  'change-size': { type: 'string' },
  now: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;
type FlagName = keyof typeof FLAGS;

export interface HealthFlags {
  manifest?: string;
  policy?: string;
  version?: string;
  previousVersion?: string;
  deployedAt?: string;
  changeSize?: string;
  now?: string;
  out?: string;
  json: boolean;
  help: boolean;
  /** Flags present on the command line, valid or not (an invalid one is reported once, not again as missing). */
  given: Set<string>;
}

const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses the flags, collecting every problem (unknown flags, missing values, bad dates) instead of stopping at the first. */
export function parseHealthFlags(argv: readonly string[]): { flags: HealthFlags; problems: Problem[] } {
  const { values, problems } = parseFlags(argv, FLAGS, 'npm run health');
  const given = new Set(Object.keys(values));
  for (const p of problems) if (p.field.startsWith('--')) given.add(p.field.slice(2).split('=')[0]!);
  const flags: HealthFlags = { json: !!values.json, help: !!values.help, given };
  for (const name of ['deployed-at', 'now'] as const) {
    const v = values[name];
    if (v === undefined) continue;
    if (!ISO_RE.test(v) || Number.isNaN(Date.parse(v)))
      problems.push({
        field: `--${name}`,
        value: JSON.stringify(v),
        message: 'is not an ISO-8601 date-time with a zone',
        fix: 'write e.g. 2026-11-26T10:15:00Z',
      });
    else if (name === 'now') flags.now = v;
    else flags.deployedAt = v;
  }
  const size = values['change-size'];
  if (size !== undefined) {
    if (!(CHANGE_SIZES as readonly string[]).includes(size))
      problems.push({
        field: '--change-size',
        value: JSON.stringify(size),
        message: 'is not a change size',
        fix: `use one of ${CHANGE_SIZES.join(', ')}`,
      });
    else flags.changeSize = size;
  }
  if (values['previous-version'] !== undefined) flags.previousVersion = values['previous-version'];
  for (const name of ['manifest', 'policy', 'version', 'out'] as const) if (values[name] !== undefined) flags[name] = values[name];
  return { flags, problems };
}

export interface HealthSetup {
  readonly env: AftercheckEnv;
  readonly policy: Policy;
  readonly manifest: HealthManifest;
  readonly now: Date;
  readonly out: string;
  readonly json: boolean;
}

/** Reads env, flags, policy and manifest; throws one ConfigError listing every problem found in all of them. */
export function loadHealthSetup(argv: readonly string[], source?: Record<string, string | undefined>): HealthSetup | 'help' {
  const { flags, problems } = parseHealthFlags(argv);
  if (flags.help && problems.length === 0) return 'help';
  let env: AftercheckEnv | undefined;
  try {
    env = loadEnv({ require: ['influx'], ...(source ? { source } : {}) });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    problems.push(...e.problems);
  }
  const collect = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems.push(
        ...e.problems.map((p) => ({
          ...p,
          field: p.field.startsWith('AFTERCHECK_') || p.field === '(file)' ? `${p.field} (${e.source})` : `${e.source}: ${p.field}`,
        })),
      );
      return undefined;
    }
  };
  const policyPath = flags.policy ? path.resolve(flags.policy) : env?.policyPath;
  const policy = policyPath ? collect(() => loadPolicy(policyPath).policy) : undefined;

  const manifestPath = flags.manifest ? path.resolve(flags.manifest) : env?.manifestPath;
  const read = manifestPath ? collect(() => readManifest(manifestPath)) : undefined;
  const fromFile = read?.kind === 'ok' ? read.manifest : undefined;
  const merged = {
    version: flags.version ?? fromFile?.version,
    previousVersion: flags.previousVersion ?? fromFile?.previousVersion,
    deployedAt: flags.deployedAt ?? fromFile?.deployedAt,
    changeSize: flags.changeSize ?? fromFile?.changeSize,
  };
  let manifest: HealthManifest | undefined;
  const missing = (Object.keys(merged) as (keyof typeof merged)[]).filter((k) => merged[k] === undefined);
  if (missing.length === 0) {
    const where = read?.kind === 'ok' ? `${read.path}${argv.length ? ' with command-line overrides' : ''}` : 'command line';
    manifest = collect(() => parseManifest({ ...merged, features: [] }, where));
  } else if (read?.kind === 'missing') {
    const flagOf: Record<string, string> = {
      version: '--version',
      previousVersion: '--previous-version',
      deployedAt: '--deployed-at',
      changeSize: '--change-size',
    };
    for (const k of missing.filter((k) => !flags.given.has(flagOf[k]!.slice(2))))
      problems.push({
        field: flagOf[k]!,
        value: '(unset)',
        message: `is needed: there is no release manifest at ${read.path}`,
        fix: `pass ${flagOf[k]}, or point AFTERCHECK_MANIFEST (or --manifest) at the manifest your deploy pipeline writes`,
      });
  }
  if (merged.version !== undefined && merged.version === merged.previousVersion) {
    problems.push({
      field: '--version',
      value: JSON.stringify(merged.version),
      message: 'equals the previous version, so the baseline would be the release itself',
      fix: 'set previousVersion to the version that ran before this deploy',
    });
  }
  if (problems.length || !env || !policy || !manifest) throw new ConfigError('health gate configuration', problems);
  return {
    env,
    policy,
    manifest,
    now: flags.now ? new Date(flags.now) : new Date(),
    out: flags.out ? path.resolve(flags.out) : reportPath(env.reportsDir, 'health'),
    json: flags.json,
  };
}

export async function main(
  argv: readonly string[],
  io: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream } = process,
): Promise<number> {
  let setup: HealthSetup | 'help';
  try {
    setup = loadHealthSetup(argv);
  } catch (e) {
    if (e instanceof ConfigError) {
      io.stderr.write(`${e.message}\n`);
      return EXIT.config;
    }
    throw e;
  }
  if (setup === 'help') {
    io.stdout.write(`${HELP}\n`);
    return EXIT.ok;
  }
  const report = await runHealthGate(setup);
  writeHealthReport(report, setup.out, setup.env.secrets);
  if (setup.json) io.stdout.write(redact(`${JSON.stringify(report, null, 2)}\n`, setup.env.secrets));
  else {
    io.stdout.write(redact(renderHealthTable(report, { color: !!io.stdout.isTTY && !setup.env.noColor }), setup.env.secrets));
    io.stdout.write(`report: ${path.relative(process.cwd(), setup.out) || setup.out}\n`);
  }
  return healthExitCode(report, setup.policy);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      // A bug, not a finding: never a pass.
      console.error(`aftercheck health failed unexpectedly: ${(e as Error).stack ?? String(e)}`);
      process.exit(EXIT.inconclusive);
    },
  );
}
