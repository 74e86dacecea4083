// The run-time fault switch: POST /__control/faults {"faults":["errors"]} with the launcher's token turns faults on (or
// off) while the shop serves, so a release can go bad after the deploy. Absent unless DEMO_CONTROL_TOKEN is set.
import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isFaultName, KNOWN_FAULTS, type Faults } from './faults.ts';
import { log } from './log.ts';

export const CONTROL_PATH = '/__control/faults';
export const CONTROL_HEADER = 'x-demo-control-token';

const MAX_BODY = 4096;

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

const sameToken = (given: string, token: string) =>
  given.length === token.length && crypto.timingSafeEqual(Buffer.from(given), Buffer.from(token));

/** A request handler that takes control requests (returns true) and leaves every other request to the shop. */
export function controlHandler(faults: Faults, token: string): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== CONTROL_PATH) return false;
    const given = req.headers[CONTROL_HEADER];
    if (typeof given !== 'string' || !sameToken(given, token)) {
      answer(res, 403, { error: 'wrong or missing control token' });
      return true;
    }
    if (req.method === 'GET') {
      answer(res, 200, { faults: faults.list() });
      return true;
    }
    if (req.method !== 'POST') {
      answer(res, 405, { error: 'use GET or POST' });
      return true;
    }
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
      if (body.length > MAX_BODY) req.destroy();
    });
    req.on('end', () => {
      let names: unknown;
      try {
        names = (JSON.parse(body) as { faults?: unknown }).faults;
      } catch {
        names = undefined;
      }
      if (!Array.isArray(names) || !names.every((n) => typeof n === 'string' && isFaultName(n))) {
        answer(res, 400, { error: `send {"faults": [...]} with known faults: ${KNOWN_FAULTS.join(', ')}` });
        return;
      }
      faults.set(names as Parameters<Faults['set']>[0]);
      const at = new Date().toISOString();
      log(`faults switched at ${at}: ${names.length ? names.join(', ') : '(none)'}`);
      answer(res, 200, { faults: faults.list(), at });
    });
    return true;
  };
}
