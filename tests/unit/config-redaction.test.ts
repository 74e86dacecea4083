// Redaction happens when output is written and only inside free-text strings: a property test with secrets drawn from
// the very words, numbers and enum values of a verdict, so that no secret can change what a report says.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verdictDocument, type VerdictContext } from '../../scripts/adapters/verdict-files.ts';
import { redact, redactJson, redactUrl, REDACTED, stringifyRedacted } from '../../scripts/config/redact.ts';
import { VOCABULARY } from '../../scripts/engine/vocabulary.ts';
import { decide } from '../../scripts/engine/verdict/index.ts';
import { AFTER, FEATURES, health, manifest, policy, run, signal } from './verdict-fixtures.ts';

const POLICY = policy();
const verdict = decide({
  policy: POLICY,
  manifest: manifest(),
  tests: run(),
  health: health([signal('error_rate', 'fail'), signal('latency_p95', 'warn')]),
  appFeatures: FEATURES,
  now: AFTER,
});
const ctx: VerdictContext = {
  target: 'https://shop.example.test',
  service: 'demo-shop',
  policy: { policy: POLICY, path: 'p.json', digest: 'sha256:abc' },
  manifest: manifest(),
  secrets: [],
};
const doc = verdictDocument(verdict, ctx);

/** Every leaf of a JSON value with its path; strings, numbers, booleans and nulls. */
function leaves(v: unknown, at = '$'): [string, unknown][] {
  if (Array.isArray(v)) return v.flatMap((x, i) => leaves(x, `${at}[${i}]`));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => leaves(x, `${at}.${k}`));
  return [[at, v]];
}

const text = JSON.stringify(doc);
// Candidate secrets: the words, numbers and enum values a report is made of (at least 4 characters: shorter ones are never replaced).
const candidates = [...new Set([...(text.match(/[A-Za-z0-9_.%-]{4,}/g) ?? []), ...(text.match(/[A-Za-z0-9_]{4,}/g) ?? [])])]
  .filter((w) => !/^\d{4}-\d{2}-\d{2}T/.test(w))
  .slice(0, 400);

describe('redaction of a verdict document, with secrets drawn from its own words', () => {
  it(`draws a large sample of candidate secrets (${candidates.length}), including enum values, numbers and years`, () => {
    assert.ok(candidates.length > 100);
    for (const w of ['rollback', 'fail', 'major', 'true', '2026', 'error_rate']) assert.ok(candidates.includes(w), w);
  });

  it('for every candidate: same keys, numbers, booleans, enum values and timestamps; valid JSON; the secret gone from free text', () => {
    const before = new Map(leaves(doc));
    for (const secret of candidates) {
      const out = JSON.parse(stringifyRedacted(doc, [secret], VOCABULARY)) as unknown;
      const after = new Map(leaves(out));
      assert.deepEqual([...after.keys()], [...before.keys()], `keys changed for ${secret}`);
      for (const [at, v] of before) {
        const w = after.get(at);
        if (typeof v !== 'string' || VOCABULARY.has(v) || /^\d{4}-\d{2}-\d{2}T/.test(v))
          assert.deepEqual(w, v, `${at} changed for secret ${JSON.stringify(secret)}`);
        else assert.ok(!String(w).includes(secret), `${at} still holds ${secret}`);
      }
      assert.equal((out as { decision: string }).decision, 'rollback');
    }
  });
});

describe('redaction of free text and URLs', () => {
  const rows: [string, string, string[], string][] = [
    ['a password in a message', 'login failed with hunter2-x', ['hunter2-x'], `login failed with ${REDACTED}`],
    ['its URL-encoded form', 'GET /?p=a%2Fb%3Dc', ['a/b=c'], `GET /?p=${REDACTED}`],
    ['secrets shorter than 4 characters are left (they would shred ordinary words)', 'fail at 123', ['123'], 'fail at 123'],
  ];
  for (const [name, input, secrets, want] of rows) it(`redacts ${name}`, () => assert.equal(redact(input, secrets), want));

  const urls: [string, string][] = [
    ['https://u:p@shop.test/x', `https://${encodeURIComponent(REDACTED)}:${encodeURIComponent(REDACTED)}@shop.test/x`],
    ['https://shop.test/?token=abc&x=1', `https://shop.test/?token=${encodeURIComponent(REDACTED)}&x=1`],
    ['https://shop.test/?X-Amz-Signature=abc', `https://shop.test/?X-Amz-Signature=${encodeURIComponent(REDACTED)}`],
    [
      'https://shop.test/?api_key=abc&session=def',
      `https://shop.test/?api_key=${encodeURIComponent(REDACTED)}&session=${encodeURIComponent(REDACTED)}`,
    ],
    ['https://shop.test/?page=2', 'https://shop.test/?page=2'],
  ];
  for (const [url, want] of urls) it(`redacts credentials in ${url}`, () => assert.equal(redactUrl(url), want));

  it('never touches keys, numbers or words of the vocabulary in JSON', () => {
    assert.deepEqual(redactJson({ fail: 'fail', n: 1000, msg: 'limit 1000 failed' }, ['fail', '1000'], VOCABULARY), {
      fail: 'fail',
      n: 1000,
      msg: `limit ${REDACTED} ${REDACTED}ed`,
    });
  });
});
