// `npm run init -- --url <URL> --app <name>`: looks at the running app (real Chromium), writes apps/<name>/ and a .env section, then runs its @smoke once.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../fixtures/browser.ts';
import { APP_NAME, profilePaths } from './config/apps.ts';
import type { CheckOf } from './config/app-config.ts';
import { parseFlags } from './config/cli.ts';
import { loadEnv } from './config/env.ts';
import { ConfigError, EXIT, type Problem } from './config/errors.ts';
import { redact } from './config/redact.ts';
import { discover, type Discovery } from './init/discover.ts';
import { HEALTH_PATHS, probeHealth } from './init/health-probe.ts';
import { existingProfileError, scaffold } from './init/scaffold.ts';
import { describeSmoke, runSmoke } from './init/smoke-run.ts';

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

const FLAGS = {
  url: { type: 'string' },
  app: { type: 'string' },
  health: { type: 'string' },
  feature: { type: 'string' },
  owner: { type: 'string' },
  'rollback-decider': { type: 'string' },
  'alert-channel': { type: 'string' },
  force: { type: 'boolean' },
  'no-run': { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

export interface InitOptions {
  readonly url: string;
  readonly app: string;
  readonly health: readonly string[];
  readonly feature: string;
  readonly owner?: string;
  readonly rollbackDecider?: string;
  readonly alertChannel?: string;
  readonly force: boolean;
  readonly run: boolean;
}

export function parseInitFlags(argv: readonly string[]): InitOptions | 'help' {
  const { values, problems } = parseFlags(argv, FLAGS, 'npm run init');
  if (values.help && !problems.length) return 'help';
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
  if (problems.length) throw new ConfigError('command line', problems);
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

/** What init found, for the terminal: one line per part, then its notes. */
export function describeDiscovery(d: Discovery, health: readonly CheckOf<'http'>[]): string[] {
  const form = d.login ? ` (form at ${d.login.path}${d.login.open?.length ? ', opened by a click' : ''})` : '';
  return [
    `  title ${JSON.stringify(d.title)}; landmarks: ${d.landmarks.map((l) => JSON.stringify(l)).join(', ') || 'none'}`,
    `  sign-in: ${d.signIn}${form}`,
    `  health endpoints: ${health.map((h) => h.path).join(', ') || 'none answered'}`,
    `  API: ${d.api ? `${d.api.path} (auth ${d.api.auth})` : 'none seen'}`,
    ...[...d.notes, ...d.brokenRequests.map((r) => `the main page has a failing request: ${r}`)].map((n) => `  note: ${n}`),
  ];
}

export async function main(argv: readonly string[]): Promise<number> {
  let secrets: readonly string[] = [];
  try {
    const opts = parseInitFlags(argv);
    if (opts === 'help') {
      process.stdout.write(`${HELP}\n`);
      return EXIT.ok;
    }
    const env = loadEnv({ newApp: opts.app });
    secrets = env.secrets;
    // Refused before the browser starts for nothing (scaffold() checks again).
    const { dir } = profilePaths(opts.app);
    if (!opts.force && fs.existsSync(dir)) throw existingProfileError(opts.app, dir);
    const headers = { [env.syntheticHeader.name]: env.syntheticHeader.value };
    const log = (line: string) => process.stdout.write(`${redact(line, secrets)}\n`);

    log(`Looking at ${opts.url} …`);
    const browser = await chromium.launch({ executablePath: findChromium({ override: env.chromiumPath }), args: [...CHROMIUM_ARGS] });
    const discovery = await discover({
      browser,
      baseUrl: opts.url,
      userAgentSuffix: env.userAgentSuffix,
      headers,
      ...(env.credentials ? { credentials: env.credentials } : {}),
    }).finally(() => browser.close());
    const probed = await probeHealth({
      baseUrl: opts.url,
      paths: [...HEALTH_PATHS, ...opts.health],
      headers: { ...headers, 'user-agent': env.userAgentSuffix },
    });
    const health = probed.flatMap((p) => ('check' in p.verdict ? [p.verdict.check] : [])).slice(0, 3) as CheckOf<'http'>[];
    const healthSkipped = probed.flatMap((p) =>
      'skipped' in p.verdict && !/answered 404/.test(p.verdict.skipped) ? [p.verdict.skipped] : [],
    );

    for (const line of describeDiscovery(discovery, health)) log(line);

    const written = await scaffold({
      profile: opts.app,
      url: opts.url,
      discovery,
      health,
      healthSkipped,
      feature: {
        id: opts.feature,
        title: opts.feature === 'main-page' ? 'Main page' : opts.feature,
        owner: opts.owner ?? `${opts.app} team`,
      },
      force: opts.force,
      policy: {
        ...(opts.owner ? { team: opts.owner } : {}),
        ...(opts.rollbackDecider ? { rollbackDecider: opts.rollbackDecider } : {}),
        ...(opts.alertChannel ? { alertChannel: opts.alertChannel } : {}),
      },
      username: env.credentials?.username,
    });
    const rel = (f: string) => path.relative(process.cwd(), f) || f;
    log(`Wrote ${written.files.map(rel).join(', ')}; .env section in ${rel(written.envFile)}`);
    if (!opts.run) return EXIT.ok;

    log(`Running the @smoke suite of ${opts.app} once …`);
    const run = await runSmoke(opts.app, opts.url, path.join(env.reportsDir, `init-${opts.app}`));
    for (const line of describeSmoke(run, secrets)) log(line);
    log(
      run.exitCode === 0
        ? 'Next: review the profile (README, "Point aftercheck at your app in ten minutes").'
        : 'Fix what failed in the profile (or the app), then run `npx playwright test --grep @smoke`.',
    );
    return run.exitCode === 0 ? EXIT.ok : EXIT.rollback;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${redact(err.message, secrets)}\n`);
      return EXIT.config;
    }
    process.stderr.write(`aftercheck init: ${redact((err as Error).stack ?? String(err), secrets)}\n`);
    return EXIT.inconclusive;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
