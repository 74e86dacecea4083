// Unit tests for the suite's input check: environment, release manifest and browser problems come in ONE ConfigError, never in stages.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkInputs } from '../../fixtures/settings.ts';
import { ConfigError } from '../../scripts/config/errors.ts';

const only =
  (...present: string[]) =>
  (file: string) =>
    present.includes(file);
const BROWSER = '/opt/test/chromium';
/** The app profile's registry, as resolveSettings() passes it (the unit tests' own ids, never the demo's). */
const FEATURES = ['notebook', 'sharing'];

function withDir<T>(fn: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-suite-settings-'));
  try {
    return fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function manifestFile(dir: string, content: string | object): string {
  const file = path.join(dir, 'release-manifest.json');
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const MANIFEST = { version: '1.5.0', previousVersion: '1.4.0', deployedAt: '2026-11-26T10:00:00Z', changeSize: 'minor' };

function problemsOf(fn: () => unknown): { fields: string[]; message: string } {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `a ConfigError, not ${String(err)}`);
    return { fields: err.problems.map((p) => p.field), message: err.message };
  }
  assert.fail('no ConfigError was thrown');
}

describe("checking the suite's inputs", () => {
  it('a bad env value, an unknown manifest feature and a missing browser are listed together in one message', () => {
    withDir((dir) => {
      const manifest = manifestFile(dir, { ...MANIFEST, features: ['payments'] });
      const { fields, message } = problemsOf(() =>
        checkInputs({
          source: { AFTERCHECK_RETRIES: 'abc', AFTERCHECK_MANIFEST: manifest, CHROMIUM_PATH: '/nope', AFTERCHECK_BASE_URL: 'demo' },
          isExecutable: only(BROWSER),
          featureIds: FEATURES,
        }),
      );
      assert.deepEqual(fields, ['AFTERCHECK_RETRIES', `features[0] (in the release manifest ${manifest})`, 'CHROMIUM_PATH']);
      assert.match(
        message,
        new RegExp(
          `^aftercheck: 3 problems in the environment and the release manifest ${manifest.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:`,
        ),
      );
      for (const part of [
        'AFTERCHECK_RETRIES = "abc"',
        '"payments": is not a known feature id',
        'CHROMIUM_PATH = "/nope": is not an executable file',
      ])
        assert.ok(message.includes(part), `${part} in:\n${message}`);
    });
  });

  const cases: { name: string; env: (dir: string) => Record<string, string>; fields: (dir: string) => string[] }[] = [
    {
      name: 'no target and a manifest that is not JSON',
      env: (dir) => ({ AFTERCHECK_MANIFEST: manifestFile(dir, '{ "version": '), CHROMIUM_PATH: BROWSER }),
      fields: (dir) => ['AFTERCHECK_BASE_URL', `(file) (in the release manifest ${path.join(dir, 'release-manifest.json')})`],
    },
    {
      name: 'an invalid URL and no browser in any of the usual places',
      env: () => ({ AFTERCHECK_BASE_URL: 'ftp://shop.example.com' }),
      fields: () => ['AFTERCHECK_BASE_URL', 'CHROMIUM_PATH'],
    },
    {
      name: 'only a manifest with two problems',
      env: (dir) => ({
        AFTERCHECK_BASE_URL: 'https://shop.example.com',
        CHROMIUM_PATH: BROWSER,
        AFTERCHECK_MANIFEST: manifestFile(dir, { ...MANIFEST, changeSize: 'huge', features: ['notebook', 'nope'] }),
      }),
      // Alone, a file's problems keep their plain field names: the heading already names the file.
      fields: () => ['changeSize', 'features[1]'],
    },
  ];
  for (const c of cases) {
    it(`${c.name}: every problem in one error`, () => {
      withDir((dir) => {
        const { fields } = problemsOf(() => checkInputs({ source: c.env(dir), isExecutable: only(BROWSER), featureIds: FEATURES }));
        assert.deepEqual(fields, c.fields(dir));
      });
    });
  }

  it('good input passes, with the browser found and the manifest read', () => {
    withDir((dir) => {
      const manifest = manifestFile(dir, { ...MANIFEST, features: ['notebook'] });
      const checked = checkInputs({
        source: { AFTERCHECK_BASE_URL: 'https://shop.example.com', AFTERCHECK_MANIFEST: manifest },
        isExecutable: only('/usr/bin/chromium'),
        featureIds: FEATURES,
      });
      assert.equal(checked.executablePath, '/usr/bin/chromium');
      assert.equal(checked.env.baseUrl, 'https://shop.example.com');
      assert.ok(checked.manifest.kind === 'ok' && checked.manifest.manifest.features.includes('notebook'));
    });
  });
});
