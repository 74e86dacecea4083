// Builds Playwright JSON reports (results.json) as input data for verdict tests: every expected smoke check of the
// profile, with the run record a real run writes, so that one thing at a time can be made wrong.
import type { AppConfig } from '../../scripts/config/app-config.ts';
import { loadProfile } from '../../scripts/config/profile.ts';
import { PROBE_CHECK, RUN_METADATA_KEY } from '../../scripts/contract.ts';
import type { RunAttestation } from '../../scripts/engine/types.ts';

export interface FakeTest {
  readonly title: string;
  readonly tags: readonly string[];
  readonly project: string;
  readonly file: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly error?: string;
}

/** The bundled demo's profile, loaded at run time (nothing outside apps/demo-shop may import it statically). */
const demo = await loadProfile('demo-shop');

/** The probe and every configured smoke check of a profile (the demo's by default), passing. */
export function smokeChecks(appConfig: Pick<AppConfig, 'smoke'> = demo.config): FakeTest[] {
  return [
    { title: PROBE_CHECK, tags: ['smoke'], project: 'smoke', file: 'tests/smoke/probe.spec.ts', status: 'passed' },
    ...appConfig.smoke.map((c) => ({
      title: c.name,
      tags: ['smoke'],
      project: 'smoke',
      file: c.kind === 'login' ? 'tests/smoke/sign-in.spec.ts' : 'tests/smoke/smoke.spec.ts',
      status: 'passed' as const,
    })),
  ];
}

export function playwrightJson(opts: { tests?: readonly FakeTest[]; attestation?: RunAttestation | null; startTime?: string } = {}) {
  const tests = opts.tests ?? smokeChecks();
  const startTime = opts.startTime ?? '2026-11-26T10:05:00.000Z';
  const result = (t: FakeTest) => ({
    workerIndex: 0,
    status: t.status,
    duration: t.status === 'skipped' ? 0 : 120,
    errors: t.error ? [{ message: t.error }] : [],
    ...(t.error ? { error: { message: t.error } } : {}),
    stdout: [],
    stderr: [],
    retry: 0,
    startTime,
    attachments: [],
    annotations: [
      { type: 'aftercheck:page-errors', description: '0' },
      { type: 'aftercheck:console-errors', description: '0' },
    ],
  });
  const files = [...new Set(tests.map((t) => t.file))];
  return {
    config: { metadata: opts.attestation ? { [RUN_METADATA_KEY]: opts.attestation } : {} },
    errors: [],
    stats: { startTime, duration: 1000, expected: 1, unexpected: 0, flaky: 0, skipped: 0 },
    suites: files.map((file) => ({
      title: file,
      file,
      specs: tests
        .filter((t) => t.file === file)
        .map((t) => ({
          title: t.title,
          ok: t.status !== 'failed',
          tags: t.tags,
          file,
          tests: [
            {
              annotations: [],
              expectedStatus: 'passed',
              projectName: t.project,
              status: t.status === 'passed' ? 'expected' : t.status === 'skipped' ? 'skipped' : 'unexpected',
              results: t.status === 'skipped' ? [] : [result(t)],
            },
          ],
        })),
    })),
  };
}
