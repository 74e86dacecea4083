// Moves a previous run's reports aside (into <reports>/previous/), so that nothing is lost and nothing stale looks current.
import fs from 'node:fs';
import path from 'node:path';

export const PREVIOUS_DIR = 'previous';

/** Moves each existing `names` entry of `reportsDir` into `reportsDir/previous/` (replacing an older copy there); returns what moved. */
export function retireReports(reportsDir: string, names: readonly string[]): string[] {
  const moved: string[] = [];
  const target = path.join(reportsDir, PREVIOUS_DIR);
  for (const name of names) {
    const from = path.join(reportsDir, name);
    if (!fs.existsSync(from)) continue;
    fs.mkdirSync(target, { recursive: true });
    const to = path.join(target, name);
    fs.rmSync(to, { recursive: true, force: true });
    fs.renameSync(from, to);
    moved.push(name);
  }
  return moved;
}
