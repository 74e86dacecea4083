// The release manifest written by the deploy pipeline: schema, JSON Schema export, and a loader that reports every problem at once.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { z } from 'zod';
import { ConfigError, zodProblems, type Problem } from './errors.ts';

export const SEVERITIES = ['blocker', 'critical', 'normal', 'minor'] as const;
export type Severity = (typeof SEVERITIES)[number];

import { CHANGE_SIZES } from './change-sizes.ts';

export { CHANGE_SIZES, type ChangeSize } from './change-sizes.ts';

const isoDateTime = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time with a zone, e.g. 2026-11-26T10:15:00Z' });

// A control character (a carriage return from a Windows-edited file) is named here, not later as a query problem.
const versionText = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters (a carriage return or newline?)');

export const manifestSchema = z
  .object({
    $schema: z.string().optional(),
    version: versionText,
    previousVersion: versionText,
    deployedAt: isoDateTime,
    changeSize: z.enum(CHANGE_SIZES, { error: `must be one of ${CHANGE_SIZES.join(', ')}` }),
    features: z.array(z.string().min(1)).default([]),
    commit: z.string().min(1).optional(),
    notes: z.string().optional(),
  })
  .strict();

export type ReleaseManifest = z.output<typeof manifestSchema>;

const FIX: Record<string, string> = {
  version: 'set the version now deployed, as your service reports it in the `version` tag',
  previousVersion: 'set the version that ran before this deploy (its metrics are the baseline)',
  deployedAt: 'write the deploy time as ISO-8601 with a zone, e.g. 2026-11-26T10:15:00Z',
  changeSize: `use one of ${CHANGE_SIZES.join(', ')}`,
  features: 'list feature ids from the registry in aftercheck.config.ts',
};

/**
 * Validates a manifest object. Unknown feature ids are reported with the list of known ids.
 * `knownFeatures` is the feature registry's ids; pass undefined to skip that check.
 */
export function parseManifest(input: unknown, source: string, knownFeatures?: readonly string[]): ReleaseManifest {
  const result = manifestSchema.safeParse(input);
  const problems: Problem[] = result.success
    ? []
    : zodProblems(result.error.issues, input, '', (p) => FIX[p.split(/[.[]/)[0] ?? ''] ?? 'see schemas/release-manifest.schema.json');
  if (knownFeatures && input && typeof input === 'object' && Array.isArray((input as { features?: unknown }).features)) {
    (input as { features: unknown[] }).features.forEach((f, i) => {
      if (typeof f === 'string' && !knownFeatures.includes(f)) {
        problems.push({
          field: `features[${i}]`,
          value: JSON.stringify(f),
          message: 'is not a known feature id',
          fix: `use one of: ${knownFeatures.join(', ')} (or add it to the feature registry in aftercheck.config.ts)`,
        });
      }
    });
  }
  if (problems.length || !result.success) throw new ConfigError(`release manifest ${source}`, problems);
  return Object.freeze({ ...result.data, features: Object.freeze([...result.data.features]) as string[] });
}

export type ManifestRead =
  /** `digest` is the sha256 of the file's bytes: the suite records it, so the verdict can tell its own release's results. */
  | { readonly kind: 'ok'; readonly manifest: ReleaseManifest; readonly path: string; readonly digest: string }
  | { readonly kind: 'missing'; readonly path: string };

/** Reads the manifest file. A missing file is not an error here (smoke runs need none); invalid content is. */
export function readManifest(path: string, knownFeatures?: readonly string[]): ManifestRead {
  if (!fs.existsSync(path)) return { kind: 'missing', path };
  let raw: unknown;
  const bytes = fs.readFileSync(path);
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new ConfigError(`release manifest ${path}`, [
      {
        field: '(file)',
        value: path,
        message: `is not valid JSON (${(e as Error).message})`,
        fix: 'write the manifest as JSON; see schemas/release-manifest.schema.json',
      },
    ]);
  }
  return { kind: 'ok', manifest: parseManifest(raw, path, knownFeatures), path, digest: manifestDigest(bytes) };
}

/** `sha256:<hex>` of a manifest file's bytes. */
export function manifestDigest(bytes: Buffer | string): string {
  return `sha256:${crypto.createHash('sha256').update(bytes).digest('hex')}`;
}

export function manifestJsonSchema(): unknown {
  return z.toJSONSchema(manifestSchema, { io: 'input' });
}
