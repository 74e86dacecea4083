// Order history: a user's orders with their items, and deletion of synthetic (monitoring) orders only.
import type { Sqlite } from '../db.ts';

export interface OrderItem {
  readonly productId: number;
  readonly name: string;
  readonly priceCents: number;
  readonly quantity: number;
}

export interface Order {
  readonly id: number;
  readonly totalCents: number;
  readonly createdAt: string;
  readonly synthetic: boolean;
  readonly items: readonly OrderItem[];
}

interface OrderRow {
  id: number;
  totalCents: number;
  createdAt: string;
  synthetic: number;
}

const ORDER_COLUMNS = 'id, total_cents AS totalCents, created_at AS createdAt, synthetic';
const MAX_LISTED = 100;

function withItems(db: Sqlite, rows: OrderRow[]): Order[] {
  const items = db.prepare(
    'SELECT product_id AS productId, name, price_cents AS priceCents, quantity FROM order_items WHERE order_id = ? ORDER BY rowid',
  );
  return rows.map((r) => ({
    id: r.id,
    totalCents: r.totalCents,
    createdAt: r.createdAt,
    synthetic: r.synthetic === 1,
    items: items.all(r.id) as OrderItem[],
  }));
}

/** Newest first, bounded: a monitoring account can accumulate many orders. */
export function listOrders(db: Sqlite, userId: number): Order[] {
  const rows = db
    .prepare(`SELECT ${ORDER_COLUMNS} FROM orders WHERE user_id = ? ORDER BY id DESC LIMIT ${MAX_LISTED}`)
    .all(userId) as OrderRow[];
  return withItems(db, rows);
}

/** Another user's order is "not found", never "forbidden", so order ids cannot be probed. */
export function getOrder(db: Sqlite, userId: number, orderId: number): Order | undefined {
  const row = db.prepare(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ? AND user_id = ?`).get(orderId, userId) as OrderRow | undefined;
  return row ? withItems(db, [row])[0] : undefined;
}

export type DeleteOutcome = 'deleted' | 'not-synthetic' | 'not-found';

/** Only synthetic orders may be deleted: real orders are business records. */
export function deleteSyntheticOrder(db: Sqlite, userId: number, orderId: number): DeleteOutcome {
  const order = getOrder(db, userId, orderId);
  if (!order) return 'not-found';
  if (!order.synthetic) return 'not-synthetic';
  db.prepare('DELETE FROM orders WHERE id = ? AND user_id = ? AND synthetic = 1').run(orderId, userId);
  return 'deleted';
}

export function orderJson(o: Order): {
  id: number;
  total: number;
  createdAt: string;
  synthetic: boolean;
  items: { productId: number; name: string; price: number; quantity: number }[];
} {
  return {
    id: o.id,
    total: o.totalCents / 100,
    createdAt: o.createdAt,
    synthetic: o.synthetic,
    items: o.items.map((i) => ({ productId: i.productId, name: i.name, price: i.priceCents / 100, quantity: i.quantity })),
  };
}
