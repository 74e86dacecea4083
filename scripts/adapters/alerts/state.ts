// The alert state file next to the reports: the last test alert and each open incident, shared by every process
// (a watch, scheduled runs started by cron), so one incident is alerted once, not once per run.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { acquireLock } from '../../../fixtures/lock.ts';
import type { AftercheckEnv } from '../../config/env.ts';
import { REPORT, reportPath } from '../../contract.ts';
import { DECISIONS, type AlertingEvidence } from '../../engine/types.ts';
import { writeAtomic } from '../verdict-files.ts';

const at = z.iso.datetime({ offset: true });

const incidentSchema = z.object({
  /** Consecutive failed runs so far (scheduled synthetic runs). */
  failures: z.number().int().min(0).default(0),
  /** An alert went out for this incident and no recovery yet. */
  open: z.boolean().default(false),
  openedAt: at.optional(),
  lastRunAt: at.optional(),
  /** The last decision alerted about (a watch of one release). */
  decision: z.enum(DECISIONS).optional(),
  /** The end-of-watch alert went out. */
  ended: z.boolean().default(false),
});

export const alertStateSchema = z.object({
  schemaVersion: z.literal(1),
  lastTest: z
    .object({
      at,
      ok: z.boolean(),
      error: z.string().optional(),
      /** Which webhook the test went to (a digest, never the URL): a test of another URL proves nothing. */
      webhook: z.string(),
    })
    .nullable()
    .default(null),
  incidents: z.record(z.string(), incidentSchema).default({}),
});

export type AlertState = z.output<typeof alertStateSchema>;
export type Incident = z.output<typeof incidentSchema>;

export const EMPTY_INCIDENT: Incident = Object.freeze({ failures: 0, open: false, ended: false });
const EMPTY: AlertState = { schemaVersion: 1, lastTest: null, incidents: {} };

/** A short digest naming a webhook URL without revealing it. */
export function webhookDigest(url: string): string {
  return `sha256:${crypto.createHash('sha256').update(url).digest('hex').slice(0, 16)}`;
}

export function statePath(reportsDir: string): string {
  return reportPath(reportsDir, 'alertState');
}

/** The state as stored; a missing file is an empty state, an unreadable one is reported and replaced. */
export function readAlertState(reportsDir: string): { state: AlertState; problem?: string } {
  const file = statePath(reportsDir);
  if (!fs.existsSync(file)) return { state: structuredClone(EMPTY) };
  try {
    const parsed = alertStateSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (parsed.success) return { state: parsed.data };
    return {
      state: structuredClone(EMPTY),
      problem: `${file} is not a valid alert state (${parsed.error.issues[0]?.message}); starting afresh`,
    };
  } catch (e) {
    return { state: structuredClone(EMPTY), problem: `${file} could not be read (${(e as Error).message}); starting afresh` };
  }
}

/**
 * Reads, changes and writes the state under a lock, so two processes (a watch and a cron-started run) never lose each
 * other's update. `change` returns what the caller wants back.
 */
export async function updateAlertState<T>(reportsDir: string, change: (state: AlertState) => T | Promise<T>): Promise<T> {
  fs.mkdirSync(reportsDir, { recursive: true });
  const release = await acquireLock(path.join(reportsDir, REPORT.locks, 'alert-state'), 15_000, 'the alert state');
  try {
    const { state } = readAlertState(reportsDir);
    const out = await change(state);
    writeAtomic(statePath(reportsDir), `${JSON.stringify(state, null, 2)}\n`);
    return out;
  } finally {
    release();
  }
}

/** What the checklist needs to know about the notifier before this run sent anything. */
export function alertingEvidence(env: AftercheckEnv, sent = 0, failed = 0): AlertingEvidence {
  const url = env.alerts.webhookUrl;
  if (!url) return { notifier: false, lastTest: null, sent, failed };
  const t = readAlertState(env.reportsDir).state.lastTest;
  const lastTest = t && t.webhook === webhookDigest(url) ? { at: t.at, ok: t.ok, ...(t.error ? { error: t.error } : {}) } : null;
  return { notifier: true, lastTest, sent, failed };
}
