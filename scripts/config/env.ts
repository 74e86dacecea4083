// The one configuration reader: dotenv once (never overriding what is already set), zod on a copy of process.env, frozen typed result.
import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { z } from 'zod';
import { APP_NAME, profilePaths, resolveApp } from './apps.ts';
import { ConfigError, type Problem } from './errors.ts';
import { deepFreeze } from './freeze.ts';

/** The seeded synthetic account of the bundled demo shop; used only when the target is `demo`. */
export const DEMO_ACCOUNT = Object.freeze({ username: 'synthetic.monitor@demo.shop', password: 'demo-synthetic-password' });

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const positiveInt = z.coerce.number({ error: 'must be a number' }).int('must be a whole number').positive('must be above 0');

/**
 * Every key aftercheck reads. `fix` is what the error message tells the user to do; `secret` keys are redacted everywhere.
 * .env.example is checked against this table by a unit test, so a key cannot be added without documenting it.
 */
export const ENV_KEYS = {
  AFTERCHECK_APP: {
    schema: z.string().regex(APP_NAME, 'must be a profile folder name under apps/ (kebab-case)').optional(),
    fix: 'name a folder under apps/, e.g. demo-shop; `npm run init -- --url <URL> --app <name>` writes a new one',
  },
  AFTERCHECK_BASE_URL: {
    schema: z.union([z.literal('demo'), httpUrl]).optional(),
    fix: 'set it to the deployed app, e.g. https://shop.example.com, or to "demo" for the bundled demo shop (or run `npm run demo`)',
  },
  AFTERCHECK_USERNAME: {
    schema: z.string().min(1).optional(),
    fix: 'set the synthetic account\'s login name (defaults to the demo account when the target is "demo")',
  },
  AFTERCHECK_PASSWORD: {
    schema: z.string().min(1).optional(),
    fix: 'set the synthetic account\'s password (defaults to the demo account when the target is "demo")',
    secret: true,
  },
  AFTERCHECK_USER_AGENT_SUFFIX: {
    schema: z
      .string()
      .regex(/^[\x21-\x7e][\x20-\x7e]*$/, 'must be printable ASCII without leading space')
      .default('aftercheck-synthetic/0.1'),
    fix: 'use printable ASCII, e.g. aftercheck-synthetic/0.1',
  },
  AFTERCHECK_SYNTHETIC_HEADER: {
    schema: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name (letters, digits, dashes)')
      .default('X-Synthetic-Check'),
    fix: 'use a header name such as X-Synthetic-Check',
  },
  AFTERCHECK_SYNTHETIC_HEADER_VALUE: {
    schema: z
      .string()
      .regex(/^[\x20-\x7e]+$/, 'must be printable ASCII')
      .default('aftercheck'),
    fix: 'use printable ASCII, e.g. aftercheck',
  },
  AFTERCHECK_MANIFEST: {
    schema: z.string().min(1).default('release-manifest.json'),
    fix: 'point it at the release manifest your deploy pipeline writes',
  },
  AFTERCHECK_POLICY: {
    schema: z.string().min(1).optional(),
    fix: "point it at the policy file; unset, the app profile's apps/<app>/policy.json is used",
  },
  AFTERCHECK_VERIFY_ALL: {
    schema: bool.default(false),
    fix: "use true or false; true runs every feature's @verify tests (scheduled synthetic runs)",
  },
  AFTERCHECK_ALLOW_WRITES: {
    schema: bool.optional(),
    fix: 'use true or false; true lets @verify flows create (and clean up) synthetic data. Default: true only for the demo target',
  },
  AFTERCHECK_RETRIES: {
    schema: z.coerce.number({ error: 'must be a number' }).int().min(0, 'must be 0 or more').max(5, 'must be 5 or fewer').default(1),
    fix: 'use 0 to 5; a test that passes only on retry is reported as flaky',
  },
  AFTERCHECK_REPORTS_DIR: { schema: z.string().min(1).default('reports'), fix: 'use a writable directory, e.g. reports' },
  AFTERCHECK_SERVICE: {
    schema: z.string().min(1).optional(),
    fix: 'set the value of the `service` tag your metrics carry (default: the app profile name)',
  },
  AFTERCHECK_API_TOKEN: {
    schema: z.string().min(1).optional(),
    fix: 'set the bearer token for `auth: "bearer"` checks when the sign-in does not provide one',
    secret: true,
  },
  AFTERCHECK_INFLUX_URL: { schema: httpUrl.optional(), fix: 'set the InfluxDB base URL, e.g. http://127.0.0.1:8086' },
  AFTERCHECK_INFLUX_TOKEN: {
    schema: z.string().min(1).optional(),
    fix: 'set an InfluxDB token (2.x/3.x) or user:password (1.x); leave unset when auth is off',
    secret: true,
  },
  AFTERCHECK_INFLUX_ORG: { schema: z.string().min(1).optional(), fix: 'set the InfluxDB 2.x organisation (needed for Flux)' },
  AFTERCHECK_INFLUX_BUCKET: {
    schema: z.string().min(1).optional(),
    fix: 'set the InfluxDB 2.x bucket (Flux), or use AFTERCHECK_INFLUX_DATABASE for InfluxQL',
  },
  AFTERCHECK_INFLUX_DATABASE: { schema: z.string().min(1).optional(), fix: 'set the InfluxDB database (InfluxQL); defaults to the bucket' },
  AFTERCHECK_INFLUX_DIALECT: {
    schema: z.enum(['auto', 'influxql', 'flux'], { error: 'must be auto, influxql or flux' }).default('auto'),
    fix: 'use auto (decided from /ping), influxql or flux',
  },
  AFTERCHECK_INFLUX_TIMEOUT_MS: { schema: positiveInt.default(10_000), fix: 'use a positive number of milliseconds, e.g. 10000' },
  CHROMIUM_PATH: {
    schema: z.string().min(1).optional(),
    fix: 'point it at a Chromium binary, e.g. /usr/bin/chromium (apt-get install -y chromium)',
  },
  DEMO_FAULTS: { schema: z.string().default(''), fix: 'comma-separated demo faults, e.g. health-500,slow (see README)' },
  DEMO_VERSION: { schema: z.string().min(1).default('1.0.0'), fix: 'the version the bundled demo shop reports' },
  GITHUB_STEP_SUMMARY: { schema: z.string().min(1).optional(), fix: 'set by GitHub Actions; the verdict summary is appended to it' },
  CI: { schema: z.string().optional(), fix: 'set by CI systems' },
  NO_COLOR: { schema: z.string().optional(), fix: 'set it to any non-empty value to turn colours off (https://no-color.org)' },
} as const satisfies Record<string, { schema: z.ZodType; fix: string; secret?: boolean }>;

export type EnvKey = keyof typeof ENV_KEYS;
type Parsed = { [K in EnvKey]: z.output<(typeof ENV_KEYS)[K]['schema']> };

export interface AftercheckEnv {
  /** The app profile (apps/<app>/): AFTERCHECK_APP, else the only profile, else demo-shop. */
  readonly app: string;
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
  /** AFTERCHECK_API_TOKEN: the bearer of `auth: "bearer"` checks when the sign-in gives none. */
  readonly apiToken: string | undefined;
  readonly influx: {
    readonly url: string | undefined;
    readonly token: string | undefined;
    readonly org: string | undefined;
    readonly bucket: string | undefined;
    readonly database: string | undefined;
    readonly dialect: 'auto' | 'influxql' | 'flux';
    readonly timeoutMs: number;
  };
  readonly chromiumPath: string | undefined;
  readonly demo: { readonly faults: string; readonly version: string };
  readonly githubStepSummary: string | undefined;
  readonly ci: boolean;
  /** NO_COLOR set (non-empty): console output without colours even on a terminal. */
  readonly noColor: boolean;
  /** Every secret value in force, for redaction. */
  readonly secrets: readonly string[];
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

  const secrets = [p.AFTERCHECK_PASSWORD, p.AFTERCHECK_INFLUX_TOKEN, p.AFTERCHECK_API_TOKEN, credentials?.password].filter(
    (s): s is string => !!s,
  );
  return deepFreeze({
    app,
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
    apiToken: p.AFTERCHECK_API_TOKEN,
    influx: {
      url: p.AFTERCHECK_INFLUX_URL,
      token: p.AFTERCHECK_INFLUX_TOKEN,
      org: p.AFTERCHECK_INFLUX_ORG,
      bucket: p.AFTERCHECK_INFLUX_BUCKET,
      database: p.AFTERCHECK_INFLUX_DATABASE ?? p.AFTERCHECK_INFLUX_BUCKET,
      dialect: p.AFTERCHECK_INFLUX_DIALECT,
      timeoutMs: p.AFTERCHECK_INFLUX_TIMEOUT_MS,
    },
    chromiumPath: p.CHROMIUM_PATH,
    demo: { faults: p.DEMO_FAULTS, version: p.DEMO_VERSION },
    githubStepSummary: p.GITHUB_STEP_SUMMARY,
    ci: !!p.CI && p.CI !== 'false' && p.CI !== '0',
    noColor: !!p.NO_COLOR,
    secrets: [...new Set(secrets)],
  });
}

/** The app profile to load when the rest of the environment may still have problems (they are reported by loadEnv). */
export function selectedApp(source?: Record<string, string | undefined>): string {
  if (!source) loadDotenvOnce(process.cwd());
  const set = ENV_KEYS.AFTERCHECK_APP.schema.safeParse((source ?? process.env).AFTERCHECK_APP || undefined);
  return resolveApp(set.success ? set.data : undefined).name;
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
