// `npm run verdict -- --watch` put together: each evaluation decides (scripts/gates/verdict-run.ts), is recorded, alerts
// on a decision change, and rewrites verdict.json, verdict.md and the Allure result; the end, or a cut, is written too.
import path from 'node:path';
import { loadPolicy, parseDuration, watchEveryMs } from '../config/policy.ts';
import { alertingEvidence, EMPTY_INCIDENT, readAlertState, updateAlertState } from '../adapters/alerts/state.ts';
import { describeAlert, sendAlert, type AlertRecord } from '../adapters/alerts/webhook.ts';
import type { WatchProgress } from '../adapters/watch-progress.ts';
import { verdictAlert } from '../engine/alerts.ts';
import { buildChecklist } from '../engine/checklist.ts';
import { formatDuration } from '../engine/format.ts';
import { Findings } from '../engine/rules.ts';
import type { Verdict } from '../engine/types.ts';
import {
  alertWorthy,
  detectedAt,
  evaluationOf,
  isPending,
  type WatchEvaluation,
  type WatchRecord,
  type WatchStatus,
} from '../engine/watch.ts';
import { evaluateVerdict, writeVerdictOutputs, type EvaluatedVerdict, type RunVerdictOptions } from './verdict-run.ts';
import { nextEvaluationAt, runWatchLoop, sleepUnlessAborted, type WatchEnd } from './watch.ts';

export interface RunWatchOptions extends Omit<RunVerdictOptions, 'now' | 'extra' | 'alerting'> {
  readonly progress: WatchProgress;
  /** Aborted by Ctrl-C / SIGTERM; its reason names the signal. */
  readonly signal: AbortSignal;
  /** A test run started together with the watch (the demo): the final evaluation waits for it. */
  readonly testsDone?: Promise<unknown>;
  /** Injected for tests; real time by default. */
  readonly clock?: { now(): number; sleep(ms: number, signal: AbortSignal): Promise<void> };
}

export interface RunWatchResult {
  readonly end: WatchEnd;
  /** The verdict the watch ended with (the last evaluation's), absent when it was stopped before the first. */
  readonly verdict?: Verdict;
  readonly exitCode: number;
  readonly evaluations: readonly WatchEvaluation[];
  readonly detectedAt: string | null;
  readonly alerts: readonly AlertRecord[];
  readonly writeError?: string;
}

const STATUS_OF: Readonly<Record<WatchEnd, WatchStatus>> = {
  rollback: 'rollback',
  'period-over': 'period-over',
  'cut-short': 'cut-short',
  'no-period': 'no-period',
};

function incidentKey(e: EvaluatedVerdict): string {
  const m = e.verdict.evidence.manifest;
  return `watch:${e.ctx.service}:${m.version ?? 'unknown'}:${m.deployedAt ?? 'unknown'}`;
}

/** The lines verdict.md adds for a watch. */
function watchMarkdown(w: WatchRecord, evaluations: readonly WatchEvaluation[], detected: string | null, alerts: readonly AlertRecord[]) {
  const lines = ['### Watch', ''];
  lines.push(
    `${evaluations.length} evaluation(s), every ${formatDuration(w.everySeconds * 1000)}, from ${w.startedAt}${w.endedAt ? ` to ${w.endedAt}` : ''}; status **${w.status}**.`,
  );
  if (detected) lines.push(`Rollback or hotfix first decided at **${detected}**.`);
  if (w.cutShort) lines.push(`**Cut short** at ${w.cutShort.at} (${w.cutShort.signal}): the checking period runs until ${w.monitorUntil}.`);
  for (const a of alerts.filter((x) => !x.ok)) lines.push(`Alert not delivered (${a.kind}, ${a.at}): ${a.error}.`);
  return lines;
}

export async function runWatch(o: RunWatchOptions): Promise<RunWatchResult> {
  const { env } = o;
  // Loaded once for the watch's timing; each evaluation loads it again, as a verdict does (exit 4 when it is bad).
  const { policy } = loadPolicy(path.resolve(o.policyPath ?? env.policyPath));
  const clock = o.clock ?? { now: () => Date.now(), sleep: sleepUnlessAborted };
  const startedAt = new Date(clock.now()).toISOString();
  const evaluations: WatchEvaluation[] = [];
  const alerts: AlertRecord[] = [];
  let last: EvaluatedVerdict | undefined;
  let rollbackAt: string | null = null;
  let everyMs = 0;
  let testsRunning = !!o.testsDone;
  void o.testsDone?.finally(() => (testsRunning = false));
  let closed = false;
  let writeError: string | undefined;

  const record = (status: WatchStatus, cut: WatchRecord['cutShort'] = null, endedAt: string | null = null) => {
    const watch: WatchRecord = {
      startedAt,
      everySeconds: everyMs / 1000,
      monitorUntil: last?.verdict.monitorUntil ?? null,
      status,
      endedAt,
      cutShort: cut,
    };
    const detected = detectedAt(evaluations);
    return {
      json: { watch, detectedAt: detected, evaluations, alerts },
      markdown: watchMarkdown(watch, evaluations, detected, alerts),
    };
  };
  /** Only the final write goes to a CI step summary: every evaluation appending to it would repeat the verdict. */
  const write = (e: EvaluatedVerdict, annex: ReturnType<typeof record>, warnings: readonly string[] = [], final = false) => {
    const sent = alerts.filter((a) => a.ok).length;
    const alerting = alertingEvidence(env, sent, alerts.length - sent);
    const verdict: Verdict = {
      ...e.verdict,
      warnings: [...e.verdict.warnings, ...warnings],
      checklist: buildChecklist({ policy: e.policy, evidence: e.verdict.evidence, alerting }),
    };
    const r = writeVerdictOutputs({ ...e, verdict, ctx: { ...e.ctx, annex } }, final ? env : { ...env, githubStepSummary: undefined });
    writeError = r.writeError;
    return { verdict, r };
  };
  const alert = async (e: EvaluatedVerdict, kind: 'decision-change' | 'watch-end', previous: Verdict['decision'] | null) => {
    const m = e.verdict.evidence.manifest;
    const content = verdictAlert({
      kind,
      verdict: e.verdict,
      previous,
      app: env.app,
      service: env.service,
      version: m.version ?? null,
      owner: e.policy.owner.team,
      reportUrl: env.reportUrl ? `${env.reportUrl.replace(/\/+$/, '')}/allure-report/index.html` : null,
    });
    const sent = await sendAlert(env, content, new Date(clock.now()));
    if (sent) {
      alerts.push(sent);
      o.progress.note(describeAlert(sent, env.secrets));
    }
    return sent;
  };

  const evaluate = async (at: Date) => {
    const extra = new Findings(policy.verdict);
    if (rollbackAt)
      extra.add('watch-rollback', {
        message: `The watch decided a rollback at ${rollbackAt}; the evaluation after it keeps that decision`,
        observed: `rollback at ${rollbackAt}`,
        limit: 'no evaluation of the checking period decides a rollback',
      });
    const e = await evaluateVerdict({ ...o, now: at, extra: [extra] });
    everyMs = watchEveryMs(e.policy);
    if (closed) return { decision: e.verdict.decision, monitorUntil: e.verdict.monitorUntil, complete: false };
    last = e;
    evaluations.push(evaluationOf(e.verdict, e.health));
    if (e.verdict.decision === 'rollback') rollbackAt ??= e.verdict.decidedAt;
    const pending = isPending(e.verdict, e.policy, testsRunning);
    if (env.alerts.webhookUrl) {
      const key = incidentKey(e);
      const previous = readAlertState(env.reportsDir).state.incidents[key]?.decision;
      if (alertWorthy(e.verdict.decision, previous, pending)) {
        // Recorded even when the post failed: a dead webhook is reported once per change, not retried every evaluation.
        await alert(e, 'decision-change', previous ?? null);
        await updateAlertState(env.reportsDir, (s) => {
          s.incidents[key] = { ...(s.incidents[key] ?? EMPTY_INCIDENT), decision: e.verdict.decision };
        });
      }
    }
    if (!closed) write(e, record('watching'));
    const next = nextEvaluationAt(at.getTime(), everyMs, e.verdict.monitorUntil, settleMs(e));
    o.progress.evaluated({
      evaluation: evaluations[evaluations.length - 1]!,
      number: evaluations.length,
      deployedAt: e.verdict.evidence.manifest.deployedAt ?? null,
      monitorUntil: e.verdict.monitorUntil,
      next: e.verdict.decision === 'rollback' ? null : next,
      ...(testsRunning && (e.verdict.decision === 'rollback' || next === null) ? { waiting: 'when the test run ends' } : {}),
      detectedAt: detectedAt(evaluations),
      notes: writeError ? [`aftercheck: warning: could not write the verdict (${writeError}); the watch goes on`] : [],
    });
    return { decision: e.verdict.decision, monitorUntil: e.verdict.monitorUntil, complete: e.verdict.evidence.period.complete === true };
  };

  everyMs = watchEveryMs(policy);
  const loop = await runWatchLoop({
    everyMs,
    settleMs: parseDuration(policy.interval)!,
    now: clock.now,
    sleep: clock.sleep,
    evaluate,
    signal: o.signal,
    ...(o.testsDone ? { holdFinal: o.testsDone } : {}),
  });
  closed = true;
  const endedAt = new Date(clock.now()).toISOString();
  if (!last) return { end: loop.end, exitCode: 3, evaluations, detectedAt: null, alerts };
  let warnings: string[] = [];
  let cut: WatchRecord['cutShort'] = null;
  if (loop.end === 'cut-short') {
    const signal = String(o.signal.reason ?? 'a signal');
    cut = { at: endedAt, signal };
    warnings = [
      `The watch was cut short at ${endedAt} (${signal}): what was measured up to the last evaluation (${last.verdict.decidedAt}) is kept; the checking period runs until ${last.verdict.monitorUntil ?? 'an unknown time'}`,
    ];
  } else if (env.alerts.webhookUrl) {
    const key = incidentKey(last);
    if (!readAlertState(env.reportsDir).state.incidents[key]?.ended) {
      await alert(last, 'watch-end', null);
      const decision = last.verdict.decision;
      await updateAlertState(env.reportsDir, (s) => {
        s.incidents[key] = { ...(s.incidents[key] ?? EMPTY_INCIDENT), ended: true, decision };
      });
    }
  }
  const { verdict } = write(last, record(STATUS_OF[loop.end], cut, endedAt), warnings, true);
  return {
    end: loop.end,
    verdict,
    exitCode: last.exitCode,
    evaluations,
    detectedAt: detectedAt(evaluations),
    alerts,
    ...(writeError ? { writeError } : {}),
  };
}

/** The settle time before the final evaluation: one interval, for the last interval's points to arrive. */
const settleMs = (e: EvaluatedVerdict) => parseDuration(e.policy.interval)!;
