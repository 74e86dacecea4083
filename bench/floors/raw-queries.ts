// Floor of the health section: the exact InfluxQL requests `npm run health` sent (captured at the HTTP level), replayed with fetch.
// Usage: node --import tsx bench/floors/raw-queries.ts <captured.json> <influx url>
// Prints one JSON line: the time from the first request sent to the last answer read of a second, warm pass (the
// database's own time), and counts.
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';

/** One HTTP request as the health gate sent it to InfluxDB's /query (method, path with its query string, body). */
export const capturedRequestSchema = z
  .object({ method: z.string().min(1), path: z.string().startsWith('/'), contentType: z.string().optional(), body: z.string().optional() })
  .strict();
export type CapturedRequest = z.output<typeof capturedRequestSchema>;

/**
 * Queries in flight at once: the health gate's own default (scripts/gates/health-gate.ts), so the floor is what the
 * database needs for these queries at that parallelism; on two cores more in flight does not make influxd faster.
 */
export const FLOOR_CONCURRENCY = 4;

export interface ReplayResult {
  readonly elapsedMs: number;
  readonly queries: number;
  readonly bytes: number;
  readonly failures: readonly string[];
}

/** Sends every request to `url`, at most `concurrency` at once, reading each answer to its end. */
export async function replay(url: string, requests: readonly CapturedRequest[], concurrency = FLOOR_CONCURRENCY): Promise<ReplayResult> {
  const base = url.replace(/\/+$/, '');
  const failures: string[] = [];
  let bytes = 0;
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const r = requests[next++]!;
      const res = await fetch(base + r.path, {
        method: r.method,
        ...(r.contentType ? { headers: { 'content-type': r.contentType } } : {}),
        ...(r.body ? { body: r.body } : {}),
      });
      const text = await res.text();
      bytes += text.length;
      if (res.status !== 200) failures.push(`${r.method} ${r.path.slice(0, 60)}… answered ${res.status}`);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
  return { elapsedMs: performance.now() - started, queries: requests.length, bytes, failures };
}

async function main(argv: readonly string[]): Promise<number> {
  const [file, url] = argv;
  if (!file || !url) {
    process.stderr.write('usage: node --import tsx bench/floors/raw-queries.ts <captured.json> <influx url>\n');
    return 4;
  }
  // Checked before the clock starts: zod's cost is not the database's.
  const requests = z
    .array(capturedRequestSchema)
    .min(1)
    .parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  // One untimed pass first: Node loads its fetch (undici) on first use, opens connections lazily and runs cold code
  // slowly; timed on the second pass, the floor is the database's own time, not this process's warm-up.
  await replay(url, requests);
  const result = await replay(url, requests);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return result.failures.length ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  void main(process.argv.slice(2)).then((code) => process.exit(code));
