// Earlier verdicts of the same service, read from the Allure history the report keeps (reports/allure-history.jsonl):
// when, which release, which decision. Allure's own History tab shows only a status and a date per entry.
import fs from 'node:fs';
import { z } from 'zod';
import { ALLURE_LABEL } from '../../contract.ts';
import { DECISIONS, type Decision } from '../../engine/types.ts';

export interface PastVerdict {
  /** ISO time the verdict was decided (its result's stop). */
  readonly at: string;
  readonly decision: Decision;
  /** "demo-shop 1.9.0" */
  readonly release: string;
}

const historyLine = z.looseObject({
  testResults: z.record(
    z.string(),
    z.looseObject({
      fullName: z.string().optional(),
      stop: z.number().optional(),
      labels: z.array(z.looseObject({ name: z.string(), value: z.string().optional() })).optional(),
    }),
  ),
});

/**
 * The verdicts recorded for `fullName` (our result's), newest first, at most `limit`. A line that is not valid JSON or
 * not of the shape above is skipped: this is a courtesy listing, never evidence.
 */
export function pastVerdicts(historyPath: string, fullName: string, limit = 8): PastVerdict[] {
  if (!fs.existsSync(historyPath)) return [];
  const out: PastVerdict[] = [];
  for (const line of fs.readFileSync(historyPath, 'utf8').split('\n').filter(Boolean)) {
    let parsed: z.output<typeof historyLine>;
    try {
      parsed = historyLine.parse(JSON.parse(line));
    } catch {
      continue;
    }
    for (const r of Object.values(parsed.testResults)) {
      if (r.fullName !== fullName || r.stop === undefined) continue;
      const label = (name: string) => r.labels?.find((l) => l.name === name)?.value;
      const decision = label(ALLURE_LABEL.decision);
      if (!decision || !(DECISIONS as readonly string[]).includes(decision)) continue;
      out.push({ at: new Date(r.stop).toISOString(), decision: decision as Decision, release: label('story') ?? '(unknown release)' });
    }
  }
  return out.sort((a, b) => b.at.localeCompare(a.at)).slice(0, limit);
}
