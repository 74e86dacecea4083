// `npm run health`: the health gate — reads every policy signal from InfluxDB, judges it, prints a table, writes health.json, exits 0-4.
import fs from 'node:fs';
import path from 'node:path';
import { styleText } from 'node:util';
import { pathToFileURL } from 'node:url';
import { loadEnv, type AftercheckEnv } from './config/env.ts';
import { ConfigError, EXIT, type Problem } from './config/errors.ts';
import { parseFlags } from './config/cli.ts';
import { reportPath } from './contract.ts';
import { loadPolicy, type Policy } from './config/policy.ts';
import { CHANGE_SIZES, parseManifest, readManifest, type ReleaseManifest } from './config/manifest.ts';
import { redact, redactUrl, stringifyRedacted } from './config/redact.ts';
import { VOCABULARY } from './engine/vocabulary.ts';
import { influxReaderFromEnv, type MetricsReader, type SeriesRequest } from './adapters/influx/reader.ts';
import { buildHealthReport, exitCodeFor, formatNumber, formatValue, healthDecision } from './engine/health.ts';
import { computeWindows } from './engine/windows.ts';
import type { HealthReport, Outcome, SeriesRead, SignalMeasurement } from './engine/types.ts';

/** The parts of the release manifest the health gate needs. */
export type HealthManifest = Pick<ReleaseManifest, 'version' | 'previousVersion' | 'deployedAt' | 'changeSize'>;

export interface HealthGateDeps {
  readonly env: AftercheckEnv;
  readonly policy: Policy;
  readonly manifest: HealthManifest;
  readonly now: Date;
  /** The metrics store; the InfluxDB adapter built from env when omitted. */
  readonly reader?: MetricsReader;
  /** Queries in flight at once (default 4): enough to be quick, few enough not to load a production InfluxDB. */
  readonly concurrency?: number;
}

async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Runs the health gate in-process: windows from the manifest and policy, one current and one baseline read per signal
 * (aggregated in the database), then the pure engine. Never throws for data problems: an unreachable InfluxDB, a
 * refused token, a timeout or an empty result become inconclusive signals with the cause named. The report is
 * already redacted. Custom queries were already checked when the policy was parsed.
 */
export async function runHealthGate(deps: HealthGateDeps): Promise<HealthReport> {
  const { env, policy, manifest, now } = deps;
  const windows = computeWindows({ deployedAt: manifest.deployedAt, changeSize: manifest.changeSize, policy, now });
  const reader = deps.reader ?? influxReaderFromEnv(env);
  const connection = await reader.connect();
  const service = env.service;

  const measurements: SignalMeasurement[] = [];
  if (windows.intervals > 0) {
    const requests = policy.signals.flatMap((signal) =>
      (['current', 'baseline'] as const).map((role): SeriesRequest => ({
        signal,
        role,
        window: role === 'current' ? windows.current : windows.baseline,
        intervalMs: windows.intervalMs,
        version: role === 'current' ? manifest.version : manifest.previousVersion,
        service,
        matchVersion: role === 'current' || policy.baseline.matchVersion,
      })),
    );
    const reads = await pool(requests, deps.concurrency ?? 4, (r) => reader.read(r));
    policy.signals.forEach((s, i) =>
      measurements.push({ signalId: s.id, current: reads[2 * i] as SeriesRead, baseline: reads[2 * i + 1] as SeriesRead }),
    );
  }

  const report = buildHealthReport({
    policy,
    measurements,
    windows,
    generatedAt: now.toISOString(),
    service,
    version: manifest.version,
    previousVersion: manifest.previousVersion,
    deployedAt: manifest.deployedAt,
    changeSize: manifest.changeSize,
    source: {
      url: redactUrl(connection.source.url, env.secrets).replace(/\/+$/, ''),
      dialect: connection.source.dialect,
      database: connection.source.database,
    },
    ...(connection.kind === 'error' ? { error: connection.message } : {}),
  });
  // Not redacted here: the verdict judges what was measured; writers redact what they write.
  return report;
}

/** The name the verdict uses; the same function. */
export const evaluateHealth = runHealthGate;

/** Exit code of the health gate alone: 0 pass/warn, 1 a major breach, 2 only minor breaches, 3 inconclusive. */
export function healthExitCode(report: HealthReport, policy: Pick<Policy, 'verdict'>): number {
  return exitCodeFor(healthDecision(report, policy.verdict));
}

export function writeHealthReport(report: HealthReport, file: string, secrets: readonly string[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${stringifyRedacted(report, secrets, VOCABULARY)}\n`);
}

// ---------- console ----------

const OUTCOME_STYLE: Record<Outcome, Parameters<typeof styleText>[0]> = {
  pass: 'green',
  warn: 'yellow',
  fail: ['bold', 'red'],
  inconclusive: 'magenta',
};

export function renderHealthTable(report: HealthReport, options: { color: boolean }): string {
  const paint = (o: Outcome, s: string) => (options.color ? styleText(OUTCOME_STYLE[o], s) : s);
  const header = ['signal', 'current', 'baseline', 'delta', 'limit', 'samples', 'result'];
  const rows = report.signals.map((s) => [
    s.id,
    formatValue(s.current, s.unit),
    formatValue(s.baseline, s.unit),
    s.delta === null
      ? '–'
      : `${s.delta >= 0 ? '+' : ''}${formatValue(s.delta, s.unit)}${s.deltaPct === null ? '' : ` (${s.deltaPct >= 0 ? '+' : ''}${formatNumber(s.deltaPct)} %)`}`,
    s.limit.length > 60 ? `${s.limit.slice(0, 59)}…` : s.limit,
    `${s.samples.current}/${s.samples.baseline}`,
    s.outcome,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[], outcome?: Outcome) =>
    cells
      .map((c, i) => {
        const padded = c.padEnd(widths[i]!);
        return i === cells.length - 1 && outcome ? paint(outcome, padded) : padded;
      })
      .join(' | ')
      .trimEnd();
  const out = [
    `Health of ${report.service} ${report.version} vs ${report.previousVersion} (${report.source.dialect} at ${report.source.url}, database ${report.source.database || '–'})`,
    `current ${report.window.current.start} – ${report.window.current.end}; baseline ${report.window.baseline.start} – ${report.window.baseline.end}; interval ${report.window.intervalSeconds}s; checking period ${report.checkingPeriod.complete ? 'complete' : `until ${report.checkingPeriod.monitorUntil}`}`,
    '',
    line(header),
    widths.map((w) => '-'.repeat(w)).join('-|-'),
    ...report.signals.map((s, i) => line(rows[i]!, s.outcome)),
    '',
  ];
  for (const s of report.signals)
    if (s.outcome !== 'pass') out.push(`${paint(s.outcome, `${s.id}: ${s.outcome}`)} (${s.severity}) — ${s.reason}`);
  if (report.error) out.push(paint('inconclusive', `health gate could not read metrics: ${report.error}`));
  out.push(`Health: ${paint(report.outcome, report.outcome)}`);
  return `${out.join('\n')}\n`;
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

Exit codes: 0 all signals pass (or only warn), 1 a major breach (rollback), 2 only minor breaches (hotfix),
3 inconclusive (no data, too few samples, InfluxDB unreachable/refused/slow), 4 configuration or usage error.`;

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
  if (setup.json) io.stdout.write(`${stringifyRedacted(report, setup.env.secrets, VOCABULARY)}\n`);
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
