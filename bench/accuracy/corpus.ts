// Writes the corpus into a real influxd and judges each case by running `npm run health` on it, as a user would.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { childEnv } from '../../scripts/config/env.ts';
import { loadPolicy } from '../../scripts/config/policy.ts';
import type { HealthReport } from '../../scripts/engine/types.ts';
import type { Influxd } from '../../scripts/setup/influxd.ts';
import type { Case } from './cases.ts';
import { deployTime, evaluateTime, generate, VERSIONS, type Scale } from './model.ts';
import type { Observed } from './score.ts';

export interface ScaleSpec extends Scale {
  /** The policy judged at this scale, relative to the repository root. */
  readonly policy: string;
  readonly database: string;
}

/**
 * The two scales: the shipped policy at its own (1 min intervals, a 30 min minor period, points every 10 s) and the
 * demo's compressed policy at its own (2 s intervals, its minor period, points every second as the demo shop writes).
 * Interval and period come from each policy, so a policy change is measured at the scale it sets.
 */
export function scaleOf(name: 'shipped' | 'demo', root: string): ScaleSpec {
  const policy = name === 'shipped' ? 'apps/demo-shop/policy.json' : 'apps/demo-shop/policy.demo.json';
  const { policy: p } = loadPolicy(path.join(root, policy));
  return {
    name,
    policy,
    database: `accuracy_${name}`,
    intervalMs: p.ms.interval,
    periodMs: p.ms.checkingPeriods.minor,
    writeEveryMs: name === 'shipped' ? 10_000 : 1000,
  };
}

export async function writeCorpus(influx: Influxd, cases: readonly Case[], scale: ScaleSpec): Promise<number> {
  await influx.createDatabase(scale.database);
  let n = 0;
  for (const c of cases) {
    const lines = generate(c, scale);
    for (let i = 0; i < lines.length; i += 5000) await influx.write(scale.database, lines.slice(i, i + 5000), 'ms');
    n += lines.length;
  }
  return n;
}

/** Runs `npm run health` for one case and reads the report it wrote; never throws (a crash is an observation too). */
export function judgeCase(
  c: Case,
  scale: ScaleSpec,
  ctx: { readonly root: string; readonly influxUrl: string; readonly work: string },
): Promise<Observed> {
  const out = path.join(ctx.work, `${scale.name}-${c.id}.json`);
  fs.rmSync(out, { force: true });
  const args = [
    'run',
    '--silent',
    'health',
    '--',
    '--policy',
    path.join(ctx.root, scale.policy),
    '--version',
    VERSIONS.current,
    '--previous-version',
    VERSIONS.previous,
    '--deployed-at',
    new Date(deployTime(c, scale)).toISOString(),
    '--change-size',
    'minor',
    '--now',
    new Date(evaluateTime(c, scale)).toISOString(),
    '--out',
    out,
  ];
  const env = childEnv({
    AFTERCHECK_INFLUX_URL: ctx.influxUrl,
    AFTERCHECK_INFLUX_DATABASE: scale.database,
    AFTERCHECK_INFLUX_DIALECT: 'influxql',
    AFTERCHECK_INFLUX_TOKEN: undefined,
    AFTERCHECK_SERVICE: `acc-${c.id}`,
    AFTERCHECK_REPORTS_DIR: ctx.work,
    AFTERCHECK_MANIFEST: path.join(ctx.work, 'no-manifest.json'),
    NO_COLOR: '1',
  });
  return new Promise((resolve) => {
    const child = spawn('npm', args, { cwd: ctx.root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => resolve({ exit: -1, report: null, stderr: e.message }));
    child.on('close', (code) => {
      let report: HealthReport | null = null;
      try {
        report = JSON.parse(fs.readFileSync(out, 'utf8')) as HealthReport;
      } catch {
        report = null;
      }
      resolve({ exit: code ?? -1, report, stderr });
    });
  });
}

/** Runs tasks with at most `limit` in flight, keeping their order. */
export async function inPool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
