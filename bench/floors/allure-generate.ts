// Floor of the report section: a bare `npx allure generate` of the same allure-results, with Allure's defaults and no config.
// Usage: node --import tsx bench/floors/allure-generate.ts <allure-results> <output dir>   (prints the command, then runs it)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface BareGenerate {
  readonly command: string;
  readonly args: readonly string[];
  /** Run it from the repository root, so npx finds the installed allure and nothing is downloaded. */
  readonly cwd: string;
}

/**
 * `npx allure generate <results> -o <output> --cwd <empty dir>`: --cwd points Allure at a folder without allurerc, so
 * the repository's config (plugins, history file, categories) is not picked up and nothing is written into the repository.
 */
export function bareAllureGenerate(resultsDir: string, outputDir: string, emptyDir: string, root: string): BareGenerate {
  return { command: 'npx', args: ['--no-install', 'allure', 'generate', resultsDir, '-o', outputDir, '--cwd', emptyDir], cwd: root };
}

function main(argv: readonly string[]): number {
  const [results, output] = argv;
  if (!results || !output) {
    process.stderr.write('usage: node --import tsx bench/floors/allure-generate.ts <allure-results> <output dir>\n');
    return 4;
  }
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-bare-allure-'));
  const root = path.resolve(import.meta.dirname, '../..');
  const c = bareAllureGenerate(path.resolve(results), path.resolve(output), empty, root);
  process.stdout.write(`${c.command} ${c.args.join(' ')}\n`);
  const r = spawnSync(c.command, c.args, { cwd: c.cwd, stdio: 'inherit' });
  fs.rmSync(empty, { recursive: true, force: true });
  return r.status ?? 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exit(main(process.argv.slice(2)));
