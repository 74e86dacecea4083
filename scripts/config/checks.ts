// The smoke check kinds an app profile configures as data (page, login, http, assets): types and their zod schemas.
import { z } from 'zod';
import { locateSchema, textMatchSchema, type Locate, type TextMatch } from './locate.ts';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/**
 * Who an http check is: `none` (no cookies, the default), `session` (the signed-in session's cookies) or `bearer`
 * (Authorization: Bearer, the token taken from the sign-in — `login.token` — or else from AFTERCHECK_API_TOKEN).
 */
export const HTTP_AUTH = ['none', 'session', 'bearer'] as const;
export type HttpAuth = (typeof HTTP_AUTH)[number];

/** A JSON value in a response: equal to a scalar, matching a RegExp (as text), or present / absent. */
export type JsonExpectation = string | number | boolean | null | RegExp | { readonly exists: boolean };

/** A string value of an XPath: equal to a string, matching a RegExp, or the node present / absent. */
export type XmlExpectation = string | RegExp | { readonly exists: boolean };

export interface HttpExpect {
  /** Status codes accepted; default any 2xx. */
  readonly status?: number | readonly number[];
  /** Substring of the Content-Type header, e.g. "json" or "text/plain". */
  readonly contentType?: string;
  /** JSONPath (RFC 9535 syntax, by jsonpath-plus) → expectation; keys with dots work: `$['versions']['1.0.0']`. */
  readonly json?: Readonly<Record<string, JsonExpectation>>;
  /** The body contains this string, or matches this RegExp. */
  readonly text?: TextMatch;
  /** XPath 1.0 → expectation, for XML answers. */
  readonly xml?: Readonly<Record<string, XmlExpectation>>;
}

/** A status a page may answer for one of its requests without failing the check, e.g. a 401 from /api/me before sign-in. */
export interface AllowedStatus {
  readonly status: number;
  /** Path of the request (exact string or RegExp); any when omitted. */
  readonly path?: TextMatch;
}

/** One smoke check; `name` becomes the test title, so a failure names the check. */
export type SmokeCheck =
  | {
      readonly kind: 'page';
      readonly name: string;
      readonly path: string;
      /** The document title contains this string, or matches this RegExp. */
      readonly title?: TextMatch;
      /** Elements that must be visible. */
      readonly visible?: readonly Locate[];
      /** Loads the page in the signed-in session. */
      readonly authenticated?: boolean;
      /** Console errors expected on this page (string: contained; RegExp: matched); they are reported, not failed. */
      readonly allowConsoleErrors?: readonly TextMatch[];
      /** Request statuses of 400 and above this page may see (and their console errors). */
      readonly allowStatuses?: readonly AllowedStatus[];
      readonly budgetMs: number;
    }
  | { readonly kind: 'login'; readonly name: string }
  | {
      readonly kind: 'http';
      readonly name: string;
      readonly path: string;
      readonly method?: HttpMethod;
      readonly headers?: Readonly<Record<string, string>>;
      /** A string is sent as is (set its Content-Type in headers); anything else as JSON. */
      readonly body?: unknown;
      readonly auth?: HttpAuth;
      readonly expect?: HttpExpect;
      /** JSONPath of the version the app reports (e.g. $.version), recorded for the verdict. */
      readonly recordVersion?: string;
      readonly budgetMs: number;
    }
  | {
      readonly kind: 'assets';
      readonly name: string;
      readonly path: string;
      readonly authenticated?: boolean;
      readonly budgetMs: number;
    };

export type CheckOf<K extends SmokeCheck['kind']> = Extract<SmokeCheck, { kind: K }>;

const budget = z.number().int().positive().max(60_000, 'must be at most 60000 ms: smoke checks are quick');
const name = z.string().min(1);
const urlPath = z.string().startsWith('/', 'must start with "/" (a path on the target, e.g. /health)');
const exists = z.object({ exists: z.boolean() }).strict();
const status = z.number().int().min(100).max(599);

const httpExpect = z
  .object({
    status: z.union([status, z.array(status).min(1)]).optional(),
    contentType: z.string().min(1).optional(),
    json: z
      .record(
        z.string().startsWith('$', 'JSONPath starts with $, e.g. $.status'),
        z.union([z.string(), z.number(), z.boolean(), z.null(), z.instanceof(RegExp), exists]),
      )
      .optional(),
    text: textMatchSchema.optional(),
    xml: z.record(z.string().min(1), z.union([z.string(), z.instanceof(RegExp), exists])).optional(),
  })
  .strict()
  .refine((e) => !(e.json && e.xml), 'an answer is JSON or XML, not both: use one of json and xml');

export const smokeCheckSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('page'),
      name,
      path: urlPath,
      title: textMatchSchema.optional(),
      visible: z.array(locateSchema).optional(),
      authenticated: z.boolean().optional(),
      allowConsoleErrors: z.array(textMatchSchema).optional(),
      allowStatuses: z.array(z.object({ status, path: textMatchSchema.optional() }).strict()).optional(),
      budgetMs: budget,
    })
    .strict(),
  z.object({ kind: z.literal('login'), name }).strict(),
  z
    .object({
      kind: z.literal('http'),
      name,
      path: urlPath,
      method: z.enum(HTTP_METHODS).optional(),
      headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name'), z.string()).optional(),
      body: z.unknown().optional(),
      auth: z.enum(HTTP_AUTH).optional(),
      expect: httpExpect.optional(),
      recordVersion: z.string().startsWith('$').optional(),
      budgetMs: budget,
    })
    .strict(),
  z.object({ kind: z.literal('assets'), name, path: urlPath, authenticated: z.boolean().optional(), budgetMs: budget }).strict(),
]);
