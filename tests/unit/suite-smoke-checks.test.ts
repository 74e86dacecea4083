// Unit tests for the http checks' response matching: JSONPath (keys with dots too), XPath, text and regex, statuses, and messages that say what was seen.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bodyProblems, jsonMatches, jsonProblems, statusAccepted, xmlProblems } from '../../fixtures/matchers.ts';
import { needles } from '../helpers/find-secret.ts';

describe('http check JSON rules (JSONPath)', () => {
  const body = {
    products: [{ id: 1, price: 12.5 }],
    empty: [],
    checks: { database: 'ok', cache: 'fail: timeout' },
    versions: { '1.0.0': { status: 'current' } },
    status: 'ok',
    count: 0,
    flag: false,
    nothing: null,
  };

  it('selects through objects, arrays and keys that contain dots', () => {
    const cases: [string, unknown[]][] = [
      ['$.products[0].id', [1]],
      ['$.checks.database', ['ok']],
      ["$['versions']['1.0.0'].status", ['current']],
      ['$.count', [0]],
      ['$.flag', [false]],
      ['$.products[1].id', []],
      ['$.nope', []],
      ['$.products[*].price', [12.5]],
    ];
    for (const [p, want] of cases) assert.deepEqual(jsonMatches(body, p), want, p);
  });

  it('expectations: equal values, regexes, present and absent, each mismatch naming the path, what was seen and what was expected', () => {
    const cases: [Record<string, unknown>, string[]][] = [
      [{ '$.status': 'ok', '$.checks.database': 'ok', '$.count': 0, '$.flag': false, '$.nothing': null }, []],
      [{ '$.products[0]': { exists: true }, '$.empty[0]': { exists: false }, "$['versions']['1.0.0'].status": /^cur/ }, []],
      [{ '$.checks.cache': 'ok' }, ['$.checks.cache is "fail: timeout" (expected "ok")']],
      [{ '$.checks.queue': 'ok' }, ['$.checks.queue is missing (expected "ok")']],
      [{ '$.count': 1 }, ['$.count is 0 (expected 1)']],
      [{ '$.empty[0]': { exists: true } }, ['$.empty[0] is missing']],
      [{ '$.status': { exists: false } }, ['$.status is present ("ok") but must be absent']],
      [{ '$.checks.cache': /^ok/ }, ['$.checks.cache is "fail: timeout", which does not match /^ok/']],
    ];
    for (const [expected, problems] of cases)
      assert.deepEqual(jsonProblems(body, expected as Parameters<typeof jsonProblems>[1]), problems, JSON.stringify(expected));
  });

  it('a JSON expectation against a body that is not JSON says what the body is', () => {
    assert.deepEqual(bodyProblems({ json: { '$.status': 'ok' } }, 'text/html', '<h1>Maintenance</h1>'), [
      'the answer is not JSON (content type text/html): <h1>Maintenance</h1>',
    ]);
  });
});

describe('http check text, XML and status rules', () => {
  const xml = '<?xml version="1.0"?><status><db state="up"/><version>1.2.0</version><app>ok</app></status>';

  it('XPath values, attributes and presence match, and mismatches say what was seen', () => {
    assert.deepEqual(
      xmlProblems(xml, { '/status/app': 'ok', '/status/db/@state': 'up', '//version': /^1\./, '/status/queue': { exists: false } }),
      [],
    );
    assert.deepEqual(xmlProblems(xml, { '/status/db/@state': 'down', '/status/queue': 'ok', '/status/app': { exists: false } }), [
      '/status/db/@state is "up" (expected "down")',
      '/status/queue is missing (expected "ok")',
      '/status/app is present',
    ]);
    assert.deepEqual(xmlProblems('not xml at all <', { '/a': 'b' }).length, 1);
    assert.match(xmlProblems('not xml at all <', { '/a': 'b' })[0]!, /^the answer is not XML/);
  });

  it('text is a substring and a RegExp a pattern; the content type is a case-insensitive substring', () => {
    assert.deepEqual(bodyProblems({ text: 'db=up', contentType: 'text/plain' }, 'text/plain; charset=utf-8', 'ok db=up v=1'), []);
    assert.deepEqual(bodyProblems({ text: /^ok\b/ }, 'text/plain', 'ok db=up'), []);
    assert.deepEqual(bodyProblems({ text: 'db=up' }, 'text/plain', 'ok db=down'), ['the answer does not contain "db=up": ok db=down']);
    assert.deepEqual(bodyProblems({ contentType: 'json' }, 'text/html', '<p>'), [
      'the content type is "text/html" (expected one containing "json")',
    ]);
  });

  it('statuses: any 2xx by default, else exactly the listed ones', () => {
    const cases: [number, number | number[] | undefined, boolean][] = [
      [200, undefined, true],
      [204, undefined, true],
      [301, undefined, false],
      [401, 401, true],
      [200, 401, false],
      [404, [200, 404], true],
    ];
    for (const [status, expected, ok] of cases) assert.equal(statusAccepted(status, expected), ok, `${status} vs ${expected}`);
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
