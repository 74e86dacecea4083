// Runs every tests/unit/*.test.ts in this one process (`node --import tsx --test tests/run-unit.ts`): unit tests are pure
// (tests/unit/unit-purity.test.ts keeps them so), so they need no process each, and starting node and tsx once per
// file cost five times the CPU of the tests themselves (28 s against 5 s on two cores).
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

const UNIT = path.join(import.meta.dirname, 'unit');

// One after the other, in name order, as the files would be listed: registration order is report order. A file that
// fails to load is a failed test under its name, and the others still run.
for (const file of fs
  .readdirSync(UNIT)
  .filter((f) => f.endsWith('.test.ts'))
  .sort()) {
  try {
    await import(pathToFileURL(path.join(UNIT, file)).href);
  } catch (err) {
    test(`tests/unit/${file} loads`, () => {
      throw err;
    });
  }
}
