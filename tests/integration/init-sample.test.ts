// `npm run init` against Fieldnotes (the second sample target), in a copy of the repository: a green @smoke with no hand-written code, and its break fails the check that should catch it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { NOTES_ACCOUNT, startNotes, type RunningNotes } from '../../demo/notes/launch.ts';
import { copyRepo, type CommandRun, type RepoCopy } from '../helpers/repo-copy.ts';
import { findSecret } from '../helpers/find-secret.ts';

const CREDENTIALS = { AFTERCHECK_USERNAME: NOTES_ACCOUNT.username, AFTERCHECK_PASSWORD: NOTES_ACCOUNT.password };
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

let repo: RepoCopy;
let notes: RunningNotes;
let init: CommandRun;

const show = (r: CommandRun) => `exit ${r.code}\n${r.stdout.slice(-5000)}\n--- stderr ---\n${r.stderr.slice(-3000)}`;
const profileFile = (f: string) => path.join(repo.dir, 'apps/sample', f);

/** `npx playwright test --grep @smoke` in the copy, as the README says to run it after init; the results come back parsed. */
async function smoke(url: string, extra: Record<string, string> = {}) {
  const reports = path.join(repo.dir, 'reports', `smoke-${Date.now()}`);
  const run = await repo.run(process.execPath, [path.join(repo.dir, 'node_modules/@playwright/test/cli.js'), 'test', '--grep', '@smoke'], {
    AFTERCHECK_APP: 'sample',
    AFTERCHECK_BASE_URL: url,
    AFTERCHECK_REPORTS_DIR: reports,
    ...CREDENTIALS,
    ...extra,
  });
  const file = path.join(reports, 'results.json');
  const results = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { suites: Suite[] }) : { suites: [] };
  const tests: { project: string; title: string; outcome: string; error: string; attempts: number }[] = [];
  const walk = (s: Suite) => {
    for (const spec of s.specs)
      for (const t of spec.tests)
        tests.push({
          project: t.projectName,
          title: spec.title,
          outcome: t.status,
          error: t.results.at(-1)?.error?.message ?? '',
          attempts: t.results.length,
        });
    for (const c of s.suites ?? []) walk(c);
  };
  results.suites.forEach(walk);
  return { run, tests, reports };
}
type Suite = {
  specs: { title: string; tests: { projectName: string; status: string; results: { error?: { message?: string } }[] }[] }[];
  suites?: Suite[];
};

describe('npm run init against Fieldnotes (a dialog sign-in SPA with a bearer API)', () => {
  before(async () => {
    repo = copyRepo();
    notes = await startNotes();
    init = await repo.run(NPM, ['run', '-s', 'init', '--', '--url', notes.url, '--app', 'sample'], CREDENTIALS);
  });
  after(async () => {
    await notes?.stop();
    repo?.remove();
  });

  it('writes the profile and ends with a green @smoke, printing what passed', () => {
    assert.equal(init.code, 0, show(init));
    for (const f of ['aftercheck.config.ts', 'tags.ts', 'policy.json', 'verify/main-page.spec.ts'])
      assert.ok(fs.existsSync(profileFile(f)), f);
    assert.match(init.stdout, /sign-in: signed-in \(form at \/, opened by a click\)/);
    assert.match(init.stdout, /health endpoints: \/healthz, \/status/);
    assert.match(init.stdout, /API: \/api\/notes \(auth bearer\)/);
    assert.match(init.stdout, /✓ \[smoke\] sign-in works/);
    assert.match(init.stdout, /Smoke: 7 of 7 checks passed\./);
  });

  it('describes the sign-in as a user sees it: the header button, the labels with their asterisk, the token in localStorage', () => {
    const config = fs.readFileSync(profileFile('aftercheck.config.ts'), 'utf8');
    for (const part of [
      "open: [{ role: 'button', name: 'Sign in' }]",
      "usernameLabel: 'Email'",
      "passwordLabel: 'Password *'",
      "loggedInIndicator: { role: 'button', name: 'Sign out' }",
      "token: { localStorage: 'fieldnotes.token' }",
      "allowStatuses: [{ status: 401, path: '/api/me' }]",
      "xml: { '/status/app': 'ok', '/status/store/@state': 'up' }",
      "auth: 'bearer'",
    ])
      assert.ok(config.includes(part), `${part} in:\n${config}`);
    const policy = JSON.parse(fs.readFileSync(profileFile('policy.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(policy.alerting, undefined, 'no alerting channel was given, so none is claimed');
    const env = fs.readFileSync(path.join(repo.dir, '.env'), 'utf8');
    assert.match(env, /^AFTERCHECK_APP=sample$/m);
    assert.match(env, /^AFTERCHECK_USERNAME=monitor@fieldnotes\.test$/m);
    assert.doesNotMatch(env, new RegExp(NOTES_ACCOUNT.password), 'init never writes the password');
  });

  it('the README command passes with login, health and the bearer API check; the password is in no report', async () => {
    const { run, tests, reports } = await smoke(notes.url);
    assert.equal(run.code, 0, show(run));
    const passed = tests.filter((t) => t.project === 'smoke' && t.outcome === 'expected').map((t) => t.title);
    for (const title of [
      'sign-in works',
      'health endpoint /healthz answers healthy',
      'health endpoint /status answers healthy',
      'API /api/notes answers',
    ])
      assert.ok(passed.includes(title), `${title} passed: ${passed.join(', ')}`);
    const scan = findSecret(reports, NOTES_ACCOUNT.password);
    assert.deepEqual(scan.hits, []);
  });

  it('a release with the notes-broken fault fails the API check while both health endpoints still pass', async () => {
    const broken = await startNotes({ NOTES_FAULTS: 'notes-broken' });
    try {
      const { run, tests } = await smoke(broken.url, { AFTERCHECK_RETRIES: '0' });
      assert.equal(run.code, 1, show(run));
      const failed = tests.filter((t) => t.outcome === 'unexpected');
      assert.deepEqual(
        failed.map((t) => t.title),
        ['API /api/notes answers'],
        show(run),
      );
      assert.match(failed[0]!.error, /GET \/api\/notes answered 500 \(expected 2xx\); \$\.notes is missing/);
    } finally {
      await broken.stop();
    }
  });

  it('is idempotent: --force writes the same files again, and without --force it refuses (exit 4) before looking at the app', async () => {
    const before = ['aftercheck.config.ts', 'tags.ts', 'policy.json', 'verify/main-page.spec.ts'].map((f) =>
      fs.readFileSync(profileFile(f), 'utf8'),
    );
    const env = fs.readFileSync(path.join(repo.dir, '.env'), 'utf8');
    const again = await repo.run(
      NPM,
      ['run', '-s', 'init', '--', '--url', notes.url, '--app', 'sample', '--force', '--no-run'],
      CREDENTIALS,
    );
    assert.equal(again.code, 0, show(again));
    const afterwards = ['aftercheck.config.ts', 'tags.ts', 'policy.json', 'verify/main-page.spec.ts'].map((f) =>
      fs.readFileSync(profileFile(f), 'utf8'),
    );
    assert.deepEqual(afterwards, before);
    assert.equal(fs.readFileSync(path.join(repo.dir, '.env'), 'utf8'), env, 'the .env section is replaced, not appended again');

    const refused = await repo.run(NPM, ['run', '-s', 'init', '--', '--url', notes.url, '--app', 'sample'], CREDENTIALS);
    assert.equal(refused.code, 4, show(refused));
    assert.match(refused.stderr, /--app = "sample": the profile apps\/sample exists already/);
    assert.doesNotMatch(refused.stdout, /Looking at/);
  });

  it('a profile without a verify folder has its changed feature recorded as unverified for that reason', async () => {
    fs.renameSync(profileFile('verify'), profileFile('verify-away'));
    const manifest = path.join(repo.dir, 'reports', 'manifest.json');
    fs.mkdirSync(path.dirname(manifest), { recursive: true });
    fs.writeFileSync(
      manifest,
      JSON.stringify({
        version: '2',
        previousVersion: '1',
        deployedAt: '2026-11-26T10:00:00Z',
        changeSize: 'minor',
        features: ['main-page'],
      }),
    );
    try {
      const run = await repo.run(
        process.execPath,
        [path.join(repo.dir, 'node_modules/@playwright/test/cli.js'), 'test', '--list', '--grep', '@verify', '--pass-with-no-tests'],
        {
          AFTERCHECK_APP: 'sample',
          AFTERCHECK_BASE_URL: notes.url,
          AFTERCHECK_MANIFEST: manifest,
          AFTERCHECK_REPORTS_DIR: path.join(repo.dir, 'reports', 'list'),
        },
      );
      assert.equal(run.code, 0, show(run));
      assert.match(
        run.stdout,
        /Unverified feature: main-page — .*\(the app profile has no verify folder: apps\/sample\/verify does not exist/,
      );
    } finally {
      fs.renameSync(profileFile('verify-away'), profileFile('verify'));
    }
  });

  it('an api login (POST the credentials, take the token) signs in the bearer checks and the SPA pages alike', async () => {
    const dir = path.join(repo.dir, 'apps', 'sample-api');
    fs.mkdirSync(dir, { recursive: true });
    const config = (tokenPath: string) => `import { defineConfig } from '../../scripts/config/app-config.ts';
export default defineConfig({
  app: { name: 'Fieldnotes' },
  login: { mode: 'api', path: '/api/session', body: { email: '$username', password: '$password' }, token: { json: '${tokenPath}', localStorage: 'fieldnotes.token' } },
  smoke: [
    { kind: 'login', name: 'api sign-in works' },
    { kind: 'http', name: 'notes API answers', path: '/api/notes', auth: 'bearer', expect: { json: { '$.notes[0].title': /\\w/ } }, budgetMs: 3000 },
    { kind: 'page', name: 'signed-in page shows the notes', path: '/', authenticated: true, visible: [{ role: 'button', name: 'Sign out' }, { role: 'region', name: 'Notes' }], budgetMs: 5000 },
  ],
  features: {},
});
`;
    fs.writeFileSync(path.join(dir, 'aftercheck.config.ts'), config('$.token'));
    const good = await smoke(notes.url, { AFTERCHECK_APP: 'sample-api' });
    assert.equal(good.run.code, 0, show(good.run));
    assert.deepEqual(
      good.tests
        .filter((t) => t.project === 'smoke')
        .map((t) => [t.title, t.outcome])
        .sort(),
      [
        ['api sign-in works', 'expected'],
        ['notes API answers', 'expected'],
        ['signed-in page shows the notes', 'expected'],
        ['target is reachable', 'expected'],
      ],
    );

    fs.writeFileSync(path.join(dir, 'aftercheck.config.ts'), config('$.accessToken'));
    const wrong = await smoke(notes.url, { AFTERCHECK_APP: 'sample-api', AFTERCHECK_RETRIES: '0' });
    const login = wrong.tests.find((t) => t.title === 'api sign-in works');
    assert.match(login?.error ?? '', /the answer has no token at \$\.accessToken \(its keys: token, user\)/, show(wrong.run));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a page check that misses an element quotes what the page has; a profile without a login runs without a session', async () => {
    const dir = path.join(repo.dir, 'apps', 'sample-page');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'aftercheck.config.ts'),
      `import { defineConfig } from '../../scripts/config/app-config.ts';
export default defineConfig({
  app: { name: 'Fieldnotes' },
  smoke: [
    { kind: 'page', name: 'main page links to the docs', path: '/', title: /^Field/, visible: [{ role: 'link', name: 'hello-target' }],
      allowStatuses: [{ status: 401, path: '/api/me' }], budgetMs: 8000 },
  ],
  features: {},
});
`,
    );
    try {
      const { run, tests } = await smoke(notes.url, { AFTERCHECK_APP: 'sample-page', AFTERCHECK_RETRIES: '0' });
      assert.equal(run.code, 1, show(run));
      assert.deepEqual(
        tests.map((t) => [t.project, t.title]).sort(),
        [
          ['smoke', 'main page links to the docs'],
          ['smoke', 'target is reachable'],
        ],
        `no sign-in, no session check: only the probe and the page check ran:\n${show(run)}`,
      );
      const page = tests.find((t) => t.title === 'main page links to the docs');
      assert.match(page?.error ?? '', /link "hello-target" was not found; the page has links: "Fieldnotes"/, show(run));
      assert.doesNotMatch(page?.error ?? '', /console errors|failed same-origin/, 'the allowed 401 is not a failure');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a login label that misses the asterisk fails the login check naming the fields the page has, on every attempt', async () => {
    const config = profileFile('aftercheck.config.ts');
    const good = fs.readFileSync(config, 'utf8');
    fs.writeFileSync(config, good.replace("passwordLabel: 'Password *'", "passwordLabel: 'Password'"));
    try {
      const { tests, run } = await smoke(notes.url, { AFTERCHECK_RETRIES: '1' });
      const login = tests.find((t) => t.title === 'sign-in works');
      // Retried by the test runner (AFTERCHECK_RETRIES=1), it reports the run's one sign-in again: a config error stays one.
      assert.equal(login?.outcome, 'unexpected', show(run));
      assert.equal(login?.attempts, 2, show(run));
      assert.match(login!.error, /no "Password" field at .*; the page has fields: "Email", "Password \*"; did you mean "Password \*"\?/);
    } finally {
      fs.writeFileSync(config, good);
    }
  });
});
