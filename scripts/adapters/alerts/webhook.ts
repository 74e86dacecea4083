// The webhook notifier: posts an alert (Slack-compatible JSON) with a bounded timeout and retries; a failure is reported,
// never thrown, and never changes a decision. The URL is a secret: nothing it returns or prints contains it.
import type { AftercheckEnv } from '../../config/env.ts';
import { redact, redactJson } from '../../config/redact.ts';
import { slackPayload, type AlertContent, type AlertKind } from '../../engine/alerts.ts';
import { VOCABULARY } from '../../engine/vocabulary.ts';

export interface PostResult {
  readonly ok: boolean;
  readonly attempts: number;
  /** Why the last attempt failed (redacted). */
  readonly error?: string;
}

export interface PostOptions {
  readonly timeoutMs: number;
  /** Further attempts after a failed one. */
  readonly retries: number;
  readonly secrets: readonly string[];
  /** Pause before attempt n (n ≥ 2); bounded, so the whole post is bounded too. */
  readonly backoffMs?: (attempt: number) => number;
}

/** 429 and 5xx may pass on a later attempt; any other answer will not. */
const retryable = (status: number) => status === 429 || status >= 500;

export async function postJson(url: string, body: unknown, o: PostOptions): Promise<PostResult> {
  const backoff = o.backoffMs ?? ((n: number) => Math.min(2000, 250 * 2 ** (n - 2)));
  let error = 'not attempted';
  for (let attempt = 1; attempt <= o.retries + 1; attempt++) {
    if (attempt > 1) await new Promise((r) => setTimeout(r, backoff(attempt)));
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(o.timeoutMs),
        redirect: 'error',
      });
      const text = (await res.text()).slice(0, 200).trim();
      if (res.ok) return { ok: true, attempts: attempt };
      error = `HTTP ${res.status}${text ? ` ${text}` : ''}`;
      if (!retryable(res.status)) return { ok: false, attempts: attempt, error: redact(error, o.secrets) };
    } catch (e) {
      const err = e as Error & { cause?: Error };
      error =
        err.name === 'TimeoutError' ? `no answer within ${o.timeoutMs} ms` : `${err.message}${err.cause ? `: ${err.cause.message}` : ''}`;
    }
  }
  return { ok: false, attempts: o.retries + 1, error: redact(error, o.secrets) };
}

/** What one alert did, as the verdict and the console report it. */
export interface AlertRecord {
  readonly at: string;
  readonly kind: AlertKind;
  readonly status: string;
  readonly ok: boolean;
  readonly attempts: number;
  readonly error?: string;
}

/**
 * Sends an alert through the configured webhook; null when no notifier is configured. The payload is redacted here,
 * at the moment it leaves the process.
 */
export async function sendAlert(env: AftercheckEnv, content: AlertContent, now = new Date()): Promise<AlertRecord | null> {
  const url = env.alerts.webhookUrl;
  if (!url) return null;
  const payload = redactJson(slackPayload(content), env.secrets, VOCABULARY);
  const r = await postJson(url, payload, { timeoutMs: env.alerts.timeoutMs, retries: env.alerts.retries, secrets: env.secrets });
  return {
    at: now.toISOString(),
    kind: content.kind,
    status: content.status,
    ok: r.ok,
    attempts: r.attempts,
    ...(r.error ? { error: r.error } : {}),
  };
}

/** One console line about an alert, redacted. */
export function describeAlert(r: AlertRecord, secrets: readonly string[]): string {
  const what = `${r.kind} alert (${r.status})`;
  return redact(
    r.ok
      ? `aftercheck: sent the ${what}${r.attempts > 1 ? ` after ${r.attempts} attempts` : ''}`
      : `aftercheck: warning: the ${what} could not be delivered after ${r.attempts} attempt(s): ${r.error}; the decision stands`,
    secrets,
  );
}
