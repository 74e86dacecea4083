// The Release verdict's description as HTML that fits Allure's description frame: decision and why first, tables that
// wrap (never wider than the frame), the failing signals' charts inline, and a rendered checklist.
import path from 'node:path';
import type { ChecklistItem, Decision, Outcome, Verdict } from '../../engine/types.ts';
import { formatNumber } from '../../engine/format.ts';
import { DECISION_LABEL, deltaText, headline, shownReasons, verdictDocument, whyLine, type VerdictContext } from '../verdict-files.ts';
import type { PastVerdict } from './history.ts';

/** A chart shown inline: the failing signals' (an <img> with an SVG data URI; Allure sanitises the description). */
export interface InlineChart {
  readonly title: string;
  readonly svg: string;
}

const COLOR: Readonly<Record<Decision | Outcome, string>> = {
  proceed: '#1e7b45',
  'continue-monitoring': '#1f5fbf',
  hotfix: '#b35c00',
  inconclusive: '#555555',
  rollback: '#c62828',
  pass: '#1e7b45',
  warn: '#9a6a00',
  fail: '#c62828',
};
const CHECK: Readonly<Record<ChecklistItem['state'], [string, string]>> = {
  done: ['✓', '#1e7b45'],
  failed: ['✗', '#c62828'],
  missing: ['?', '#555555'],
};

export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const CELL =
  'style="border:1px solid #d0d0d0;padding:4px 6px;vertical-align:top;text-align:left;white-space:normal;overflow-wrap:anywhere;word-break:break-word"';
const TABLE = 'style="table-layout:fixed;width:100%;max-width:100%;border-collapse:collapse;margin:6px 0 14px"';

/** A table whose columns take the given shares of the frame's width; long text wraps inside its cell. */
function table(columns: readonly [string, number][], rows: readonly string[][]): string {
  const cols = columns.map(([, w]) => `<col style="width:${w}%">`).join('');
  const head = columns.map(([h]) => `<th ${CELL}>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td ${CELL}>${c}</td>`).join('')}</tr>`).join('');
  return `<table ${TABLE}><colgroup>${cols}</colgroup><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

const badge = (text: string, color: string) => `<strong style="color:${color}">${escapeHtml(text)}</strong>`;
const link = (href: string, text: string) => `<a href="${escapeHtml(href)}" target="_blank" rel="noopener">${escapeHtml(text)}</a>`;

function links(ctx: VerdictContext, verdict: Verdict): string {
  const doc = verdictDocument(verdict, ctx);
  const parts = [
    doc.links.report ? link(doc.links.report, 'Allure report') : '',
    doc.links.run ? link(doc.links.run, 'CI run') : '',
    doc.commit
      ? doc.links.commit
        ? link(doc.links.commit, `commit ${doc.commit.slice(0, 12)}`)
        : `commit <code>${escapeHtml(doc.commit.slice(0, 12))}</code>`
      : '',
  ].filter(Boolean);
  return parts.length ? `<p style="margin:0 0 8px">${parts.join(' · ')}</p>` : '';
}

function release(ctx: VerdictContext, verdict: Verdict): string {
  const doc = verdictDocument(verdict, ctx);
  const what = doc.version
    ? `previous ${escapeHtml(doc.previousVersion ?? '')}, ${escapeHtml(doc.changeSize ?? '')} change, deployed ${escapeHtml(doc.deployedAt ?? '')}`
    : `no release manifest at ${escapeHtml(ctx.manifest.path)}`;
  const until =
    verdict.decision === 'continue-monitoring' && verdict.monitorUntil
      ? ` Monitor until <strong>${escapeHtml(verdict.monitorUntil)}</strong>.`
      : '';
  return `<p style="margin:0 0 8px">${what}${doc.target ? ` on ${escapeHtml(doc.target)}` : ''}. Rollback decided by <strong>${escapeHtml(doc.rollbackDecider)}</strong>; rules <code>${escapeHtml(path.basename(ctx.policy.path))}</code> (${escapeHtml(ctx.policy.digest.slice(0, 19))}…), owner ${escapeHtml(doc.owner)}.${until}</p>`;
}

function signals(verdict: Verdict): string {
  const h = verdict.evidence.health;
  if (h.kind === 'unavailable') return `<h3>Health signals</h3><p>Unavailable: ${escapeHtml(h.reason)}</p>`;
  if (!h.signals.length) return '';
  const rows = h.signals.map((s) => [
    badge(s.outcome, COLOR[s.outcome as Outcome] ?? COLOR.inconclusive),
    escapeHtml(s.title),
    escapeHtml(formatNumber(s.current, s.unit)),
    escapeHtml(formatNumber(s.baseline, s.unit)),
    escapeHtml(deltaText(s)),
  ]);
  const table5 = table(
    [
      ['Result', 14],
      ['Signal', 30],
      ['Current', 18],
      ['Baseline', 18],
      ['Change', 20],
    ],
    rows,
  );
  return `<h3>Health signals</h3>${table5}<p style="color:#555">Limits, samples and each rule's observed value are in the signal's step below.</p>`;
}

function checklist(verdict: Verdict): string {
  const items = verdict.checklist.map((c) => {
    const [mark, color] = CHECK[c.state];
    return `<li style="margin:0 0 4px;padding-left:1.6em;text-indent:-1.6em"><span class="check-${c.state}" style="color:${color};font-weight:bold;display:inline-block;width:1.6em;text-indent:0">${mark}</span><strong>${escapeHtml(c.label)}</strong> — ${escapeHtml(c.evidence)}</li>`;
  });
  return `<h3>Post-release checklist</h3><ul class="checklist" style="list-style:none;padding-left:0;margin:4px 0 14px">${items.join('')}</ul>`;
}

function charts(inline: readonly InlineChart[]): string {
  if (!inline.length) return '';
  const figures = inline.map(
    (c) =>
      `<figure style="margin:6px 0 12px"><img class="signal-chart" alt="${escapeHtml(`${c.title}: current vs baseline`)}" style="max-width:100%;height:auto;border:1px solid #e0e0e0" src="data:image/svg+xml;base64,${Buffer.from(c.svg, 'utf8').toString('base64')}"></figure>`,
  );
  return `<h3>Why, in the data</h3>${figures.join('')}`;
}

/** Earlier verdicts of this service (from the report's history): Allure's History tab shows only status and date. */
function earlier(past: readonly PastVerdict[]): string {
  if (!past.length) return '';
  const rows = past.map((p) => [
    escapeHtml(p.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z')),
    badge(DECISION_LABEL[p.decision], COLOR[p.decision]),
    escapeHtml(p.release),
  ]);
  return `<h3>Earlier verdicts</h3>${table(
    [
      ['Decided at', 35],
      ['Decision', 25],
      ['Release', 40],
    ],
    rows,
  )}`;
}

/** The whole description; text is escaped here, and the caller redacts the result as a whole. */
export function verdictDescriptionHtml(
  verdict: Verdict,
  ctx: VerdictContext,
  inline: readonly InlineChart[],
  past: readonly PastVerdict[] = [],
): string {
  const r = verdict.decidingReason;
  const reasons = table(
    [
      ['Result', 15],
      ['Why', 45],
      ['Observed', 20],
      ['Limit', 20],
    ],
    shownReasons(verdict).map((x) => [
      `${badge(x.decision, COLOR[x.decision])}<br><code style="font-size:85%">${escapeHtml(x.rule)}</code>`,
      escapeHtml(x.message),
      escapeHtml(x.observed),
      escapeHtml(x.limit),
    ]),
  );
  const warnings = verdict.warnings.length
    ? `<h3>Warnings</h3><ul style="margin:4px 0 14px">${verdict.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`
    : '';
  return [
    '<div class="verdict" style="max-width:100%;overflow-wrap:anywhere">',
    `<p class="headline" style="font-size:20px;margin:0 0 6px">${badge(headline(verdict, ctx), COLOR[verdict.decision])}</p>`,
    `<p class="why" style="margin:0 0 8px"><strong>Why:</strong> ${escapeHtml(whyLine(verdict))} <span style="color:#555">(rule <code>${escapeHtml(r.rule)}</code>)</span></p>`,
    links(ctx, verdict),
    release(ctx, verdict),
    charts(inline),
    `<h3>Reasons</h3>${reasons}`,
    warnings,
    checklist(verdict),
    signals(verdict),
    earlier(past),
    '</div>',
  ].join('\n');
}
