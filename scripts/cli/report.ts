// `npm run report`: the Allure 3 HTML report, built offline (scripts/adapters/allure/generate.ts) from the run's results.
import path from 'node:path';
import { loadEnv } from '../config/env.ts';
import { EXIT } from '../config/errors.ts';
import { generateReport } from '../adapters/allure/generate.ts';
import { reportPath } from '../contract.ts';
import { CommandFailed, runIfMain, type CommandSpec } from './frame.ts';

export const HELP = `Usage: npm run report [-- --single-file]

Builds the Allure 3 HTML report (Awesome) offline from <AFTERCHECK_REPORTS_DIR>/allure-results into
<AFTERCHECK_REPORTS_DIR>/allure-report, with allurerc.mjs. Its name is the verdict's headline from verdict.json
(e.g. "ROLLBACK · demo-shop 1.5.0"). History is appended to <AFTERCHECK_REPORTS_DIR>/allure-history.jsonl (kept
between runs, so trends show). The report loads its data over HTTP, so serve it rather than opening index.html from
disk: npx allure open <reports>/allure-report.

Options:
  --single-file   also write <AFTERCHECK_REPORTS_DIR>/allure-report.html: the same report as one self-contained
                  file that opens from disk (for download as a CI artifact)
  --help          this text

Exit codes: 0 report written; 3 allure failed (the previous report is kept); 4 no results or bad configuration.
`;

const OPTIONS = { 'single-file': { type: 'boolean' } } as const;

export const command: CommandSpec<typeof OPTIONS> = {
  name: 'npm run report',
  help: HELP,
  options: OPTIONS,
  async run(values, { io, useSecrets }) {
    const env = loadEnv();
    useSecrets(env.secrets);
    const singleFile = values['single-file'] ? reportPath(env.reportsDir, 'allureSingleFile') : undefined;
    const report = await generateReport({ reportsDir: env.reportsDir, secrets: env.secrets, ...(singleFile ? { singleFile } : {}) }).catch(
      (e: unknown) => {
        throw e instanceof Error && !(e.name === 'ConfigError') ? new CommandFailed(e.message) : e;
      },
    );
    const rel = (p: string) => (p.startsWith(`${process.cwd()}${path.sep}`) ? path.relative(process.cwd(), p) : p);
    io.stdout.write(
      `Allure report: ${rel(report.output)} (it loads its data over HTTP: npx allure open ${rel(report.output)})\n${report.singleFile ? `Single file: ${rel(report.singleFile)} (opens from disk)\n` : ''}History: ${rel(report.historyPath)}\n`,
    );
    return EXIT.ok;
  },
};

await runIfMain(import.meta.url, command);
