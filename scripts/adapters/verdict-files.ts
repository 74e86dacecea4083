// Writes the verdict as reports/verdict.json (versioned, machine-readable) and verdict.md (short summary, also to GitHub's step summary), redacted.
import fs from 'node:fs';
import path from 'node:path';
import type { ManifestRead } from '../config/manifest.ts';
import { REPORT } from '../contract.ts';
import type { LoadedPolicy } from '../config/policy.ts';
import { redact, redactUrl, stringifyRedacted } from '../config/redact.ts';
import { VOCABULARY } from '../engine/vocabulary.ts';
import { DECISION_INFO, exitCodeFor } from '../engine/decisions.ts';
import { formatNumber } from '../engine/format.ts';
import type { ChecklistItem, Decision, Verdict } from '../engine/types.ts';

/** Where people go from a verdict, when CI says: the served report, the CI run, the deployed commit. */
export interface VerdictLinks {
  readonly report?: string | undefined;
  readonly run?: string | undefined;
  readonly commit?: string | undefined;
}

/** What the verdict is about, beyond the engine's inputs: shown in every output. */
export interface VerdictContext {
  /** AFTERCHECK_BASE_URL (or "demo"); credentials in it are redacted. */
  readonly target: string | undefined;
  readonly service: string;
  readonly policy: LoadedPolicy;
  readonly manifest: ManifestRead;
  readonly secrets: readonly string[];
  readonly links?: VerdictLinks;
  /** Additive fields of a watch (watch, evaluations, detectedAt, alerts) and their lines for verdict.md. */
  readonly annex?: { readonly json: Readonly<Record<string, unknown>>; readonly markdown: readonly string[] };
}

export const VERDICT_JSON = REPORT.verdictJson;
export const VERDICT_MD = REPORT.verdictMd;

export const DECISION_LABEL: Readonly<Record<Decision, string>> = Object.freeze(
  Object.fromEntries(Object.entries(DECISION_INFO).map(([d, info]) => [d, info.label])) as Record<Decision, string>,
);
const DECISION_ICON: Readonly<Record<Decision, string>> = {
  proceed: '🟢',
  'continue-monitoring': '🔵',
  hotfix: '🟠',
  inconclusive: '⚪',
  rollback: '🔴',
};
const CHECK_ICON: Readonly<Record<ChecklistItem['state'], string>> = { done: '✅', failed: '❌', missing: '❔' };

/** "ROLLBACK · demo-shop 1.5.0": the decision and the release, the first thing every output says. */
export function headline(verdict: Pick<Verdict, 'decision'>, ctx: Pick<VerdictContext, 'service' | 'manifest'>): string {
  const version = ctx.manifest.kind === 'ok' ? ` ${ctx.manifest.manifest.version}` : '';
  return `${DECISION_LABEL[verdict.decision]} · ${ctx.service}${version}`;
}

/** The deciding reason in one line: the "why" under the headline. */
export const whyLine = (verdict: Pick<Verdict, 'decidingReason'>): string => verdict.decidingReason.message.replace(/\s*\n\s*/g, ' ');

/** A decision that ends the checking period: everything but "continue monitoring". */
export const isFinal = (decision: Decision): boolean => decision !== 'continue-monitoring';

/** The reasons worth showing: on a final decision, "keep watching" rows would contradict it. */
export function shownReasons(verdict: Pick<Verdict, 'decision' | 'reasons'>): Verdict['reasons'] {
  return isFinal(verdict.decision) ? verdict.reasons.filter((r) => r.decision !== 'continue-monitoring') : verdict.reasons;
}

/** The links a verdict carries (redacted), and the commit link built from the repository URL when CI gives one. */
export function verdictLinks(ctx: VerdictContext): { report: string | null; run: string | null; commit: string | null } {
  const l = ctx.links ?? {};
  const safe = (u: string | undefined) => (u ? redactUrl(u, ctx.secrets) : null);
  return { report: safe(l.report), run: safe(l.run), commit: safe(l.commit) };
}

/** The versioned document written to verdict.json (schemaVersion bumps on any breaking change). */
export function verdictDocument(verdict: Verdict, ctx: VerdictContext) {
  const m = ctx.manifest.kind === 'ok' ? ctx.manifest.manifest : undefined;
  const p = ctx.policy.policy;
  return {
    schemaVersion: 1 as const,
    tool: 'aftercheck',
    generatedAt: verdict.decidedAt,
    decision: verdict.decision,
    exitCode: exitCodeFor(verdict.decision),
    headline: headline(verdict, ctx),
    summary: oneLine(verdict),
    decidingReason: verdict.decidingReason,
    reasons: verdict.reasons,
    warnings: verdict.warnings,
    target: ctx.target ? (ctx.target === 'demo' ? 'demo' : redactUrl(ctx.target, ctx.secrets)) : null,
    service: ctx.service,
    version: m?.version ?? null,
    previousVersion: m?.previousVersion ?? null,
    commit: m?.commit ?? null,
    deployedAt: m?.deployedAt ?? null,
    changeSize: m?.changeSize ?? null,
    monitorUntil: verdict.monitorUntil,
    links: verdictLinks(ctx),
    manifestPath: ctx.manifest.path,
    policy: {
      path: ctx.policy.path,
      digest: ctx.policy.digest,
      name: p.name,
      verdictRules: p.verdict,
      checkingPeriods: p.checkingPeriods,
    },
    owner: p.owner.team,
    rollbackDecider: p.owner.rollbackDecider,
    contact: p.owner.contact ?? null,
    alertingChannel: p.alerting?.channel ?? null,
    checklist: verdict.checklist,
    evidence: verdict.evidence,
    ...ctx.annex?.json,
  };
}

export type VerdictDocument = ReturnType<typeof verdictDocument>;

/** "ROLLBACK — Smoke failed: “health endpoint …” (rule smoke-failure)" */
export function oneLine(verdict: Verdict): string {
  const r = verdict.decidingReason;
  const until = verdict.decision === 'continue-monitoring' && verdict.monitorUntil ? ` until ${verdict.monitorUntil}` : '';
  return `${DECISION_LABEL[verdict.decision]}${until} — ${r.message} (rule ${r.rule})`;
}

const cell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');

/** The change of a signal against its baseline: "+6.45 ms (+199%)". */
export function deltaText(s: { delta: number | null; deltaPct: number | null; unit: string }): string {
  if (s.delta === null) return '–';
  const pct = s.deltaPct !== null ? ` (${s.deltaPct >= 0 ? '+' : ''}${formatNumber(s.deltaPct)}%)` : '';
  return `${s.delta >= 0 ? '+' : ''}${formatNumber(s.delta, s.unit)}${pct}`;
}

function linkLine(doc: VerdictDocument): string | undefined {
  const parts = [
    doc.links.report ? `[Allure report](${doc.links.report})` : '',
    doc.links.run ? `[CI run](${doc.links.run})` : '',
    doc.commit
      ? doc.links.commit
        ? `[commit \`${doc.commit.slice(0, 12)}\`](${doc.links.commit})`
        : `commit \`${doc.commit.slice(0, 12)}\``
      : '',
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : undefined;
}

/** The decision and one "why" first; then links, the release, every reason that stands, the checklist and the signals. */
export function verdictMarkdown(verdict: Verdict, ctx: VerdictContext): string {
  const doc = verdictDocument(verdict, ctx);
  const r = verdict.decidingReason;
  const lines: string[] = [`## ${DECISION_ICON[verdict.decision]} ${headline(verdict, ctx)}`, ''];
  lines.push(`**Why:** ${whyLine(verdict)} (rule \`${r.rule}\`; observed ${r.observed}; limit ${r.limit}).`, '');
  const links = linkLine(doc);
  if (links) lines.push(links, '');
  const release = doc.version
    ? `previous ${doc.previousVersion}, ${doc.changeSize} change, deployed ${doc.deployedAt}`
    : `no release manifest at ${ctx.manifest.path}`;
  lines.push(`**Release:** ${release}${doc.target ? ` on ${doc.target}` : ''}. **Rollback decided by** ${doc.rollbackDecider}.`);
  if (verdict.decision === 'continue-monitoring' && verdict.monitorUntil) lines.push(`**Monitor until:** ${verdict.monitorUntil}.`);
  lines.push(`**Rules:** \`${path.basename(ctx.policy.path)}\` (${ctx.policy.digest.slice(0, 19)}…), owner ${doc.owner}.`, '');
  lines.push('| Decision | Rule | Observed | Limit | Detail |', '|---|---|---|---|---|');
  for (const x of shownReasons(verdict))
    lines.push(`| ${x.decision} | \`${x.rule}\` | ${cell(x.observed)} | ${cell(x.limit)} | ${cell(x.message)} |`);
  if (verdict.warnings.length) {
    lines.push('', '**Warnings**', '');
    for (const w of verdict.warnings) lines.push(`- ${w.replace(/\r?\n/g, ' ')}`);
  }
  lines.push('', '### Post-release checklist', '');
  for (const c of verdict.checklist)
    lines.push(`- [${c.state === 'done' ? 'x' : ' '}] ${CHECK_ICON[c.state]} **${c.label}** — ${c.evidence.replace(/\r?\n/g, ' ')}`);
  const h = verdict.evidence.health;
  if (h.kind === 'report' && h.signals.length) {
    lines.push(
      '',
      '### Health signals',
      '',
      '| Result | Signal | Current | Baseline | Change | Limit | Samples |',
      '|---|---|---|---|---|---|---|',
    );
    for (const s of h.signals) {
      lines.push(
        `| ${s.outcome} | ${cell(s.title)} | ${formatNumber(s.current, s.unit)} | ${formatNumber(s.baseline, s.unit)} | ${cell(deltaText(s))} | ${cell(s.limit)} | ${s.samples.current}/${s.samples.baseline} |`,
      );
    }
  } else if (h.kind === 'unavailable') {
    lines.push('', `Health signals: unavailable — ${h.reason}`);
  }
  if (ctx.annex?.markdown.length) lines.push('', ...ctx.annex.markdown);
  lines.push('');
  return redact(lines.join('\n'), ctx.secrets);
}

export interface WrittenVerdictFiles {
  readonly json: string;
  readonly markdown: string;
  readonly stepSummary?: string;
}

/** Writes verdict.json and verdict.md into reportsDir (created if needed), and appends the Markdown to the GitHub step summary when set. */
export function writeVerdictFiles(
  verdict: Verdict,
  ctx: VerdictContext,
  options: { reportsDir: string; githubStepSummary?: string | undefined },
): WrittenVerdictFiles {
  fs.mkdirSync(options.reportsDir, { recursive: true });
  const json = path.join(options.reportsDir, VERDICT_JSON);
  const markdown = path.join(options.reportsDir, VERDICT_MD);
  writeAtomic(json, `${stringifyRedacted(verdictDocument(verdict, ctx), ctx.secrets, VOCABULARY)}\n`);
  const md = verdictMarkdown(verdict, ctx);
  writeAtomic(markdown, md);
  if (options.githubStepSummary) {
    fs.appendFileSync(options.githubStepSummary, `${md}\n`);
    return { json, markdown, stepSummary: options.githubStepSummary };
  }
  return { json, markdown };
}

/** Write-then-rename, so a reader (CI, a dashboard) never sees half a verdict; a failed write leaves no temp file. */
export function writeAtomic(file: string, content: string | Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * The verdict of a verdict step that could not decide (bad input, exit 4; a crash, exit 3): inconclusive, naming the
 * error, in place of whatever an earlier run left. Same top-level fields as a decided verdict, with nulls for the unknown.
 */
export function writeFailedVerdict(reportsDir: string, failure: { exitCode: number; message: string }, secrets: readonly string[]): void {
  fs.mkdirSync(reportsDir, { recursive: true });
  const reason = {
    rule: 'verdict-error',
    decision: 'inconclusive',
    input: 'results',
    message: `The verdict could not be computed: ${failure.message.split('\n')[0]}`,
    observed: `exit ${failure.exitCode}`,
    limit: 'a verdict step that runs to the end',
  };
  const doc = {
    schemaVersion: 1 as const,
    tool: 'aftercheck',
    generatedAt: new Date().toISOString(),
    decision: 'inconclusive' as const,
    exitCode: failure.exitCode,
    headline: 'INCONCLUSIVE · the verdict step failed',
    summary: `INCONCLUSIVE — ${reason.message} (rule verdict-error)`,
    decidingReason: reason,
    reasons: [reason],
    warnings: [],
    error: failure.message,
    checklist: [],
    evidence: null,
  };
  writeAtomic(path.join(reportsDir, VERDICT_JSON), `${stringifyRedacted(doc, secrets, VOCABULARY)}\n`);
  const md = `## ⚪ INCONCLUSIVE · the verdict step failed\n\n**Why:** the verdict could not be computed (exit ${failure.exitCode}).\n\n\`\`\`\n${failure.message}\n\`\`\`\n`;
  writeAtomic(path.join(reportsDir, VERDICT_MD), redact(md, secrets));
}
