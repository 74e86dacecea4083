// The Release verdict's steps as plain data (pure): smoke, verify, one per health signal, the checklist, the decision.
// A passed step carries no message (Allure shows any message as an "Error" box); its facts go into names and parameters.
import type { Parameter } from 'allure-js-commons';
import type { Policy } from '../../config/policy.ts';
import { formatNumber } from '../../engine/format.ts';
import type { HealthInput, Outcome, SignalResult, TestOutcome, TestRun, TestStatus, Verdict } from '../../engine/types.ts';
import { groupOf, isUnavailable } from '../../engine/verdict/index.ts';
import { DECISION_LABEL, deltaText, shownReasons, whyLine } from '../verdict-files.ts';
import { observedText } from './observed.ts';

export type Status = 'passed' | 'failed' | 'broken' | 'skipped';

export interface Span {
  readonly start: number;
  readonly stop: number;
}

export interface StepAttachment {
  readonly name: string;
  readonly type: string;
  readonly ext: string;
  readonly body: string;
}

export interface StepSpec extends Span {
  readonly name: string;
  readonly status: Status;
  /** Only on a step that did not pass. */
  readonly message?: string;
  readonly parameters: readonly Parameter[];
  readonly attachments: readonly StepAttachment[];
  readonly steps: readonly StepSpec[];
}

/** Real times of what the verdict step did: the health gate's reads, and the decision itself. */
export interface StepTimings {
  readonly health?: Span;
  readonly decide: Span;
}

export const STATUS_BY_DECISION = {
  proceed: 'passed',
  'continue-monitoring': 'passed',
  hotfix: 'failed',
  rollback: 'failed',
  inconclusive: 'broken',
} as const satisfies Record<Verdict['decision'], Status>;
const OUTCOME_STATUS: Readonly<Record<Outcome, Status>> = { pass: 'passed', warn: 'passed', fail: 'failed', inconclusive: 'broken' };
const TEST_STATUS: Readonly<Record<TestStatus, Status>> = {
  passed: 'passed',
  failed: 'failed',
  timedOut: 'failed',
  skipped: 'skipped',
  interrupted: 'broken',
};
const CHECK_STATUS = { done: 'passed', failed: 'failed', missing: 'broken' } as const;

export const param = (name: string, value: string | number | boolean | null | undefined): Parameter => ({
  name,
  value: value === null || value === undefined ? '–' : String(value),
});

export function step(
  name: string,
  status: Status,
  span: Span,
  extra: { message?: string | undefined; parameters?: Parameter[]; steps?: StepSpec[]; attachments?: StepAttachment[] } = {},
): StepSpec {
  const keepMessage = extra.message && (status === 'failed' || status === 'broken');
  return {
    name,
    status,
    start: span.start,
    stop: Math.max(span.start, span.stop),
    ...(keepMessage ? { message: extra.message } : {}),
    parameters: extra.parameters ?? [],
    attachments: extra.attachments ?? [],
    steps: extra.steps ?? [],
  };
}

/** The span of some steps; `fallback` when there are none. */
const spanOf = (steps: readonly Span[], fallback: Span): Span =>
  steps.length ? { start: Math.min(...steps.map((s) => s.start)), stop: Math.max(...steps.map((s) => s.stop)) } : fallback;

const worst = (steps: readonly StepSpec[]): Status =>
  steps.some((c) => c.status === 'failed') ? 'failed' : steps.some((c) => c.status === 'broken') ? 'broken' : 'passed';

function testStep(t: TestOutcome, fallback: Span): StepSpec {
  const start = t.startedAt ? Date.parse(t.startedAt) : NaN;
  const span = Number.isFinite(start) ? { start, stop: start + t.durationMs } : fallback;
  return step(t.title, TEST_STATUS[t.status], span, {
    message: t.error ?? (t.status === 'interrupted' ? 'interrupted before it finished' : undefined),
    parameters: [
      ...(t.flaky ? [param('flaky', `passed on attempt ${t.attempts}`)] : []),
      ...(t.attempts > 1 && !t.flaky ? [param('attempts', t.attempts)] : []),
      ...(t.pageErrors ? [param('page errors', t.pageErrors)] : []),
      ...(t.consoleErrors ? [param('console errors', t.consoleErrors)] : []),
    ],
  });
}

export function smokeStep(v: Verdict, tests: TestRun, fallback: Span): StepSpec {
  if (tests.kind === 'missing') return step('Smoke: no test results', 'broken', fallback, { message: tests.reason });
  const s = v.evidence.smoke;
  const children = tests.tests.filter((t) => groupOf(t) === 'smoke').map((t) => testStep(t, fallback));
  const status: Status = s.failed ? 'failed' : s.ran === 0 ? 'broken' : 'passed';
  const summary = s.failed
    ? `${s.failed} of ${s.total} checks failed`
    : s.ran === 0
      ? 'no smoke check ran'
      : `${s.passed} of ${s.total} checks passed`;
  return step(`Smoke: ${summary}`, status, spanOf(children, fallback), { message: summary, steps: children });
}

export function verifyStep(v: Verdict, tests: TestRun, fallback: Span): StepSpec {
  if (tests.kind === 'missing') return step('Verify: no test results', 'broken', fallback, { message: tests.reason });
  const e = v.evidence;
  const verifyTests = tests.tests.filter((t) => groupOf(t) === 'verify');
  const features = e.verify.features.map((f) => {
    const status: Status = f.state === 'passed' ? 'passed' : f.state === 'failed' ? 'failed' : 'broken';
    const children = verifyTests.filter((t) => t.features.includes(f.feature)).map((t) => testStep(t, fallback));
    return step(`Feature ${f.feature} (${f.title}): ${f.state}, ${f.passed} of ${f.tests} passed`, status, spanOf(children, fallback), {
      message: f.note ?? `${f.state}: ${f.passed} of ${f.tests} passed`,
      parameters: [
        param('changed in this release', f.changed ? 'yes' : 'no'),
        param('severity', f.severity),
        ...(f.flaky ? [param('flaky', f.flaky)] : []),
      ],
      steps: children,
    });
  });
  const untagged = verifyTests.filter((t) => t.features.length === 0).map((t) => testStep(t, fallback));
  const children = [...features, ...untagged];
  const noManifest = e.manifest.kind === 'missing' && !e.selection;
  const status: Status = noManifest && worst(children) === 'passed' ? 'broken' : worst(children);
  const summary = noManifest
    ? 'no release manifest, the changed features are unknown'
    : children.length === 0
      ? 'the manifest names no changed features'
      : `${e.verify.passed} of ${e.verify.total} @verify tests passed`;
  return step(`Verify: ${summary}`, status, spanOf(children, fallback), {
    message: summary,
    parameters: [param('changed features', e.manifest.features.join(', ') || 'none')],
    steps: children,
  });
}

function signalStep(s: SignalResult, p: Policy['signals'][number] | undefined, span: Span, chart: StepAttachment): StepSpec {
  const status = OUTCOME_STATUS[s.outcome];
  return step(`Health: ${s.title} — ${s.outcome}`, status, span, {
    message: s.reason,
    parameters: [
      param('current', formatNumber(s.current, s.unit)),
      param('baseline', formatNumber(s.baseline, s.unit)),
      param('change', deltaText(s)),
      param('samples', `${s.samples.current} current / ${s.samples.baseline} baseline`),
      param('breach severity', s.severity),
      ...(status === 'passed' ? [param('reason', s.reason)] : []),
    ],
    steps: [
      ...s.rules.map((r) =>
        step(`${r.rule}: ${r.outcome}`, OUTCOME_STATUS[r.outcome], span, {
          message: r.reason,
          parameters: [
            param('observed', observedText(r, s, p)),
            param('limit', r.limit),
            ...(OUTCOME_STATUS[r.outcome] === 'passed' ? [param('reason', r.reason)] : []),
          ],
        }),
      ),
      ...(s.evidence ? [evidenceStep(s, span)] : []),
    ],
    attachments: [chart],
  });
}

/** The deciding rule's per-interval evidence: its summary, its levels, and every interval as a CSV attachment. */
function evidenceStep(s: SignalResult, span: Span): StepSpec {
  const e = s.evidence!;
  const csv = [
    'interval start,value,state,limit,expected',
    ...e.intervals.map((i) => [i.t, i.v ?? '', i.state, i.limit ?? e.levels.fail ?? '', i.expected ?? ''].join(',')),
  ].join('\n');
  return step(`Evidence (${e.rule}): ${e.summary}`, OUTCOME_STATUS[s.outcome], span, {
    message: `${e.scope}: ${e.summary}`,
    parameters: [
      param('warn level', formatNumber(e.levels.warn, s.unit)),
      param('fail level', formatNumber(e.levels.fail, s.unit)),
      param('intervals', e.intervals.length),
    ],
    attachments: [{ name: `${s.title} — per-interval evidence (${e.rule})`, type: 'text/csv', ext: 'csv', body: `${csv}\n` }],
  });
}

/** One step per signal (its chart attached), or one broken step saying why there are none. */
export function healthSteps(health: HealthInput, policy: Policy, span: Span, chartOf: (s: SignalResult) => StepAttachment): StepSpec[] {
  if (isUnavailable(health)) return [step('Health signals: unavailable', 'broken', span, { message: health.reason })];
  const steps: StepSpec[] = [];
  if (health.error) steps.push(step('Health signals: the gate could not read', 'broken', span, { message: health.error }));
  else if (!health.signals.length) steps.push(step('Health signals: none evaluated', 'broken', span, { message: 'no signals evaluated' }));
  for (const s of health.signals)
    steps.push(
      signalStep(
        s,
        policy.signals.find((x) => x.id === s.id),
        span,
        chartOf(s),
      ),
    );
  return steps;
}

export function checklistStep(v: Verdict, span: Span): StepSpec {
  const items = v.checklist.map((c) =>
    step(c.label, CHECK_STATUS[c.state], span, {
      message: c.evidence,
      parameters: c.state === 'done' ? [param('evidence', c.evidence)] : [],
    }),
  );
  const done = v.checklist.filter((c) => c.state === 'done').length;
  return step(`Post-release checklist: ${done} of ${v.checklist.length} done`, worst(items), span, { steps: items });
}

export function decisionStep(v: Verdict, policy: Policy, policyFile: string, span: Span): StepSpec {
  const r = v.decidingReason;
  const status = STATUS_BY_DECISION[v.decision];
  return step(`Decision: ${DECISION_LABEL[v.decision]} (rule ${r.rule})`, status, span, {
    message: whyLine(v),
    parameters: [
      param('observed', r.observed),
      param('limit', r.limit),
      ...(status === 'passed' ? [param('why', whyLine(v))] : []),
      ...(v.decision === 'continue-monitoring' ? [param('monitor until', v.monitorUntil)] : []),
      param('rollback decided by', policy.owner.rollbackDecider),
      param('policy', policyFile),
    ],
    steps: shownReasons(v).map((x) =>
      step(`${x.decision}: ${x.rule}`, STATUS_BY_DECISION[x.decision], span, {
        message: x.message,
        parameters: [
          param('input', x.input),
          param('observed', x.observed),
          param('limit', x.limit),
          ...(STATUS_BY_DECISION[x.decision] === 'passed' ? [param('why', x.message)] : []),
        ],
      }),
    ),
  });
}
