// Unit tests for sizing a change: a given size wins, else migrations, then infrastructure, then the semver bump; unguessable → config error.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../scripts/config/errors.ts';
import { decideChangeSize, semverSize } from '../../scripts/gates/derive-manifest.ts';

describe('guessing the change size', () => {
  const cases: { name: string; version: string; previous: string; paths: string[]; size: string; how: RegExp }[] = [
    {
      name: 'a patch bump with app code only is a patch',
      version: '1.4.3',
      previous: '1.4.2',
      paths: ['src/a.ts'],
      size: 'patch',
      how: /patch or pre-release part changed \(1\.4\.2 → 1\.4\.3\)/,
    },
    {
      name: 'a minor bump is minor',
      version: 'v1.5.0',
      previous: 'v1.4.2',
      paths: ['src/a.ts'],
      size: 'minor',
      how: /minor version changed/,
    },
    { name: 'a major bump is major', version: '2.0.0', previous: '1.9.9', paths: [], size: 'major', how: /major version changed/ },
    { name: 'a pre-release step is a patch', version: '2.0.0-rc.2', previous: '2.0.0-rc.1', paths: [], size: 'patch', how: /pre-release/ },
    {
      name: 'the same version again is a redeploy, sized as a patch',
      version: '1.4.2',
      previous: '1.4.2',
      paths: [],
      size: 'patch',
      how: /did not change/,
    },
    {
      name: 'a migration file makes it a migration, whatever the version says',
      version: '1.4.3',
      previous: '1.4.2',
      paths: ['src/a.ts', 'db/migrations/0042_add_index.sql'],
      size: 'migration',
      how: /migration files changed \(db\/migrations\/0042_add_index\.sql\)/,
    },
    {
      name: 'a Dockerfile makes it infrastructure',
      version: '1.4.3',
      previous: '1.4.2',
      paths: ['Dockerfile'],
      size: 'infrastructure',
      how: /infrastructure files changed \(Dockerfile\)/,
    },
    {
      name: 'a CI workflow makes it infrastructure',
      version: '1.5.0',
      previous: '1.4.2',
      paths: ['.github/workflows/deploy.yml'],
      size: 'infrastructure',
      how: /infrastructure/,
    },
    {
      name: 'migrations outrank infrastructure',
      version: '1.4.3',
      previous: '1.4.2',
      paths: ['k8s/deploy.yaml', 'migrations/003.sql'],
      size: 'migration',
      how: /migration/,
    },
    {
      name: 'non-semver versions still size by migration evidence',
      version: 'build-812',
      previous: 'build-811',
      paths: ['prisma/schema.prisma'],
      size: 'migration',
      how: /schema\.prisma/,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = decideChangeSize({ version: c.version, previousVersion: c.previous, changedPaths: c.paths });
      assert.equal(d.size, c.size);
      assert.equal(d.given, false);
      assert.match(d.how, /^guessed: /);
      assert.match(d.how, c.how);
    });
  }

  it('a given size wins and is reported as given', () => {
    const d = decideChangeSize({ given: 'major', version: '1.4.3', previousVersion: '1.4.2', changedPaths: [] });
    assert.deepEqual(d, { size: 'major', given: true, how: 'given with --change-size' });
  });

  it('a given size smaller than the evidence carries a warning', () => {
    const d = decideChangeSize({ given: 'patch', version: '1.4.3', previousVersion: '1.4.2', changedPaths: ['migrations/7.sql'] });
    assert.equal(d.size, 'patch');
    assert.match(d.warning ?? '', /--change-size patch was given, but migration files changed .* suggests migration/);
  });

  it('versions that are not semver and no other evidence ask for --change-size instead of guessing', () => {
    assert.throws(
      () => decideChangeSize({ version: 'build-812', previousVersion: 'build-811', changedPaths: ['src/a.ts'] }),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.problems[0]?.field === '--change-size' &&
        /"build-812" and "build-811" are not semver/.test(e.message),
    );
    assert.equal(semverSize('1.2', '1.1'), undefined);
  });
});
