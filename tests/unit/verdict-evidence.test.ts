// Table-driven tests of the evidence checks: results must belong to this release, every expected check must have run,
// and a health report must be about this release and cover the policy. Each case would have been a silent PROCEED.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { finalStatus } from '../../scripts/adapters/playwright-results.ts';
import type { JsonTest } from '../../scripts/schemas/playwright-report.ts';
import { decide, type DecideInput } from '../../scripts/engine/verdict/index.ts';
import type { Decision } from '../../scripts/engine/types.ts';
import {
  AFTER,
  attestation,
  FEATURES,
  health,
  healthyTests,
  manifest,
  MANIFEST_DIGEST,
  policy,
  run,
  signal,
  test,
} from './verdict-fixtures.ts';

const EXPECTED = {
  smokeChecks: ['main page loads', 'health endpoint reports the database connected', 'login works end to end'],
  smokeSpecs: [] as string[],
};

function input(over: Partial<DecideInput> = {}): DecideInput {
  return {
    policy: policy(),
    manifest: manifest(),
    tests: run(),
    health: health(),
    appFeatures: FEATURES,
    expected: EXPECTED,
    run: { target: 'https://shop.example.test', runId: 'run-42' },
    service: 'demo-shop',
    now: AFTER,
    ...over,
  };
}

interface Case {
  readonly name: string;
  readonly input: DecideInput;
  readonly decision: Decision;
  readonly rule: string;
  readonly mentions?: string;
}

const shard = (current: number, total = 2) => attestation({ shard: { current, total }, narrowedBy: [`--shard "${current}/${total}"`] });

const onlyMainPage = run(healthyTests().filter((t) => !t.tags.includes('@smoke') || t.title === 'main page loads'));

const cases: Case[] = [
  { name: 'a complete run of this release proceeds', input: input(), decision: 'proceed', rule: 'all-checks-passed' },
  {
    name: 'a run narrowed to one smoke check is inconclusive, naming the checks that did not run and the filter',
    input: input({
      tests: run(onlyMainPage.kind === 'ok' ? [...onlyMainPage.tests] : [], {
        attestation: attestation({ narrowedBy: ['--grep "main page loads"'] }),
      }),
    }),
    decision: 'inconclusive',
    rule: 'smoke-incomplete',
    mentions:
      '“health endpoint reports the database connected” (not in the results), “login works end to end” (not in the results) did not run; the run was narrowed by --grep "main page loads"',
  },
  {
    name: 'a hand-written smoke spec with no result is missing evidence',
    input: input({ expected: { ...EXPECTED, smokeSpecs: ['tests/smoke/payments.spec.ts'] } }),
    decision: 'inconclusive',
    rule: 'smoke-incomplete',
    mentions: 'tests/smoke/payments.spec.ts (hand-written spec, not in the results)',
  },
  {
    name: 'results without a run record are not evidence for any release',
    input: input({ tests: run(undefined, { attestation: undefined as never }) }),
    decision: 'inconclusive',
    rule: 'results-unattested',
  },
  {
    name: 'results made for another manifest are foreign',
    input: input({
      tests: run(undefined, {
        attestation: attestation({ manifest: { path: '/x.json', version: '1.9.0', digest: `sha256:${'a'.repeat(64)}` } }),
      }),
    }),
    decision: 'inconclusive',
    rule: 'results-foreign',
    mentions: 'the run was made for manifest 1.9.0',
  },
  {
    name: 'results made without a manifest are foreign to a release that has one',
    input: input({ tests: run(undefined, { attestation: attestation({ manifest: null }) }) }),
    decision: 'inconclusive',
    rule: 'results-foreign',
    mentions: 'the run had no release manifest',
  },
  {
    name: 'results made against another target are foreign',
    input: input({ tests: run(undefined, { attestation: attestation({ target: 'https://staging.example.test' }) }) }),
    decision: 'inconclusive',
    rule: 'results-foreign',
    mentions: 'the run checked https://staging.example.test, this verdict is for https://shop.example.test',
  },
  {
    name: 'results of another CI run are foreign',
    input: input({ tests: run(undefined, { attestation: attestation({ runId: 'run-41' }) }) }),
    decision: 'inconclusive',
    rule: 'results-foreign',
    mentions: 'AFTERCHECK_RUN_ID',
  },
  {
    name: 'a run that started before the deploy tested the previous version',
    input: input({ tests: run(undefined, { startedAt: '2026-11-26T09:58:00.000Z' }) }),
    decision: 'inconclusive',
    rule: 'results-stale',
    mentions: '2m before the deploy',
  },
  {
    name: 'a health report for another deploy time is about something else',
    input: input({ health: health(undefined, { deployedAt: '2026-11-25T10:00:00.000Z' }) }),
    decision: 'inconclusive',
    rule: 'health-mismatch',
    mentions: 'deploy time 2026-11-25T10:00:00.000Z',
  },
  {
    name: 'a health report for another service is about something else',
    input: input({ health: health(undefined, { service: 'billing' }) }),
    decision: 'inconclusive',
    rule: 'health-mismatch',
    mentions: 'service “billing”',
  },
  {
    name: 'a health report with a signal the policy does not have was made with another policy',
    input: input({ health: health([signal('error_rate', 'pass'), signal('latency_p95', 'pass'), signal('made_up', 'pass')]) }),
    decision: 'inconclusive',
    rule: 'health-mismatch',
    mentions: '“made_up”',
  },
  {
    name: 'a health report that leaves out a policy signal is incomplete',
    input: input({ health: health([signal('error_rate', 'pass')]) }),
    decision: 'inconclusive',
    rule: 'health-incomplete',
    mentions: '“latency_p95”',
  },
  {
    name: 'a health report made before the deploy is stale',
    input: input({ health: health(undefined, { generatedAt: '2026-11-26T09:30:00.000Z' }) }),
    decision: 'inconclusive',
    rule: 'health-stale',
  },
  {
    name: 'a merge of every shard of one run is complete evidence',
    input: input({ tests: run(undefined, { attestation: shard(2), shards: [shard(1), shard(2)] }) }),
    decision: 'proceed',
    rule: 'all-checks-passed',
  },
  {
    name: 'a merge that lacks a shard is missing evidence, naming the shard',
    input: input({ tests: run(undefined, { attestation: shard(1, 3), shards: [shard(1, 3), shard(3, 3)] }) }),
    decision: 'inconclusive',
    rule: 'shards-missing',
    mentions: 'shard 2/3 is missing from the merge',
  },
  {
    name: 'a merge of shards from two runs (a stale blob report) is foreign',
    input: input({ tests: run(undefined, { attestation: shard(2), shards: [{ ...shard(1), runId: 'run-41' }, shard(2)] }) }),
    decision: 'inconclusive',
    rule: 'results-foreign',
    mentions: 'shard 1/2 was made for run run-41',
  },
  {
    name: 'a single shard read as if it were the whole run is missing evidence',
    input: input({ tests: run(undefined, { attestation: shard(1), shards: [shard(1)] }) }),
    decision: 'inconclusive',
    rule: 'shards-missing',
    mentions: 'shard 2/2 is missing',
  },
  {
    name: 'a rollback stays a rollback whatever evidence is missing besides',
    input: input({
      tests: run(undefined, { attestation: attestation({ runId: 'other' }) }),
      health: health([signal('error_rate', 'fail'), signal('latency_p95', 'pass')]),
    }),
    decision: 'rollback',
    rule: 'health-breach.major',
  },
];

describe('evidence that belongs to this release, complete', () => {
  for (const c of cases) {
    it(c.name, () => {
      const v = decide(c.input);
      assert.equal(
        v.decision,
        c.decision,
        JSON.stringify(
          v.reasons.map((r) => [r.rule, r.message]),
          null,
          1,
        ),
      );
      assert.ok(
        v.reasons.some((r) => r.rule === c.rule),
        `${c.rule} in ${v.reasons.map((r) => r.rule).join(', ')}`,
      );
      if (c.mentions)
        assert.ok(
          v.reasons.some((r) => r.message.includes(c.mentions!)),
          v.reasons.map((r) => r.message).join('\n'),
        );
    });
  }

  it('the default fixtures attest to the fixture manifest, so the cases above change one thing each', () => {
    const t = run();
    assert.ok(t.kind === 'ok' && t.attestation?.manifest?.digest === MANIFEST_DIGEST);
    assert.ok(manifest().kind === 'ok');
  });
});

const attempt = (status: string) => ({ status, duration: 10 }) as JsonTest['results'][number];
const jsonTest = (status: JsonTest['status'], results: JsonTest['results']): JsonTest => ({ projectName: 'smoke', status, results });

describe('a test status is read from its attempts', () => {
  const rows: [string, JsonTest, string][] = [
    ['a passing attempt is passed', jsonTest('expected', [attempt('passed')]), 'passed'],
    ['a test with no attempt did not run, whatever its summary says', jsonTest('expected', []), 'skipped'],
    ['failed then skipped never passed: failed, not flaky', jsonTest('flaky', [attempt('failed'), attempt('skipped')]), 'failed'],
    ['failed then passed is passed (flaky)', jsonTest('flaky', [attempt('failed'), attempt('passed')]), 'passed'],
    ['a skipped test is skipped', jsonTest('skipped', [attempt('skipped')]), 'skipped'],
    ['a timed-out last attempt is timedOut', jsonTest('unexpected', [attempt('failed'), attempt('timedOut')]), 'timedOut'],
  ];
  for (const [name, t, status] of rows) it(name, () => assert.equal(finalStatus(t), status));
  it('a skipped-only test counts as not run in the verdict', () => {
    const v = decide(
      input({ tests: run(healthyTests().map((t) => (t.title === 'login works end to end' ? test(t.title, ['@smoke'], 'skipped') : t))) }),
    );
    assert.equal(v.decision, 'inconclusive');
  });
});
