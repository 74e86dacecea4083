// `npm run init` health discovery: probes the usual health paths on the target only, and turns each answer into an http check that fits its content type.
import { DOMParser } from '@xmldom/xmldom';
import type { CheckOf, JsonExpectation, XmlExpectation } from '../config/app-config.ts';

/** Where apps usually answer "am I healthy?"; `--health <path>` adds more. Probed on the target's origin only. */
export const HEALTH_PATHS: readonly string[] = Object.freeze([
  '/health',
  '/healthz',
  '/readyz',
  '/livez',
  '/health/ready',
  '/health/live',
  '/api/health',
  '/api/healthz',
  '/actuator/health',
  '/_health',
  '/status',
  '/api/status',
  '/ping',
]);

/** Values that mean "fine" in health answers, compared case-insensitively. */
const OK_WORDS = /^(ok|up|healthy|pass|passed|green|alive|ready|live|pong|available|connected|true)$/i;

export interface HealthAnswer {
  readonly path: string;
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** An http check for one answer, or why the answer is not one worth checking (an SPA's index page for every path, a 404). */
export type HealthVerdict = { readonly check: CheckOf<'http'> } | { readonly skipped: string };

/** A JSONPath to nested keys: dotted where the key allows it, bracketed otherwise (keys with dots, dashes, spaces). */
export function jsonPathOf(...keys: string[]): string {
  return `$${keys.map((k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k).replace(/^"|"$/g, "'")}]`)).join('')}`;
}

function jsonExpectations(body: unknown): { json: Record<string, JsonExpectation>; version?: string } {
  const json: Record<string, JsonExpectation> = {};
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { json };
  const obj = body as Record<string, unknown>;
  for (const [key, value] of Object.entries(obj)) {
    if (typeof value === 'string' && OK_WORDS.test(value)) json[jsonPathOf(key)] = value;
  }
  // Nested components (checks.database, components.db.status), as Spring Boot, the demo shop and many others report them.
  for (const [group, value] of Object.entries(obj)) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
    for (const [part, inner] of Object.entries(value as Record<string, unknown>)) {
      if (Object.keys(json).length >= 4) break;
      if (typeof inner === 'string' && OK_WORDS.test(inner)) json[jsonPathOf(group, part)] = inner;
      const status = inner && typeof inner === 'object' ? (inner as Record<string, unknown>).status : undefined;
      if (typeof status === 'string' && OK_WORDS.test(status)) json[jsonPathOf(group, part, 'status')] = status;
    }
  }
  return { json, ...(typeof obj.version === 'string' ? { version: jsonPathOf('version') } : {}) };
}

function xmlExpectations(text: string): Record<string, XmlExpectation> | undefined {
  let root: Element | null | undefined;
  try {
    root = new DOMParser({ onError: () => undefined }).parseFromString(text, 'text/xml').documentElement as unknown as Element | null;
  } catch {
    return undefined;
  }
  if (!root) return undefined;
  const xml: Record<string, XmlExpectation> = {};
  const visit = (el: Element, at: string) => {
    for (const attr of Array.from(el.attributes ?? [])) if (OK_WORDS.test(attr.value)) xml[`${at}/@${attr.name}`] = attr.value;
    const children = Array.from(el.childNodes).filter((n): n is Element => n.nodeType === 1);
    const text = (el.textContent ?? '').trim();
    if (!children.length && OK_WORDS.test(text)) xml[at] = text;
    for (const c of children) if (Object.keys(xml).length < 4) visit(c, `${at}/${c.nodeName}`);
  };
  visit(root, `/${root.nodeName}`);
  return xml;
}

/** The check for a health answer: status 2xx, plus what its content says is fine (JSON values, XML values, a short text). */
export function healthCheckFor(answer: HealthAnswer): HealthVerdict {
  const { path, status, contentType, body } = answer;
  if (status < 200 || status >= 300) return { skipped: `${path} answered ${status}` };
  const type = contentType.toLowerCase();
  const base = { kind: 'http', name: `health endpoint ${path} answers healthy`, path } as const;
  const budget = { budgetMs: 3_000 };
  if (type.includes('html') || /^\s*<!doctype html/i.test(body))
    return { skipped: `${path} answered an HTML page (a single-page app answers every path so; not a health endpoint)` };
  if (type.includes('json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return { skipped: `${path} said JSON but its body is not` };
    }
    const { json, version } = jsonExpectations(parsed);
    return {
      check: {
        ...base,
        expect: { contentType: 'json', ...(Object.keys(json).length ? { json } : {}) },
        ...(version ? { recordVersion: version } : {}),
        ...budget,
      },
    };
  }
  if (type.includes('xml')) {
    const xml = xmlExpectations(body);
    if (!xml) return { skipped: `${path} said XML but its body is not` };
    return { check: { ...base, expect: { contentType: 'xml', ...(Object.keys(xml).length ? { xml } : {}) }, ...budget } };
  }
  const word = /^\s*([A-Za-z]+)\b/.exec(body)?.[1];
  if (body.trim().length <= 64 && word && OK_WORDS.test(word))
    return { check: { ...base, expect: { text: new RegExp(`^\\s*${word}\\b`, 'i') }, ...budget } };
  return { check: { ...base, ...budget } };
}

export interface ProbeOptions {
  readonly baseUrl: string;
  readonly paths: readonly string[];
  /** The synthetic-traffic identity every request carries. */
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

/** GETs each path on the target (no redirects followed: a health path that redirects to a login page is not one). */
export async function probeHealth(options: ProbeOptions): Promise<{ path: string; verdict: HealthVerdict }[]> {
  const out: { path: string; verdict: HealthVerdict }[] = [];
  for (const path of [...new Set(options.paths)]) {
    try {
      const response = await fetch(new URL(path, `${options.baseUrl}/`), {
        headers: options.headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs ?? 3_000),
      });
      const body = (await response.text()).slice(0, 64 * 1024);
      out.push({
        path,
        verdict: healthCheckFor({ path, status: response.status, contentType: response.headers.get('content-type') ?? '', body }),
      });
    } catch (err) {
      out.push({ path, verdict: { skipped: `${path}: no answer (${(err as Error).message})` } });
    }
  }
  return out;
}
