// Unit tests for the tag constants and guards: typos in feature tags fail the compiler, unknown tag strings fail at run time.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TAG, UnknownTagError, assertKnownTags, featureTag, featuresOf, tags, unknownTags, verifyDetails } from '../../fixtures/tags.ts';

describe('suite tags', () => {
  it('known tags pass the guard unchanged', () => {
    assert.deepEqual(tags(TAG.verify, featureTag('search'), TAG.writes), ['@verify', '@feature:search', '@writes']);
  });

  it('an unknown tag string is an error naming it and the known tags', () => {
    for (const bad of ['@smok', '@feature:serch', 'smoke', '@Smoke']) {
      assert.throws(
        // @ts-expect-error the whole point: a string that is not a Tag must not compile either
        () => tags(TAG.smoke, bad),
        (e: unknown) => e instanceof UnknownTagError && e.message.includes(JSON.stringify(bad)) && e.message.includes('@feature:checkout'),
        bad,
      );
    }
  });

  it('featureTag refuses an id the registry does not know, even when the compiler is bypassed', () => {
    // @ts-expect-error 'payments' is not a FeatureId: a typo is a compile error
    assert.throws(() => featureTag('payments'), UnknownTagError);
    assert.equal(featureTag('recommendations'), '@feature:recommendations');
  });

  it('the run-time guard used by the fixture reports every unknown tag of a test at once', () => {
    assert.deepEqual(unknownTags(['@smoke', '@fast', '@feature:nope']), ['@fast', '@feature:nope']);
    assert.throws(
      () => assertKnownTags(['@smoke', '@fast', '@feature:nope'], 'on test "x"'),
      /unknown tags "@fast", "@feature:nope" on test "x"/,
    );
    assert.doesNotThrow(() => assertKnownTags(['@smoke'], 'on test "y"'));
  });

  it("feature ids are read back from a test's tags", () => {
    assert.deepEqual(featuresOf(['@verify', '@feature:search', '@feature:orders', '@writes']), ['search', 'orders']);
  });

  it("verify details carry the feature tag and the registry's severity for the verdict and Allure", () => {
    const d = verifyDetails('checkout', { writes: true });
    assert.deepEqual(d.tag, ['@verify', '@feature:checkout', '@writes']);
    assert.deepEqual(
      d.annotation.find((a) => a.type === 'allure.label.severity'),
      { type: 'allure.label.severity', description: 'blocker' },
    );
    assert.deepEqual(verifyDetails('search').tag, ['@verify', '@feature:search']);
  });
});
