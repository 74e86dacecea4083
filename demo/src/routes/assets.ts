// Static assets from demo/public, read once at start; only the files listed here are served.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Route } from '../context.ts';
import { sendAsset } from '../http.ts';

const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));

const FILES = {
  'app.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
  'logo.svg': 'image/svg+xml',
} as const;

const contents = new Map(Object.entries(FILES).map(([name, type]) => [name, { type, body: fs.readFileSync(path.join(PUBLIC_DIR, name)) }]));

function asset(name: string): Route['handle'] {
  const file = contents.get(name)!;
  return (ctx) => sendAsset(ctx.res, file.type, file.body);
}

export const assetRoutes: readonly Route[] = [
  ...Object.keys(FILES).map((name): Route => ({ method: 'GET', path: `/static/${name}`, kind: 'asset', handle: asset(name) })),
  // Browsers ask for it on their own; answering keeps "no failed requests" checks clean.
  { method: 'GET', path: '/favicon.ico', kind: 'asset', handle: asset('logo.svg') },
];
