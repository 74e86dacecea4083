// What an alert says (pure): app, version, decision, the failed checks or signals with values and limits, owner,
// rollback criteria and a report link, as Slack-compatible JSON (text + blocks). Redaction happens when it is sent.
import { DECISION_INFO } from './decisions.ts';
import type { Decision, Verdict } from './types.ts';

export const ALERT_KINDS = ['decision-change', 'watch-end', 'synthetic-failing', 'synthetic-recovered', 'test'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** One failed check or signal, as an alert lists it. */
export interface AlertFinding {
  readonly name: string;
  readonly value: string;
  readonly limit: string;
}

export interface AlertContent {
  readonly kind: AlertKind;
  /** The status line's word: a decision label, or FAILING / RECOVERED / TEST for synthetic runs and tests. */
  readonly status: string;
  readonly decision: Decision | null;
  readonly app: string;
  readonly service: string;
  readonly version: string | null;
  readonly headline: string;
  readonly findings: readonly AlertFinding[];
  readonly owner: string;
  readonly rollbackCriteria: string;
  readonly reportUrl: string | null;
}

const ICON: Readonly<Record<string, string>> = {
  PROCEED: '🟢',
  'CONTINUE MONITORING': '🔵',
  HOTFIX: '🟠',
  INCONCLUSIVE: '⚪',
  ROLLBACK: '🔴',
  FAILING: '🔴',
  RECOVERED: '🟢',
  TEST: '🔔',
};

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const flat = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();

/** The reasons that call for action (worst first), as findings: what was observed against which limit. */
export function verdictFindings(verdict: Verdict, max = 6): AlertFinding[] {
  const acting = verdict.reasons.filter((r) => r.decision !== 'proceed' && r.decision !== 'continue-monitoring');
  const order = (d: Decision) => -['hotfix', 'inconclusive', 'rollback'].indexOf(d);
  return [...acting]
    .sort((a, b) => order(a.decision) - order(b.decision))
    .slice(0, max)
    .map((r) => ({ name: `${r.rule}: ${flat(r.message)}`, value: flat(r.observed), limit: flat(r.limit) }));
}

/** The checklist's own words for the rollback criteria and who decides. */
export function rollbackCriteria(verdict: Verdict): string {
  return verdict.checklist.find((c) => c.item === 'rollback-criteria')?.evidence ?? 'not defined in the policy';
}

export interface VerdictAlertInput {
  readonly kind: Extract<AlertKind, 'decision-change' | 'watch-end'>;
  readonly verdict: Verdict;
  readonly previous?: Decision | null;
  readonly app: string;
  readonly service: string;
  readonly version: string | null;
  readonly owner: string;
  readonly reportUrl: string | null;
}

/** An alert about a watch's decision: a change, or the end of the watch. */
export function verdictAlert(input: VerdictAlertInput): AlertContent {
  const { verdict } = input;
  const label = DECISION_INFO[verdict.decision].label;
  const what =
    input.kind === 'watch-end'
      ? `The watch of the checking period ended: ${label}`
      : input.previous
        ? `The decision changed from ${DECISION_INFO[input.previous].label} to ${label}`
        : `The watch decided ${label}`;
  return {
    kind: input.kind,
    status: label,
    decision: verdict.decision,
    app: input.app,
    service: input.service,
    version: input.version,
    headline: `${what}. ${flat(verdict.decidingReason.message)}`,
    findings: verdictFindings(verdict),
    owner: input.owner,
    rollbackCriteria: rollbackCriteria(verdict),
    reportUrl: input.reportUrl,
  };
}

/** Slack-compatible JSON: `text` for every receiver (and notifications), `blocks` for Slack's layout. */
export function slackPayload(a: AlertContent): { text: string; blocks: unknown[] } {
  const who = `${a.service}${a.version ? ` ${a.version}` : ''}`;
  const title = `${ICON[a.status] ?? '🔔'} ${a.status} · ${who}`;
  const findings = a.findings.map((f) => `• ${clip(f.name, 300)} — observed ${clip(f.value, 200)}; limit ${clip(f.limit, 200)}`);
  const link = a.reportUrl ? `<${a.reportUrl}|report>` : 'no report URL configured (AFTERCHECK_REPORT_URL)';
  const text = [
    `${title}: ${a.headline}`,
    ...findings,
    `App ${a.app}; owner ${a.owner}; rollback criteria: ${a.rollbackCriteria}; ${a.reportUrl ? `report ${a.reportUrl}` : link}`,
  ].join('\n');
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(title, 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: clip(a.headline, 2900) } },
    {
      type: 'section',
      fields: [
        ['App', a.app],
        ['Version', a.version ?? 'unknown'],
        ['Decision', a.decision ? DECISION_INFO[a.decision].label : a.status],
        ['Owner', a.owner],
      ].map(([k, v]) => ({ type: 'mrkdwn', text: clip(`*${k}*\n${v}`, 1900) })),
    },
    ...(findings.length ? [{ type: 'section', text: { type: 'mrkdwn', text: clip(findings.join('\n'), 2900) } }] : []),
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: clip(`Rollback criteria: ${a.rollbackCriteria} · ${link}`, 2900) }],
    },
  ];
  return { text, blocks };
}

export interface SyntheticAlertInput {
  readonly kind: Extract<AlertKind, 'synthetic-failing' | 'synthetic-recovered'>;
  readonly run: {
    readonly run: string;
    readonly endedAt: string;
    readonly location: string;
    readonly status: string;
    readonly tests: { readonly total: number; readonly failed: number };
    readonly failures: readonly { readonly title: string; readonly error?: string }[];
  };
  /** Consecutive failed runs so far (0 once recovered). */
  readonly failures: number;
  readonly afterFailed: number;
  readonly app: string;
  readonly service: string;
  readonly version: string | null;
  readonly owner: string;
  readonly rollbackCriteria: string;
  readonly reportUrl: string | null;
}

/** An alert about scheduled runs: failing N times in a row (once per incident), or recovered (once). */
export function syntheticAlert(i: SyntheticAlertInput): AlertContent {
  const r = i.run;
  const failing = i.kind === 'synthetic-failing';
  return {
    kind: i.kind,
    status: failing ? 'FAILING' : 'RECOVERED',
    decision: null,
    app: i.app,
    service: i.service,
    version: i.version,
    headline: failing
      ? `Scheduled synthetic checks from ${r.location} failed ${i.failures} runs in a row (alert after ${i.afterFailed}); the last run ${r.run} ${r.status === 'error' ? 'produced no results' : `failed ${r.tests.failed} of ${r.tests.total} checks`}.`
      : `Scheduled synthetic checks from ${r.location} pass again (run ${r.run}, ${r.tests.total} checks).`,
    findings: r.failures.slice(0, 6).map((f) => ({ name: f.title, value: flat(f.error ?? 'failed'), limit: 'passes' })),
    owner: i.owner,
    rollbackCriteria: i.rollbackCriteria,
    reportUrl: i.reportUrl,
  };
}
