// `npm run verdict -- --watch` put together: each evaluation decides (scripts/gates/verdict-run.ts), is recorded, alerts
// on a decision change, and rewrites verdict.json, verdict.md and the Allure result; the end, or a cut, is written too.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config/errors.ts';
import { REPORT } from '../contract.ts';
import { loadPolicy, type Policy } from '../config/policy.ts';
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
import { nextEvaluationAt, runWatchLoop, sleepUnlessAborted, type LoopEvaluation, type WatchEnd } from './watch.ts';

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

/** One watch of one release: what it evaluated, alerted and wrote, across the loop's evaluations. */
class Watch {
  readonly evaluations: WatchEvaluation[] = [];
  readonly alerts: AlertRecord[] = [];
  last: EvaluatedVerdict | undefined;
  writeError: string | undefined;
  /** Set when the loop has ended: an evaluation still under way then writes nothing. */
  closed = false;
  private rollbackAt: string | null = null;
  private testsRunning: boolean;
  private readonly startedAt: string;
  private readonly env: RunWatchOptions['env'];

  constructor(
    private readonly o: RunWatchOptions,
    private readonly policy: Policy,
    private readonly clock: NonNullable<RunWatchOptions['clock']>,
  ) {
    this.env = o.env;
    this.startedAt = new Date(clock.now()).toISOString();
    this.testsRunning = !!o.testsDone;
    void o.testsDone?.finally(() => (this.testsRunning = false));
  }

  get everyMs(): number {
    return (this.last?.policy ?? this.policy).ms.watchEvery;
  }

  /** The additive fields of verdict.json and the lines of verdict.md for the watch so far. */
  record(status: WatchStatus, cutShort: WatchRecord['cutShort'] = null, endedAt: string | null = null) {
    const watch: WatchRecord = {
      startedAt: this.startedAt,
      everySeconds: this.everyMs / 1000,
      monitorUntil: this.last?.verdict.monitorUntil ?? null,
      status,
      endedAt,
      cutShort,
    };
    const detected = detectedAt(this.evaluations);
    return {
      json: { watch, detectedAt: detected, evaluations: this.evaluations, alerts: this.alerts },
      markdown: watchMarkdown(watch, this.evaluations, detected, this.alerts),
    };
  }

  /** Writes the verdict with the watch; only the final write goes to a CI step summary (each would repeat it). */
  write(e: EvaluatedVerdict, annex: ReturnType<Watch['record']>, warnings: readonly string[] = [], final = false): Verdict {
    const sent = this.alerts.filter((a) => a.ok).length;
    const alerting = alertingEvidence(this.env, sent, this.alerts.length - sent);
    const verdict: Verdict = {
      ...e.verdict,
      warnings: [...e.verdict.warnings, ...warnings],
      checklist: buildChecklist({ policy: e.policy, evidence: e.verdict.evidence, alerting }),
    };
    const env = final ? this.env : { ...this.env, githubStepSummary: undefined };
    this.writeError = writeVerdictOutputs({ ...e, verdict, ctx: { ...e.ctx, annex } }, env).writeError;
    return verdict;
  }

  async alert(e: EvaluatedVerdict, kind: 'decision-change' | 'watch-end', previous: Verdict['decision'] | null): Promise<void> {
    const { env } = this;
    const content = verdictAlert({
      kind,
      verdict: e.verdict,
      previous,
      app: env.app,
      service: env.service,
      version: e.verdict.evidence.manifest.version ?? null,
      owner: e.policy.owner.team,
      reportUrl: env.reportUrl ?? null,
    });
    const sent = await sendAlert(env, content, new Date(this.clock.now()));
    if (!sent) return;
    this.alerts.push(sent);
    this.o.progress.note(describeAlert(sent, env.secrets));
  }

  /** A decision change is alerted once per release: the state file remembers the last decision alerted, for every process. */
  private async alertChange(e: EvaluatedVerdict): Promise<void> {
    if (!this.env.alerts.webhookUrl) return;
    const key = incidentKey(e);
    const previous = readAlertState(this.env.reportsDir).state.incidents[key]?.decision;
    if (!alertWorthy(e.verdict.decision, previous, isPending(e.verdict, e.policy, this.testsRunning))) return;
    // Recorded even when the post failed: a dead webhook is reported once per change, not retried every evaluation.
    await this.alert(e, 'decision-change', previous ?? null);
    await updateAlertState(this.env.reportsDir, (s) => {
      s.incidents[key] = { ...(s.incidents[key] ?? EMPTY_INCIDENT), decision: e.verdict.decision };
    });
  }

  async evaluate(at: Date): Promise<LoopEvaluation> {
    const extra = new Findings(this.policy.verdict);
    if (this.rollbackAt)
      extra.add('watch-rollback', {
        message: `The watch decided a rollback at ${this.rollbackAt}; the evaluation after it keeps that decision`,
        observed: `rollback at ${this.rollbackAt}`,
        limit: 'no evaluation of the checking period decides a rollback',
      });
    let e: EvaluatedVerdict;
    try {
      e = await evaluateVerdict({
        ...this.o,
        now: at,
        extra: [extra],
        auditExclude: this.testsRunning ? workingFiles(this.env.reportsDir) : [],
      });
    } catch (err) {
      // One evaluation that broke (a file gone mid-read) must not end the watch; bad input before any evaluation does.
      if (!this.last || err instanceof ConfigError) throw err;
      this.o.progress.note(
        `aftercheck: warning: the evaluation at ${at.toISOString()} failed (${(err as Error).message}); the watch goes on`,
      );
      const v = this.last.verdict;
      return { decision: 'inconclusive', monitorUntil: v.monitorUntil, complete: false };
    }
    const v = e.verdict;
    const outcome = { decision: v.decision, monitorUntil: v.monitorUntil, complete: v.evidence.period.complete === true };
    if (this.closed) return outcome;
    this.last = e;
    this.evaluations.push(evaluationOf(v, e.health));
    if (v.decision === 'rollback') this.rollbackAt ??= v.decidedAt;
    await this.alertChange(e);
    if (!this.closed) this.write(e, this.record('watching'));
    this.show(e, at);
    return outcome;
  }

  private show(e: EvaluatedVerdict, at: Date): void {
    const v = e.verdict;
    const next = nextEvaluationAt(at.getTime(), this.everyMs, v.monitorUntil, settleMs(e));
    const waits = this.testsRunning && (v.decision === 'rollback' || next === null);
    this.o.progress.evaluated({
      evaluation: this.evaluations[this.evaluations.length - 1]!,
      number: this.evaluations.length,
      deployedAt: v.evidence.manifest.deployedAt ?? null,
      monitorUntil: v.monitorUntil,
      next: v.decision === 'rollback' ? null : next,
      ...(waits ? { waiting: 'when the test run ends' } : {}),
      detectedAt: detectedAt(this.evaluations),
      notes: this.writeError ? [`aftercheck: warning: could not write the verdict (${this.writeError}); the watch goes on`] : [],
    });
  }

  /** The end: one alert for it (once per release; none for a cut), and the verdict written with how the watch ended. */
  async finish(end: WatchEnd): Promise<RunWatchResult> {
    this.closed = true;
    const endedAt = new Date(this.clock.now()).toISOString();
    const last = this.last;
    const base = { end, evaluations: this.evaluations, detectedAt: detectedAt(this.evaluations), alerts: this.alerts };
    if (!last) return { ...base, exitCode: 3 };
    let warnings: string[] = [];
    let cut: WatchRecord['cutShort'] = null;
    if (end === 'cut-short') {
      const signal = String(this.o.signal.reason ?? 'a signal');
      cut = { at: endedAt, signal };
      warnings = [
        `The watch was cut short at ${endedAt} (${signal}): what was measured up to the last evaluation (${last.verdict.decidedAt}) is kept; the checking period runs until ${last.verdict.monitorUntil ?? 'an unknown time'}`,
      ];
    } else if (this.env.alerts.webhookUrl && !readAlertState(this.env.reportsDir).state.incidents[incidentKey(last)]?.ended) {
      await this.alert(last, 'watch-end', null);
      const decision = last.verdict.decision;
      await updateAlertState(this.env.reportsDir, (s) => {
        const key = incidentKey(last);
        s.incidents[key] = { ...(s.incidents[key] ?? EMPTY_INCIDENT), ended: true, decision };
      });
    }
    const verdict = this.write(last, this.record(STATUS_OF[end], cut, endedAt), warnings, true);
    return { ...base, verdict, exitCode: last.exitCode, ...(this.writeError ? { writeError: this.writeError } : {}) };
  }
}

export async function runWatch(o: RunWatchOptions): Promise<RunWatchResult> {
  // Loaded once for the watch's timing; each evaluation loads it again, as a verdict does (exit 4 when it is bad).
  const { policy } = loadPolicy(path.resolve(o.policyPath ?? o.env.policyPath));
  const clock = o.clock ?? { now: () => Date.now(), sleep: sleepUnlessAborted };
  const watch = new Watch(o, policy, clock);
  const loop = await runWatchLoop({
    everyMs: policy.ms.watchEvery,
    settleMs: policy.ms.interval,
    now: clock.now,
    sleep: clock.sleep,
    evaluate: (at) => watch.evaluate(at),
    signal: o.signal,
    ...(o.testsDone ? { holdFinal: o.testsDone } : {}),
  });
  return watch.finish(loop.end);
}

/** The sign-in state a test run keeps under the reports dir while it runs (removed at its end, then audited as usual). */
function workingFiles(reportsDir: string): string[] {
  const dir = path.join(reportsDir, REPORT.auth);
  try {
    return fs.readdirSync(dir, { recursive: true }).map((f) => path.join(REPORT.auth, String(f)));
  } catch {
    return [];
  }
}

/** The settle time before the final evaluation: one interval, for the last interval's points to arrive. */
const settleMs = (e: EvaluatedVerdict) => e.policy.ms.interval;
