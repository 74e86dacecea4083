// Where app profiles live (apps/<name>/) and which one is used when AFTERCHECK_APP is unset: the only one, else demo-shop.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Problem } from './errors.ts';

/** The repository root: profiles are found from here, never from the working directory a command happens to run in. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const APPS_DIR = path.join(REPO_ROOT, 'apps');
export const DEFAULT_APP = 'demo-shop';

/** The files of one profile, by convention; `npm run init` writes them and every command reads them from here. */
export const PROFILE_FILES = Object.freeze({
  config: 'aftercheck.config.ts',
  policy: 'policy.json',
  tags: 'tags.ts',
  verify: 'verify',
  smoke: 'smoke',
} as const);

/** Profile names are folder names and show in commands and reports: kebab-case. */
export const APP_NAME = /^[a-z0-9][a-z0-9-]*$/;

export interface ProfilePaths {
  readonly name: string;
  readonly dir: string;
  readonly configFile: string;
  readonly policyFile: string;
  readonly tagsFile: string;
  readonly verifyDir: string;
  readonly smokeDir: string;
}

export function profilePaths(name: string, appsDir: string = APPS_DIR): ProfilePaths {
  const dir = path.join(appsDir, name);
  return Object.freeze({
    name,
    dir,
    configFile: path.join(dir, PROFILE_FILES.config),
    policyFile: path.join(dir, PROFILE_FILES.policy),
    tagsFile: path.join(dir, PROFILE_FILES.tags),
    verifyDir: path.join(dir, PROFILE_FILES.verify),
    smokeDir: path.join(dir, PROFILE_FILES.smoke),
  });
}

/** The profiles present: folders of `appsDir` holding an aftercheck.config.ts, sorted. */
export function listProfiles(appsDir: string = APPS_DIR): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(appsDir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isDirectory() && APP_NAME.test(e.name) && fs.existsSync(path.join(appsDir, e.name, PROFILE_FILES.config)))
    .map((e) => e.name)
    .sort();
}

/** How AFTERCHECK_APP's default is found; `ambiguous` when several profiles exist and none is demo-shop. */
export type DefaultApp =
  { readonly kind: 'found'; readonly name: string } | { readonly kind: 'ambiguous'; readonly names: readonly string[] };

export function defaultApp(appsDir: string = APPS_DIR): DefaultApp {
  const names = listProfiles(appsDir);
  if (names.length === 1) return { kind: 'found', name: names[0]! };
  if (names.length === 0 || names.includes(DEFAULT_APP)) return { kind: 'found', name: DEFAULT_APP };
  return { kind: 'ambiguous', names };
}

/**
 * The profile AFTERCHECK_APP selects (`requested`, already format-checked), or the default. The problem, if any, is for
 * the environment's one message: a set name must exist, an unset one must not be ambiguous.
 */
export function resolveApp(requested: string | undefined, appsDir: string = APPS_DIR): { name: string; problem?: Problem } {
  const known = listProfiles(appsDir);
  const fix = `set AFTERCHECK_APP to one of: ${known.join(', ') || '(none yet)'}, or write a profile with \`npm run init -- --url <URL> --app <name>\``;
  if (requested !== undefined) {
    if (known.includes(requested)) return { name: requested };
    return {
      name: requested,
      problem: { field: 'AFTERCHECK_APP', value: JSON.stringify(requested), message: `there is no profile apps/${requested}`, fix },
    };
  }
  const found = defaultApp(appsDir);
  if (found.kind === 'found') return { name: found.name };
  return {
    name: found.names[0]!,
    problem: {
      field: 'AFTERCHECK_APP',
      value: '(unset)',
      message: `there are several app profiles (${found.names.join(', ')}) and none is ${DEFAULT_APP}`,
      fix,
    },
  };
}
