// Every environment key aftercheck reads: its zod schema, the fix its error message gives, and whether it is a secret.
// .env.example is checked against this table by a unit test, so a key cannot be added without documenting it.
import { z } from 'zod';
import { APP_NAME } from './apps.ts';
import { hasUserinfo } from './env-checks.ts';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
/** A whole number written as digits only: " " or "1e3" is a typo, not 0 or 1000. */
const wholeNumber = (min: number, max: number, range: string) =>
  z
    .string()
    .regex(/^\s*\d+\s*$/, 'must be a whole number written in digits')
    .transform((v) => Number(v.trim()))
    .pipe(z.number().min(min, range).max(max, range));
/** No control characters: a carriage return from a Windows-edited .env must be named here, not surface later as a policy or query problem. */
const plainText = z
  .string()
  .min(1)
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters (a carriage return from a Windows-edited .env?)');

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
    schema: z
      .union([z.literal('demo'), httpUrl])
      .refine(
        (v) => v === 'demo' || !hasUserinfo(v),
        'must not carry credentials (user:password@host): they would travel into reports and traces',
      )
      .optional(),
    fix: 'set it to the deployed app, e.g. https://shop.example.com, or to "demo" for the bundled demo shop (or run `npm run demo`); put the synthetic account in AFTERCHECK_USERNAME and AFTERCHECK_PASSWORD, never in the URL',
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
    schema: wholeNumber(0, 5, 'must be 0 to 5').default(1),
    fix: 'use 0 to 5; a test that passes only on retry is reported as flaky',
  },
  AFTERCHECK_RUN_ID: {
    schema: z
      .string()
      .regex(/^[\x21-\x7e]{1,128}$/, 'must be 1 to 128 printable characters without spaces')
      .optional(),
    fix: 'set it to your CI run id (e.g. $GITHUB_RUN_ID) for both the test step and the verdict step, so the verdict only accepts results of this run',
  },
  AFTERCHECK_REPORTS_DIR: { schema: z.string().min(1).default('reports'), fix: 'use a writable directory, e.g. reports' },
  AFTERCHECK_SERVICE: {
    schema: plainText.optional(),
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
  AFTERCHECK_INFLUX_TIMEOUT_MS: {
    // Node's timers hold at most 2^31 - 1 ms; a larger value would fire at once.
    schema: wholeNumber(1, 2_147_483_647, 'must be 1 to 2147483647 (about 24 days)').default(10_000),
    fix: 'use a positive number of milliseconds, e.g. 10000',
  },
  AFTERCHECK_ALERT_WEBHOOK_URL: {
    schema: httpUrl.optional(),
    fix: 'set the incoming-webhook URL alerts are posted to (Slack-compatible JSON), e.g. https://hooks.slack.com/services/…; leave unset for no alerts',
    secret: true,
  },
  AFTERCHECK_ALERT_TIMEOUT_MS: {
    schema: wholeNumber(100, 60_000, 'must be 100 to 60000').default(5000),
    fix: 'use milliseconds per webhook attempt, e.g. 5000',
  },
  AFTERCHECK_ALERT_RETRIES: {
    schema: wholeNumber(0, 5, 'must be 0 to 5').default(2),
    fix: 'use 0 to 5: further attempts after a failed webhook post',
  },
  AFTERCHECK_LOCATION: {
    schema: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1 to 64 letters, digits, dots, dashes or underscores')
      .default('local'),
    fix: 'name where scheduled synthetic runs run from, e.g. eu-west-1 (the `location` tag of synthetic_check points)',
  },
  CHROMIUM_PATH: {
    schema: z.string().min(1).optional(),
    fix: 'point it at a Chromium binary, e.g. /usr/bin/chromium (apt-get install -y chromium)',
  },
  DEMO_FAULTS: { schema: z.string().default(''), fix: 'comma-separated demo faults, e.g. health-500,slow (see README)' },
  DEMO_VERSION: { schema: z.string().min(1).default('1.0.0'), fix: 'the version the bundled demo shop reports' },
  AFTERCHECK_REPORT_URL: {
    schema: httpUrl.optional(),
    fix: 'set it to where CI publishes the report (e.g. a Pages URL or the CI run page); verdict.md, the Allure verdict and alerts link to it',
  },
  GITHUB_STEP_SUMMARY: { schema: z.string().min(1).optional(), fix: 'set by GitHub Actions; the verdict summary is appended to it' },
  GITHUB_SERVER_URL: {
    schema: httpUrl.optional(),
    fix: 'set by GitHub Actions, e.g. https://github.com; used for the run and commit links',
  },
  GITHUB_REPOSITORY: {
    schema: z
      .string()
      .regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/name')
      .optional(),
    fix: 'set by GitHub Actions, e.g. acme/shop; used for the run and commit links',
  },
  GITHUB_RUN_ID: {
    schema: z.string().regex(/^\d+$/, 'must be digits').optional(),
    fix: 'set by GitHub Actions; used for the link to the CI run',
  },
  CI: { schema: z.string().optional(), fix: 'set by CI systems' },
  NO_COLOR: { schema: z.string().optional(), fix: 'set it to any non-empty value to turn colours off (https://no-color.org)' },
} as const satisfies Record<string, { schema: z.ZodType; fix: string; secret?: boolean }>;

export type EnvKey = keyof typeof ENV_KEYS;
