// Integration tests (they run git) for manifest derivation on a real temporary git repo: mapped files, unmapped files, renames, deletions, bad refs, the CLI.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadProfile } from '../../scripts/config/profile.ts';
import { ConfigError } from '../../scripts/config/errors.ts';
import { deriveManifest, describeDerivation, mapChanges, renderManifest } from '../../scripts/gates/derive-manifest.ts';
import { parseNameStatus } from '../../scripts/adapters/git.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

// The bundled demo's registry, so the derivation and the command are tested with the globs a real profile has.
const REGISTRY = (await loadProfile('demo-shop')).config.features;

let repo: string;

function git(...args: string[]): string {
  return execFileSync(
    'git',
    ['-C', repo, '-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args],
    { encoding: 'utf8' },
  );
}

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
  fs.writeFileSync(path.join(repo, file), text);
}

const base = {
  from: 'v1.4.0',
  to: 'HEAD',
  version: '1.5.0',
  previousVersion: '1.4.0',
  deployedAt: '2026-11-26T10:00:00Z',
  registry: REGISTRY,
  source: 'test',
};

before(() => {
  repo = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-manifest-repo-'));
  git('init', '-q', '-b', 'main');
  // Enough distinct content for git's rename detection to recognise the moved cart view.
  write('demo/src/features/search.ts', 'export const search = 1;\n');
  write('demo/src/views/cart.ts', Array.from({ length: 30 }, (_, i) => `export const cartLine${i} = ${i};`).join('\n'));
  write('demo/src/features/orders.ts', 'export const list = 1;\n');
  write('demo/src/features/account.ts', 'export const account = 1;\n');
  write('README.md', '# shop\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'v1.4.0');
  git('tag', 'v1.4.0');

  write('demo/src/features/search.ts', 'export const search = 2;\n');
  git('mv', 'demo/src/views/cart.ts', 'demo/src/views/basket.ts');
  git('rm', '-q', 'demo/src/features/orders.ts');
  write('docs/notes with space.md', 'unmapped\n');
  write('README.md', '# shop, updated\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'v1.5.0');
});

after(() => fs.rmSync(repo, { recursive: true, force: true }));

describe('deriving the manifest from git', () => {
  it('maps changed files to features, counting both paths of a rename and deleted files', async () => {
    const d = await deriveManifest({ ...base, repo });
    assert.deepEqual(d.manifest.features, ['search', 'checkout', 'orders']);
    const byPath = Object.fromEntries(d.mapping.files.map((f) => [f.path, f]));
    assert.deepEqual(byPath['demo/src/features/search.ts']?.features, ['search']);
    assert.equal(byPath['demo/src/views/basket.ts']?.status, 'renamed');
    assert.equal(byPath['demo/src/views/basket.ts']?.oldPath, 'demo/src/views/cart.ts');
    assert.deepEqual(byPath['demo/src/views/basket.ts']?.features, ['checkout'], 'the old path maps the rename to checkout');
    assert.equal(byPath['demo/src/features/orders.ts']?.status, 'deleted');
    assert.deepEqual(byPath['demo/src/features/orders.ts']?.features, ['orders']);
    assert.equal(d.manifest.commit, git('rev-parse', 'HEAD').trim());
    assert.ok(!d.manifest.features.includes('account'), 'unchanged features are not in the manifest');
  });

  it('lists changed files that map to no feature, and says so in the report', async () => {
    const d = await deriveManifest({ ...base, repo });
    assert.deepEqual(d.mapping.unmapped.map((f) => f.path).sort(), ['README.md', 'docs/notes with space.md']);
    const report = describeDerivation(d, 'release-manifest.json');
    assert.ok(
      report.some((l) => /^Warning: 2 changed files map to no feature/.test(l)),
      report.join('\n'),
    );
    assert.ok(report.includes('  R demo/src/views/cart.ts → demo/src/views/basket.ts  →  checkout'), report.join('\n'));
    assert.ok(report.includes('Change size: minor (guessed: the minor version changed (1.4.0 → 1.5.0))'), report.join('\n'));
  });

  it('a ref that does not exist is a config error naming the ref and the fix', async () => {
    await assert.rejects(
      deriveManifest({ ...base, repo, from: 'v9.9.9' }),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.problems.length === 1 &&
        e.problems[0]!.field === '--from' &&
        e.message.includes('"v9.9.9"') &&
        e.message.includes('fetch-depth: 0'),
    );
  });

  it('a ref that looks like an option is refused rather than passed to git', async () => {
    await assert.rejects(
      deriveManifest({ ...base, repo, to: '--output=/tmp/x' }),
      (e: unknown) => e instanceof ConfigError && e.problems[0]!.field === '--to',
    );
  });

  it('a directory outside any git repository is reported as such', async () => {
    const lonely = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-manifest-norepo-'));
    try {
      await assert.rejects(
        deriveManifest({ ...base, repo: lonely }),
        (e: unknown) => e instanceof ConfigError && /not inside a git repository/.test(e.message),
      );
    } finally {
      fs.rmSync(lonely, { recursive: true, force: true });
    }
  });

  it('the written manifest points at its JSON Schema first and validates', async () => {
    const d = await deriveManifest({ ...base, repo });
    const text = renderManifest(d.manifest, path.join(ROOT, 'release-manifest.json'));
    const json = JSON.parse(text) as Record<string, unknown>;
    assert.equal(Object.keys(json)[0], '$schema');
    assert.equal(json.$schema, './schemas/release-manifest.schema.json');
    assert.deepEqual(json.features, ['search', 'checkout', 'orders']);
  });
});

describe('git name-status parsing', () => {
  it('keeps names with tabs and spaces intact and reads both paths of renames and copies', () => {
    const out = ['M', 'a b.ts', 'R087', 'old\tname.ts', 'new name.ts', 'D', 'gone.ts', 'C100', 'x.ts', 'y.ts', ''].join('\0');
    assert.deepEqual(parseNameStatus(out), [
      { status: 'modified', path: 'a b.ts' },
      { status: 'renamed', path: 'new name.ts', oldPath: 'old\tname.ts' },
      { status: 'deleted', path: 'gone.ts' },
      { status: 'copied', path: 'y.ts', oldPath: 'x.ts' },
    ]);
  });

  it('maps with globs, so a new file under a feature directory belongs to it', () => {
    const registry = { orders: { paths: ['src/features/orders/**'] }, search: { paths: ['src/search.ts'] } };
    const m = mapChanges(
      [
        { status: 'added', path: 'src/features/orders/export.ts' },
        { status: 'added', path: 'src/other.ts' },
      ],
      registry,
    );
    assert.deepEqual(m.features, ['orders']);
    assert.deepEqual(
      m.unmapped.map((f) => f.path),
      ['src/other.ts'],
    );
  });
});

describe('the manifest command', () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/cli/manifest.ts'), ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('writes the manifest and prints files → features, unmapped files and how the size was decided', () => {
    const out = path.join(repo, 'out', 'release-manifest.json');
    const r = cli(
      '--repo',
      repo,
      '--from',
      'v1.4.0',
      '--version',
      '1.5.0',
      '--previous-version',
      '1.4.0',
      '--deployed-at',
      '2026-11-26T10:00:00Z',
      '--out',
      out,
    );
    assert.equal(r.status, 0, r.stderr);
    const written = JSON.parse(fs.readFileSync(out, 'utf8')) as { features: string[]; changeSize: string; $schema: string };
    assert.deepEqual(written.features, ['search', 'checkout', 'orders']);
    assert.equal(written.changeSize, 'minor');
    assert.match(written.$schema, /schemas\/release-manifest\.schema\.json$/);
    assert.match(r.stdout, /Warning: 2 changed files map to no feature/);
    assert.match(r.stdout, /D demo\/src\/features\/orders\.ts {2}→ {2}orders/);
    assert.match(r.stdout, /Change size: minor \(guessed: /);
  });

  it('a bad ref exits 4 with the ref named', () => {
    const r = cli('--repo', repo, '--from', 'no-such-tag', '--version', '1.5.0', '--previous-version', '1.4.0', '--out', '-');
    assert.equal(r.status, 4);
    assert.match(r.stderr, /--from = "no-such-tag": is not a commit/);
    assert.equal(r.stdout, '');
  });

  it('missing and malformed flags are all reported at once with exit 4', () => {
    const r = cli('--change-size', 'huge');
    assert.equal(r.status, 4);
    for (const flag of ['--from', '--version', '--previous-version', '--change-size'])
      assert.ok(r.stderr.includes(`${flag} = `), `${flag} in ${r.stderr}`);
  });
});
