// The shopping cart: one line per product per user, with quantities and totals in cents.
import type { Sqlite } from '../db.ts';
import { getProduct } from './catalog.ts';

export interface CartLine {
  readonly productId: number;
  readonly name: string;
  readonly priceCents: number;
  readonly quantity: number;
  readonly lineCents: number;
}

export const MAX_QUANTITY = 20;

export class CartError extends Error {}

export function addToCart(db: Sqlite, userId: number, productId: number, quantity: number): void {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) throw new CartError(`Quantity must be 1 to ${MAX_QUANTITY}.`);
  if (!getProduct(db, productId)) throw new CartError('That product does not exist.');
  db.prepare(
    `INSERT INTO cart_items (user_id, product_id, quantity) VALUES (?, ?, ?)
     ON CONFLICT(user_id, product_id) DO UPDATE SET quantity = min(quantity + excluded.quantity, ${MAX_QUANTITY})`,
  ).run(userId, productId, quantity);
}

export function removeFromCart(db: Sqlite, userId: number, productId: number): void {
  db.prepare('DELETE FROM cart_items WHERE user_id = ? AND product_id = ?').run(userId, productId);
}

export function cartLines(db: Sqlite, userId: number): CartLine[] {
  return db
    .prepare(
      `SELECT p.id AS productId, p.name, p.price_cents AS priceCents, c.quantity, p.price_cents * c.quantity AS lineCents
       FROM cart_items c JOIN products p ON p.id = c.product_id WHERE c.user_id = ? ORDER BY p.name`,
    )
    .all(userId) as CartLine[];
}

export function cartCount(db: Sqlite, userId: number): number {
  return (db.prepare('SELECT coalesce(sum(quantity), 0) AS n FROM cart_items WHERE user_id = ?').get(userId) as { n: number }).n;
}

export function cartTotal(lines: readonly CartLine[]): number {
  return lines.reduce((sum, l) => sum + l.lineCents, 0);
}

export function clearCart(db: Sqlite, userId: number): void {
  db.prepare('DELETE FROM cart_items WHERE user_id = ?').run(userId);
}
