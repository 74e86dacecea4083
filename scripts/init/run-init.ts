// `npm run init`'s work: look at the running app in Chromium, probe its health endpoints, write apps/<name>/, run its @smoke once.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../../fixtures/browser.ts';
import { profilePaths } from '../config/apps.ts';
import type { CheckOf } from '../config/app-config.ts';
import type { AftercheckEnv } from '../config/env.ts';
import { EXIT } from '../config/errors.ts';
import { redact } from '../config/redact.ts';
import { discover, type Discovery } from './discover.ts';
import { HEALTH_PATHS, probeHealth } from './health-probe.ts';
import { existingProfileError, scaffold } from './scaffold.ts';
import { describeSmoke, runSmoke } from './smoke-run.ts';

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

/** Writes the profile and runs its smoke suite; resolves to the exit code (0 all passed, 1 a smoke check failed). */
export async function runInit(opts: InitOptions, env: AftercheckEnv, out: (line: string) => void): Promise<number> {
  const secrets = env.secrets;
  // Refused before the browser starts for nothing (scaffold() checks again).
  const { dir } = profilePaths(opts.app);
  if (!opts.force && fs.existsSync(dir)) throw existingProfileError(opts.app, dir);
  const headers = { [env.syntheticHeader.name]: env.syntheticHeader.value };
  const log = (line: string) => out(redact(line, secrets));

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
}
