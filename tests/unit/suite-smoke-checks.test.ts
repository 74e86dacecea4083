// Unit tests for the smoke checks' JSON rules: dotted paths, non-empty arrays, expected values, and messages that name path, value and expectation.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectationProblems, jsonPathProblems, valueAt } from '../../fixtures/smoke-checks.ts';
import { needles } from '../helpers/find-secret.ts';

describe('smoke check JSON rules', () => {
  const body = {
    products: [{ id: 1, price: 12.5 }],
    empty: [],
    checks: { database: 'ok', cache: 'fail: timeout' },
    status: 'ok',
    count: 0,
    flag: false,
  };

  it('reads dotted paths through objects and arrays', () => {
    const cases: [string, unknown][] = [
      ['products.0.id', 1],
      ['checks.database', 'ok'],
      ['count', 0],
      ['flag', false],
      ['products.1.id', undefined],
      ['checks.database.x', undefined],
      ['nope', undefined],
    ];
    for (const [p, want] of cases) assert.deepEqual(valueAt(body, p), want, p);
  });

  it('"x[]" requires a non-empty array and "x.y" requires presence, even of falsy values', () => {
    const cases: [string[], string[]][] = [
      [['products[]', 'products.0.id', 'count', 'flag'], []],
      [['empty[]'], ['empty is an empty array']],
      [['status[]'], ['status is not an array (string)']],
      [
        ['missing[]', 'products.0.sku'],
        ['missing is missing', 'products.0.sku is missing'],
      ],
    ];
    for (const [paths, problems] of cases) assert.deepEqual(jsonPathProblems(body, paths), problems, paths.join(','));
  });

  it('expected values name the path, the value seen and the value expected', () => {
    assert.deepEqual(expectationProblems(body, { status: 'ok', 'checks.database': 'ok' }), []);
    assert.deepEqual(expectationProblems(body, { 'checks.cache': 'ok', 'checks.queue': 'ok', count: 1 }), [
      'checks.cache is "fail: timeout" (expected "ok")',
      'checks.queue is missing (expected "ok")',
      'count is 0 (expected 1)',
    ]);
  });
});

describe('secret needles for report scanning', () => {
  it('find the secret inside base64 whatever its byte alignment', () => {
    const secret = 'planted-secret-42';
    for (const prefix of ['', 'a', 'ab', 'abc', '{"x":"']) {
      const encoded = Buffer.from(`${prefix}${secret}"}`).toString('base64');
      assert.ok(
        needles(secret).some((n) => encoded.includes(n.toString())),
        `prefix ${JSON.stringify(prefix)}`,
      );
    }
  });

  it('do not match text that lacks the secret', () => {
    const other = Buffer.from('{"user":"synthetic.monitor@demo.shop","note":"no password here"}').toString('base64');
    assert.ok(!needles('planted-secret-42').some((n) => other.includes(n.toString())));
  });
});
