// Types and validation for an app profile's aftercheck.config.ts: its login, its smoke checks and its feature registry, as data.
import { z } from 'zod';
import { ConfigError, zodProblems } from './errors.ts';
import { SEVERITIES, type Severity } from './manifest.ts';
import { deepFreeze } from './freeze.ts';
import { smokeCheckSchema, type SmokeCheck } from './checks.ts';
import { loginSchema, type LoginConfig } from './login.ts';

export type { AllowedStatus, CheckOf, HttpAuth, HttpExpect, HttpMethod, JsonExpectation, SmokeCheck, XmlExpectation } from './checks.ts';
export type { ApiLogin, FormLogin, LoginConfig } from './login.ts';
export type { AriaRole, Locate, TextMatch } from './locate.ts';

export interface FeatureDefinition {
  readonly title: string;
  readonly owner: string;
  readonly severity: Severity;
  /** Globs (picomatch) mapping source files to the feature, for `npm run manifest`. */
  readonly paths: readonly string[];
}

export interface AppConfig<F extends string = string> {
  readonly app: { readonly name: string };
  /** How the synthetic account signs in; omit for an app without sign-in (then no check may need a session). */
  readonly login?: LoginConfig;
  readonly smoke: readonly SmokeCheck[];
  readonly features: Readonly<Record<F, FeatureDefinition>>;
}

const appConfigSchema = z
  .object({
    app: z.object({ name: z.string().min(1) }).strict(),
    login: loginSchema.optional(),
    smoke: z
      .array(smokeCheckSchema)
      .min(1)
      .max(12, 'has more than 12 checks: smoke asks "is it alive?"; move deeper checks to @verify')
      .refine((a) => new Set(a.map((c) => c.name)).size === a.length, 'check names must be unique (they are test titles)'),
    features: z.record(
      z.string().regex(/^[a-z][a-z0-9-]*$/, 'feature ids are kebab-case, e.g. checkout'),
      z
        .object({ title: z.string().min(1), owner: z.string().min(1), severity: z.enum(SEVERITIES), paths: z.array(z.string().min(1)) })
        .strict(),
    ),
  })
  .strict()
  .superRefine((c, ctx) => {
    // A check that needs a session in an app without a sign-in could never pass: say so when the file loads.
    if (c.login) return;
    c.smoke.forEach((check, i) => {
      const needs =
        check.kind === 'login' ||
        ((check.kind === 'page' || check.kind === 'assets') && check.authenticated) ||
        (check.kind === 'http' && check.auth === 'session');
      if (needs) ctx.addIssue({ code: 'custom', path: ['smoke', i], message: 'needs a signed-in session, but the profile has no login' });
    });
  });

const FIX = 'see the SmokeCheck, LoginConfig and FeatureDefinition types in scripts/config/ (checks.ts, login.ts, app-config.ts)';

function fixFor(field: string): string {
  if (/\.kind$/.test(field))
    return 'use one of page, login, http, assets (health and api checks are http checks: { kind: "http", path, expect })';
  if (field === 'login' || field.startsWith('login.'))
    return 'a form login needs path, usernameLabel, passwordLabel, submitButton and loggedInIndicator; an api login needs mode: "api", path and body';
  return FIX;
}

/** Validates (every problem at once, as a ConfigError naming `source`) and freezes an app config. */
export function parseAppConfig<F extends string>(config: unknown, source = 'aftercheck.config.ts'): AppConfig<F> {
  if (!config || typeof config !== 'object')
    throw new ConfigError(source, [
      {
        field: '(export)',
        value: config === undefined ? '(unset)' : typeof config,
        message: 'exports no app config',
        fix: 'end the file with `export default defineConfig({ … })`',
      },
    ]);
  const result = appConfigSchema.safeParse(config);
  if (!result.success) throw new ConfigError(source, zodProblems(result.error.issues, config, '', fixFor));
  return deepFreeze(config as AppConfig<F>);
}

/**
 * Declares an app's configuration. Validated when loaded, so a typo fails the run with the field named; the generic keeps
 * feature ids as a literal union, so the profile's `featureTag('serch')` is a compile error.
 */
export function defineConfig<const F extends string>(config: AppConfig<F>): AppConfig<F> {
  return parseAppConfig<F>(config);
}
