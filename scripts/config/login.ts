// How the synthetic account signs in, as data: through a form (optionally opened by clicks first) or by posting credentials to an API.
import { z } from 'zod';
import { locateSchema, textMatchSchema, type Locate, type TextMatch } from './locate.ts';

/** A sign-in through the app's own form, as a user does it. */
export interface FormLogin {
  readonly mode?: 'form';
  /** The page to open first, e.g. /login or / for a header button that opens a dialog. */
  readonly path: string;
  /** Clicked in order before the form shows, e.g. [{ role: 'button', name: 'Sign in' }] for a dialog. */
  readonly open?: readonly Locate[];
  /** The fields' accessible names or label texts (string: exact; RegExp: pattern), e.g. 'Email' or /^Password/. */
  readonly usernameLabel: TextMatch;
  readonly passwordLabel: TextMatch;
  readonly submitButton: TextMatch;
  /** Visible only when signed in. */
  readonly loggedInIndicator: Locate;
  /** Visible after a rejected sign-in (default: an element with the alert role). */
  readonly errorIndicator?: Locate;
  /** Where the app keeps its bearer token after signing in, for `auth: "bearer"` http checks. */
  readonly token?: { readonly localStorage: string };
}

/** A sign-in by posting the credentials, for SPAs and API-first apps; the answer's cookies and token make the session. */
export interface ApiLogin {
  readonly mode: 'api';
  /** The endpoint that takes the credentials, e.g. /api/session. */
  readonly path: string;
  readonly method?: 'POST' | 'PUT';
  /** The body's fields; the values "$username" and "$password" are replaced by the synthetic account's. */
  readonly body: Readonly<Record<string, string>>;
  /** json (default) or form (application/x-www-form-urlencoded). */
  readonly format?: 'json' | 'form';
  /**
   * The token in the answer (a JSONPath, e.g. $.token), sent as Authorization: Bearer by `auth: "bearer"` checks; also put
   * into the browser's localStorage under `localStorage` so that `authenticated` pages of an SPA are signed in too.
   */
  readonly token?: { readonly json: string; readonly localStorage?: string };
}

export type LoginConfig = FormLogin | ApiLogin;

const urlPath = z.string().startsWith('/', 'must start with "/" (a path on the target, e.g. /login)');

const withMode = (v: unknown) => (v && typeof v === 'object' && !('mode' in v) ? { ...v, mode: 'form' } : v);

/** Form (the default: `mode` may be left out) or api; each field is checked on its own, so a missing one is named. */
export const loginSchema = z.preprocess(
  withMode,
  z.discriminatedUnion('mode', [
    z
      .object({
        mode: z.literal('form'),
        path: urlPath,
        open: z.array(locateSchema).optional(),
        usernameLabel: textMatchSchema,
        passwordLabel: textMatchSchema,
        submitButton: textMatchSchema,
        loggedInIndicator: locateSchema,
        errorIndicator: locateSchema.optional(),
        token: z
          .object({ localStorage: z.string().min(1) })
          .strict()
          .optional(),
      })
      .strict(),
    z
      .object({
        mode: z.literal('api'),
        path: urlPath,
        method: z.enum(['POST', 'PUT']).optional(),
        body: z
          .record(z.string(), z.string())
          .refine((b) => Object.values(b).includes('$username') && Object.values(b).includes('$password'), {
            message: 'must send "$username" and "$password", e.g. { email: "$username", password: "$password" }',
          }),
        format: z.enum(['json', 'form']).optional(),
        token: z
          .object({ json: z.string().startsWith('$', 'JSONPath starts with $, e.g. $.token'), localStorage: z.string().min(1).optional() })
          .strict()
          .optional(),
      })
      .strict(),
  ]),
);

export const isApiLogin = (login: LoginConfig): login is ApiLogin => login.mode === 'api';
