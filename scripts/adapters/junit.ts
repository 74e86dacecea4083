// Adds the "Release verdict" testcase to the run's junit.xml (atomically, replacing an earlier one), so every CI test
// widget shows a rollback as a failure and an inconclusive verdict as an error, with the reasons in system-out.
import fs from 'node:fs';
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { redact } from '../config/redact.ts';
import type { Verdict } from '../engine/types.ts';
import { headline, shownReasons, verdictDocument, whyLine, writeAtomic, type VerdictContext } from './verdict-files.ts';

export const JUNIT_SUITE = 'aftercheck release verdict';
export const JUNIT_CASE = 'Release verdict';

/** What the testcase says: a pass, a failure (rollback, hotfix) or an error (inconclusive, or a verdict that failed). */
export interface JunitVerdictCase {
  readonly result: 'passed' | 'failure' | 'error';
  /** One line: the headline and why. */
  readonly message: string;
  /** The decision, as the failure's or error's type. */
  readonly type: string;
  /** Every reason, the release, the links: system-out. */
  readonly details: string;
  readonly seconds: number;
  readonly timestamp: string;
}

type XmlNode = Record<string, unknown> & { ':@'?: Record<string, string> };

const OPTIONS = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  // Kept as they are, so the run's own output reads exactly as Playwright wrote it.
  cdataPropName: '__cdata',
  commentPropName: '__comment',
} as const;

// XML 1.0 forbids most control characters even escaped; a test's output may hold them.
const xmlText = (s: string) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');

export function verdictCase(verdict: Verdict, ctx: VerdictContext, seconds: number): JunitVerdictCase {
  const doc = verdictDocument(verdict, ctx);
  const result =
    verdict.decision === 'inconclusive' ? 'error' : verdict.decision === 'rollback' || verdict.decision === 'hotfix' ? 'failure' : 'passed';
  const reasons = shownReasons(verdict).map((r) => `- ${r.decision} (${r.rule}): ${r.message} [observed ${r.observed}; limit ${r.limit}]`);
  const details = [
    `${headline(verdict, ctx)}`,
    `Why: ${whyLine(verdict)}`,
    ...(doc.links.report ? [`Report: ${doc.links.report}`] : []),
    ...(doc.links.run ? [`CI run: ${doc.links.run}`] : []),
    ...(doc.commit ? [`Commit: ${doc.links.commit ?? doc.commit}`] : []),
    `Rollback decided by: ${doc.rollbackDecider}`,
    '',
    'Reasons:',
    ...reasons,
    ...(verdict.warnings.length ? ['', 'Warnings:', ...verdict.warnings.map((w) => `- ${w}`)] : []),
  ].join('\n');
  return {
    result,
    message: `${headline(verdict, ctx)} — ${whyLine(verdict)}`,
    type: verdict.decision,
    details,
    seconds,
    timestamp: verdict.decidedAt,
  };
}

function caseNode(c: JunitVerdictCase): XmlNode {
  const children: XmlNode[] = [];
  if (c.result !== 'passed')
    children.push({ [c.result]: [{ '#text': xmlText(c.details) }], ':@': { message: xmlText(c.message), type: c.type } });
  children.push({ 'system-out': [{ '#text': xmlText(c.details) }] });
  const time = c.seconds.toFixed(3);
  return {
    testsuite: [{ testcase: children, ':@': { name: JUNIT_CASE, classname: 'aftercheck.release-verdict', time } }],
    ':@': {
      name: JUNIT_SUITE,
      timestamp: c.timestamp,
      hostname: 'aftercheck',
      tests: '1',
      failures: c.result === 'failure' ? '1' : '0',
      skipped: '0',
      time,
      errors: c.result === 'error' ? '1' : '0',
    },
  };
}

/** The root's totals from its suites, so CI widgets that read only <testsuites> count the verdict too. */
function totals(suites: readonly XmlNode[], root: Record<string, string>): Record<string, string> {
  const sum = (k: string) => String(suites.reduce((n, s) => n + (Number(s[':@']?.[k]) || 0), 0));
  return { ...root, tests: sum('tests'), failures: sum('failures'), errors: sum('errors'), skipped: sum('skipped') };
}

/** The junit.xml text with `c` as the only verdict suite; `existing` is the run's file (absent: a file of the verdict alone). */
export function junitWithVerdict(existing: string | undefined, c: JunitVerdictCase): string {
  let doc: XmlNode[] = existing?.trim() ? (new XMLParser(OPTIONS).parse(existing) as XmlNode[]) : [];
  let root = doc.find((n) => 'testsuites' in n);
  if (!root) {
    // No file, or a bare <testsuite> root: wrap what there is.
    root = { testsuites: doc.filter((n) => !('?xml' in n)), ':@': { id: '', name: 'aftercheck', time: '0' } };
    doc = [...doc.filter((n) => '?xml' in n), root];
  }
  const kept = (root.testsuites as XmlNode[]).filter((n) => !('testsuite' in n && n[':@']?.name === JUNIT_SUITE));
  const children = [...kept, caseNode(c), { '#text': '\n' }];
  root.testsuites = children;
  root[':@'] = totals(
    children.filter((n) => 'testsuite' in n),
    root[':@'] ?? {},
  );
  return new XMLBuilder({ ...OPTIONS, format: false, suppressEmptyNode: false }).build(doc) as string;
}

/** Rewrites `file` with the verdict's testcase (write-then-rename); the result is checked to be well-formed first. */
export function writeJunitVerdict(file: string, c: JunitVerdictCase, secrets: readonly string[]): void {
  const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  // Redacted as text before it is escaped into XML, where a secret with "&" or "<" would no longer match.
  const xml = junitWithVerdict(existing, { ...c, message: redact(c.message, secrets), details: redact(c.details, secrets) });
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`the junit.xml with the verdict would not be well-formed: ${valid.err.msg}`);
  writeAtomic(file, xml.endsWith('\n') ? xml : `${xml}\n`);
}
