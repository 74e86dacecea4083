// `npm run init -- --url <URL> --app <name>`: flags → scripts/init/run-init.ts (discovery in real Chromium, apps/<name>/, a .env section, one @smoke run).
import { APP_NAME } from '../config/apps.ts';
import { parseFlags } from '../config/cli.ts';
import { loadEnv } from '../config/env.ts';
import { ConfigError, type Problem } from '../config/errors.ts';
import { HEALTH_PATHS } from '../init/health-probe.ts';
import { runInit, type InitOptions } from '../init/run-init.ts';
import { runIfMain, type CommandSpec } from './frame.ts';

export const HELP = `Usage: npm run init -- --url <URL> --app <name> [options]

Looks at the running app in Chromium and writes an app profile, apps/<name>/:
  aftercheck.config.ts   login (found on the page, behind a sign-in button if need be), smoke checks (main page,
                         sign-in, health endpoints that answered, an API the signed-in app calls, static assets),
                         a feature registry with one example feature; typed and commented
  tags.ts                featureTag() and verifyDetails() typed by that registry
  policy.json            the release policy to adapt to your metrics (no alerting channel unless --alert-channel)
  verify/<feature>.spec.ts  one example @verify flow
and a section in .env (AFTERCHECK_APP, AFTERCHECK_BASE_URL, AFTERCHECK_USERNAME; never the password). Then it runs the
profile's @smoke suite once and prints what passed.

AFTERCHECK_USERNAME and AFTERCHECK_PASSWORD (environment or .env) are tried on the sign-in form, to find what only a
signed-in user sees and where the app keeps its token. Without them the login is written commented out.

Options:
  --url <URL>               the running app, http(s) (required)
  --app <name>              the profile's folder name under apps/, kebab-case (required)
  --health <paths>          more health paths to probe, comma-separated (probed: ${HEALTH_PATHS.join(' ')})
  --feature <id>            the example feature's id (default main-page)
  --owner <team>            the team owning the app, for the policy and the feature registry
  --rollback-decider <who>  who decides a rollback, for the policy
  --alert-channel <where>   where alerts go, for the policy (none unless given)
  --force                   write the generated files of an existing profile again (files you added are kept)
  --no-run                  do not run the smoke suite afterwards
  --help                    this text

Exit codes: 0 written and the smoke suite passed, 1 written but a smoke check failed, 4 usage or configuration error.`;

const OPTIONS = {
  url: { type: 'string' },
  app: { type: 'string' },
  health: { type: 'string' },
  feature: { type: 'string' },
  owner: { type: 'string' },
  'rollback-decider': { type: 'string' },
  'alert-channel': { type: 'string' },
  force: { type: 'boolean' },
  'no-run': { type: 'boolean' },
} as const;

type Values = { -readonly [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

/** The options from the flags; every problem is pushed, and undefined returned when there is any. */
export function initOptions(values: Values, problems: Problem[]): InitOptions | undefined {
  const need = (flag: 'url' | 'app', example: string): Problem => ({
    field: `--${flag}`,
    value: '(unset)',
    message: 'is required',
    fix: `e.g. --${flag} ${example}`,
  });
  if (values.url === undefined) problems.push(need('url', 'https://app.example.com'));
  else if (!/^https?:\/\/[^/\s]+/.test(values.url) || /^https?:\/\/[^/]*@/.test(values.url))
    problems.push({
      field: '--url',
      value: JSON.stringify(values.url),
      message: 'must be an http(s) URL without credentials',
      fix: 'e.g. --url https://app.example.com (credentials go in AFTERCHECK_USERNAME / AFTERCHECK_PASSWORD)',
    });
  if (values.app === undefined) problems.push(need('app', 'my-app'));
  else if (!APP_NAME.test(values.app))
    problems.push({
      field: '--app',
      value: JSON.stringify(values.app),
      message: 'must be kebab-case (it is a folder name)',
      fix: 'e.g. --app my-app',
    });
  const feature = values.feature ?? 'main-page';
  if (!/^[a-z][a-z0-9-]*$/.test(feature))
    problems.push({
      field: '--feature',
      value: JSON.stringify(feature),
      message: 'feature ids are kebab-case',
      fix: 'e.g. --feature checkout',
    });
  const health = (values.health ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const h of health)
    if (!h.startsWith('/'))
      problems.push({
        field: '--health',
        value: JSON.stringify(h),
        message: 'must be a path on the target',
        fix: 'e.g. --health /api/ready',
      });
  if (problems.length) return undefined;
  return {
    url: values.url!.replace(/\/+$/, ''),
    app: values.app!,
    health,
    feature,
    ...(values.owner ? { owner: values.owner } : {}),
    ...(values['rollback-decider'] ? { rollbackDecider: values['rollback-decider'] } : {}),
    ...(values['alert-channel'] ? { alertChannel: values['alert-channel'] } : {}),
    force: !!values.force,
    run: !values['no-run'],
  };
}

/** For tests and callers holding an argv: the options, or one ConfigError listing every problem. */
export function parseInitFlags(argv: readonly string[]): InitOptions {
  const { values, problems } = parseFlags(argv, OPTIONS, 'npm run init');
  const opts = initOptions(values, problems);
  if (!opts) throw new ConfigError('command line', problems);
  return opts;
}

export const command: CommandSpec<typeof OPTIONS> = {
  name: 'npm run init',
  help: HELP,
  options: OPTIONS,
  check: (values, problems) => void initOptions(values, problems),
  async run(values, { io, useSecrets }) {
    const opts = initOptions(values, [])!;
    const env = loadEnv({ newApp: opts.app });
    useSecrets(env.secrets);
    return runInit(opts, env, (line) => io.stdout.write(`${line}\n`));
  },
};

await runIfMain(import.meta.url, command);
