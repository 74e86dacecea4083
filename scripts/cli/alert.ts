// `npm run alert -- --test`: sends a test alert through the configured webhook and records the outcome, so the
// checklist's "Alerting configured" line can say that alerts are delivered, not only named.
import { loadEnv } from '../config/env.ts';
import { EXIT } from '../config/errors.ts';
import { loadPolicy } from '../config/policy.ts';
import { redact } from '../config/redact.ts';
import { statePath, updateAlertState, webhookDigest } from '../adapters/alerts/state.ts';
import { sendAlert } from '../adapters/alerts/webhook.ts';
import type { AlertContent } from '../engine/alerts.ts';
import { runIfMain, type CommandSpec } from './frame.ts';

export const HELP = `Usage: npm run alert -- --test

Sends a test alert (Slack-compatible JSON) to AFTERCHECK_ALERT_WEBHOOK_URL, with the app, the policy's owner and
alerting channel, and records the outcome in <reports>/alert-state.json. The verdict's checklist ticks "Alerting
configured" only once a test alert to this webhook was delivered, or the run itself delivered an alert.

Options:
  --test   send the test alert
  --help   this text

Exit codes: 0 delivered, 3 not delivered (the reason is printed), 4 configuration or usage error (no webhook URL).`;

const OPTIONS = { test: { type: 'boolean' } } as const;

export const command: CommandSpec<typeof OPTIONS> = {
  name: 'npm run alert',
  help: HELP,
  options: OPTIONS,
  check(values, problems) {
    if (!values.test)
      problems.push({ field: '--test', value: '(unset)', message: 'is the only action', fix: 'run npm run alert -- --test' });
  },
  async run(_values, { io, useSecrets }) {
    const env = loadEnv();
    useSecrets(env.secrets);
    const url = env.alerts.webhookUrl;
    if (!url) {
      io.stderr.write(
        'aftercheck alert: no notifier configured: set AFTERCHECK_ALERT_WEBHOOK_URL to your incoming-webhook URL (it is a secret: put it in the CI secret store or .env)\n',
      );
      return EXIT.config;
    }
    const policy = loadPolicy(env.policyPath).policy;
    const content: AlertContent = {
      kind: 'test',
      status: 'TEST',
      decision: null,
      app: env.app,
      service: env.service,
      version: null,
      headline: `Test alert from aftercheck for ${env.app}: alerts for this service reach ${policy.alerting?.channel ?? 'this webhook (the policy names no alerting.channel)'}.`,
      findings: [],
      owner: policy.owner.team,
      rollbackCriteria: `${policy.owner.rollbackDecider} decides`,
      reportUrl: env.reportUrl ?? null,
    };
    const sent = (await sendAlert(env, content))!;
    await updateAlertState(env.reportsDir, (s) => {
      s.lastTest = { at: sent.at, ok: sent.ok, ...(sent.error ? { error: sent.error } : {}), webhook: webhookDigest(url) };
    });
    const where = `recorded in ${statePath(env.reportsDir)}`;
    if (sent.ok) {
      io.stdout.write(`aftercheck alert: test alert delivered (${sent.attempts} attempt(s)); ${where}\n`);
      return EXIT.ok;
    }
    io.stderr.write(
      redact(`aftercheck alert: test alert not delivered after ${sent.attempts} attempt(s): ${sent.error}; ${where}\n`, env.secrets),
    );
    return EXIT.inconclusive;
  },
};

await runIfMain(import.meta.url, command);
