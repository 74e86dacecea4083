// `npm run report`: the Allure 3 HTML report, built offline (scripts/adapters/allure/generate.ts) from the run's results.
import path from 'node:path';
import { loadEnv } from '../config/env.ts';
import { EXIT } from '../config/errors.ts';
import { generateReport } from '../adapters/allure/generate.ts';
import { CommandFailed, runIfMain, type CommandSpec } from './frame.ts';

export const HELP = `Usage: npm run report

Builds the Allure 3 HTML report (Awesome) offline from <AFTERCHECK_REPORTS_DIR>/allure-results into
<AFTERCHECK_REPORTS_DIR>/allure-report, with allurerc.mjs. History is appended to
<AFTERCHECK_REPORTS_DIR>/allure-history.jsonl (kept between runs, so trends show). The report loads its data over
HTTP, so serve it rather than opening index.html from disk: npx allure open <reports>/allure-report.

Exit codes: 0 report written; 3 allure failed (the previous report is kept); 4 no results or bad configuration.
`;

export const command: CommandSpec<Record<string, never>> = {
  name: 'npm run report',
  help: HELP,
  options: {},
  async run(_values, { io, useSecrets }) {
    const env = loadEnv();
    useSecrets(env.secrets);
    const report = await generateReport({ reportsDir: env.reportsDir, secrets: env.secrets }).catch((e: unknown) => {
      throw e instanceof Error && !(e.name === 'ConfigError') ? new CommandFailed(e.message) : e;
    });
    const rel = (p: string) => (p.startsWith(`${process.cwd()}${path.sep}`) ? path.relative(process.cwd(), p) : p);
    io.stdout.write(
      `Allure report: ${rel(report.output)} (it loads its data over HTTP: npx allure open ${rel(report.output)})\nHistory: ${rel(report.historyPath)}\n`,
    );
    return EXIT.ok;
  },
};

await runIfMain(import.meta.url, command);
