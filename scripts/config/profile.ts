// The one profile loader: apps/<name>/aftercheck.config.ts imported at run time (never statically, so deleting a profile breaks nothing else) and validated.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { APPS_DIR, listProfiles, profilePaths, resolveApp, type ProfilePaths } from './apps.ts';
import { parseAppConfig, type AppConfig } from './app-config.ts';
import { ConfigError } from './errors.ts';
import { selectedApp } from './env.ts';

export { APPS_DIR, listProfiles, profilePaths, type ProfilePaths } from './apps.ts';

/** One app profile: its files and its validated, frozen configuration. */
export interface Profile extends ProfilePaths {
  readonly config: AppConfig;
  readonly featureIds: readonly string[];
}

const loaded = new Map<string, Promise<Profile>>();

function missing(name: string, appsDir: string): ConfigError {
  const known = listProfiles(appsDir);
  return new ConfigError('app profile', [
    {
      field: 'AFTERCHECK_APP',
      value: JSON.stringify(name),
      message: `there is no profile ${path.relative(process.cwd(), profilePaths(name, appsDir).configFile) || name}`,
      fix: `use one of: ${known.join(', ') || '(none yet)'}, or write one with \`npm run init -- --url <URL> --app ${name}\``,
    },
  ]);
}

async function importProfile(paths: ProfilePaths, appsDir: string): Promise<Profile> {
  if (!fs.existsSync(paths.configFile)) throw missing(paths.name, appsDir);
  const source = `app profile ${paths.name} (${path.relative(process.cwd(), paths.configFile) || paths.configFile})`;
  let mod: { default?: unknown; appConfig?: unknown };
  try {
    mod = (await import(pathToFileURL(paths.configFile).href)) as typeof mod;
  } catch (err) {
    // defineConfig() validates when the module runs; its problems are named against this profile's file.
    if (err instanceof ConfigError) throw new ConfigError(source, err.problems);
    throw err;
  }
  const config = parseAppConfig(mod.default ?? mod.appConfig, source);
  return Object.freeze({ ...paths, config, featureIds: Object.freeze(Object.keys(config.features)) });
}

/**
 * Loads a profile by name (default: the one AFTERCHECK_APP selects, else the only one, else demo-shop). Throws ConfigError
 * naming the known profiles when it does not exist, or every problem of its config. Loaded once per process and name.
 */
export function loadProfile(name?: string, options: { readonly appsDir?: string } = {}): Promise<Profile> {
  const appsDir = options.appsDir ?? APPS_DIR;
  const chosen = name ?? resolveApp(undefined, appsDir).name;
  const paths = profilePaths(chosen, appsDir);
  let pending = loaded.get(paths.dir);
  if (!pending) {
    pending = importProfile(paths, appsDir);
    loaded.set(paths.dir, pending);
  }
  return pending;
}

/** The profile the environment selects (AFTERCHECK_APP), loadable even while other keys have problems. */
export function loadSelectedProfile(source?: Record<string, string | undefined>): Promise<Profile> {
  return loadProfile(selectedApp(source));
}
