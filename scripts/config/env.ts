// The one configuration reader: dotenv once (never overriding what is already set), zod on a copy of process.env, frozen typed result.
import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { z } from 'zod';
import { ConfigError, type Problem } from './errors.ts';
import { profilePaths, resolveApp } from './apps.ts';
import { deepFreeze } from './freeze.ts';
import { redactUrl } from './redact.ts';
import { unknownKeyWarnings, urlSecrets, webhookSecrets } from './env-checks.ts';
import { ENV_KEYS, type EnvKey } from './env-keys.ts';

export { ENV_KEYS, type EnvKey } from './env-keys.ts';

/** The seeded synthetic account of the bundled demo shop; used only when the target is `demo`. */
export const DEMO_ACCOUNT = Object.freeze({ username: 'synthetic.monitor@demo.shop', password: 'demo-synthetic-password' });

type Parsed = { [K in EnvKey]: z.output<(typeof ENV_KEYS)[K]['schema']> };

export interface AftercheckEnv {
  /** The app profile (apps/<app>/): AFTERCHECK_APP, else the only profile, else demo-shop. */
  readonly app: string;
  /** AFTERCHECK_API_TOKEN: the bearer of `auth: "bearer"` checks when the sign-in gives none. */
  readonly apiToken: string | undefined;
  /** `demo` or an http(s) URL; undefined when not set (each entry point decides whether it needs one). */
  readonly baseUrl: string | undefined;
  readonly isDemoTarget: boolean;
  readonly credentials: { readonly username: string; readonly password: string } | undefined;
  readonly userAgentSuffix: string;
  readonly syntheticHeader: { readonly name: string; readonly value: string };
  readonly manifestPath: string;
  readonly policyPath: string;
  readonly verifyAll: boolean;
  readonly allowWrites: boolean;
  readonly retries: number;
  readonly reportsDir: string;
  readonly service: string;
  readonly influx: {
    readonly url: string | undefined;
    readonly token: string | undefined;
    readonly org: string | undefined;
    readonly bucket: string | undefined;
    readonly database: string | undefined;
    readonly dialect: 'auto' | 'influxql' | 'flux';
    readonly timeoutMs: number;
  };
  /** The webhook notifier (AFTERCHECK_ALERT_*): no URL, no alerts. */
  readonly alerts: { readonly webhookUrl: string | undefined; readonly timeoutMs: number; readonly retries: number };
  /** AFTERCHECK_REPORT_URL: where CI publishes the report; verdict.md, the Allure verdict and alerts link to it. */
  readonly reportUrl: string | undefined;
  /** AFTERCHECK_LOCATION: where synthetic runs run from (the `location` tag). */
  readonly location: string;
  readonly chromiumPath: string | undefined;
  readonly demo: { readonly faults: string; readonly version: string };
  readonly githubStepSummary: string | undefined;
  /** Links for verdicts when CI gives them: the published report, the CI run, and the repository (for commit links). */
  readonly ciLinks: { readonly report: string | undefined; readonly run: string | undefined; readonly repository: string | undefined };
  readonly ci: boolean;
  /** NO_COLOR set (non-empty): console output without colours even on a terminal. */
  readonly noColor: boolean;
  /** Every secret value in force, for redaction. */
  readonly secrets: readonly string[];
  /** The same secrets with where each comes from (never printed with the value), for the secret audit's messages. */
  readonly namedSecrets: readonly { readonly name: string; readonly value: string }[];
  /** AFTERCHECK_RUN_ID: the verdict accepts only results recorded with the same id. */
  readonly runId: string | undefined;
  /** Not errors, but worth saying: AFTERCHECK_* keys that are set but unknown (typos), with the nearest known key. */
  readonly warnings: readonly string[];
}

export type Requirement = 'target' | 'credentials' | 'influx';

let dotenvLoaded = false;
/** Loads `.env` into the process once; variables already set win, so CI and command-line values are never overridden. */
function loadDotenvOnce(cwd: string): void {
  if (dotenvLoaded) return;
  dotenvLoaded = true;
  const file = path.join(cwd, '.env');
  if (!fs.existsSync(file)) return;
  // Like dotenv.config({ override: false }), except that `KEY=` lines stay unset: an empty NO_COLOR or CI copied from
  // .env.example would otherwise reach child processes as "set".
  for (const [key, value] of Object.entries(dotenv.parse(fs.readFileSync(file)))) {
    if (value !== '' && process.env[key] === undefined) process.env[key] = value;
  }
}

function shown(key: EnvKey, value: unknown): string {
  if (value === undefined) return '(unset)';
  if ('secret' in ENV_KEYS[key] && ENV_KEYS[key].secret) return '(redacted)';
  // A URL may carry credentials (the very mistake being reported): shown with userinfo and secret parameters redacted.
  if (typeof value === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return JSON.stringify(redactUrl(value));
  return JSON.stringify(value);
}

/**
 * Reads and validates the environment. Every problem is collected and thrown together as one ConfigError.
 * `require` names what the calling entry point cannot work without.
 */
export function loadEnv(
  options: {
    require?: readonly Requirement[];
    source?: Record<string, string | undefined>;
    /** Values that win over the environment and .env, e.g. the demo's own AFTERCHECK_APP. */
    overrides?: Record<string, string>;
    /** The profile `npm run init` is writing: the app, whatever AFTERCHECK_APP says, and it need not exist yet. */
    newApp?: string;
    cwd?: string;
  } = {},
): AftercheckEnv {
  const cwd = options.cwd ?? process.cwd();
  if (!options.source) loadDotenvOnce(cwd);
  const copy: Record<string, string | undefined> = { ...(options.source ?? process.env), ...options.overrides };
  // An empty string in .env means "not set", the way shells treat `KEY=`.
  for (const k of Object.keys(copy)) if (copy[k] === '') delete copy[k];

  const problems: Problem[] = [];
  const parsed = {} as Record<EnvKey, unknown>;
  for (const key of Object.keys(ENV_KEYS) as EnvKey[]) {
    const result = ENV_KEYS[key].schema.safeParse(copy[key]);
    if (result.success) parsed[key] = result.data;
    else
      problems.push({
        field: key,
        value: shown(key, copy[key]),
        message: result.error.issues.map((i) => i.message).join('; '),
        fix: ENV_KEYS[key].fix,
      });
  }
  const p = parsed as Parsed;
  const { name: app, problem: appProblem } = options.newApp ? { name: options.newApp, problem: undefined } : resolveApp(p.AFTERCHECK_APP);
  if (appProblem && !problems.some((x) => x.field === 'AFTERCHECK_APP')) problems.push(appProblem);
  const isDemoTarget = p.AFTERCHECK_BASE_URL === 'demo';
  const need = new Set(options.require ?? []);

  if (need.has('target') && !p.AFTERCHECK_BASE_URL && !problems.some((x) => x.field === 'AFTERCHECK_BASE_URL')) {
    problems.push({
      field: 'AFTERCHECK_BASE_URL',
      value: '(unset)',
      message: 'no target to check: aftercheck never guesses one',
      fix: ENV_KEYS.AFTERCHECK_BASE_URL.fix,
    });
  }
  let credentials: AftercheckEnv['credentials'];
  if (p.AFTERCHECK_USERNAME && p.AFTERCHECK_PASSWORD) credentials = { username: p.AFTERCHECK_USERNAME, password: p.AFTERCHECK_PASSWORD };
  else if (isDemoTarget && !p.AFTERCHECK_USERNAME && !p.AFTERCHECK_PASSWORD) credentials = { ...DEMO_ACCOUNT };
  if (need.has('credentials') && !credentials && p.AFTERCHECK_BASE_URL) {
    for (const key of ['AFTERCHECK_USERNAME', 'AFTERCHECK_PASSWORD'] as const) {
      if (!p[key])
        problems.push({
          field: key,
          value: '(unset)',
          message: 'the login check needs both the username and the password of the synthetic account',
          fix: ENV_KEYS[key].fix,
        });
    }
  }
  if (need.has('influx')) {
    if (!p.AFTERCHECK_INFLUX_URL && !problems.some((x) => x.field === 'AFTERCHECK_INFLUX_URL')) {
      problems.push({
        field: 'AFTERCHECK_INFLUX_URL',
        value: '(unset)',
        message: 'health signals need InfluxDB',
        fix: ENV_KEYS.AFTERCHECK_INFLUX_URL.fix,
      });
    }
    if (!p.AFTERCHECK_INFLUX_DATABASE && !p.AFTERCHECK_INFLUX_BUCKET) {
      problems.push({
        field: 'AFTERCHECK_INFLUX_DATABASE',
        value: '(unset)',
        message: 'no database or bucket to read metrics from',
        fix: ENV_KEYS.AFTERCHECK_INFLUX_DATABASE.fix,
      });
    }
  }
  if (problems.length) throw new ConfigError('environment', problems);

  const named = [
    { name: 'AFTERCHECK_PASSWORD', value: credentials?.password ?? p.AFTERCHECK_PASSWORD },
    { name: 'AFTERCHECK_INFLUX_TOKEN', value: p.AFTERCHECK_INFLUX_TOKEN },
    { name: 'AFTERCHECK_API_TOKEN', value: p.AFTERCHECK_API_TOKEN },
    ...webhookSecrets(p.AFTERCHECK_ALERT_WEBHOOK_URL).map((value) => ({ name: 'AFTERCHECK_ALERT_WEBHOOK_URL', value })),
    ...urlSecrets(p.AFTERCHECK_BASE_URL).map((value) => ({ name: 'a secret query parameter of AFTERCHECK_BASE_URL', value })),
    ...urlSecrets(p.AFTERCHECK_INFLUX_URL).map((value) => ({ name: 'a secret query parameter of AFTERCHECK_INFLUX_URL', value })),
  ].filter((x): x is { name: string; value: string } => !!x.value);
  const secrets = named.map((x) => x.value);
  return deepFreeze({
    app,
    apiToken: p.AFTERCHECK_API_TOKEN,
    baseUrl: p.AFTERCHECK_BASE_URL,
    isDemoTarget,
    credentials,
    userAgentSuffix: p.AFTERCHECK_USER_AGENT_SUFFIX,
    syntheticHeader: { name: p.AFTERCHECK_SYNTHETIC_HEADER, value: p.AFTERCHECK_SYNTHETIC_HEADER_VALUE },
    manifestPath: path.resolve(cwd, p.AFTERCHECK_MANIFEST),
    policyPath: p.AFTERCHECK_POLICY ? path.resolve(cwd, p.AFTERCHECK_POLICY) : profilePaths(app).policyFile,
    verifyAll: p.AFTERCHECK_VERIFY_ALL,
    allowWrites: p.AFTERCHECK_ALLOW_WRITES ?? isDemoTarget,
    retries: p.AFTERCHECK_RETRIES,
    reportsDir: path.resolve(cwd, p.AFTERCHECK_REPORTS_DIR),
    service: p.AFTERCHECK_SERVICE ?? app,
    influx: {
      url: p.AFTERCHECK_INFLUX_URL,
      token: p.AFTERCHECK_INFLUX_TOKEN,
      org: p.AFTERCHECK_INFLUX_ORG,
      bucket: p.AFTERCHECK_INFLUX_BUCKET,
      database: p.AFTERCHECK_INFLUX_DATABASE ?? p.AFTERCHECK_INFLUX_BUCKET,
      dialect: p.AFTERCHECK_INFLUX_DIALECT,
      timeoutMs: p.AFTERCHECK_INFLUX_TIMEOUT_MS,
    },
    alerts: { webhookUrl: p.AFTERCHECK_ALERT_WEBHOOK_URL, timeoutMs: p.AFTERCHECK_ALERT_TIMEOUT_MS, retries: p.AFTERCHECK_ALERT_RETRIES },
    reportUrl: p.AFTERCHECK_REPORT_URL,
    location: p.AFTERCHECK_LOCATION,
    chromiumPath: p.CHROMIUM_PATH,
    demo: { faults: p.DEMO_FAULTS, version: p.DEMO_VERSION },
    githubStepSummary: p.GITHUB_STEP_SUMMARY,
    ciLinks: ciLinks(p),
    ci: !!p.CI && p.CI !== 'false' && p.CI !== '0',
    noColor: !!p.NO_COLOR,
    secrets: [...new Set(secrets)],
    namedSecrets: named,
    runId: p.AFTERCHECK_RUN_ID,
    warnings: unknownKeyWarnings(Object.keys(copy), Object.keys(ENV_KEYS)),
  });
}

/** GitHub Actions' run and repository URLs (from its own variables), and the report URL the user configured. */
function ciLinks(p: Parsed): AftercheckEnv['ciLinks'] {
  const repository =
    p.GITHUB_SERVER_URL && p.GITHUB_REPOSITORY ? `${p.GITHUB_SERVER_URL.replace(/\/+$/, '')}/${p.GITHUB_REPOSITORY}` : undefined;
  return {
    report: p.AFTERCHECK_REPORT_URL,
    run: repository && p.GITHUB_RUN_ID ? `${repository}/actions/runs/${p.GITHUB_RUN_ID}` : undefined,
    repository,
  };
}

/** The app profile to load when the rest of the environment may still have problems (they are reported by loadEnv). */
export function selectedApp(source?: Record<string, string | undefined>): string {
  if (!source) loadDotenvOnce(process.cwd());
  const set = ENV_KEYS.AFTERCHECK_APP.schema.safeParse((source ?? process.env).AFTERCHECK_APP || undefined);
  return resolveApp(set.success ? set.data : undefined).name;
}

/**
 * The reports directory even when other keys are invalid: a run that stops on a configuration error still has to
 * retire the previous run's reports there (fixtures/run-record.ts).
 */
export function reportsDirOf(options: { source?: Record<string, string | undefined>; cwd?: string } = {}): string {
  const cwd = options.cwd ?? process.cwd();
  if (!options.source) loadDotenvOnce(cwd);
  const parsed = ENV_KEYS.AFTERCHECK_REPORTS_DIR.schema.safeParse((options.source ?? process.env).AFTERCHECK_REPORTS_DIR || undefined);
  return path.resolve(cwd, parsed.success ? parsed.data : 'reports');
}

/**
 * A copy of the current environment for child processes (the demo shop, nested Playwright runs), with overrides.
 * Lives here so that the rest of the code never touches process.env.
 */
export function childEnv(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...overrides })) if (v !== undefined) out[k] = v;
  return out;
}

/**
 * Publishes a value to this process's environment so that Playwright workers (forked later) read the same value.
 * Used only for values resolved at start-up, such as the free port chosen for the demo shop.
 */
export function publishToWorkers(key: string, value: string): void {
  process.env[key] = value;
}

/** Reads a value published with publishToWorkers (unvalidated, internal only). */
export function readPublished(key: string): string | undefined {
  return process.env[key];
}
