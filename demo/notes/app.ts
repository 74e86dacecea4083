// Fieldnotes' HTTP side on node:http: the SPA shell and assets, a bearer-token JSON API, a plain-text and an XML status endpoint.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Store } from './store.ts';

const PUBLIC = path.join(path.dirname(fileURLToPath(import.meta.url)), 'public');
const ASSETS: Record<string, string> = {
  '/assets/app.js': 'text/javascript; charset=utf-8',
  '/assets/app.css': 'text/css; charset=utf-8',
  '/assets/logo.svg': 'image/svg+xml',
};

export interface NotesOptions {
  readonly store: Store;
  readonly version: string;
}

type Res = http.ServerResponse;

function send(res: Res, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

const json = (res: Res, status: number, body: unknown) => send(res, status, 'application/json', JSON.stringify(body));

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
      if (body.length > 64 * 1024) req.destroy(new Error('body too large'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

async function jsonBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  try {
    const parsed = JSON.parse(await readBody(req)) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const bearerOf = (req: http.IncomingMessage) => /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];

async function api(req: http.IncomingMessage, res: Res, url: URL, { store }: NotesOptions): Promise<void> {
  const route = `${req.method} ${url.pathname}`;
  if (route === 'POST /api/session') {
    const { email, password } = await jsonBody(req);
    const token = typeof email === 'string' && typeof password === 'string' ? store.signIn(email, password) : undefined;
    if (!token) return json(res, 401, { error: 'invalid credentials' });
    return json(res, 200, { token, user: { email } });
  }
  const token = bearerOf(req);
  const user = token ? store.userOf(token) : undefined;
  if (!user) return json(res, 401, { error: 'sign in first' });
  if (route === 'GET /api/me') return json(res, 200, { email: user.email });
  if (route === 'DELETE /api/session') {
    store.signOut(token!);
    return send(res, 204, 'text/plain', '');
  }
  if (route === 'GET /api/notes') return json(res, 200, { notes: store.notes(user.id) });
  if (route === 'POST /api/notes') {
    const { title, body } = await jsonBody(req);
    if (typeof title !== 'string' || !title.trim()) return json(res, 400, { error: 'title is required' });
    return json(res, 201, store.addNote(user.id, title.trim(), typeof body === 'string' ? body : ''));
  }
  const del = /^DELETE \/api\/notes\/(\d+)$/.exec(route);
  if (del) return store.deleteNote(user.id, Number(del[1])) ? send(res, 204, 'text/plain', '') : json(res, 404, { error: 'no such note' });
  return json(res, 404, { error: 'not found' });
}

function status(res: Res, { store, version }: NotesOptions): void {
  const up = store.ping();
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<status>\n  <app>${up ? 'ok' : 'degraded'}</app>\n  <store state="${up ? 'up' : 'down'}"/>\n  <version>${version}</version>\n</status>\n`;
  send(res, up ? 200 : 503, 'application/xml; charset=utf-8', xml);
}

export function handler(options: NotesOptions): http.RequestListener {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const done = (err: unknown) => {
      process.stderr.write(`notes-app: ${req.method} ${url.pathname} failed: ${err instanceof Error ? err.message : String(err)}\n`);
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
      else res.end();
    };
    try {
      if (url.pathname.startsWith('/api/')) return void api(req, res, url, options).catch(done);
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed');
      // Shallow on purpose, like many real liveness probes: the process answers, nothing more.
      if (url.pathname === '/healthz') return send(res, 200, 'text/plain; charset=utf-8', 'ok\n');
      if (url.pathname === '/status') return status(res, options);
      const asset = ASSETS[url.pathname];
      if (asset) return send(res, 200, asset, fs.readFileSync(path.join(PUBLIC, path.basename(url.pathname)), 'utf8'));
      if (url.pathname === '/' || url.pathname === '/index.html')
        return send(res, 200, 'text/html; charset=utf-8', fs.readFileSync(path.join(PUBLIC, 'index.html'), 'utf8'));
      return send(res, 404, 'text/html; charset=utf-8', '<!doctype html><title>Not found</title><h1>Not found</h1>');
    } catch (err) {
      done(err);
    }
  };
}
