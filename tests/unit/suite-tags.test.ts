// Unit tests for the tag constants and guards, on a fixture profile: typos in feature tags fail the compiler, unknown tag strings fail at run time with the fix.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  TAG,
  UnknownTagError,
  assertKnownTags,
  featuresOf,
  knownTags,
  severity,
  tags as baseTags,
  unknownTags,
} from '../../fixtures/tags.ts';
import { featureTag, tags, verifyDetails } from '../fixtures/apps/notes/tags.ts';

const NOTES = ['notebook', 'sharing'];

describe('suite tags', () => {
  it("known tags pass a profile's guard unchanged", () => {
    assert.deepEqual(tags(TAG.verify, featureTag('notebook'), TAG.writes), ['@verify', '@feature:notebook', '@writes']);
    assert.deepEqual(baseTags(TAG.smoke), ['@smoke']);
  });

  it('an unknown tag string is an error naming it, the known tags of the profile and where to fix it', () => {
    for (const bad of ['@smok', '@feature:noteboook', 'smoke', '@Smoke']) {
      assert.throws(
        // @ts-expect-error the whole point: a string that is not a Tag must not compile either
        () => tags(TAG.smoke, bad),
        (e: unknown) =>
          e instanceof UnknownTagError &&
          e.message.includes(JSON.stringify(bad)) &&
          e.message.includes('Known tags of the app profile notes: @smoke, @verify, @writes, @feature:notebook, @feature:sharing') &&
          e.message.includes('featureTag()/verifyDetails() from apps/notes/tags.ts') &&
          e.message.includes('the feature registry of apps/notes/aftercheck.config.ts'),
        bad,
      );
    }
  });

  it('featureTag refuses an id the registry does not know, even when the compiler is bypassed', () => {
    // @ts-expect-error 'payments' is not a feature of the profile: a typo is a compile error
    assert.throws(() => featureTag('payments'), UnknownTagError);
    // @ts-expect-error 'notebok' is misspelt
    assert.throws(() => verifyDetails('notebok'), /unknown tag "@feature:notebok" passed to verifyDetails\(\)/);
    assert.equal(featureTag('sharing'), '@feature:sharing');
  });

  it('the run-time guard used by the fixture reports every unknown tag of a test at once, with the profile', () => {
    assert.deepEqual(unknownTags(['@smoke', '@fast', '@feature:nope'], NOTES), ['@fast', '@feature:nope']);
    assert.throws(
      () => assertKnownTags(['@smoke', '@fast', '@feature:nope'], 'on test "x"', NOTES, 'notes'),
      /unknown tags "@fast", "@feature:nope" on test "x"\. Known tags of the app profile notes: /,
    );
    assert.doesNotThrow(() => assertKnownTags(['@smoke', '@feature:sharing'], 'on test "y"', NOTES, 'notes'));
    assert.deepEqual(knownTags(), ['@smoke', '@verify', '@writes'], 'without a registry only the fixed tags are known');
  });

  it("feature ids are read back from a test's tags", () => {
    assert.deepEqual(featuresOf(['@verify', '@feature:notebook', '@feature:sharing', '@writes']), ['notebook', 'sharing']);
  });

  it("verify details carry the feature tag and the registry's title, owner and severity for the verdict and Allure", () => {
    const d = verifyDetails('notebook', { writes: true });
    assert.deepEqual(d.tag, ['@verify', '@feature:notebook', '@writes']);
    assert.deepEqual(d.annotation, [
      { type: 'allure.label.feature', description: 'Notebook' },
      { type: 'allure.label.owner', description: 'team-notes' },
      { type: 'allure.label.severity', description: 'critical' },
    ]);
    assert.deepEqual(verifyDetails('sharing').tag, ['@verify', '@feature:sharing']);
  });

  it('severity() refuses a level the verdict does not know', () => {
    // @ts-expect-error 'urgent' is not a Severity: a typo is a compile error, and a cast one fails at collection time
    assert.throws(() => severity('urgent'), /unknown severity "urgent": use one of blocker, critical, normal, minor/);
  });
});
