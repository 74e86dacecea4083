// zod schemas of the files the suite writes for the verdict: the run record in results.json's metadata and verify-selection.json.
import { z } from 'zod';

const text = z.string().min(1);

/** What playwright.config.ts records under config.metadata[RUN_METADATA_KEY]: which release the run was made for. */
export const runAttestationSchema = z
  .object({
    runId: text,
    app: text,
    target: text,
    manifest: z.object({ path: text, version: text, digest: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be sha256:<64 hex digits>') }).strict().nullable(),
    narrowedBy: z.array(z.string()),
    /** Set by a shard of a sharded run (`--shard=current/total`); absent for a whole run. */
    shard: z
      .object({ current: z.number().int().min(1), total: z.number().int().min(2) })
      .strict()
      .refine((s) => s.current <= s.total, 'current must not exceed total')
      .optional(),
  })
  .strict();

/** reports/verify-selection.json, written by the suite's selection reporter when the run begins. */
export const verifySelectionSchema = z
  .object({
    verifyAll: z.boolean(),
    manifestFeatures: z.array(text),
    selectedFeatures: z.array(text),
    testsPerFeature: z.record(z.string(), z.number().int().nonnegative()),
    /** Changed features with zero @verify tests in this run. */
    unverified: z.array(z.object({ feature: text, reason: text }).strict()),
    /** The manifest file the selection was read from (it may not exist). */
    manifestPath: z.string().optional(),
    /** Why the selection is what it is, e.g. "no manifest at …" or "AFTERCHECK_VERIFY_ALL=true: …". */
    reason: z.string().optional(),
  })
  .strict();

/** Every problem of a zod parse, one line each: `path: message`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}
