// Writes a new app profile (apps/<name>/) and its .env section: formatted, refusing to overwrite without --force, the same result every time.
import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import * as prettier from 'prettier';
import { REPO_ROOT, profilePaths } from '../config/apps.ts';
import { ConfigError } from '../config/errors.ts';
import { policyTemplate, type PolicyTemplateOptions } from './policy-template.ts';
import { ENV_MARK, renderConfig, renderEnvSection, renderTags, renderVerifySpec, type ConfigInput } from './render.ts';

export interface ScaffoldInput extends ConfigInput {
  readonly force: boolean;
  readonly policy: Omit<PolicyTemplateOptions, 'app'>;
  readonly username: string | undefined;
  /** Where the profile goes (default apps/ of this repository) and which .env gets the section (default the repository's). */
  readonly appsDir?: string;
  readonly envFile?: string;
}

export interface Written {
  readonly files: readonly string[];
  readonly envFile: string;
}

async function format(text: string, file: string): Promise<string> {
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(text, { ...options, filepath: file });
}

/** Replaces this profile's section of .env in place, or appends it; other lines are left as they are. */
export function withEnvSection(current: string, profile: string, url: string, username: string | undefined): string {
  const { begin, end } = ENV_MARK(profile);
  const lines = current.split('\n');
  const from = lines.indexOf(begin);
  const to = from >= 0 ? lines.indexOf(end, from) : -1;
  const outside = from >= 0 && to >= 0 ? [...lines.slice(0, from), ...lines.slice(to + 1)] : lines;
  const alreadySet = new Set(
    Object.entries(dotenv.parse(outside.join('\n')))
      .filter(([, v]) => v !== '')
      .map(([k]) => k),
  );
  const section = renderEnvSection(profile, url, username, alreadySet);
  if (from >= 0 && to >= 0) return [...lines.slice(0, from), section, ...lines.slice(to + 1)].join('\n');
  const base = current.length && !current.endsWith('\n') ? `${current}\n` : current;
  return `${base}${base ? '\n' : ''}${section}\n`;
}

/** init never overwrites a profile unasked. */
export function existingProfileError(profile: string, dir: string): ConfigError {
  return new ConfigError('command line', [
    {
      field: '--app',
      value: JSON.stringify(profile),
      message: `the profile ${path.relative(process.cwd(), dir) || dir} exists already`,
      fix: 'pick another name, or add --force to write its generated files again (files you added are kept)',
    },
  ]);
}

export async function scaffold(input: ScaffoldInput): Promise<Written> {
  const paths = profilePaths(input.profile, input.appsDir);
  if (fs.existsSync(paths.dir) && !input.force) throw existingProfileError(input.profile, paths.dir);
  const spec = path.join(paths.verifyDir, `${input.feature.id}.spec.ts`);
  const files: [string, string][] = [
    [paths.configFile, renderConfig(input)],
    [paths.tagsFile, renderTags(input.profile)],
    [paths.policyFile, `${JSON.stringify(policyTemplate({ app: input.profile, ...input.policy }), null, 2)}\n`],
    [spec, renderVerifySpec(input.feature.id, input.discovery)],
  ];
  fs.mkdirSync(paths.verifyDir, { recursive: true });
  for (const [file, text] of files) fs.writeFileSync(file, await format(text, file));

  const envFile = input.envFile ?? path.join(REPO_ROOT, '.env');
  const current = fs.existsSync(envFile) ? fs.readFileSync(envFile, 'utf8') : '';
  fs.writeFileSync(envFile, withEnvSection(current, input.profile, input.url, input.username));
  return { files: files.map(([f]) => f), envFile };
}
