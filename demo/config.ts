// The demo shop's one configuration reader: DEMO_* variables from process.env, zod-validated, every problem reported at once.
import os from 'node:os';
import { z } from 'zod';
import { ConfigError, type Problem } from '../scripts/config/errors.ts';
import { deepFreeze } from '../scripts/config/freeze.ts';
import { KNOWN_FAULTS, isFaultName, type FaultName } from './src/faults.ts';

export interface DemoConfig {
  readonly port: number;
  readonly version: string;
  readonly faults: readonly FaultName[];
  /** undefined: a fresh temp dir, removed at shutdown. */
  readonly dataDir: string | undefined;
  readonly service: string;
  readonly hostname: string;
  readonly influx: { readonly url: string; readonly database: string; readonly token: string | undefined } | undefined;
  readonly metricsIntervalMs: number;
  /** Added to the wall clock when stamping metric points (0: the wall clock); see DEMO_METRICS_CLOCK_OFFSET_MS. */
  readonly metricsClockOffsetMs: number;
  readonly syntheticHeader: string;
  readonly syntheticAccount: { readonly username: string; readonly password: string };
  /** Enables POST /__control/faults (switch faults at run time) for callers that send this token; unset: no such route. */
  readonly controlToken: string | undefined;
}

const knownFaults = KNOWN_FAULTS.join(', ');
const printable = (what: string) => z.string().regex(/^[\x21-\x7e]+$/, `must be ${what} in printable ASCII without spaces`);

const faultList = z.string().transform((raw, ctx) => {
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !isFaultName(n));
  if (unknown.length)
    ctx.addIssue({
      code: 'custom',
      message: `unknown fault${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => JSON.stringify(u)).join(', ')}; known faults: ${knownFaults}`,
    });
  return [...new Set(names.filter(isFaultName))];
});

const KEYS = {
  DEMO_PORT: {
    schema: z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(0, 'must be 0 to 65535')
      .max(65535, 'must be 0 to 65535')
      .default(0),
    fix: 'use a free TCP port, or 0 to pick a free one',
  },
  DEMO_VERSION: { schema: printable('a version').default('1.0.0'), fix: 'use a version such as 1.4.2' },
  DEMO_FAULTS: { schema: faultList.default([]), fix: 'use only the known faults listed, comma-separated, e.g. DEMO_FAULTS=slow,errors' },
  DEMO_DATA_DIR: { schema: z.string().min(1).optional(), fix: 'use a writable directory, or leave unset for a fresh temp dir' },
  DEMO_SERVICE: { schema: printable('a service name').default('demo-shop'), fix: 'use the value of the `service` tag, e.g. demo-shop' },
  DEMO_HOSTNAME: { schema: printable('a host name').optional(), fix: 'use the value of the `host` tag; defaults to the machine name' },
  DEMO_INFLUX_URL: {
    schema: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    fix: 'use the InfluxDB base URL, e.g. http://127.0.0.1:8086, or leave unset for no metrics',
  },
  DEMO_INFLUX_DATABASE: { schema: z.string().min(1).default('aftercheck'), fix: 'use the InfluxDB database to write to, e.g. aftercheck' },
  DEMO_INFLUX_TOKEN: { schema: z.string().min(1).optional(), fix: 'use an InfluxDB token, or leave unset when auth is off', secret: true },
  DEMO_METRICS_INTERVAL_MS: {
    schema: z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(50, 'must be at least 50')
      .max(3_600_000, 'must be at most 3600000')
      .default(1000),
    fix: 'use milliseconds between metric writes, e.g. 1000',
  },
  // A test seam: a shop whose points land one window earlier lets a baseline and a release fill their windows at once.
  DEMO_METRICS_CLOCK_OFFSET_MS: {
    schema: z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(-86_400_000, 'must be within one day (±86400000)')
      .max(86_400_000, 'must be within one day (±86400000)')
      .default(0),
    fix: 'use milliseconds to add to the clock that stamps metric points (negative: earlier), or leave unset',
  },
  DEMO_SYNTHETIC_HEADER: {
    schema: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name (letters, digits, dashes)')
      .default('X-Synthetic-Check'),
    fix: 'use a header name such as X-Synthetic-Check',
  },
  DEMO_SYNTHETIC_USERNAME: {
    schema: z.email({ error: 'must be an email address' }).default('synthetic.monitor@demo.shop'),
    fix: 'use the email of the seeded synthetic account',
  },
  DEMO_CONTROL_TOKEN: {
    schema: z.string().min(16, 'must be at least 16 characters').optional(),
    fix: 'use a long random string (the launcher sets one), or leave unset for no run-time fault switch',
    secret: true,
  },
  DEMO_SYNTHETIC_PASSWORD: {
    schema: z.string().min(8, 'must be at least 8 characters').default('demo-synthetic-password'),
    fix: 'use a password of 8 or more characters',
    secret: true,
  },
} as const satisfies Record<string, { schema: z.ZodType; fix: string; secret?: boolean }>;

type Key = keyof typeof KEYS;
type Parsed = { [K in Key]: z.output<(typeof KEYS)[K]['schema']> };

/** Reads the DEMO_* keys from `source` (process.env by default); throws one ConfigError listing every bad key. */
export function loadDemoConfig(source: Record<string, string | undefined> = process.env): DemoConfig {
  const problems: Problem[] = [];
  const parsed = {} as Record<Key, unknown>;
  for (const key of Object.keys(KEYS) as Key[]) {
    const raw = source[key] === '' ? undefined : source[key];
    const result = KEYS[key].schema.safeParse(raw);
    if (result.success) parsed[key] = result.data;
    else {
      const secret = 'secret' in KEYS[key] && KEYS[key].secret;
      const shown = raw === undefined ? '(unset)' : secret ? '(redacted)' : JSON.stringify(raw);
      problems.push({ field: key, value: shown, message: result.error.issues.map((i) => i.message).join('; '), fix: KEYS[key].fix });
    }
  }
  if (problems.length) throw new ConfigError('demo shop environment', problems);
  const p = parsed as Parsed;
  return deepFreeze({
    port: p.DEMO_PORT,
    version: p.DEMO_VERSION,
    faults: p.DEMO_FAULTS,
    dataDir: p.DEMO_DATA_DIR,
    service: p.DEMO_SERVICE,
    hostname: p.DEMO_HOSTNAME ?? os.hostname(),
    influx: p.DEMO_INFLUX_URL
      ? { url: p.DEMO_INFLUX_URL.replace(/\/+$/, ''), database: p.DEMO_INFLUX_DATABASE, token: p.DEMO_INFLUX_TOKEN }
      : undefined,
    metricsIntervalMs: p.DEMO_METRICS_INTERVAL_MS,
    metricsClockOffsetMs: p.DEMO_METRICS_CLOCK_OFFSET_MS,
    syntheticHeader: p.DEMO_SYNTHETIC_HEADER,
    syntheticAccount: { username: p.DEMO_SYNTHETIC_USERNAME, password: p.DEMO_SYNTHETIC_PASSWORD },
    controlToken: p.DEMO_CONTROL_TOKEN,
  });
}
