// Unit tests for the release manifest and policy files: every problem reported at once, with field, value and fix.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseManifest } from '../../scripts/config/manifest.ts';
import { parsePolicy, parseDuration, loadPolicy } from '../../scripts/config/policy.ts';
import { ConfigError } from '../../scripts/config/errors.ts';
import { listProfiles, profilePaths } from '../../scripts/config/apps.ts';
import { policyTemplate } from '../../scripts/init/policy-template.ts';

/** A complete policy of the unit tests' own (the one `npm run init` writes), as a fresh JSON object each time. */
const template = () => JSON.parse(JSON.stringify(policyTemplate({ app: 'notes' })));

const KNOWN = ['notebook', 'sharing', 'export'];
const good = {
  version: '1.5.0',
  previousVersion: '1.4.0',
  deployedAt: '2026-11-26T10:15:00Z',
  changeSize: 'minor',
  features: ['notebook'],
};

function problems(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e;
  }
  assert.fail('expected a ConfigError');
}

describe('the release manifest', () => {
  it('accepts a complete manifest and keeps its features', () => {
    assert.deepEqual(parseManifest(good, 'm.json', KNOWN).features, ['notebook']);
  });

  it('accepts a manifest naming no features: nothing to verify is valid', () => {
    assert.deepEqual(parseManifest({ ...good, features: [] }, 'm.json', KNOWN).features, []);
  });

  it('reports every problem at once: bad date, bad change size and unknown feature with the known ids', () => {
    const err = problems(() =>
      parseManifest({ ...good, deployedAt: '26/11/2026', changeSize: 'huge', features: ['notebook', 'wishlist'] }, 'm.json', KNOWN),
    );
    assert.deepEqual(err.problems.map((p) => p.field).sort(), ['changeSize', 'deployedAt', 'features[1]']);
    const feature = err.problems.find((p) => p.field === 'features[1]')!;
    assert.match(feature.fix, /notebook, sharing, export/);
    assert.match(err.problems.find((p) => p.field === 'deployedAt')!.message, /ISO-8601/);
    assert.match(err.message, /"26\/11\/2026"/);
  });

  it('rejects fields it does not know, so a typo cannot silently drop data', () => {
    const err = problems(() => parseManifest({ ...good, feature: ['notebook'] }, 'm.json', KNOWN));
    assert.match(err.message, /feature/);
  });
});

describe('the policy', () => {
  const durations: Array<[string, number | null]> = [
    ['30s', 30_000],
    ['10m', 600_000],
    ['4h', 14_400_000],
    ['1h30m', 5_400_000],
    ['1d', 86_400_000],
    ['10', null],
    ['', null],
    ['5 minutes', null],
  ];
  for (const [text, ms] of durations) {
    it(`reads the duration ${JSON.stringify(text)} as ${ms === null ? 'invalid' : `${ms} ms`}`, () =>
      assert.equal(parseDuration(text), ms));
  }

  it("the policy `npm run init` writes and every app profile's committed policy files are valid", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-policy-'));
    const written = path.join(dir, 'policy.json');
    fs.writeFileSync(written, JSON.stringify(template()));
    const committed = listProfiles().flatMap((name) => {
      const { dir: profileDir } = profilePaths(name);
      return fs
        .readdirSync(profileDir)
        .filter((f) => /^policy.*\.json$/.test(f))
        .map((f) => path.join(profileDir, f));
    });
    for (const f of [written, ...committed]) {
      const loaded = loadPolicy(f);
      assert.match(loaded.digest, /^sha256:[0-9a-f]{64}$/);
      assert.ok(loaded.policy.owner.rollbackDecider);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the policy `npm run init` writes names an alerting channel only when one is given', () => {
    assert.equal(parsePolicy(template(), 'p.json').alerting, undefined);
    const withChannel = JSON.parse(JSON.stringify(policyTemplate({ app: 'notes', alertChannel: '#notes-alerts' })));
    assert.deepEqual(parsePolicy(withChannel, 'p.json').alerting, { channel: '#notes-alerts', thresholdsReviewed: false });
  });

  it('reports a signal without any rule, a duplicate id and an inverted warn level together', () => {
    const policy = template();
    const first = policy.signals[0];
    policy.signals.push({ ...first }, { id: 'no_rules', title: 'x', query: { template: 'cpu' }, severity: 'minor' });
    policy.signals[0] = { ...first, absolute: { warn: 50, fail: 1 }, direction: 'higher-is-worse' };
    const err = problems(() => parsePolicy(policy, 'p.json'));
    const text = err.message;
    assert.match(text, /duplicates signal id/);
    assert.match(text, /has no rule/);
    assert.match(text, /warn level 50 is beyond fail level 1/);
  });
  const badPolicies: {
    name: string;
    change: (p: { signals: Record<string, unknown>[] }) => void;
    field: string;
    message: RegExp;
    fix: RegExp;
  }[] = [
    {
      name: 'a custom query with an unknown placeholder fails when the policy file loads, naming the field',
      change: (p) => {
        p.signals[1]!.query = {
          influxql: 'SELECT mean(v) FROM m WHERE host = $host AND time >= $start AND time < $end GROUP BY time($interval)',
        };
      },
      field: 'signals[1].query.influxql',
      message: /unknown placeholder \$host/,
      fix: /use only \$start, \$end/,
    },
    {
      name: 'a custom Flux query without per-interval aggregation fails when the policy file loads',
      change: (p) => {
        p.signals[2]!.query = {
          influxql: 'SELECT mean(v) FROM m WHERE time >= $start AND time < $end GROUP BY time($interval)',
          flux: 'from(bucket: $bucket) |> range(start: $start, stop: $end)',
        };
      },
      field: 'signals[2].query.flux',
      message: /does not aggregate per interval/,
      fix: /aggregateWindow\(every: \$interval/,
    },
    {
      name: 'an unknown way to combine relative limits is refused',
      change: (p) => {
        (p.signals[1]!.relative as Record<string, unknown>).combine = 'both';
      },
      field: 'signals[1].relative.combine',
      message: /all|any/,
      fix: /schema/,
    },
  ];
  for (const c of badPolicies) {
    it(c.name, () => {
      const policy = template();
      c.change(policy);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercheck-policy-'));
      try {
        const file = path.join(dir, 'policy.json');
        fs.writeFileSync(file, JSON.stringify(policy));
        const err = problems(() => loadPolicy(file));
        assert.equal(err.exitCode, 4);
        const found = err.problems.find((p) => p.field === c.field);
        assert.ok(found, `no problem at ${c.field}: ${err.message}`);
        assert.match(found.message, c.message);
        assert.match(found.fix, c.fix);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('the JSON Schemas', () => {
  it('committed under schemas/ match the zod schemas (run `npm run schemas` after changing them)', async () => {
    const { SCHEMA_FILES, renderSchema } = await import('../../scripts/cli/schemas.ts');
    for (const file of Object.keys(SCHEMA_FILES) as Array<keyof typeof SCHEMA_FILES>) {
      assert.equal(fs.readFileSync(file, 'utf8'), renderSchema(file), `${file} is stale`);
    }
  });
});
