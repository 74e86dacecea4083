// Writes the "Release verdict" result (steps, charts, verdict files) and environment.properties into allure-results, in allure-js-commons' format.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Attachment, Label, Parameter, StepResult, TestResult } from 'allure-js-commons';
import { redact, stringifyRedacted } from '../../config/redact.ts';
import { ALLURE_LABEL } from '../../contract.ts';
import { VOCABULARY } from '../../engine/vocabulary.ts';
import type {
  Decision,
  HealthInput,
  HealthReport,
  Outcome,
  SignalResult,
  TestOutcome,
  TestRun,
  TestStatus,
  Verdict,
} from '../../engine/types.ts';
import { formatNumber } from '../../engine/format.ts';
import { groupOf, isUnavailable } from '../../engine/verdict/index.ts';
import { oneLine, verdictDocument, verdictMarkdown, writeAtomic, type VerdictContext } from '../verdict-files.ts';
import { renderChart } from './chart.ts';

type Status = 'passed' | 'failed' | 'broken' | 'skipped';

/** Identifies our own result, so a re-run of the verdict replaces it instead of adding a second "Release verdict". */
export const VERDICT_FULL_NAME_PREFIX = 'aftercheck.release-verdict';
export const VERDICT_TEST_NAME = 'Release verdict';

export const STATUS_BY_DECISION: Readonly<Record<Decision, Status>> = {
  proceed: 'passed',
  'continue-monitoring': 'passed',
  hotfix: 'failed',
  rollback: 'failed',
  inconclusive: 'broken',
};

/**
 * Allure severity of the verdict result: how urgently a person must act on it. Rollback is a blocker; an inconclusive
 * verdict is critical (nobody knows whether the release is safe); a hotfix is normal work; proceeding needs nothing.
 */
export const SEVERITY_BY_DECISION: Readonly<Record<Decision, 'blocker' | 'critical' | 'normal' | 'minor'>> = {
  rollback: 'blocker',
  inconclusive: 'critical',
  hotfix: 'normal',
  'continue-monitoring': 'minor',
  proceed: 'minor',
};

const OUTCOME_STATUS: Readonly<Record<Outcome, Status>> = { pass: 'passed', warn: 'passed', fail: 'failed', inconclusive: 'broken' };
const TEST_STATUS: Readonly<Record<TestStatus, Status>> = {
  passed: 'passed',
  failed: 'failed',
  timedOut: 'failed',
  skipped: 'skipped',
  interrupted: 'broken',
};
const CHECK_STATUS = { done: 'passed', failed: 'failed', missing: 'broken' } as const;

export interface AllureVerdictInput {
  /** <reportsDir>/allure-results, shared with allure-playwright's results. */
  readonly resultsDir: string;
  readonly verdict: Verdict;
  readonly ctx: VerdictContext;
  readonly tests: TestRun;
  readonly health: HealthInput;
}

export interface WrittenAllureVerdict {
  readonly resultFile: string;
  readonly attachments: readonly string[];
  readonly environmentFile: string;
  /** Earlier verdict results replaced by this one. */
  readonly replaced: readonly string[];
}

const stableId = (s: string) => crypto.createHash('md5').update(s).digest('hex');
const param = (name: string, value: string | number | boolean | null | undefined): Parameter => ({
  name,
  value: value === null || value === undefined ? '–' : String(value),
});

function step(
  name: string,
  status: Status,
  at: number,
  extra: { message?: string; parameters?: Parameter[]; steps?: StepResult[]; attachments?: Attachment[] } = {},
): StepResult {
  return {
    name,
    status: status as StepResult['status'],
    statusDetails: extra.message ? { message: extra.message } : {},
    stage: 'finished' as StepResult['stage'],
    steps: extra.steps ?? [],
    attachments: extra.attachments ?? [],
    parameters: extra.parameters ?? [],
    start: at,
    stop: at,
  };
}

function testStep(t: TestOutcome, at: number): StepResult {
  return step(t.title, TEST_STATUS[t.status], at, {
    ...(t.error ? { message: t.error } : t.flaky ? { message: `flaky: passed on attempt ${t.attempts}` } : {}),
    parameters: [
      param('status', t.flaky ? 'passed (flaky)' : t.status),
      ...(t.attempts > 1 ? [param('attempts', t.attempts)] : []),
      ...(t.pageErrors ? [param('page errors', t.pageErrors)] : []),
      ...(t.consoleErrors ? [param('console errors', t.consoleErrors)] : []),
    ],
  });
}

function smokeStep(v: Verdict, tests: TestRun, at: number): StepResult {
  const s = v.evidence.smoke;
  if (tests.kind === 'missing') return step('Smoke', 'broken', at, { message: tests.reason });
  const status: Status = s.failed ? 'failed' : s.ran === 0 ? 'broken' : 'passed';
  return step('Smoke', status, at, {
    message: s.failed
      ? `${s.failed} of ${s.total} smoke checks failed`
      : s.ran === 0
        ? 'no smoke check ran'
        : `${s.passed} of ${s.total} smoke checks passed`,
    parameters: [param('passed', s.passed), param('failed', s.failed), param('skipped', s.skipped), param('total', s.total)],
    steps: tests.tests.filter((t) => groupOf(t) === 'smoke').map((t) => testStep(t, at)),
  });
}

function verifyStep(v: Verdict, tests: TestRun, at: number): StepResult {
  if (tests.kind === 'missing') return step('Verify', 'broken', at, { message: tests.reason });
  const e = v.evidence;
  const verifyTests = tests.tests.filter((t) => groupOf(t) === 'verify');
  const features = e.verify.features.map((f) => {
    const status: Status = f.state === 'passed' ? 'passed' : f.state === 'failed' ? 'failed' : 'broken';
    return step(`Feature ${f.feature}: ${f.title}`, status, at, {
      message: f.note ?? `${f.state}: ${f.passed}/${f.tests} passed`,
      parameters: [
        param('changed in this release', f.changed ? 'yes' : 'no'),
        param('severity', f.severity),
        param('tests', f.tests),
        param('passed', f.passed),
        param('failed', f.failed),
        param('flaky', f.flaky),
      ],
      steps: verifyTests.filter((t) => t.features.includes(f.feature)).map((t) => testStep(t, at)),
    });
  });
  const untagged = verifyTests.filter((t) => t.features.length === 0).map((t) => testStep(t, at));
  const children = [...features, ...untagged];
  const worst: Status = children.some((c) => c.status === 'failed')
    ? 'failed'
    : children.some((c) => c.status === 'broken')
      ? 'broken'
      : 'passed';
  const noManifest = e.manifest.kind === 'missing' && !e.selection;
  const status: Status = noManifest && worst === 'passed' ? 'broken' : worst;
  const message = noManifest
    ? 'no release manifest: the changed features are unknown'
    : children.length === 0
      ? 'the manifest names no changed features: nothing to verify'
      : `${e.verify.passed} of ${e.verify.total} @verify tests passed`;
  return step('Verify', status, at, {
    message,
    parameters: [param('changed features', e.manifest.features.join(', ') || 'none')],
    steps: children,
  });
}

function signalStep(
  s: SignalResult,
  report: HealthReport,
  ctx: VerdictContext,
  at: number,
  attach: (name: string, ext: string, type: string, body: string) => Attachment,
): StepResult {
  const delta =
    s.delta === null
      ? '–'
      : `${s.delta >= 0 ? '+' : ''}${formatNumber(s.delta, s.unit)}${s.deltaPct !== null ? ` (${s.deltaPct >= 0 ? '+' : ''}${formatNumber(s.deltaPct)}%)` : ''}`;
  const svg = renderChart({
    title: s.title,
    unit: s.unit,
    current: s.series.current,
    baseline: s.series.baseline,
    currentStart: report.window.current.start,
    baselineStart: s.baselineUsed?.window.start ?? report.window.baseline.start,
    windowMs: Date.parse(report.window.current.end) - Date.parse(report.window.current.start),
    deployedAt: ctx.manifest.kind === 'ok' ? ctx.manifest.manifest.deployedAt : report.deployedAt,
    limit: s.limitValue,
    outcome: s.outcome,
  });
  return step(`Health: ${s.title}`, OUTCOME_STATUS[s.outcome], at, {
    message: `${s.outcome}: ${s.reason}`,
    parameters: [
      param('current', formatNumber(s.current, s.unit)),
      param('baseline', formatNumber(s.baseline, s.unit)),
      param('delta', delta),
      param('limit', s.limit),
      param('samples', `${s.samples.current} current / ${s.samples.baseline} baseline`),
      param('result', s.outcome),
      param('breach severity', s.severity),
    ],
    steps: [
      ...s.rules.map((r) =>
        step(`${r.rule}: ${r.outcome}`, OUTCOME_STATUS[r.outcome], at, {
          message: r.reason,
          parameters: [param('observed', formatNumber(r.observed)), param('limit', r.limit)],
        }),
      ),
      ...(s.evidence ? [evidenceStep(s, at, attach)] : []),
    ],
    attachments: [attach(`${s.title} — current vs baseline`, 'svg', 'image/svg+xml', svg)],
  });
}

/** The deciding rule's per-interval evidence: a one-line summary, its levels, and every interval as a CSV attachment. */
function evidenceStep(
  s: SignalResult,
  at: number,
  attach: (name: string, ext: string, type: string, body: string) => Attachment,
): StepResult {
  const e = s.evidence!;
  const csv = [
    'interval start,value,state,limit,expected',
    ...e.intervals.map((i) => [i.t, i.v ?? '', i.state, i.limit ?? e.levels.fail ?? '', i.expected ?? ''].join(',')),
  ].join('\n');
  return step(`Evidence (${e.rule}): ${e.scope}`, OUTCOME_STATUS[s.outcome], at, {
    message: e.summary,
    parameters: [param('warn level', formatNumber(e.levels.warn, s.unit)), param('fail level', formatNumber(e.levels.fail, s.unit))],
    attachments: [attach(`${s.title} — per-interval evidence (${e.rule})`, 'csv', 'text/csv', `${csv}\n`)],
  });
}

function healthSteps(
  health: HealthInput,
  ctx: VerdictContext,
  at: number,
  attach: (name: string, ext: string, type: string, body: string) => Attachment,
): StepResult[] {
  if (isUnavailable(health)) return [step('Health signals', 'broken', at, { message: health.reason })];
  const steps: StepResult[] = [];
  if (health.error) steps.push(step('Health signals', 'broken', at, { message: health.error }));
  else if (!health.signals.length) steps.push(step('Health signals', 'broken', at, { message: 'no signals evaluated' }));
  for (const s of health.signals) steps.push(signalStep(s, health, ctx, at, attach));
  return steps;
}

function decisionStep(v: Verdict, ctx: VerdictContext, at: number): StepResult {
  const r = v.decidingReason;
  return step(`Decision: ${v.decision} (rule ${r.rule})`, STATUS_BY_DECISION[v.decision], at, {
    message: r.message,
    parameters: [
      param('decision', v.decision),
      param('rule', r.rule),
      param('observed', r.observed),
      param('limit', r.limit),
      param('monitor until', v.monitorUntil),
      param('rollback decided by', ctx.policy.policy.owner.rollbackDecider),
      param('policy', `${path.basename(ctx.policy.path)} ${ctx.policy.digest}`),
    ],
    steps: v.reasons.map((x) =>
      step(`${x.decision}: ${x.rule}`, STATUS_BY_DECISION[x.decision], at, {
        message: x.message,
        parameters: [param('input', x.input), param('observed', x.observed), param('limit', x.limit)],
      }),
    ),
  });
}

/** Java-style .properties escaping, so keys with spaces and values with newlines or non-ASCII survive Allure's parser. */
export function propertiesLine(key: string, value: string): string {
  const esc = (s: string, isKey: boolean) =>
    [...s]
      .map((ch, i) => {
        if (ch === '\\') return '\\\\';
        if (ch === '\n') return '\\n';
        if (ch === '\r') return '\\r';
        if (ch === '\t') return '\\t';
        if (isKey && (ch === ' ' || ch === ':' || ch === '=' || ch === '#' || ch === '!')) return `\\${ch}`;
        if (!isKey && i === 0 && (ch === ' ' || ch === '#' || ch === '!')) return `\\${ch}`;
        const code = ch.codePointAt(0)!;
        if (code < 0x20 || code > 0x7e)
          return Array.from({ length: ch.length }, (_, j) => `\\u${ch.charCodeAt(j).toString(16).padStart(4, '0')}`).join('');
        return ch;
      })
      .join('');
  return `${esc(key, true)}=${esc(value, false)}`;
}

function environmentEntries(v: Verdict, ctx: VerdictContext): [string, string][] {
  const doc = verdictDocument(v, ctx);
  return [
    // Unset here (e.g. `npm run verdict` without AFTERCHECK_BASE_URL): keep whatever the test run recorded instead.
    ...(doc.target ? [['Target', doc.target] as [string, string]] : []),
    ['Service', ctx.service],
    ['Version', doc.version ?? '(no manifest)'],
    ['Previous version', doc.previousVersion ?? '(no manifest)'],
    ['Commit', doc.commit ?? '(unknown)'],
    ['Deployed at', doc.deployedAt ?? '(unknown)'],
    ['Change size', doc.changeSize ?? '(unknown)'],
    ['Policy', `${path.basename(ctx.policy.path)} ${ctx.policy.digest}`],
    ['Policy owner', doc.owner],
    ['Rollback decider', doc.rollbackDecider],
    ['Verdict', v.decision],
  ];
}

/** Removes an earlier "Release verdict" result and its attachments from the results dir (only ours: matched by fullName). */
export function removeEarlierVerdicts(resultsDir: string): string[] {
  if (!fs.existsSync(resultsDir)) return [];
  const removed: string[] = [];
  for (const name of fs.readdirSync(resultsDir)) {
    if (!name.endsWith('-result.json')) continue;
    const file = path.join(resultsDir, name);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    if (!text.includes(VERDICT_FULL_NAME_PREFIX)) continue;
    let result: TestResult;
    try {
      result = JSON.parse(text) as TestResult;
    } catch {
      continue;
    }
    if (!result.fullName?.startsWith(VERDICT_FULL_NAME_PREFIX)) continue;
    const sources: string[] = [];
    const walk = (x: { attachments?: Attachment[]; steps?: StepResult[] }) => {
      for (const a of x.attachments ?? []) sources.push(a.source);
      for (const s of x.steps ?? []) walk(s);
    };
    walk(result);
    for (const src of sources) if (/^[\w.-]+$/.test(src)) fs.rmSync(path.join(resultsDir, src), { force: true });
    fs.rmSync(file, { force: true });
    removed.push(file);
  }
  return removed;
}

export function writeAllureVerdict(input: AllureVerdictInput): WrittenAllureVerdict {
  const { resultsDir, verdict, ctx, tests, health } = input;
  fs.mkdirSync(resultsDir, { recursive: true });
  const replaced = removeEarlierVerdicts(resultsDir);
  const secrets = ctx.secrets;
  const written: string[] = [];
  const attach = (name: string, ext: string, type: string, body: string): Attachment => {
    const source = `${crypto.randomUUID()}-attachment.${ext}`;
    const file = path.join(resultsDir, source);
    // JSON bodies are redacted as JSON (values only, vocabulary kept), so the attachment reads like the file it copies.
    writeAtomic(
      file,
      type === 'application/json' ? `${stringifyRedacted(JSON.parse(body), secrets, VOCABULARY)}\n` : redact(body, secrets),
    );
    written.push(file);
    return { name, type, source };
  };

  const stop = Date.parse(verdict.decidedAt);
  const startedAt = tests.kind === 'ok' && tests.startedAt ? Date.parse(tests.startedAt) : NaN;
  const start = Number.isFinite(startedAt) && startedAt <= stop ? startedAt : stop;
  const fullName = `${VERDICT_FULL_NAME_PREFIX}:${ctx.service}`;
  const doc = verdictDocument(verdict, ctx);
  const md = verdictMarkdown(verdict, ctx);
  const status = STATUS_BY_DECISION[verdict.decision];

  const checklist = step(
    'Post-release checklist',
    verdict.checklist.some((c) => c.state === 'failed')
      ? 'failed'
      : verdict.checklist.some((c) => c.state === 'missing')
        ? 'broken'
        : 'passed',
    stop,
    {
      steps: verdict.checklist.map((c) =>
        step(c.label, CHECK_STATUS[c.state], stop, { message: c.evidence, parameters: [param('state', c.state)] }),
      ),
    },
  );

  const labels: Label[] = [
    { name: 'epic', value: 'Release' },
    { name: 'feature', value: VERDICT_TEST_NAME },
    { name: 'story', value: `${ctx.service} ${doc.version ?? ''}`.trim() },
    { name: 'severity', value: SEVERITY_BY_DECISION[verdict.decision] },
    { name: 'parentSuite', value: 'aftercheck' },
    { name: 'suite', value: VERDICT_TEST_NAME },
    { name: 'owner', value: ctx.policy.policy.owner.team },
    { name: ALLURE_LABEL.decision, value: verdict.decision },
    { name: ALLURE_LABEL.rule, value: verdict.decidingReason.rule },
    { name: 'tag', value: `verdict:${verdict.decision}` },
    { name: 'framework', value: 'aftercheck' },
  ];

  const result: TestResult = {
    uuid: crypto.randomUUID(),
    historyId: stableId(`${fullName}`),
    testCaseId: stableId(`${fullName}`),
    fullName,
    titlePath: ['aftercheck', ctx.service],
    name: VERDICT_TEST_NAME,
    description: md,
    status: status as TestResult['status'],
    statusDetails: {
      message: oneLine(verdict),
      trace: verdict.reasons.map((r) => `${r.decision} ${r.rule}: ${r.message} (observed ${r.observed}; limit ${r.limit})`).join('\n'),
    },
    stage: 'finished' as TestResult['stage'],
    start,
    stop,
    labels,
    links: [],
    // Excluded from Allure's history id, so every release's verdict lands on one trend line.
    parameters: [
      { ...param('version', doc.version), excluded: true },
      { ...param('previous version', doc.previousVersion), excluded: true },
    ],
    steps: [
      smokeStep(verdict, tests, stop),
      verifyStep(verdict, tests, stop),
      ...healthSteps(health, ctx, stop, attach),
      checklist,
      decisionStep(verdict, ctx, stop),
    ],
    attachments: [
      attach('verdict.json', 'json', 'application/json', `${JSON.stringify(doc, null, 2)}\n`),
      attach('verdict.md', 'md', 'text/markdown', md),
    ],
  };

  const resultFile = path.join(resultsDir, `${result.uuid}-result.json`);
  writeAtomic(resultFile, stringifyRedacted(result, secrets, VOCABULARY, 0));

  // Merge with an environment.properties the test run may have written (allure-playwright's environmentInfo): ours wins per key.
  const environmentFile = path.join(resultsDir, 'environment.properties');
  const ours = environmentEntries(verdict, ctx);
  const ourKeys = new Set(ours.map(([k]) => propertiesLine(k, '').slice(0, -1)));
  const kept = fs.existsSync(environmentFile)
    ? fs
        .readFileSync(environmentFile, 'utf8')
        .split('\n')
        .filter((l) => l.trim() && !l.startsWith('#') && ![...ourKeys].some((k) => l.startsWith(`${k}=`)))
    : [];
  writeAtomic(environmentFile, redact(`${[...kept, ...ours.map(([k, v]) => propertiesLine(k, v))].join('\n')}\n`, secrets));

  return { resultFile, attachments: written, environmentFile, replaced };
}
