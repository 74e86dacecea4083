// What the health gate alone recommends (its exit code) and its health.json, redacted as it is written.
import fs from 'node:fs';
import path from 'node:path';
import type { Policy } from '../config/policy.ts';
import { stringifyRedacted } from '../config/redact.ts';
import { exitCodeFor, healthDecision } from '../engine/health.ts';
import type { HealthReport } from '../engine/types.ts';
import { VOCABULARY } from '../engine/vocabulary.ts';

/**
 * Exit code of the health gate alone: 0 pass (or a warn while the period runs, or one that cleared), 1 a major breach,
 * 2 only minor breaches or a warn still standing when the period ended (warnAtEnd: hotfix), 3 inconclusive.
 */
export function healthExitCode(report: HealthReport, policy: Pick<Policy, 'verdict'>): number {
  return exitCodeFor(healthDecision(report, policy.verdict));
}

export function writeHealthReport(report: HealthReport, file: string, secrets: readonly string[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${stringifyRedacted(report, secrets, VOCABULARY)}\n`);
}
