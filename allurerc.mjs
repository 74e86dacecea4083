// Allure 3 report configuration for aftercheck: Awesome report, history kept between runs, release categories derived from the policy's verdict rules.
import { defineConfig } from 'allure';

/** The policy's default verdict rules (scripts/config/policy.ts); `npm run report` passes the real policy instead. */
export const DEFAULT_VERDICT_RULES = {
  smokeFailure: 'rollback',
  verifyFailure: { blocker: 'rollback', critical: 'rollback', normal: 'hotfix', minor: 'hotfix' },
  flaky: 'warn',
  defaultSeverity: 'normal',
};

const SEVERITIES = ['blocker', 'critical', 'normal', 'minor'];
const labelValues = (d, name) => d.labels.filter((l) => l.name === name).map((l) => l.value);
const failed = (d) => d.status === 'failed' || d.status === 'broken';

/**
 * What a single result means for the release, by the same rules as the verdict engine: the verdict result carries its
 * decision as a label; a failed @smoke test maps through smokeFailure; a failed @verify test through verifyFailure of its
 * severity (its own severity label, else its most severe feature's from the registry, else the default).
 */
function meaning(d, rules, featureSeverities) {
  const decision = labelValues(d, 'decision')[0];
  if (decision) return decision;
  const tags = labelValues(d, 'tag');
  if (failed(d) && labelValues(d, 'parentSuite').includes('setup')) return 'inconclusive';
  if (failed(d) && tags.includes('smoke')) return rules.smokeFailure;
  if (failed(d) && tags.includes('verify')) {
    const own = labelValues(d, 'severity').find((s) => SEVERITIES.includes(s));
    const fromFeatures = tags
      .filter((t) => t.startsWith('feature:'))
      .map((t) => featureSeverities[t.slice('feature:'.length)])
      .filter(Boolean)
      .sort((a, b) => SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b))[0];
    return rules.verifyFailure[own ?? fromFeatures ?? rules.defaultSeverity];
  }
  if (d.flaky && rules.flaky === 'hotfix') return 'hotfix';
  return undefined;
}

/**
 * Allure 3 categories (config `categories`, matched in order, first wins; "Product errors" and "Test errors" follow).
 * categories.json in the results directory is the Allure 2 way and only the classic plugins read it.
 */
export function aftercheckCategories({ rules = DEFAULT_VERDICT_RULES, featureSeverities = {} } = {}) {
  const is = (wanted) => (d) => meaning(d, rules, featureSeverities) === wanted;
  return [
    { id: 'rollback-worthy', name: 'Rollback-worthy', matchers: is('rollback'), groupBy: ['severity'], expand: true },
    { id: 'hotfix-worthy', name: 'Hotfix-worthy', matchers: is('hotfix'), groupBy: ['severity'] },
    { id: 'inconclusive', name: 'Inconclusive', matchers: is('inconclusive') },
    { id: 'flaky', name: 'Flaky', matchers: { flaky: true } },
  ];
}

export default defineConfig({
  name: 'aftercheck release report',
  output: './reports/allure-report',
  // Outside the report directory, so regenerating the report never wipes the trend data; no clean step deletes it.
  historyPath: './reports/allure-history.jsonl',
  categories: aftercheckCategories(),
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
