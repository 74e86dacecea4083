// Writes the "Release verdict" result (steps, charts, verdict files) and environment.properties into allure-results through
// allure-js-commons' ReporterRuntime, behind a writer that redacts every file and merges the environment the run left.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Attachment, Label, Link, StepResult, TestResult } from 'allure-js-commons';
import { FileSystemWriter, parseEnvInfo, ReporterRuntime, stringifyEnvInfo } from 'allure-js-commons/sdk/reporter';
import { redact, redactJson } from '../../config/redact.ts';
import { ALLURE_LABEL, REPORT } from '../../contract.ts';
import { VOCABULARY } from '../../engine/vocabulary.ts';
import type { HealthInput, SignalResult, TestRun, Verdict } from '../../engine/types.ts';
import { isUnavailable } from '../../engine/verdict/index.ts';
import { headline, oneLine, verdictDocument, verdictLinks, verdictMarkdown, type VerdictContext } from '../verdict-files.ts';
import { renderChart } from './chart.ts';
import { signalChart } from './chart-model.ts';
import { verdictDescriptionHtml, type InlineChart } from './description.ts';
import { pastVerdicts } from './history.ts';
import {
  checklistStep,
  decisionStep,
  healthSteps,
  param,
  smokeStep,
  STATUS_BY_DECISION,
  verifyStep,
  type StepAttachment,
  type StepSpec,
  type StepTimings,
} from './verdict-steps.ts';

export { STATUS_BY_DECISION } from './verdict-steps.ts';

/** Identifies our own result, so a re-run of the verdict replaces it instead of adding a second "Release verdict". */
export const VERDICT_FULL_NAME_PREFIX = 'aftercheck.release-verdict';
export const VERDICT_TEST_NAME = 'Release verdict';

/**
 * Allure severity of the verdict result: how urgently a person must act on it. Rollback is a blocker; an inconclusive
 * verdict is critical (nobody knows whether the release is safe); a hotfix is normal work; proceeding needs nothing.
 */
export const SEVERITY_BY_DECISION: Readonly<Record<Verdict['decision'], 'blocker' | 'critical' | 'normal' | 'minor'>> = {
  rollback: 'blocker',
  inconclusive: 'critical',
  hotfix: 'normal',
  'continue-monitoring': 'minor',
  proceed: 'minor',
};

export interface AllureVerdictInput {
  /** <reportsDir>/allure-results, shared with allure-playwright's results. */
  readonly resultsDir: string;
  readonly verdict: Verdict;
  readonly ctx: VerdictContext;
  readonly tests: TestRun;
  readonly health: HealthInput;
  /** Real times of the health gate and the decision; unset, the steps take the decision time. */
  readonly timings?: Partial<StepTimings>;
  /** The report's Allure history, for the earlier verdicts (default: allure-history.jsonl next to the results dir). */
  readonly historyPath?: string;
}

export interface WrittenAllureVerdict {
  readonly resultFile: string;
  readonly attachments: readonly string[];
  readonly environmentFile: string;
  /** Earlier verdict results replaced by this one. */
  readonly replaced: readonly string[];
}

/** Keys an earlier aftercheck version wrote for the verdict: never carried over as if the run had written them. */
const LEGACY_KEYS = ['Verdict', 'Service', 'Version', 'Previous version', 'Target'];
const stableId = (s: string) => crypto.createHash('md5').update(s).digest('hex');
const TEXT_EXT = /\.(svg|md|csv|txt|html|json)$/;

/**
 * allure-js-commons' file writer with redaction at the moment of writing (JSON as JSON: values only, vocabulary kept),
 * and an environment merged into what the test run wrote: ours first (so the verdict leads the overview's metadata),
 * theirs after, a key present in both (any case) only once.
 */
class RedactingWriter extends FileSystemWriter {
  readonly written: string[] = [];
  constructor(
    private readonly dir: string,
    private readonly secrets: readonly string[],
  ) {
    super({ resultsDir: dir });
  }

  override writeResult(result: TestResult): void {
    super.writeResult(redactJson(result, this.secrets, VOCABULARY));
    this.written.push(path.join(this.dir, `${result.uuid}-result.json`));
  }

  override writeAttachment(name: string, content: Buffer): void {
    const redacted = !TEXT_EXT.test(name)
      ? content
      : name.endsWith('.json')
        ? Buffer.from(`${JSON.stringify(redactJson(JSON.parse(content.toString('utf8')), this.secrets, VOCABULARY), null, 2)}\n`)
        : Buffer.from(redact(content.toString('utf8'), this.secrets));
    super.writeAttachment(name, redacted);
    this.written.push(path.join(this.dir, name));
  }

  override writeEnvironmentInfo(ours: Record<string, string | undefined>): void {
    const file = path.join(this.dir, 'environment.properties');
    const theirs = fs.existsSync(file) ? parseEnvInfo(fs.readFileSync(file, 'utf8')) : {};
    const taken = new Set([...Object.keys(ours), ...LEGACY_KEYS].map((k) => k.toLowerCase()));
    const merged = { ...ours, ...Object.fromEntries(Object.entries(theirs).filter(([k]) => !taken.has(k.toLowerCase()))) };
    const clean = Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, redact(v ?? '', this.secrets)]));
    fs.mkdirSync(this.dir, { recursive: true });
    fs.writeFileSync(file, `${stringifyEnvInfo(clean)}\n`);
  }
}

/** The overview's metadata, verdict first: the first entries are what the report's first screen shows. */
export function environmentEntries(v: Verdict, ctx: VerdictContext): Record<string, string> {
  const doc = verdictDocument(v, ctx);
  return {
    Verdict: oneLine(v),
    Release: `${ctx.service} ${doc.version ?? '(no manifest)'}${doc.previousVersion ? ` (previous ${doc.previousVersion})` : ''}`,
    'Rollback decider': doc.rollbackDecider,
    // Unset here (e.g. `npm run verdict` without AFTERCHECK_BASE_URL): keep whatever the test run recorded instead.
    ...(doc.target ? { target: doc.target } : {}),
    Commit: doc.commit ?? '(unknown)',
    'Deployed at': doc.deployedAt ?? '(unknown)',
    'Change size': doc.changeSize ?? '(unknown)',
    Policy: `${path.basename(ctx.policy.path)} ${ctx.policy.digest}`,
    'Policy owner': doc.owner,
  };
}

/** Removes an earlier "Release verdict" result and its attachments from the results dir (only ours: matched by fullName). */
export function removeEarlierVerdicts(resultsDir: string): string[] {
  if (!fs.existsSync(resultsDir)) return [];
  const removed: string[] = [];
  for (const name of fs.readdirSync(resultsDir)) {
    if (!name.endsWith('-result.json')) continue;
    const file = path.join(resultsDir, name);
    let result: TestResult;
    try {
      const text = fs.readFileSync(file, 'utf8');
      if (!text.includes(VERDICT_FULL_NAME_PREFIX)) continue;
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

function labelsOf(verdict: Verdict, ctx: VerdictContext, version: string | null): Label[] {
  // No epic/parentSuite/suite: the result sits at the top of the report's tree, one click from the overview.
  return [
    { name: 'feature', value: VERDICT_TEST_NAME },
    { name: 'story', value: `${ctx.service} ${version ?? ''}`.trim() },
    { name: 'severity', value: SEVERITY_BY_DECISION[verdict.decision] },
    { name: 'owner', value: ctx.policy.policy.owner.team },
    { name: ALLURE_LABEL.decision, value: verdict.decision },
    { name: ALLURE_LABEL.rule, value: verdict.decidingReason.rule },
    { name: 'tag', value: `verdict:${verdict.decision}` },
    { name: 'framework', value: 'aftercheck' },
  ];
}

function linksOf(ctx: VerdictContext): Link[] {
  const l = verdictLinks(ctx);
  return [
    ...(l.report ? [{ name: 'Allure report', url: l.report, type: 'link' }] : []),
    ...(l.run ? [{ name: 'CI run', url: l.run, type: 'link' }] : []),
    ...(l.commit ? [{ name: 'Commit', url: l.commit, type: 'link' }] : []),
  ];
}

/** Emits a step tree through the runtime: real start/stop, parameters, attachments, children in order. */
function emit(rt: ReporterRuntime, root: string, parent: string | undefined, s: StepSpec): void {
  const id = rt.startStep(root, parent, { name: s.name, start: s.start });
  if (!id) throw new Error(`allure-js-commons refused the step ${JSON.stringify(s.name)}`);
  rt.updateStep(id, (r) => {
    r.status = s.status as StepResult['status'];
    r.statusDetails = s.message ? { message: s.message } : {};
    r.parameters = [...s.parameters];
  });
  for (const a of s.attachments)
    rt.writeAttachment(root, id, a.name, Buffer.from(a.body, 'utf8'), { contentType: a.type, fileExtension: a.ext });
  for (const child of s.steps) emit(rt, root, id, child);
  rt.stopStep(id, { stop: s.stop });
}

/** Every chart goes on its signal's step; the failing (and warning) ones are also collected to open inline in the description. */
function chartMaker(health: HealthInput, ctx: VerdictContext) {
  const inline: InlineChart[] = [];
  const chartOf = (s: SignalResult): StepAttachment => {
    if (isUnavailable(health)) throw new Error('a chart needs a health report');
    const p = ctx.policy.policy.signals.find((x) => x.id === s.id);
    const deployedAt = ctx.manifest.kind === 'ok' ? ctx.manifest.manifest.deployedAt : health.deployedAt;
    const svg = redact(renderChart(signalChart(s, p, { report: health, deployedAt })), ctx.secrets);
    if (s.outcome === 'fail' || s.outcome === 'warn') inline.push({ title: s.title, svg });
    return { name: `${s.title} — current vs baseline`, type: 'image/svg+xml', ext: 'svg', body: svg };
  };
  return { inline, chartOf };
}

/** The result's own fields (the steps are emitted separately): name, ids, status, description, labels, links. */
function resultFields(input: AllureVerdictInput, inline: readonly InlineChart[], start: number): Partial<TestResult> {
  const { verdict, ctx, resultsDir } = input;
  const doc = verdictDocument(verdict, ctx);
  const fullName = `${VERDICT_FULL_NAME_PREFIX}:${ctx.service}`;
  const past = pastVerdicts(input.historyPath ?? path.join(path.dirname(resultsDir), REPORT.allureHistory), fullName);
  return {
    // The decision in the tree too: "Release verdict: ROLLBACK · demo-shop 1.5.0" (one history line: see historyId).
    name: `${VERDICT_TEST_NAME}: ${headline(verdict, ctx)}`,
    fullName,
    // One history line for every release's verdict: version and previous version are excluded parameters.
    historyId: stableId(fullName),
    testCaseId: stableId(fullName),
    titlePath: ['aftercheck', ctx.service],
    // Shown as the verdict's error box when it is not a pass, and kept in the history: decision and release first.
    statusDetails: {
      message: `${headline(verdict, ctx)} — ${oneLine(verdict).split(' — ').slice(1).join(' — ')}`,
      trace: verdict.reasons.map((r) => `${r.decision} ${r.rule}: ${r.message} (observed ${r.observed}; limit ${r.limit})`).join('\n'),
    },
    status: STATUS_BY_DECISION[verdict.decision] as TestResult['status'],
    descriptionHtml: verdictDescriptionHtml(verdict, ctx, inline, past),
    labels: labelsOf(verdict, ctx, doc.version),
    links: linksOf(ctx),
    parameters: [
      { ...param('version', doc.version), excluded: true },
      { ...param('previous version', doc.previousVersion), excluded: true },
    ],
    start,
  };
}

export function writeAllureVerdict(input: AllureVerdictInput): WrittenAllureVerdict {
  const { resultsDir, verdict, ctx, tests, health } = input;
  fs.mkdirSync(resultsDir, { recursive: true });
  const replaced = removeEarlierVerdicts(resultsDir);
  const writer = new RedactingWriter(resultsDir, ctx.secrets);
  const runtime = new ReporterRuntime({ writer, environmentInfo: environmentEntries(verdict, ctx) });

  const stop = Date.parse(verdict.decidedAt);
  const startedAt = tests.kind === 'ok' && tests.startedAt ? Date.parse(tests.startedAt) : NaN;
  const start = Number.isFinite(startedAt) && startedAt <= stop ? startedAt : stop;
  const decide = input.timings?.decide ?? { start: stop, stop };
  const gate = input.timings?.health ?? decide;
  const { inline, chartOf } = chartMaker(health, ctx);
  const steps = [
    smokeStep(verdict, tests, decide),
    verifyStep(verdict, tests, decide),
    ...healthSteps(health, ctx.policy.policy, gate, chartOf),
    checklistStep(verdict, decide),
    decisionStep(verdict, ctx.policy.policy, `${path.basename(ctx.policy.path)} ${ctx.policy.digest}`, decide),
  ];
  // After the steps: building them collected the inline charts the description shows.
  const uuid = runtime.startTest(resultFields(input, inline, start));
  for (const s of steps) emit(runtime, uuid, undefined, s);
  const attach = (name: string, body: string, contentType: string, fileExtension: string) =>
    runtime.writeAttachment(uuid, undefined, name, Buffer.from(body), { contentType, fileExtension });
  attach('verdict.json', `${JSON.stringify(verdictDocument(verdict, ctx), null, 2)}\n`, 'application/json', 'json');
  attach('verdict.md', verdictMarkdown(verdict, ctx), 'text/markdown', 'md');
  runtime.stopTest(uuid, { stop });
  runtime.writeTest(uuid);
  runtime.writeEnvironmentInfo();

  const resultFile = writer.written.find((f) => f.endsWith('-result.json'))!;
  return {
    resultFile,
    attachments: writer.written.filter((f) => f !== resultFile),
    environmentFile: path.join(resultsDir, 'environment.properties'),
    replaced,
  };
}
