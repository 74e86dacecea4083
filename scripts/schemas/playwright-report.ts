// zod schema of the part of Playwright's JSON report (results.json) the verdict reads; other fields pass through unchecked.
import { z } from 'zod';

const annotation = z.looseObject({ type: z.string(), description: z.string().optional() });
const error = z.looseObject({ message: z.string().optional(), value: z.string().optional() });

export const jsonResultSchema = z.looseObject({
  status: z.enum(['passed', 'failed', 'timedOut', 'skipped', 'interrupted']),
  duration: z.number().nonnegative(),
  retry: z.number().int().nonnegative().optional(),
  startTime: z.string().optional(),
  error: error.optional(),
  errors: z.array(error).optional(),
  annotations: z.array(annotation).optional(),
  attachments: z.array(z.looseObject({ name: z.string(), contentType: z.string(), body: z.string().optional(), path: z.string().optional() })).optional(),
});

export const jsonTestSchema = z.looseObject({
  projectName: z.string(),
  status: z.enum(['expected', 'unexpected', 'flaky', 'skipped']),
  expectedStatus: z.enum(['passed', 'failed', 'timedOut', 'skipped', 'interrupted']).optional(),
  annotations: z.array(annotation).optional(),
  results: z.array(jsonResultSchema),
});

export const jsonSpecSchema = z.looseObject({
  title: z.string(),
  file: z.string(),
  tags: z.array(z.string()).optional(),
  tests: z.array(jsonTestSchema),
});

export interface JsonSuite {
  title: string;
  file?: string | undefined;
  specs?: z.output<typeof jsonSpecSchema>[] | undefined;
  suites?: JsonSuite[] | undefined;
}

export const jsonSuiteSchema: z.ZodType<JsonSuite> = z.lazy(() =>
  z.looseObject({
    title: z.string(),
    file: z.string().optional(),
    specs: z.array(jsonSpecSchema).optional(),
    suites: z.array(jsonSuiteSchema).optional(),
  }),
);

export const playwrightReportSchema = z.looseObject({
  config: z.looseObject({ rootDir: z.string().optional(), metadata: z.record(z.string(), z.unknown()).optional() }),
  suites: z.array(jsonSuiteSchema),
  errors: z.array(error).optional(),
  stats: z.looseObject({ startTime: z.iso.datetime({ offset: true }) }).optional(),
});

export type JsonReport = z.output<typeof playwrightReportSchema>;
export type JsonSpec = z.output<typeof jsonSpecSchema>;
export type JsonTest = z.output<typeof jsonTestSchema>;
export type JsonResult = z.output<typeof jsonResultSchema>;
