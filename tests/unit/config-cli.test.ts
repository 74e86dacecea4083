// Unit tests for the shared flag parser: every problem on the command line is found in one pass.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFlags } from '../../scripts/config/cli.ts';

const OPTIONS = { out: { type: 'string' }, json: { type: 'boolean' } } as const;

describe('parsing command-line flags', () => {
  const cases: Array<{ name: string; argv: string[]; values: Record<string, unknown>; fields: string[] }> = [
    {
      name: 'known flags are read, with = or a separate value',
      argv: ['--out=a.json', '--json'],
      values: { out: 'a.json', json: true },
      fields: [],
    },
    { name: 'the last occurrence of a flag wins', argv: ['--out', 'a', '--out', 'b'], values: { out: 'b' }, fields: [] },
    {
      name: 'an unknown flag, a stray argument and a missing value are all reported',
      argv: ['--bogus', 'stray', '--out'],
      values: {},
      fields: ['--bogus', 'arguments', '--out'],
    },
    { name: 'a boolean flag given a value is reported', argv: ['--json=yes'], values: {}, fields: ['--json'] },
    { name: 'a string flag followed by another flag has no value', argv: ['--out', '--json'], values: { json: true }, fields: ['--out'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { values, problems } = parseFlags(c.argv, OPTIONS, 'npm run x');
      assert.deepEqual(
        problems.map((p) => p.field),
        c.fields,
      );
      for (const [k, v] of Object.entries(c.values)) assert.equal((values as Record<string, unknown>)[k], v, k);
      for (const p of problems) assert.ok(p.fix.length > 5, `${p.field} has a fix`);
    });
  }
});
