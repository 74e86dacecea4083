// Entry point of the demo shop: reads DEMO_* config, serves on 127.0.0.1, prints one "listening on" line, stops on SIGTERM/SIGINT.
import { ConfigError, EXIT } from '../scripts/config/errors.ts';
import { loadDemoConfig, type DemoConfig } from './config.ts';
import { log } from './src/log.ts';
import { createShop, type Shop } from './src/shop.ts';

async function main(): Promise<void> {
  let config: DemoConfig;
  try {
    config = loadDemoConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(EXIT.config);
  }
  let shop: Shop;
  try {
    shop = createShop(config);
  } catch (err) {
    const where = config.dataDir ? ` in DEMO_DATA_DIR=${config.dataDir}` : '';
    log(
      `cannot open the shop database${where}: ${err instanceof Error ? err.message : String(err)}. Fix: point DEMO_DATA_DIR at a writable directory, or unset it for a fresh temp dir.`,
    );
    process.exit(config.dataDir ? EXIT.config : 1);
  }
  let url: string;
  try {
    url = await shop.listen();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    log(
      `cannot listen on 127.0.0.1:${config.port}: ${code ?? (err as Error).message}. Fix: set DEMO_PORT to a free port, or 0 to pick one.`,
    );
    await shop.close().catch(() => {});
    process.exit(code === 'EADDRINUSE' || code === 'EACCES' ? EXIT.config : 1);
  }
  if (config.faults.length) log(`faults active: ${config.faults.join(', ')}`);
  process.stdout.write(`demo-shop ${config.version} listening on ${url}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received, shutting down`);
    shop.close().then(
      () => process.exit(0),
      (err) => {
        log(`shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

void main();
