// `npm run schemas`: writes the JSON Schemas of the policy and the release manifest, so editors complete both files.
import fs from 'node:fs';
import path from 'node:path';
import { manifestJsonSchema } from '../config/manifest.ts';
import { policyJsonSchema } from '../config/policy.ts';
import { EXIT } from '../config/errors.ts';
import { runIfMain, type CommandSpec } from './frame.ts';

export const SCHEMA_FILES = {
  'schemas/policy.schema.json': () => ({ title: 'aftercheck release policy', ...(policyJsonSchema() as object) }),
  'schemas/release-manifest.schema.json': () => ({ title: 'aftercheck release manifest', ...(manifestJsonSchema() as object) }),
} as const;

export function renderSchema(file: keyof typeof SCHEMA_FILES): string {
  return `${JSON.stringify(SCHEMA_FILES[file](), null, 2)}\n`;
}

export const command: CommandSpec<Record<string, never>> = {
  name: 'npm run schemas',
  help: `Usage: npm run schemas\n\nWrites ${Object.keys(SCHEMA_FILES).join(' and ')} from the zod schemas.\nExit codes: 0 written, 4 usage error.`,
  options: {},
  async run(_values, { io }) {
    for (const file of Object.keys(SCHEMA_FILES) as Array<keyof typeof SCHEMA_FILES>) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, renderSchema(file));
      io.stdout.write(`wrote ${file}\n`);
    }
    return EXIT.ok;
  },
};

await runIfMain(import.meta.url, command);
