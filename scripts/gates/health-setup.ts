// The health gate's inputs from the command line, the environment, the policy and the release manifest, every problem at once.
import path from 'node:path';
import { parseFlags } from '../config/cli.ts';
import { loadEnv, type AftercheckEnv } from '../config/env.ts';
import { ConfigError, type Problem } from '../config/errors.ts';
import { CHANGE_SIZES, parseManifest, readManifest } from '../config/manifest.ts';
import { loadPolicy, type Policy } from '../config/policy.ts';
import { reportPath } from '../contract.ts';
import type { HealthManifest } from './health-gate.ts';
import { HEALTH_FLAGS } from './health-flags.ts';

export { HEALTH_FLAGS } from './health-flags.ts';

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
  const { values, problems } = parseFlags(argv, HEALTH_FLAGS, 'npm run health');
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
