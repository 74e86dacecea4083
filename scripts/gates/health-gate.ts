// The health gate's orchestration: windows from manifest and policy, every read a signal needs (in parallel, bounded), the engine.
import type { AftercheckEnv } from '../config/env.ts';
import type { Policy } from '../config/policy.ts';
import type { ReleaseManifest } from '../config/manifest.ts';
import { redactUrl } from '../config/redact.ts';
import { influxReaderFromEnv, type MetricsReader, type SeriesRequest } from '../adapters/influx/reader.ts';
import { buildHealthReport } from '../engine/health.ts';
import { baselineCandidates, computeWindows } from '../engine/windows.ts';
import type { HealthReport, SignalMeasurement } from '../engine/types.ts';

/** The parts of the release manifest the health gate needs. */
export type HealthManifest = Pick<ReleaseManifest, 'version' | 'previousVersion' | 'deployedAt' | 'changeSize'>;

export interface HealthGateDeps {
  readonly env: AftercheckEnv;
  readonly policy: Policy;
  readonly manifest: HealthManifest;
  readonly now: Date;
  /** The metrics store; the InfluxDB adapter built from env when omitted. */
  readonly reader?: MetricsReader;
  /** Queries in flight at once (default 4): enough to be quick, few enough not to load a production InfluxDB. */
  readonly concurrency?: number;
}

async function pool<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return out;
}

/**
 * Runs the health gate in-process: windows from the manifest and policy; per signal one current read, one read per
 * baseline it may use (time-of-day signals try yesterday, last week, then before the deploy) and, with a worstHost
 * limit, a per-host read; then the pure engine. Never throws for data problems: an unreachable InfluxDB, a refused
 * token, a timeout or an empty result become inconclusive signals with the cause named. The report is the data as
 * judged: redaction happens where it is written out.
 */
export async function runHealthGate(deps: HealthGateDeps): Promise<HealthReport> {
  const { env, policy, manifest, now } = deps;
  const windows = computeWindows({ deployedAt: manifest.deployedAt, changeSize: manifest.changeSize, policy, now });
  const reader = deps.reader ?? influxReaderFromEnv(env);
  const connection = await reader.connect();
  const service = env.service;

  let measurements: SignalMeasurement[] = [];
  if (windows.intervals > 0) {
    const current = { role: 'current' as const, window: windows.current, version: manifest.version, matchVersion: true };
    const plans = policy.signals.map((signal) => {
      const request = (r: Omit<SeriesRequest, 'signal' | 'service' | 'intervalMs'>): SeriesRequest => ({
        ...r,
        signal,
        service,
        intervalMs: windows.intervalMs,
      });
      const candidates = baselineCandidates(windows, signal.baseline);
      return {
        signal,
        current: () => reader.read(request(current)),
        baselines: candidates.map((c) => async () => ({
          source: c.source,
          window: c.window,
          anyVersion: c.anyVersion,
          read: await reader.read(
            request({
              role: 'baseline',
              window: c.window,
              version: manifest.previousVersion,
              matchVersion: !c.anyVersion && policy.baseline.matchVersion,
            }),
          ),
        })),
        hosts: signal.worstHost ? () => reader.readHosts(request(current)) : undefined,
      };
    });
    // One bounded pool over every read of every signal, then each signal's answers are picked back out in order.
    const tasks: (() => Promise<unknown>)[] = plans.flatMap((p) => [p.current, ...p.baselines, ...(p.hosts ? [p.hosts] : [])]);
    const answers = await pool(tasks, deps.concurrency ?? 4);
    let at = 0;
    measurements = plans.map((p) => {
      const cur = answers[at++] as SignalMeasurement['current'];
      const baselines = p.baselines.map(() => answers[at++]) as SignalMeasurement['baselines'];
      const hosts = p.hosts ? (answers[at++] as NonNullable<SignalMeasurement['hosts']>) : undefined;
      return { signalId: p.signal.id, current: cur, baselines, ...(hosts ? { hosts } : {}) };
    });
  }

  return buildHealthReport({
    policy,
    measurements,
    windows,
    generatedAt: now.toISOString(),
    service,
    version: manifest.version,
    previousVersion: manifest.previousVersion,
    deployedAt: manifest.deployedAt,
    changeSize: manifest.changeSize,
    source: {
      url: redactUrl(connection.source.url, env.secrets).replace(/\/+$/, ''),
      dialect: connection.source.dialect,
      database: connection.source.database,
    },
    ...(connection.kind === 'error' ? { error: connection.message } : {}),
  });
}
