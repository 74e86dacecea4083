// Unit tests for `npm run init`'s pure parts: flags, health answers to checks, config literals, the .env section, and the "did you mean" hints.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { closest, namesHint } from '../../fixtures/pages/locate.ts';
import { ConfigError } from '../../scripts/config/errors.ts';
import { healthCheckFor, jsonPathOf, type HealthAnswer } from '../../scripts/init/health-probe.ts';
import { literal, renderConfig } from '../../scripts/init/render.ts';
import { withEnvSection } from '../../scripts/init/scaffold.ts';
import type { Discovery } from '../../scripts/init/discover.ts';
import { parseInitFlags } from '../../scripts/cli/init.ts';

describe('npm run init flags', () => {
  it('reads the URL, the app name and the options', () => {
    assert.deepEqual(parseInitFlags(['--url', 'http://127.0.0.1:3000/', '--app', 'notes', '--health', '/ready, /live', '--no-run']), {
      url: 'http://127.0.0.1:3000',
      app: 'notes',
      health: ['/ready', '/live'],
      feature: 'main-page',
      force: false,
      run: false,
    });
  });

  it('reports every bad flag at once: a missing URL, a bad name, credentials in the URL, a health entry that is not a path', () => {
    const cases: [string[], string[]][] = [
      [
        ['--app', 'Notes App'],
        ['--url', '--app'],
      ],
      [
        ['--url', 'https://user:pw@app.example.com', '--app', 'x', '--health', 'ready'],
        ['--url', '--health'],
      ],
      [
        ['--url', 'ftp://x', '--app', 'x', '--bogus'],
        ['--bogus', '--url'],
      ],
    ];
    for (const [argv, fields] of cases) {
      assert.throws(
        () => parseInitFlags(argv),
        (e: unknown) => e instanceof ConfigError && JSON.stringify(e.problems.map((p) => p.field)) === JSON.stringify(fields),
        argv.join(' '),
      );
    }
  });
});

describe('health answers turned into checks', () => {
  const answer = (over: Partial<HealthAnswer>): HealthAnswer => ({
    path: '/health',
    status: 200,
    contentType: 'application/json',
    body: '{}',
    ...over,
  });
  const cases: { name: string; answer: HealthAnswer; expect?: unknown; version?: string; skipped?: RegExp }[] = [
    {
      name: 'JSON: the fine-looking values, nested components and the version',
      answer: answer({
        body: JSON.stringify({ status: 'UP', version: '2.1.0', components: { db: { status: 'UP' }, 'disk.space': 'ok' } }),
      }),
      expect: { contentType: 'json', json: { '$.status': 'UP', '$.components.db.status': 'UP', "$.components['disk.space']": 'ok' } },
      version: '$.version',
    },
    {
      name: 'XML: fine-looking elements and attributes as XPaths',
      answer: answer({ contentType: 'application/xml', body: '<status><app>ok</app><store state="up"/><version>1</version></status>' }),
      expect: { contentType: 'xml', xml: { '/status/app': 'ok', '/status/store/@state': 'up' } },
    },
    { name: 'short text: its first word', answer: answer({ contentType: 'text/plain', body: 'OK\n' }), expect: { text: /^\s*OK\b/i } },
    {
      name: 'text that is not a status word: the status alone',
      answer: answer({ contentType: 'text/plain', body: '2026-01-01T00:00:00Z' }),
    },
    {
      name: "an SPA's index page for every path: left out",
      answer: answer({ contentType: 'text/html', body: '<!doctype html><title>App</title>' }),
      skipped: /HTML page/,
    },
    { name: 'a 404: left out', answer: answer({ status: 404 }), skipped: /answered 404/ },
    { name: 'JSON that is not: left out', answer: answer({ body: '{oops' }), skipped: /body is not/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const v = healthCheckFor(c.answer);
      if (c.skipped) return assert.ok('skipped' in v && c.skipped.test(v.skipped), JSON.stringify(v));
      assert.ok('check' in v, JSON.stringify(v));
      assert.deepEqual(v.check.expect, c.expect);
      assert.equal(v.check.recordVersion, c.version);
      assert.equal(v.check.kind, 'http');
    });
  }

  it('JSONPaths are dotted where they can be and bracketed for keys with dots or dashes', () => {
    assert.equal(jsonPathOf('checks', 'database'), '$.checks.database');
    assert.equal(jsonPathOf('versions', '1.0.0', 'state'), "$.versions['1.0.0'].state");
    assert.equal(jsonPathOf('x-ray'), "$['x-ray']");
  });
});

describe('the files init writes', () => {
  it('config literals keep strings, RegExps and nested data exact', () => {
    assert.equal(
      literal({ a: "it's", 'b-c': [1, /^ok\b/i, null], d: { e: true } }),
      "{ a: 'it\\'s', 'b-c': [1, /^ok\\b/i, null], d: { e: true } }",
    );
  });

  it('the .env section is added once, replaced in place on a re-run, and never overrides keys set elsewhere', () => {
    const first = withEnvSection('AFTERCHECK_RETRIES=2\nAFTERCHECK_BASE_URL=demo\n', 'notes', 'http://h:1', 'u@x.test');
    assert.match(first, /^AFTERCHECK_APP=notes$/m);
    assert.match(first, /^# AFTERCHECK_BASE_URL=http:\/\/h:1 {3}\(already set above\)$/m);
    assert.match(first, /^AFTERCHECK_USERNAME=u@x\.test$/m);
    assert.doesNotMatch(first, /^AFTERCHECK_PASSWORD=/m);
    assert.equal(withEnvSection(first, 'notes', 'http://h:1', 'u@x.test'), first);
    const moved = withEnvSection(first, 'notes', 'http://h:2', 'u@x.test');
    assert.equal(moved.split('aftercheck app profile notes (npm run init)').length, 2, 'one section');
    assert.match(moved, /http:\/\/h:2/);
  });

  it('the config has the login only when the sign-in worked, and lists what it left out', () => {
    const discovery: Discovery = {
      title: 'Notes',
      landmarks: [{ role: 'heading', name: 'Your notes' }],
      allowStatuses: [{ status: 401, path: '/api/me' }],
      consoleErrors: [],
      brokenRequests: [],
      assets: 2,
      login: {
        path: '/',
        open: [{ role: 'button', name: 'Sign in' }],
        usernameLabel: 'Email',
        passwordLabel: 'Password *',
        submitButton: 'Sign in',
      },
      signIn: 'rejected',
      notes: ['the sign-in did not leave the form'],
    };
    const input = {
      profile: 'notes',
      url: 'http://h:1',
      discovery,
      health: [],
      healthSkipped: ['/health answered 401'],
      feature: { id: 'main-page', title: 'Main page', owner: 't' },
    };
    const rejected = renderConfig(input);
    assert.match(rejected, /^ {2}\/\/ login: \{ path: '\/', open: \[\{ role: 'button', name: 'Sign in' \}\]/m);
    assert.doesNotMatch(rejected, /kind: 'login'/);
    assert.match(rejected, /Health paths probed and left out: \/health answered 401/);
    const signedIn = renderConfig({
      ...input,
      discovery: {
        ...discovery,
        signIn: 'signed-in',
        login: { ...discovery.login!, loggedInIndicator: { role: 'button', name: 'Sign out' } },
      },
    });
    assert.match(signedIn, /^ {2}login: \{/m);
    assert.match(signedIn, /\{ kind: 'login', name: 'sign-in works' \}/);
    assert.match(signedIn, /allowStatuses: \[\{ status: 401, path: '\/api\/me' \}\]/);
  });
});

describe('"did you mean" hints for names on a page', () => {
  it('finds the name a config most likely meant', () => {
    const cases: [string | RegExp, string[], string | undefined][] = [
      ['Password', ['Email', 'Password *'], 'Password *'],
      ['E-mail', ['Email *', 'Password *'], 'Email *'],
      ['Log in', ['Login', 'Search'], 'Login'],
      // Opposites are not typos: "Sign out" is never offered for "Sign in".
      ['Sign in', ['Sign out', 'Search'], undefined],
      ['Username', ['Email', 'Password'], undefined],
      [/^Pass/, ['Password'], undefined],
    ];
    for (const [wanted, names, guess] of cases) assert.equal(closest(wanted, names), guess, String(wanted));
  });

  it('lists what the page has, and says when it has none', () => {
    assert.equal(
      namesHint('fields', 'Password', ['Email', 'Password *']),
      'the page has fields: "Email", "Password *"; did you mean "Password *"?',
    );
    assert.equal(namesHint('links', 'Docs', []), 'the page has no links');
  });
});
