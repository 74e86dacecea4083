// The post-release checklist (pure): each line ticked or crossed from the evidence the verdict saw, never by hand.
import type { Policy } from '../config/policy.ts';
import type { AlertingEvidence, ChecklistItem, VerdictEvidence } from './types.ts';

export interface ChecklistInput {
  readonly policy: Policy;
  readonly evidence: VerdictEvidence;
  /** The notifier as the verdict saw it; absent means none is configured. */
  readonly alerting?: AlertingEvidence;
}

const names = (xs: readonly string[], max = 3) =>
  xs
    .slice(0, max)
    .map((x) => `“${x}”`)
    .join(', ') + (xs.length > max ? ` and ${xs.length - max} more` : '');

function smokeItem({ evidence: e }: ChecklistInput): ChecklistItem {
  const label = 'Smoke test: main page, critical API, database, login';
  if (e.results.kind === 'missing')
    return { item: 'smoke', label, state: 'missing', evidence: `no test results (${e.results.reason ?? e.results.path})` };
  const s = e.smoke;
  if (s.failed > 0)
    return {
      item: 'smoke',
      label,
      state: 'failed',
      evidence: `${s.failed} of ${s.total} smoke checks failed: ${names(s.failures.map((f) => f.title))}`,
    };
  if (s.ran === 0)
    return {
      item: 'smoke',
      label,
      state: 'missing',
      evidence: `no smoke check ran (${s.total} listed${e.setup.failed ? ', setup failed' : ''})`,
    };
  // Ticked only when every smoke check ran: "1 of 7 passed, 6 skipped" is six questions never asked.
  if (s.ran < s.total) {
    const how = [s.skipped ? `${s.skipped} skipped` : '', s.interrupted ? `${s.interrupted} interrupted` : ''].filter(Boolean).join(', ');
    return {
      item: 'smoke',
      label,
      state: 'missing',
      evidence: `only ${s.ran} of ${s.total} smoke checks ran (${how}); ${s.passed} passed`,
    };
  }
  return { item: 'smoke', label, state: 'done', evidence: `${s.passed} of ${s.total} smoke checks passed` };
}

function verificationItem({ evidence: e }: ChecklistInput): ChecklistItem {
  const label = 'Automated verification of the changed features';
  if (e.results.kind === 'missing') return { item: 'verification', label, state: 'missing', evidence: 'no test results' };
  if (e.manifest.kind === 'missing' && !e.selection)
    return {
      item: 'verification',
      label,
      state: 'missing',
      evidence: `no release manifest at ${e.manifest.path}: the changed features are unknown`,
    };
  const changed = e.verify.features.filter((f) => f.changed);
  const failed = changed.filter((f) => f.state === 'failed');
  const failedOther = e.verify.failed - failed.reduce((n, f) => n + f.failed, 0);
  if (failed.length || failedOther > 0)
    return {
      item: 'verification',
      label,
      state: 'failed',
      evidence: `${e.verify.failed} @verify test(s) failed${failed.length ? ` in ${names(failed.map((f) => f.feature))}` : ''}`,
    };
  // A changed feature counts as verified only when all of its tests ran: a skipped flow is an unchecked one. In the
  // 'passed' state nothing failed (flaky tests end as passed), so every test not passed did not run.
  const partly = (f: (typeof changed)[number]) => f.state === 'passed' && f.passed < f.tests;
  const open = changed.filter((f) => f.state !== 'passed' || partly(f));
  if (open.length) {
    const why = (f: (typeof changed)[number]) => {
      if (!partly(f)) return `${f.feature}: ${f.state}${f.note ? ` (${f.note})` : ''}`;
      const interrupted = f.tests - f.passed - f.skipped;
      return `${f.feature}: ${f.tests - f.passed} of ${f.tests} tests did not run (${[f.skipped ? `${f.skipped} skipped` : '', interrupted ? `${interrupted} interrupted` : ''].filter(Boolean).join(', ')})`;
    };
    return { item: 'verification', label, state: 'missing', evidence: open.map(why).join('; ') };
  }
  if (changed.length === 0)
    return { item: 'verification', label, state: 'done', evidence: 'the manifest names no changed features: nothing to verify' };
  return { item: 'verification', label, state: 'done', evidence: changed.map((f) => `${f.feature} ${f.passed}/${f.tests}`).join(', ') };
}

function logsItem({ evidence: e }: ChecklistInput): ChecklistItem {
  const label = 'Logs: no uncaught page errors or console errors';
  const l = e.logs;
  if (e.results.kind === 'missing') return { item: 'logs', label, state: 'missing', evidence: 'no test results' };
  if (l.pageErrors > 0 || l.consoleErrors > 0) {
    return {
      item: 'logs',
      label,
      state: 'failed',
      evidence: `${l.pageErrors} uncaught page error(s)${l.testsWithPageErrors.length ? ` in ${names(l.testsWithPageErrors)}` : ''}, ${l.consoleErrors} console error(s)${l.testsWithConsoleErrors.length ? ` in ${names(l.testsWithConsoleErrors)}` : ''}`,
    };
  }
  // Zero errors only counts when the suite actually listened for them.
  if (l.captured === 0)
    return {
      item: 'logs',
      label,
      state: 'missing',
      evidence: 'no test recorded page/console errors (annotations aftercheck:page-errors / aftercheck:console-errors absent)',
    };
  return { item: 'logs', label, state: 'done', evidence: `0 page errors and 0 console errors in ${l.captured} test(s) that listened` };
}

function healthItem({ evidence: e }: ChecklistInput): ChecklistItem {
  const label = 'Health signals vs thresholds and the previous version';
  const h = e.health;
  if (h.kind === 'unavailable') return { item: 'health', label, state: 'missing', evidence: h.reason };
  if (h.error) return { item: 'health', label, state: 'missing', evidence: h.error };
  const by = (o: string) => h.signals.filter((s) => s.outcome === o);
  const failed = by('fail');
  if (failed.length)
    return {
      item: 'health',
      label,
      state: 'failed',
      evidence: `${failed.length} of ${h.signals.length} signals breached: ${names(failed.map((s) => s.title))}`,
    };
  const none = by('inconclusive');
  if (none.length || h.signals.length === 0)
    return {
      item: 'health',
      label,
      state: 'missing',
      evidence: h.signals.length ? `no usable data for ${names(none.map((s) => s.title))}` : 'no signals evaluated',
    };
  const warn = by('warn');
  return {
    item: 'health',
    label,
    state: 'done',
    evidence: `${h.signals.length - warn.length} of ${h.signals.length} signals pass${warn.length ? `, ${warn.length} at warn level (${names(warn.map((s) => s.title))})` : ''}`,
  };
}

/**
 * Ticked only when alerts really reach someone: the policy names where they go, a notifier is configured, and a test
 * alert was delivered to it (npm run alert -- --test) or this run delivered one. A channel name alone is a label.
 */
function alertingItem({ policy, alerting }: ChecklistInput): ChecklistItem {
  const label = 'Alerting configured, thresholds set';
  const item = 'alerting' as const;
  const a = policy.alerting;
  if (!a) return { item, label, state: 'missing', evidence: 'the policy names no alerting channel (policy.alerting.channel)' };
  if (!a.thresholdsReviewed)
    return { item, label, state: 'failed', evidence: `alerts go to ${a.channel}, but the policy says the thresholds were not reviewed` };
  const n = alerting ?? { notifier: false, lastTest: null, sent: 0, failed: 0 };
  if (!n.notifier)
    return {
      item,
      label,
      state: 'missing',
      evidence: `the policy names ${a.channel}, but no notifier is configured (AFTERCHECK_ALERT_WEBHOOK_URL): nothing would reach it`,
    };
  const thresholds = `${policy.signals.length} signal thresholds defined`;
  if (n.sent > 0)
    return {
      item,
      label,
      state: 'done',
      evidence: `alerts go to ${a.channel}; this run delivered ${n.sent}${n.failed ? ` (${n.failed} failed)` : ''}; ${thresholds}`,
    };
  // A delivery that failed now says more than a test that worked before.
  if (n.failed > 0)
    return { item, label, state: 'failed', evidence: `alerts to ${a.channel} are not being delivered: ${n.failed} failed this run` };
  if (n.lastTest?.ok)
    return { item, label, state: 'done', evidence: `alerts go to ${a.channel}; test alert delivered ${n.lastTest.at}; ${thresholds}` };
  if (n.lastTest)
    return {
      item,
      label,
      state: 'failed',
      evidence: `alerts to ${a.channel} are not being delivered: the last test alert (${n.lastTest.at}) failed${n.lastTest.error ? `: ${n.lastTest.error}` : ''}`,
    };
  return {
    item,
    label,
    state: 'missing',
    evidence: `a notifier is configured for ${a.channel}, but no alert has been delivered yet: send one with npm run alert -- --test`,
  };
}

function rollbackItem({ policy }: ChecklistInput): ChecklistItem {
  const label = 'Rollback criteria defined, and who decides';
  const v = policy.verdict;
  const criteria = [
    v.smokeFailure === 'rollback' ? 'smoke failure' : '',
    ...Object.entries(v.verifyFailure)
      .filter(([, d]) => d === 'rollback')
      .map(([s]) => `${s} verify failure`),
    ...Object.entries(v.healthBreach)
      .filter(([, d]) => d === 'rollback')
      .map(([s]) => `${s} health breach`),
  ].filter(Boolean);
  const who = `${policy.owner.rollbackDecider} decides`;
  if (!criteria.length)
    return { item: 'rollback-criteria', label, state: 'missing', evidence: `no rule in policy.verdict leads to rollback; ${who}` };
  return { item: 'rollback-criteria', label, state: 'done', evidence: `rollback on ${criteria.join(', ')}; ${who}` };
}

export function buildChecklist(input: ChecklistInput): ChecklistItem[] {
  return [smokeItem(input), verificationItem(input), logsItem(input), healthItem(input), alertingItem(input), rollbackItem(input)];
}
