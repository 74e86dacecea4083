// `npm run health`: the health gate on its own — every policy signal read from InfluxDB and judged, a table, health.json,
// and the exit code of what the health results alone recommend. A run that fails moves an older health.json aside.
import path from 'node:path';
import { CHANGE_SIZES } from '../config/change-sizes.ts';
import { HEALTH_FLAGS } from '../gates/health-flags.ts';
import type { HealthSetup } from '../gates/health-setup.ts';
import { runIfMain, type CommandSpec } from './frame.ts';

export const HELP = `Usage: npm run health [-- options]

Evaluates every health signal of the policy against InfluxDB: the new version over the checking period so far, the
previous version over a baseline window of the same length. Prints a table and writes <reports>/health.json.

Options (each overrides the release manifest's field):
  --manifest <file>          release manifest (default: AFTERCHECK_MANIFEST or release-manifest.json)
  --policy <file>            policy (default: AFTERCHECK_POLICY, else the app profile's apps/<app>/policy.json)
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

const { help: _help, ...OPTIONS } = HEALTH_FLAGS;
let setup: HealthSetup | undefined;

export const command: CommandSpec<typeof OPTIONS> = {
  name: 'npm run health',
  help: HELP,
  options: OPTIONS,
  inputs: 'health gate configuration',
  // Flags, environment, policy and manifest are checked together, so one message lists every problem.
  // What a command needs is loaded when it runs, not at start-up: --help and a usage error load no gate (see bench/).
  async check(_values, problems, argv) {
    const [{ loadHealthSetup }, { ConfigError }] = await Promise.all([import('../gates/health-setup.ts'), import('../config/errors.ts')]);
    try {
      const s = loadHealthSetup(argv);
      if (s !== 'help') setup = s;
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      for (const p of e.problems) if (!problems.some((q) => q.field === p.field && q.message === p.message)) problems.push(p);
    }
  },
  async run(_values, { io, useSecrets }) {
    const [{ runHealthGate }, { healthExitCode, writeHealthReport }, { renderHealthTable }, { redact, stringifyRedacted }, { VOCABULARY }] =
      await Promise.all([
        import('../gates/health-gate.ts'),
        import('../gates/health-output.ts'),
        import('../adapters/health-table.ts'),
        import('../config/redact.ts'),
        import('../engine/vocabulary.ts'),
      ]);
    const s = setup!;
    useSecrets(s.env.secrets);
    const report = await runHealthGate(s);
    writeHealthReport(report, s.out, s.env.secrets);
    if (s.json) io.stdout.write(`${stringifyRedacted(report, s.env.secrets, VOCABULARY)}\n`);
    else {
      io.stdout.write(redact(renderHealthTable(report, { color: !!io.stdout.isTTY && !s.env.noColor }), s.env.secrets));
      io.stdout.write(`report: ${path.relative(process.cwd(), s.out) || s.out}\n`);
    }
    return healthExitCode(report, s.policy);
  },
  async onFailure() {
    const [{ reportsDirOf }, { retireReports }, { REPORT }] = await Promise.all([
      import('../config/env.ts'),
      import('../adapters/retire.ts'),
      import('../contract.ts'),
    ]);
    // An older health.json must not pass for this run's: `npm run verdict -- --health reports/health.json` would read it.
    const reportsDir = setup?.env.reportsDir ?? reportsDirOf();
    const moved = retireReports(reportsDir, [REPORT.health]);
    if (moved.length) process.stderr.write(`aftercheck: the previous health.json moved to ${path.join(reportsDir, 'previous')}\n`);
  },
};

await runIfMain(import.meta.url, command);
