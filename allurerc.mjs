// Allure 3 report configuration for aftercheck: the Awesome report, history kept between runs.
// `npm run report` adds this run's paths and the release categories (generated from the one decision table in
// scripts/engine/decisions.ts, matching the decision label the verdict writes on each result).
import { defineConfig } from 'allure';

export default defineConfig({
  name: 'aftercheck release report',
  output: './reports/allure-report',
  // Outside the report directory, so regenerating the report never wipes the trend data; no clean step deletes it.
  historyPath: './reports/allure-history.jsonl',
  plugins: {
    awesome: {
      options: {
        reportName: 'aftercheck release report',
        singleFile: false,
        groupBy: ['epic', 'parentSuite', 'suite'],
      },
    },
  },
});
