// The files `npm run init` writes, as text (pure): the typed, commented config, the profile's tags, an example @verify spec and the .env section.
import type { CheckOf, Locate, SmokeCheck } from '../config/app-config.ts';
import type { Discovery } from './discover.ts';

/** A TypeScript literal for config data: strings, numbers, RegExps, arrays and plain objects (formatted by prettier later). */
export function literal(value: unknown): string {
  if (value instanceof RegExp) return String(value);
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{ ${entries.map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : literal(k)}: ${literal(v)}`).join(', ')} }`;
  }
  throw new Error(`cannot write ${typeof value} into a config`);
}

export interface ConfigInput {
  readonly profile: string;
  readonly url: string;
  readonly discovery: Discovery;
  readonly health: readonly CheckOf<'http'>[];
  /** Health paths probed that were not kept, with why (shown as a comment). */
  readonly healthSkipped: readonly string[];
  readonly feature: { readonly id: string; readonly title: string; readonly owner: string };
}

const comment = (lines: readonly string[], indent = '  ') => lines.map((l) => `${indent}// ${l}`).join('\n');

function mainPageCheck(d: Discovery): CheckOf<'page'> {
  return {
    kind: 'page',
    name: 'main page loads',
    path: '/',
    ...(d.title ? { title: d.title } : {}),
    ...(d.landmarks.length ? { visible: d.landmarks } : {}),
    ...(d.allowStatuses.length ? { allowStatuses: d.allowStatuses } : {}),
    ...(d.consoleErrors.length ? { allowConsoleErrors: d.consoleErrors.map((e) => e.slice(0, 120)) } : {}),
    budgetMs: 5_000,
  };
}

function loginSection(d: Discovery): string {
  const l = d.login;
  if (!l)
    return comment([
      'No sign-in form was found, so there is no login: add one (see LoginConfig in scripts/config/login.ts) if the app has it.',
      ...d.notes,
    ]);
  const found = `Found by init: ${l.open?.length ? `a dialog behind the ${literal(l.open[0])} step on ${l.path}` : `the form at ${l.path}`}.`;
  const body = `login: ${literal(l)},`;
  if (d.signIn === 'signed-in')
    return [
      comment([
        'How the synthetic account (AFTERCHECK_USERNAME / AFTERCHECK_PASSWORD) signs in. Labels are accessible names or label texts.',
        found,
        'errorIndicator: what the app shows for a wrong password (default: an element with the alert role), e.g. { text: /wrong password/i }.',
      ]),
      `  ${body}`,
    ].join('\n');
  return [
    comment([`The sign-in could not be confirmed (${d.signIn}), so the login is left out. ${found}`, ...d.notes]),
    comment([body, "set loggedInIndicator to what only a signed-in user sees, e.g. { role: 'button', name: 'Sign out' }"]),
  ].join('\n');
}

/** The profile's aftercheck.config.ts, before formatting. */
export function renderConfig(input: ConfigInput): string {
  const d = input.discovery;
  const signedIn = d.signIn === 'signed-in';
  const checks: { note: string[]; check: SmokeCheck }[] = [
    {
      note: [
        'The main page: its title and landmarks as init saw them.',
        ...(d.allowStatuses.length ? ['It answers these statuses before sign-in; they are allowed, not failed.'] : []),
        ...(d.consoleErrors.length
          ? ['REVIEW: init saw these console errors on a clean load and allowed them; remove what should fail.']
          : []),
      ],
      check: mainPageCheck(d),
    },
    ...(signedIn ? [{ note: ['Signs in as the login section says.'], check: { kind: 'login', name: 'sign-in works' } as SmokeCheck }] : []),
    ...input.health.map((check) => ({
      note: [`A health endpoint that answered when init probed it (${check.expect?.contentType ?? 'text'}).`],
      check,
    })),
    ...(d.api && (d.api.auth === 'none' || signedIn)
      ? [
          {
            note: [`An API the ${d.api.auth === 'none' ? '' : 'signed-in '}app calls (auth: ${d.api.auth}).`],
            check: {
              kind: 'http',
              name: `API ${d.api.path} answers`,
              path: d.api.path,
              auth: d.api.auth,
              expect: { json: d.api.json },
              budgetMs: 3_000,
            } as SmokeCheck,
          },
        ]
      : []),
    ...(d.assets
      ? [
          {
            note: ['Same-origin stylesheets, scripts, images and fonts load with fitting content types.'],
            check: { kind: 'assets', name: 'static assets load', path: '/', budgetMs: 5_000 } as SmokeCheck,
          },
        ]
      : []),
  ];
  const smoke = checks.map(({ note, check }) => `${comment(note, '    ')}\n    ${literal(check)},`).join('\n');
  const skipped = input.healthSkipped.length
    ? comment([`Health paths probed and left out: ${input.healthSkipped.join('; ')}.`], '    ')
    : '';
  return `// The app profile of ${d.title || input.profile} (${input.url}), written by \`npm run init\`. Review it: README, "Point aftercheck at your app".
import { defineConfig } from '../../scripts/config/app-config.ts';

export const appConfig = defineConfig({
  app: { name: ${literal(d.title || input.profile)} },

${loginSection(d)}

  // "Is it alive?": shallow checks, each a test titled by its name (kinds: page, login, http, assets; see scripts/config/checks.ts).
  // Hand-written extra smoke specs go in ./smoke/*.spec.ts.
  smoke: [
${smoke}
${skipped}
  ],

  // Feature registry: ids for the release manifest, @feature:<id> tags (featureTag() and verifyDetails() from ./tags.ts),
  // and \`npm run manifest\` (paths: globs of each feature's source files in your repository).
  features: {
    ${literal(input.feature.id)}: ${literal({ title: input.feature.title, owner: input.feature.owner, severity: 'critical', paths: [] })},
  },
});

export default appConfig;
export type FeatureId = keyof typeof appConfig.features;
`;
}

export function renderTags(profile: string): string {
  return `// ${profile}'s typed tags: featureTag() and verifyDetails() accept only ids of its feature registry (a typo is a compile error).
import { profileTags } from '../../fixtures/tags.ts';
import { appConfig } from './aftercheck.config.ts';

export const { featureTag, verifyDetails, tags } = profileTags(appConfig, ${literal(profile)});
`;
}

/** The Playwright call that finds what a Locate describes, for the example spec. */
function locator(page: string, l: Locate): string {
  if ('testId' in l) return `${page}.getByTestId(${literal(l.testId)})`;
  if ('label' in l) return `${page}.getByLabel(${literal(l.label)})`;
  if ('text' in l) return `${page}.getByText(${literal(l.text)})`;
  return l.name === undefined
    ? `${page}.getByRole(${literal(l.role)})`
    : `${page}.getByRole(${literal(l.role)}, { name: ${literal(l.name)}, exact: true })`;
}

export function renderVerifySpec(featureId: string, d: Discovery): string {
  const landmark = d.landmarks[0];
  const indicator = d.signIn === 'signed-in' ? d.login?.loggedInIndicator : undefined;
  const tests = [
    `  test('the main page shows what users come for', async ({ page }) => {
    await page.goto('/');
    ${landmark ? `await expect(${locator('page', landmark)}).toBeVisible();` : `await expect(page).toHaveTitle(${literal(d.title)});`}
  });`,
    ...(indicator
      ? [
          `  // userPage is signed in (the session the setup project saved); signing in again in a test needs test.use({ trace: 'off' }).
  test('a signed-in user sees the signed-in view', async ({ userPage }) => {
    await userPage.goto('/');
    await expect(${locator('userPage', indicator)}).toBeVisible();
  });`,
        ]
      : []),
  ];
  return `// @verify ${featureId}: an example flow written by \`npm run init\`. Replace it with the real flows of your features: one describe block per feature.
// Runs when the release manifest names the feature (or with AFTERCHECK_VERIFY_ALL=true). Locate by role, label or test id.
import { expect, test } from '../../../fixtures/index.ts';
import { verifyDetails } from '../tags.ts';

test.describe(${literal(featureId)}, verifyDetails(${literal(featureId)}), () => {
${tests.join('\n\n')}
});
`;
}

export const ENV_MARK = (profile: string) => ({
  begin: `# >>> aftercheck app profile ${profile} (npm run init)`,
  end: `# <<< aftercheck app profile ${profile}`,
});

/**
 * The .env section for a profile; keys `alreadySet` elsewhere in .env are written commented out, so the section never
 * overrides what the user set. The password is never written.
 */
export function renderEnvSection(profile: string, url: string, username: string | undefined, alreadySet: ReadonlySet<string>): string {
  const line = (key: string, value: string) => (alreadySet.has(key) ? `# ${key}=${value}   (already set above)` : `${key}=${value}`);
  const { begin, end } = ENV_MARK(profile);
  return [
    begin,
    line('AFTERCHECK_APP', profile),
    line('AFTERCHECK_BASE_URL', url),
    line('AFTERCHECK_USERNAME', username ?? ''),
    '# AFTERCHECK_PASSWORD: set it here or in your CI secrets; init never writes secrets.',
    end,
  ].join('\n');
}
