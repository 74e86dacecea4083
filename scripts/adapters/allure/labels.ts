// Labels allure-playwright's results with the decision the engine reached for each test, so the report's categories
// group by it (Rollback-worthy, Hotfix-worthy, Inconclusive) instead of re-deriving the rules.
import fs from 'node:fs';
import path from 'node:path';
import { ALLURE_LABEL } from '../../contract.ts';
import { DECISION_INFO } from '../../engine/decisions.ts';
import { DECISIONS, type Decision, type TestOutcome } from '../../engine/types.ts';
import { VERDICT_FULL_NAME_PREFIX } from './writer.ts';

/** How allure-playwright names a test: `<file> › <describe…> › <title>`, in its project (parentSuite label). */
export const allureKey = (project: string, fullName: string) => `${project}\u0000${fullName}`;
const outcomeKey = (t: TestOutcome) => allureKey(t.project, [t.file, ...(t.titlePath ?? []), t.title].join(' › '));

interface AllureResultFile {
  fullName?: string;
  labels?: { name: string; value: string }[];
}

/** Writes the decision and rule labels into each matching result file; returns how many were labelled. */
export function labelTestResults(
  resultsDir: string,
  tests: readonly TestOutcome[],
  decisionOf: (t: TestOutcome) => { rule: string; decision: Decision } | undefined,
): number {
  if (!fs.existsSync(resultsDir)) return 0;
  const wanted = new Map<string, { rule: string; decision: Decision }>();
  for (const t of tests) {
    const d = decisionOf(t);
    if (d) wanted.set(outcomeKey(t), d);
  }
  let labelled = 0;
  for (const name of fs.readdirSync(resultsDir)) {
    if (!name.endsWith('-result.json')) continue;
    const file = path.join(resultsDir, name);
    let result: AllureResultFile;
    try {
      result = JSON.parse(fs.readFileSync(file, 'utf8')) as AllureResultFile;
    } catch {
      continue;
    }
    // The verdict's own result carries the release decision; it is written, not labelled, here.
    if (result.fullName?.startsWith(VERDICT_FULL_NAME_PREFIX)) continue;
    const project = result.labels?.find((l) => l.name === 'parentSuite')?.value ?? '';
    const d = result.fullName ? wanted.get(allureKey(project, result.fullName)) : undefined;
    const labels = (result.labels ?? []).filter((l) => l.name !== ALLURE_LABEL.decision && l.name !== ALLURE_LABEL.rule);
    if (d) labels.push({ name: ALLURE_LABEL.decision, value: d.decision }, { name: ALLURE_LABEL.rule, value: d.rule });
    if (!d && labels.length === (result.labels ?? []).length) continue;
    fs.writeFileSync(file, JSON.stringify({ ...result, labels }));
    if (d) labelled++;
  }
  return labelled;
}

/** Allure 3 categories, worst first: one per decision someone has to act on (matching the label the verdict writes), then flaky tests. */
export function releaseCategories() {
  const acting = [...DECISIONS]
    .reverse()
    .filter((d) => DECISION_INFO[d].category)
    .map((decision) => ({
      id: DECISION_INFO[decision].category!.id,
      name: DECISION_INFO[decision].category!.name,
      matchers: { labels: { [ALLURE_LABEL.decision]: decision } },
      groupBy: ['severity' as const],
      expand: decision === 'rollback',
    }));
  return [...acting, { id: 'flaky', name: 'Flaky', matchers: { flaky: true } }];
}
