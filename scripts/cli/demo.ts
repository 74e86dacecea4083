// `npm run demo`: flags → the whole post-release story on one machine (scripts/gates/demo-run.ts) → the decision's exit code.
import { parseFlags } from '../config/cli.ts';
import { ConfigError, type Problem } from '../config/errors.ts';
import { CHANGE_SIZES, type ChangeSize } from '../config/manifest.ts';
import { parseDuration } from '../config/policy.ts';
import { loadProfile } from '../config/profile.ts';
import { KNOWN_FAULTS } from '../../demo/src/faults.ts';
import { DEMO_APP, runDemo, type DemoOptions } from '../gates/demo-run.ts';
import { runIfMain, type CommandSpec } from './frame.ts';

/** The features a demo release changes by default: every one that has @verify flows. */
const defaultFeatures = (known: readonly string[]) => known.filter((f) => f !== 'recommendations');

export const HELP = `Usage: npm run demo [-- options]

Runs the full post-release flow against the bundled demo shop, on this machine:
  1. starts a real InfluxDB (influxd, temp dir, free loopback port)
  2. runs the previous version of the demo shop under traffic for a baseline window
  3. "deploys" the new version with the given faults and keeps traffic going
  4. runs @smoke then @verify (Playwright, real Chromium) while watching the checking period (npm run verdict -- --watch):
     every evaluation rewrites the verdict; a certain rollback ends the watch early
  5. writes reports/verdict.json (with evaluations and detectedAt), verdict.md, the Playwright and Allure reports
  6. prints the decision and exits with its code

Options:
  --faults <list>        demo faults for the new version, comma-separated (${KNOWN_FAULTS.join(', ')})
  --fault-after <time>   deploy healthy and switch the faults on this long after the deploy (e.g. 20s), to watch a
                         release go bad during its checking period
  --features <list>      changed features named in the release manifest (default: every feature with @verify flows)
  --change-size <size>   ${CHANGE_SIZES.join('|')} (default minor); picks the checking period from the policy
  --version <v>          new version (default 1.5.0)
  --previous-version <v> previous version (default 1.4.0)
  --rps <n>              traffic, requests per second (default 8)
  --help                 this text

The windows come from the policy (AFTERCHECK_POLICY, default for the demo: apps/demo-shop/policy.demo.json): the checking period
for the change size, and a baseline window of the same length. Nothing in the flow is special-cased for the demo.

Exit codes: 0 proceed or continue monitoring, 1 rollback, 2 hotfix, 3 inconclusive, 4 configuration or usage error,
130/143 stopped by Ctrl-C/SIGTERM (everything it started is stopped).`;

const FLAGS = {
  faults: { type: 'string' },
  'fault-after': { type: 'string' },
  features: { type: 'string' },
  'change-size': { type: 'string' },
  version: { type: 'string' },
  'previous-version': { type: 'string' },
  rps: { type: 'string' },
} as const;

type Flags = { -readonly [K in keyof typeof FLAGS]?: string };

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** The options from the flags, every problem added to `problems`. `known`: the demo profile's feature ids. */
export function demoOptions(flags: Flags, known: readonly string[], problems: Problem[]): DemoOptions {
  const faults = list(flags.faults ?? '');
  for (const f of faults)
    if (!(KNOWN_FAULTS as readonly string[]).includes(f))
      problems.push({
        field: '--faults',
        value: JSON.stringify(f),
        message: 'is not a demo fault',
        fix: `use any of ${KNOWN_FAULTS.join(', ')}`,
      });
  const features = flags.features === undefined ? defaultFeatures(known) : list(flags.features);
  for (const f of features)
    if (!known.includes(f))
      problems.push({
        field: '--features',
        value: JSON.stringify(f),
        message: 'is not a known feature id',
        fix: `use any of ${known.join(', ')}`,
      });
  const changeSize = flags['change-size'] ?? 'minor';
  if (!(CHANGE_SIZES as readonly string[]).includes(changeSize))
    problems.push({
      field: '--change-size',
      value: JSON.stringify(changeSize),
      message: 'is not a change size',
      fix: `use one of ${CHANGE_SIZES.join(', ')}`,
    });
  const rpsText = flags.rps ?? '8';
  const rps = Number(rpsText);
  if (!Number.isFinite(rps) || rps <= 0 || rps > 50)
    problems.push({
      field: '--rps',
      value: JSON.stringify(rpsText),
      message: 'must be a number above 0 and at most 50',
      fix: 'use e.g. --rps 8',
    });
  const version = flags.version ?? '1.5.0';
  const previousVersion = flags['previous-version'] ?? '1.4.0';
  if (version === previousVersion)
    problems.push({
      field: '--version',
      value: JSON.stringify(version),
      message: 'equals --previous-version, so there is no baseline to compare with',
      fix: 'use two different versions',
    });
  let faultAfterMs: number | null = null;
  if (flags['fault-after'] !== undefined) {
    const ms = parseDuration(flags['fault-after']);
    if (ms === null || ms <= 0)
      problems.push({
        field: '--fault-after',
        value: JSON.stringify(flags['fault-after']),
        message: 'is not a duration',
        fix: 'write e.g. --fault-after=20s',
      });
    else if (!faults.length)
      problems.push({
        field: '--fault-after',
        value: JSON.stringify(flags['fault-after']),
        message: 'has no fault to switch on',
        fix: 'add --faults, e.g. --faults=errors --fault-after=20s',
      });
    else faultAfterMs = ms;
  }
  return { faults, faultAfterMs, features, changeSize: changeSize as ChangeSize, version, previousVersion, rps };
}

/** Parses argv on its own (tests); the command itself goes through the frame. */
export function parseOptions(argv: readonly string[], known: readonly string[]): DemoOptions | 'help' {
  const { values, problems } = parseFlags(argv, { ...FLAGS, help: { type: 'boolean' } }, 'npm run demo');
  if (values.help && !problems.length) return 'help';
  const o = demoOptions(values, known, problems);
  if (problems.length) throw new ConfigError('command line', problems);
  return o;
}

let options: DemoOptions | undefined;

export const command: CommandSpec<typeof FLAGS> = {
  name: 'npm run demo',
  help: HELP,
  options: FLAGS,
  async check(values, problems) {
    options = demoOptions(values, (await loadProfile(DEMO_APP)).featureIds, problems);
  },
  run: async (_values, { io }) => runDemo(options!, io),
};

await runIfMain(import.meta.url, command);
