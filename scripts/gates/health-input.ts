// The verdict's health input: the gate run in-process against InfluxDB, a health.json read back (checked by zod), a
// report the caller already has, or none. Whatever cannot be had becomes a named "unavailable", never a pass.
import fs from 'node:fs';
import path from 'node:path';
import type { AftercheckEnv } from '../config/env.ts';
import { ConfigError } from '../config/errors.ts';
import type { ManifestRead } from '../config/manifest.ts';
import type { Policy } from '../config/policy.ts';
import { stringifyRedacted } from '../config/redact.ts';
import { reportPath } from '../contract.ts';
import type { MetricsReader } from '../adapters/influx/reader.ts';
import { writeAtomic } from '../adapters/verdict-files.ts';
import type { HealthInput, HealthReport } from '../engine/types.ts';
import { VOCABULARY } from '../engine/vocabulary.ts';
import { healthReportSchema } from '../schemas/health-report.ts';
import { describeIssues } from '../schemas/run-files.ts';

export type HealthSource =
  /** Run the health gate in-process; `reader` replaces the InfluxDB adapter built from env. */
  | { readonly mode: 'run'; readonly reader?: MetricsReader }
  | { readonly mode: 'file'; readonly path: string }
  /** A report the caller already has (the demo runs the gate itself). */
  | { readonly mode: 'report'; readonly report: HealthReport }
  | { readonly mode: 'skip'; readonly reason?: string };

/** A health.json checked against its schema; what it says about which release is checked by the engine. */
export function parseHealthReport(raw: unknown): { report: HealthReport } | { problem: string } {
  const r = healthReportSchema.safeParse(raw);
  return r.success ? { report: r.data } : { problem: describeIssues(r.error) };
}

function readHealthFile(file: string): HealthInput {
  if (!fs.existsSync(file))
    return { kind: 'unavailable', reason: `no health report at ${file} (run npm run health first, or drop --health to run the gate)` };
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return { kind: 'unavailable', reason: `the health report ${file} is not valid JSON (${(e as Error).message})` };
  }
  const parsed = parseHealthReport(raw);
  return 'report' in parsed
    ? parsed.report
    : { kind: 'unavailable', reason: `the health report ${file} is not a valid health report: ${parsed.problem}` };
}

export async function resolveHealth(
  source: HealthSource,
  deps: { env: AftercheckEnv; policy: Policy; manifest: ManifestRead; now: Date },
): Promise<{ health: HealthInput; written?: string }> {
  const { env, manifest } = deps;
  switch (source.mode) {
    case 'skip':
      return {
        health: { kind: 'unavailable', reason: source.reason ?? 'health gate skipped (--no-health): no health signals were evaluated' },
      };
    case 'report':
      return { health: source.report };
    case 'file':
      return { health: readHealthFile(path.resolve(source.path)) };
    case 'run': {
      if (!env.influx.url)
        return {
          health: {
            kind: 'unavailable',
            reason: 'InfluxDB is not configured (AFTERCHECK_INFLUX_URL is unset): set it, or pass --health <file>',
          },
        };
      if (!env.influx.database)
        return {
          health: {
            kind: 'unavailable',
            reason: 'InfluxDB has no database or bucket configured (AFTERCHECK_INFLUX_DATABASE / AFTERCHECK_INFLUX_BUCKET)',
          },
        };
      if (manifest.kind === 'missing')
        return {
          health: {
            kind: 'unavailable',
            reason: `no release manifest at ${manifest.path}: the health gate needs the deploy time and both versions`,
          },
        };
      let report: HealthReport;
      try {
        // Loaded lazily, so --health/--no-health runs never load the InfluxDB client.
        const { runHealthGate } = await import('./health-gate.ts');
        report = await runHealthGate({
          env,
          policy: deps.policy,
          manifest: manifest.manifest,
          now: deps.now,
          ...(source.reader ? { reader: source.reader } : {}),
        });
      } catch (e) {
        if (e instanceof ConfigError) throw e;
        return { health: { kind: 'unavailable', reason: `the health gate failed: ${(e as Error).message}` } };
      }
      const written = reportPath(env.reportsDir, 'health');
      fs.mkdirSync(env.reportsDir, { recursive: true });
      writeAtomic(written, `${stringifyRedacted(report, env.secrets, VOCABULARY)}\n`);
      return { health: report, written };
    }
  }
}
