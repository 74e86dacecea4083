// `npm run schemas`: writes the JSON Schemas of the policy and the release manifest, so editors complete both files.
import fs from 'node:fs';
import path from 'node:path';
import { policyJsonSchema } from './config/policy.ts';
import { manifestJsonSchema } from './config/manifest.ts';
import { parseFlags } from './config/cli.ts';
import { ConfigError, EXIT } from './config/errors.ts';

export const SCHEMA_FILES = {
  'schemas/policy.schema.json': () => ({ title: 'aftercheck release policy', ...(policyJsonSchema() as object) }),
  'schemas/release-manifest.schema.json': () => ({ title: 'aftercheck release manifest', ...(manifestJsonSchema() as object) }),
} as const;

export function renderSchema(file: keyof typeof SCHEMA_FILES): string {
  return `${JSON.stringify(SCHEMA_FILES[file](), null, 2)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, problems } = parseFlags(process.argv.slice(2), { help: { type: 'boolean' } }, 'npm run schemas');
  if (problems.length) {
    console.error(new ConfigError('command line', problems).message);
    process.exit(EXIT.config);
  }
  if (values.help) {
    console.log(
      `Usage: npm run schemas\n\nWrites ${Object.keys(SCHEMA_FILES).join(' and ')} from the zod schemas.\nExit codes: 0 written, 4 usage error.`,
    );
    process.exit(EXIT.ok);
  }
  for (const file of Object.keys(SCHEMA_FILES) as Array<keyof typeof SCHEMA_FILES>) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, renderSchema(file));
    console.log(`wrote ${file}`);
  }
}
