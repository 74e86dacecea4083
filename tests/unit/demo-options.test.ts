// Unit tests for `npm run demo`'s options: defaults, and every bad option reported at once.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseOptions } from '../../scripts/cli/demo.ts';
import { ConfigError } from '../../scripts/config/errors.ts';

/** A registry of the test's own: the demo runner takes its features from the demo profile, passed in. */
const KNOWN = ['alpha', 'beta', 'gamma', 'recommendations'];

describe('npm run demo options', () => {
  it('defaults to a healthy minor release of every tested feature at 8 requests per second', () => {
    assert.deepEqual(parseOptions([], KNOWN), {
      faults: [],
      faultAfterMs: null,
      features: ['alpha', 'beta', 'gamma'],
      changeSize: 'minor',
      version: '1.5.0',
      previousVersion: '1.4.0',
      rps: 8,
    });
  });

  it('reads faults and features as comma-separated lists', () => {
    const o = parseOptions(['--faults=errors,slow', '--features', 'beta'], KNOWN);
    assert.ok(o !== 'help');
    assert.deepEqual([o.faults, o.features], [['errors', 'slow'], ['beta']]);
  });

  it('reports an unknown flag, an unknown fault, an unknown feature, a bad size and a bad rate together', () => {
    try {
      parseOptions(['--bogus', '--faults=nope', '--features=wishlist', '--change-size=huge', '--rps=0'], KNOWN);
      assert.fail('expected a ConfigError');
    } catch (e) {
      assert.ok(e instanceof ConfigError, String(e));
      assert.deepEqual(
        e.problems.map((p) => p.field),
        ['--bogus', '--faults', '--features', '--change-size', '--rps'],
      );
      assert.match(e.message, /health-500/, 'the known faults are listed');
      assert.equal(e.exitCode, 4);
    }
  });
});
