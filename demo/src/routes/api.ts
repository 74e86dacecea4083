// The JSON API and the health endpoint: products, the caller's orders, synthetic-order deletion, and /health.
import type { Ctx, Route } from '../context.ts';
import { productJson } from '../features/catalog.ts';
import { deleteSyntheticOrder, listOrders, orderJson } from '../features/orders.ts';
import { searchProducts } from '../features/search.ts';
import { HttpError, parseId, sendEmpty, sendJson } from '../http.ts';

function products(ctx: Ctx): void {
  const query = ctx.url.searchParams.get('q') ?? '';
  sendJson(ctx.res, 200, { products: searchProducts(ctx.db(), ctx.services.faults, query).map(productJson), query });
}

function orders(ctx: Ctx): void {
  sendJson(ctx.res, 200, { orders: listOrders(ctx.db(), ctx.user!.id).map(orderJson) });
}

/** Monitoring cleans up after itself; real orders are never deletable through the API. */
function deleteOrder(ctx: Ctx): void {
  const id = parseId(ctx.params.id);
  const outcome = id === undefined ? 'not-found' : deleteSyntheticOrder(ctx.db(), ctx.user!.id, id);
  if (outcome === 'deleted') return sendEmpty(ctx.res, 204);
  if (outcome === 'not-synthetic') return sendJson(ctx.res, 403, { error: 'only synthetic orders can be deleted' });
  throw new HttpError(404, 'order not found');
}

function health(ctx: Ctx): void {
  const { config, faults, db } = ctx.services;
  if (faults.has('health-500'))
    return sendJson(ctx.res, 500, { status: 'error', version: config.version, error: 'internal error in the health handler' });
  const checks = { database: db.check() };
  const ok = Object.values(checks).every((c) => c === 'ok');
  sendJson(ctx.res, ok ? 200 : 503, { status: ok ? 'ok' : 'error', version: config.version, checks });
}

export const apiRoutes: readonly Route[] = [
  { method: 'GET', path: '/api/products', kind: 'api', handle: products },
  { method: 'GET', path: '/api/orders', kind: 'api', auth: true, handle: orders },
  { method: 'DELETE', path: '/api/orders/:id', kind: 'api', auth: true, handle: deleteOrder },
  { method: 'GET', path: '/health', kind: 'api', handle: health },
];
