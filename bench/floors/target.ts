// The smoke floors' input: the demo shop to check, its synthetic account and the Chromium binary, from floor-target.json in the working directory.
import fs from 'node:fs';
import path from 'node:path';

export interface FloorTarget {
  readonly baseURL: string;
  readonly username: string;
  readonly password: string;
  readonly chromium: string;
}

/** The file the bench writes next to each floor run (its working directory); a hand run can write one too. */
export const FLOOR_TARGET_FILE = 'floor-target.json';

/**
 * Reads and checks the target by hand, not with zod: a floor must stay bare, and zod's import (0.1–0.2 s here) would be
 * timed as floor. The file is written by the bench itself; a wrong one names every missing field at once.
 */
export function floorTarget(file = path.resolve(FLOOR_TARGET_FILE)): FloorTarget {
  const raw: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const missing = ['baseURL', 'username', 'password', 'chromium'].filter((k) => typeof o[k] !== 'string' || !o[k]);
  if (missing.length) throw new Error(`${file}: ${missing.join(', ')} must be non-empty strings`);
  return { baseURL: String(o.baseURL), username: String(o.username), password: String(o.password), chromium: String(o.chromium) };
}
