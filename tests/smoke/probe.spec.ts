// @smoke: is the target there at all? Reports the probe global setup made before any worker started (one request, never retried).
import { test } from '../../fixtures/index.ts';
import { TAG, tags } from '../../fixtures/tags.ts';
import { ANNOTATION, PROBE_CHECK } from '../../scripts/contract.ts';

// Never retried: it reports the runner's one probe, which a retry would only repeat.
test.describe.configure({ retries: 0 });

// Tagged @smoke: a target that does not answer at all is the first smoke failure (flowchart: smoke fails → rollback),
// not a set-up problem of the suite's own.
test(PROBE_CHECK, { tag: tags(TAG.smoke) }, async ({ probe, target }, testInfo) => {
  if (probe.kind === 'unreachable') throw new Error(`target unreachable: ${target.display} (${probe.cause})`);
  testInfo.annotations.push({ type: ANNOTATION.targetStatus, description: String(probe.status) });
});
