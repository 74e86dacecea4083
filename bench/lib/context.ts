// One bench run's shared state: its options, a work folder, and the demo shop and InfluxDB the sections share (started on first use).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemo, type RunningDemo } from '../../demo/launch.ts';
import { DEMO_ACCOUNT } from '../../scripts/config/env.ts';
import { startInfluxd, type Influxd } from '../../scripts/setup/influxd.ts';
import type { Row } from './model.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** tsx's loader by absolute URL, so a command may run from any working directory. */
export const TSX = import.meta.resolve('tsx');
export const PLAYWRIGHT_CLI = path.join(ROOT, 'node_modules', '@playwright', 'test', 'cli.js');
/** The synthetic account the demo shop seeds; the suite and the floors sign in with it. */
export const ACCOUNT = DEMO_ACCOUNT;

export interface BenchOptions {
  readonly quick: boolean;
  /** Alternating rounds of the headline measurements. */
  readonly rounds: number;
  /** Untimed rounds first (caches). */
  readonly warmup: number;
  readonly chromium: string;
}

export class BenchContext {
  /** Peak-memory rows the sections add for the footprint section (every command against its floor). */
  readonly footprint: Row[] = [];
  /** A reports folder holding one full @smoke run's outputs (the report section generates from it). */
  smokeReports: string | undefined;
  private shopStarted: Promise<RunningDemo> | undefined;
  private influxStarted: Promise<Influxd> | undefined;
  private readonly closers: (() => Promise<void>)[] = [];
  private dirs = 0;

  constructor(
    readonly options: BenchOptions,
    readonly work: string,
    readonly log: (line: string) => void,
  ) {}

  get quick(): boolean {
    return this.options.quick;
  }

  /** A fresh, empty folder inside the work folder. */
  dir(name: string): string {
    const d = path.join(this.work, `${String(++this.dirs).padStart(3, '0')}-${name}`);
    fs.mkdirSync(d, { recursive: true });
    return d;
  }

  /** A healthy demo shop (no faults, no metrics) on a free port: the "already running" target of the smoke runs. */
  shop(): Promise<RunningDemo> {
    return (this.shopStarted ??= startDemo({ version: '1.0.0', faults: [], dataDir: this.dir('shop-data') }).then((shop) => {
      this.closers.push(() => shop.stop());
      this.log(`  demo shop ${shop.url}`);
      return shop;
    }));
  }

  /** A private influxd on a free loopback port. */
  influx(): Promise<Influxd> {
    return (this.influxStarted ??= startInfluxd({ dir: this.dir('influxdb') }).then((influx) => {
      this.closers.push(() => influx.stop());
      this.log(`  influxd ${influx.url}`);
      return influx;
    }));
  }

  onClose(fn: () => Promise<void>): void {
    this.closers.push(fn);
  }

  async close(): Promise<void> {
    for (const fn of this.closers.reverse()) await fn().catch((e: unknown) => this.log(`  cleanup: ${(e as Error).message}`));
  }
}
