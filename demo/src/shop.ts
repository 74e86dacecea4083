// Assembles the shop (database, faults, load simulation, metrics, HTTP server) and takes it down again in order.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DemoConfig } from '../config.ts';
import { createHandler } from './app.ts';
import type { Services } from './context.ts';
import { Db } from './db.ts';
import { warmUpHashing } from './features/account.ts';
import { controlHandler } from './control.ts';
import { Faults, MemoryLeak } from './faults.ts';
import { ConnectionPool, WorkQueue } from './load.ts';
import { ThrottledLog } from './log.ts';
import { MetricsWriter, OrderStats, ProcessSampler, RequestStats } from './metrics.ts';

export interface Shop {
  /** Resolves with the bound URL. */
  listen(): Promise<string>;
  /** Stops accepting, lets in-flight requests finish (bounded), flushes metrics once, closes the DB. */
  close(): Promise<void>;
}

const DRAIN_MS = 1200;

export function createShop(config: DemoConfig): Shop {
  const problems = new ThrottledLog();
  const db = Db.open({ dataDir: config.dataDir, syntheticAccount: config.syntheticAccount });
  const faults = new Faults(config.faults);
  const leak = new MemoryLeak();
  let listening = false;
  // A fault switched on at run time acts like one set at start: the connection is lost (for good), the leak starts.
  const apply = (active: ReadonlySet<string>) => {
    if (active.has('db-down')) db.disconnect();
    if (active.has('memory-leak') && listening) leak.start();
    else leak.stop();
  };
  apply(new Set(faults.list()));
  faults.onChange(apply);
  const queue = new WorkQueue(200, 25, (job, err) =>
    problems.problem(
      `job ${job.kind}`,
      `background job ${job.kind} failed and stays queued: ${err instanceof Error ? err.message : String(err)}`,
    ),
  );
  const services: Services = {
    config,
    db,
    faults,
    pool: new ConnectionPool(10),
    queue,
    requests: new RequestStats(),
    orders: new OrderStats(),
    leak,
    problems,
  };
  const metrics = config.influx
    ? new MetricsWriter(
        config.influx,
        { requests: services.requests, orders: services.orders, process: new ProcessSampler(), pool: services.pool, queue },
        { service: config.service, version: config.version, host: config.hostname },
        config.metricsIntervalMs,
        () => new Date(Date.now() + config.metricsClockOffsetMs),
      )
    : undefined;
  const handler = createHandler(services);
  const control = config.controlToken ? controlHandler(faults, config.controlToken) : undefined;
  // Control requests are not shop traffic: they bypass the pipeline, so they never show in the metrics.
  const server = http.createServer((req, res) => (control?.(req, res) ? undefined : handler(req, res)));
  server.keepAliveTimeout = 5000;

  return {
    listen: async () => {
      await Promise.all([warmUpHashing(), metrics?.probe()]);
      return new Promise<string>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, '127.0.0.1', () => {
          server.off('error', reject);
          queue.start();
          listening = true;
          apply(new Set(faults.list()));
          metrics?.start();
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
        });
      });
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
      await closed;
      clearTimeout(force);
      leak.stop();
      await metrics?.stop();
      queue.stop();
      queue.drain();
      db.close();
    },
  };
}
