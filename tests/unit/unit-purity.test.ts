// Keeps tests/unit pure and fast: no file there imports what starts a process, a server, a browser, influxd or git.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const UNIT = path.join(ROOT, 'tests/unit');

/** Packages whose values start processes, servers, sockets or browsers. `import type` from them is fine: types vanish. */
const FORBIDDEN_PACKAGES: Readonly<Record<string, string>> = {
  child_process: 'starts child processes',
  http: 'creates servers and sockets',
  https: 'creates servers and sockets',
  http2: 'creates servers and sockets',
  net: 'creates servers and sockets',
  tls: 'creates servers and sockets',
  dgram: 'creates sockets',
  '@playwright/test': 'launches a browser',
  playwright: 'launches a browser',
  'playwright-core': 'launches a browser',
};

/** Repository modules that exist to start something: integration tests use them, unit tests never. */
const FORBIDDEN_MODULES: Readonly<Record<string, string>> = {
  'scripts/setup/influxd.ts': 'the influxd launcher',
  'scripts/setup/lifecycle.ts': 'the process lifecycle (spawns and signals children)',
  'scripts/adapters/git.ts': 'the git adapter',
  'demo/launch.ts': 'the demo shop launcher',
  'demo/notes/launch.ts': 'the Fieldnotes launcher',
  'tests/helpers/commands.ts': 'runs commands as child processes',
  'tests/helpers/repo-copy.ts': 'copies the repository with git and runs commands in it',
  'tests/helpers/run-suite.ts': 'runs the Playwright suite',
  'tests/helpers/static-server.ts': 'serves files over HTTP',
  'tests/helpers/recording-proxy.ts': 'an HTTP proxy server',
};

interface Import {
  readonly specifier: string;
  readonly typeOnly: boolean;
}

/**
 * Every module a source file imports: static import and export-from statements (the formatter ends each with a
 * semicolon), side-effect imports, dynamic import() and require() with a literal specifier.
 */
function importsOf(source: string): Import[] {
  const out: Import[] = [];
  for (const [statement] of source.matchAll(/^[ \t]*(?:import|export)\b[^;]*;/gm)) {
    const spec =
      /\bfrom\s*['"]([^'"]+)['"]\s*(?:with\s*\{[^}]*\}\s*)?;$/.exec(statement) ?? /^\s*import\s*['"]([^'"]+)['"]/.exec(statement);
    if (spec) out.push({ specifier: spec[1]!, typeOnly: /^\s*(?:import|export)\s+type\b/.test(statement) });
  }
  for (const m of source.matchAll(/\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*[,)]/g)) out.push({ specifier: m[1]!, typeOnly: false });
  return out;
}

/** Why `file` (repository-relative) may not import `specifier`, or undefined when it may. */
function forbiddenImport(file: string, { specifier, typeOnly }: Import): string | undefined {
  if (typeOnly) return undefined;
  if (specifier.startsWith('.')) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
    return FORBIDDEN_MODULES[target];
  }
  const bare = specifier.replace(/^node:/, '');
  const pkg = bare.startsWith('@') ? bare.split('/').slice(0, 2).join('/') : bare.split('/')[0]!;
  return FORBIDDEN_PACKAGES[pkg];
}

function problemsIn(file: string, source: string): string[] {
  return importsOf(source).flatMap((i) => {
    const why = forbiddenImport(file, i);
    return why ? [`${file} imports ${i.specifier}: ${why}; move the test to tests/integration or make it pure`] : [];
  });
}

describe('tests/unit stays pure', () => {
  it('no file in tests/unit imports a child process, a server, a browser, the influxd launcher or the git adapter', () => {
    const files = fs.readdirSync(UNIT).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length > 10, `found ${files.length} files in tests/unit`);
    const problems = files.flatMap((f) => problemsIn(`tests/unit/${f}`, fs.readFileSync(path.join(UNIT, f), 'utf8')));
    assert.deepEqual(problems, []);
  });

  it('no file in tests/unit has a top-level beforeEach or afterEach: tests/run-unit.ts runs them all in one process', () => {
    // A root hook there would run around every test of every file; inside a describe block it stays with its file.
    const files = fs.readdirSync(UNIT).filter((f) => f.endsWith('.ts'));
    const rootHooks = files.filter((f) => /^(?:beforeEach|afterEach)\(/m.test(fs.readFileSync(path.join(UNIT, f), 'utf8')));
    assert.deepEqual(rootHooks, []);
  });

  it('every forbidden repository module exists, so a rename cannot silently empty the list', () => {
    const missing = Object.keys(FORBIDDEN_MODULES).filter((m) => !fs.existsSync(path.join(ROOT, m)));
    assert.deepEqual(missing, []);
  });

  const F = 'tests/unit/x.test.ts';
  const cases: [string, string, string[]][] = [
    ['a child process import', "import { spawnSync } from 'node:child_process';", ['node:child_process']],
    ['the bare child_process name', "import cp from 'child_process';", ['child_process']],
    ['an HTTP server module', "import http from 'node:http';", ['node:http']],
    [
      'a multi-line import of a launcher',
      "import {\n  startInfluxd,\n  type Influxd,\n} from '../../scripts/setup/influxd.ts';",
      ['../../scripts/setup/influxd.ts'],
    ],
    ['the git adapter', "import { gitLog } from '../../scripts/adapters/git.ts';", ['../../scripts/adapters/git.ts']],
    // \x27 is a quote: written out, these two lines would be flagged in this very file.
    ['a dynamic import of Playwright', 'const { chromium } = await import(\x27@playwright/test\x27);', ['@playwright/test']],
    ['a require of playwright-core', 'const pw = require(\x27playwright-core/lib/server\x27);', ['playwright-core/lib/server']],
    ['a re-export of the demo launcher', "export { startDemo } from '../../demo/launch.ts';", ['../../demo/launch.ts']],
    ['a side-effect import of a test helper', "import '../helpers/commands.ts';", ['../helpers/commands.ts']],
    ['a type-only import of Playwright', "import type { Page } from '@playwright/test';", []],
    ['pure modules', "import fs from 'node:fs';\nimport { parsePolicy } from '../../scripts/config/policy.ts';", []],
    ['an import in a comment line of prose', '// we never import child_process here', []],
  ];
  for (const [name, source, expected] of cases)
    it(`the check flags ${expected.length ? '' : 'nothing in '}${name}`, () => {
      assert.deepEqual(
        problemsIn(F, source).map((p) => /imports (\S+):/.exec(p)![1]),
        expected,
      );
    });
});
