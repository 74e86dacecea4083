// Probe project: is the target there at all? One fast request, never retried, so a dead target ends the run in seconds.
import { test } from '../../fixtures/index.ts';
import { TAG, tags } from '../../fixtures/tags.ts';
import { ANNOTATION, PROBE_CHECK } from '../../scripts/contract.ts';

const PROBE_TIMEOUT_MS = 5_000;

function cause(err: unknown): string {
  const first = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
  return first.replace(/^apiRequestContext\.\w+:\s*/, '').trim() || 'no answer';
}

// Tagged @smoke: a target that does not answer at all is the first smoke failure (flowchart: smoke fails → rollback),
// not a set-up problem of the suite's own.
test(PROBE_CHECK, { tag: tags(TAG.smoke) }, async ({ request, target }, testInfo) => {
  let status: number;
  try {
    // Any HTTP answer counts, even a 500: whether the app is healthy is for the smoke checks to say, by name.
    const response = await request.get(`${target.baseURL}/`, { timeout: PROBE_TIMEOUT_MS, maxRedirects: 0, failOnStatusCode: false });
    status = response.status();
  } catch (err) {
    throw new Error(`target unreachable: ${target.display} (${cause(err)})`);
  }
  testInfo.annotations.push({ type: ANNOTATION.targetStatus, description: String(status) });
});
