// Unit tests for the demo shop's HTTP and HTML helpers: cookie parsing, safe redirects, ids, escaping and money.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCookies, parseId, safeLocalPath, serializeCookie } from '../../demo/src/http.ts';
import { escapeHtml, html, jsonScript, money } from '../../demo/src/views/html.ts';

describe('cookie parsing', () => {
  const cases: { name: string; header: string | undefined; expected: Record<string, string> }[] = [
    { name: 'no header gives no cookies', header: undefined, expected: {} },
    {
      name: 'pairs are split on semicolons and trimmed',
      header: 'a=1;  sid=abc ; theme=dark',
      expected: { a: '1', sid: 'abc', theme: 'dark' },
    },
    { name: 'a value may contain "=" after the first one', header: 'sid=abc==; x=1', expected: { sid: 'abc==', x: '1' } },
    { name: 'the first occurrence of a name wins', header: 'sid=first; sid=second', expected: { sid: 'first' } },
    { name: 'quoted values are unquoted', header: 'sid="quoted"', expected: { sid: 'quoted' } },
    { name: 'percent-encoded values are decoded', header: 'name=J%C3%BCrgen', expected: { name: 'Jürgen' } },
    { name: 'an undecodable value is skipped, not fatal', header: 'bad=%E0%A4%A; sid=ok', expected: { sid: 'ok' } },
    { name: 'pairs without "=" and names with separators are skipped', header: 'lonely; bad name=1; sid=ok', expected: { sid: 'ok' } },
    { name: 'an empty value is kept as empty', header: 'sid=', expected: { sid: '' } },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(Object.fromEntries(parseCookies(c.header)), c.expected));

  it('a session cookie is HttpOnly, SameSite=Lax and scoped to the whole site', () => {
    const cookie = serializeCookie('sid', 'a b', { maxAgeSeconds: 60 });
    assert.equal(cookie, 'sid=a%20b; Path=/; HttpOnly; SameSite=Lax; Max-Age=60');
    assert.deepEqual(Object.fromEntries(parseCookies(cookie.split(';')[0])), { sid: 'a b' });
  });
});

describe('redirect targets after sign-in', () => {
  const cases: [string, string | null, string][] = [
    ['a local path is kept', '/cart', '/cart'],
    ['a local path with a query is kept', '/search?q=mug', '/search?q=mug'],
    ['a protocol-relative URL would leave the site, so it becomes /', '//evil.example/x', '/'],
    ['a backslash trick would leave the site, so it becomes /', '/\\evil.example', '/'],
    ['an absolute URL becomes /', 'https://evil.example/', '/'],
    ['a missing value becomes /', null, '/'],
  ];
  for (const [name, raw, expected] of cases) it(name, () => assert.equal(safeLocalPath(raw), expected));
});

describe('ids from paths and forms', () => {
  const cases: [string, string | undefined, number | undefined][] = [
    ['a positive whole number is an id', '1001', 1001],
    ['zero is not an id', '0', undefined],
    ['a leading zero is not an id', '012', undefined],
    ['a negative number is not an id', '-1', undefined],
    ['a decimal is not an id', '1.5', undefined],
    ['text is not an id', '1 OR 1=1', undefined],
    ['more than ten digits is not an id', '12345678901', undefined],
    ['nothing is not an id', undefined, undefined],
  ];
  for (const [name, raw, expected] of cases) it(name, () => assert.equal(parseId(raw), expected));
});

describe('HTML escaping', () => {
  it('every interpolated string is escaped, including quotes for attributes', () => {
    const name = `<script>alert("x")</script>' onmouseover='x`;
    assert.equal(
      html`<a title="${name}">${name}</a>`.value,
      `<a title="${escapeHtml(name)}">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x</a>`,
    );
  });

  it('built markup is inserted as is, and arrays are joined', () => {
    const items = ['a&b', 'c'].map((s) => html`<li>${s}</li>`);
    assert.equal(html`<ul>${items}</ul>`.value, '<ul><li>a&amp;b</li><li>c</li></ul>');
  });

  it('empty values render nothing', () => {
    assert.equal(html`[${undefined}${null}${false}]`.value, '[]');
  });

  it('JSON embedded in a page cannot close its script element', () => {
    const out = jsonScript('cfg', { note: '</script><script>alert(1)</script>' }).value;
    assert.equal(out.match(/<\/script>/g)?.length, 1, 'only the real closing tag');
    assert.deepEqual(JSON.parse(out.replace(/^<script[^>]*>/, '').replace(/<\/script>$/, '')), {
      note: '</script><script>alert(1)</script>',
    });
  });
});

describe('money', () => {
  const cases: [number, string][] = [
    [1250, '$12.50'],
    [5, '$0.05'],
    [0, '$0.00'],
    [123456789, '$1,234,567.89'],
    [-250, '-$2.50'],
  ];
  for (const [cents, shown] of cases) it(`${cents} cents are shown as ${shown}`, () => assert.equal(money(cents), shown));
});
