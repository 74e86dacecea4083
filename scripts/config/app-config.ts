// Types and validation for aftercheck.config.ts: the target app's smoke checks, login form and feature registry, as data.
import { z } from 'zod';
import { ConfigError, zodProblems } from './errors.ts';
import { SEVERITIES, type Severity } from './manifest.ts';
import { deepFreeze } from './freeze.ts';

/** How a page object finds an element: by ARIA role and name, by label, or by test id (never by CSS). */
export type Locate =
  | {
      readonly role:
        | 'heading'
        | 'button'
        | 'link'
        | 'navigation'
        | 'main'
        | 'list'
        | 'img'
        | 'searchbox'
        | 'textbox'
        | 'alert'
        | 'status'
        | 'table'
        | 'row';
      readonly name?: string;
    }
  | { readonly label: string }
  | { readonly testId: string };

/** One smoke check; `name` becomes the test title, so a failure names the check. */
export type SmokeCheck =
  | {
      readonly kind: 'page';
      readonly name: string;
      readonly path: string;
      /** Substring the document title must contain. */
      readonly title: string;
      /** Elements that must be visible. */
      readonly visible: readonly Locate[];
      readonly budgetMs: number;
    }
  | { readonly kind: 'login'; readonly name: string }
  | {
      readonly kind: 'health';
      readonly name: string;
      readonly path: string;
      /** Dotted JSON paths and the value each must have, e.g. { 'checks.database': 'ok' }. */
      readonly expect: Readonly<Record<string, string | number | boolean>>;
      readonly budgetMs: number;
    }
  | {
      readonly kind: 'api';
      readonly name: string;
      readonly path: string;
      /** Needs the logged-in session (storageState) when true. */
      readonly authenticated?: boolean;
      /** Dotted JSON paths that must exist; `[]` suffix means "a non-empty array", e.g. 'products[]'. */
      readonly expectPaths: readonly string[];
      readonly budgetMs: number;
    }
  | { readonly kind: 'assets'; readonly name: string; readonly path: string; readonly budgetMs: number };

export interface LoginForm {
  readonly path: string;
  readonly usernameLabel: string;
  readonly passwordLabel: string;
  readonly submitButton: string;
  /** Visible only when logged in. */
  readonly loggedInIndicator: Locate;
  /** Visible after a failed login. */
  readonly errorIndicator?: Locate;
}

export interface FeatureDefinition {
  readonly title: string;
  readonly owner: string;
  readonly severity: Severity;
  /** Globs (picomatch) mapping source files to the feature, for `npm run manifest`. */
  readonly paths: readonly string[];
}

export interface AppConfig<F extends string = string> {
  readonly app: { readonly name: string; readonly healthPath: string };
  readonly login: LoginForm;
  readonly smoke: readonly SmokeCheck[];
  readonly features: Readonly<Record<F, FeatureDefinition>>;
}

const locate = z.union([
  z.object({ role: z.string(), name: z.string().optional() }).strict(),
  z.object({ label: z.string() }).strict(),
  z.object({ testId: z.string() }).strict(),
]);
const budget = z.number().int().positive().max(60_000, 'must be at most 60000 ms: smoke checks are quick');
const smokeCheck = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('page'),
      name: z.string().min(1),
      path: z.string().startsWith('/'),
      title: z.string(),
      visible: z.array(locate),
      budgetMs: budget,
    })
    .strict(),
  z.object({ kind: z.literal('login'), name: z.string().min(1) }).strict(),
  z
    .object({
      kind: z.literal('health'),
      name: z.string().min(1),
      path: z.string().startsWith('/'),
      expect: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
      budgetMs: budget,
    })
    .strict(),
  z
    .object({
      kind: z.literal('api'),
      name: z.string().min(1),
      path: z.string().startsWith('/'),
      authenticated: z.boolean().optional(),
      expectPaths: z.array(z.string()),
      budgetMs: budget,
    })
    .strict(),
  z.object({ kind: z.literal('assets'), name: z.string().min(1), path: z.string().startsWith('/'), budgetMs: budget }).strict(),
]);
const appConfigSchema = z
  .object({
    app: z.object({ name: z.string().min(1), healthPath: z.string().startsWith('/') }).strict(),
    login: z
      .object({
        path: z.string().startsWith('/'),
        usernameLabel: z.string(),
        passwordLabel: z.string(),
        submitButton: z.string(),
        loggedInIndicator: locate,
        errorIndicator: locate.optional(),
      })
      .strict(),
    smoke: z
      .array(smokeCheck)
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
  .strict();

/**
 * Declares the target app's configuration. Validated when loaded, so a typo fails the run with the field named;
 * the generic keeps feature ids as a literal union, so `featureTag('serch')` is a compile error.
 */
export function defineConfig<const F extends string>(config: AppConfig<F>): AppConfig<F> {
  const result = appConfigSchema.safeParse(config);
  if (!result.success)
    throw new ConfigError(
      'aftercheck.config.ts',
      zodProblems(result.error.issues, config, '', () => 'see the SmokeCheck and FeatureDefinition types in scripts/config/app-config.ts'),
    );
  return deepFreeze(config);
}
