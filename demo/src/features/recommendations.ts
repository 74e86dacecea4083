// Home page recommendations: the most popular products by real (non-synthetic) orders and product views.
import type { Sqlite } from '../db.ts';
import { PRODUCT_COLUMNS, type Product } from './catalog.ts';

export const FEATURED_COUNT = 6;
// An order says more about interest than a page view does.
const ORDER_WEIGHT = 5;

/** Synthetic orders are left out: monitoring must not change what real shoppers are shown. */
export function featuredProducts(db: Sqlite, limit = FEATURED_COUNT): Product[] {
  return db
    .prepare(
      `SELECT ${PRODUCT_COLUMNS.split(', ')
        .map((c) => `p.${c}`)
        .join(', ')}
       FROM products p
       LEFT JOIN (SELECT oi.product_id, sum(oi.quantity) AS sold FROM order_items oi JOIN orders o ON o.id = oi.order_id
                  WHERE o.synthetic = 0 GROUP BY oi.product_id) s ON s.product_id = p.id
       ORDER BY coalesce(s.sold, 0) * ${ORDER_WEIGHT} + p.views DESC, p.id
       LIMIT ?`,
    )
    .all(limit) as Product[];
}

/** Product view events, counted by the work queue after the response. */
export function recordView(db: Sqlite, productId: number): void {
  db.prepare('UPDATE products SET views = views + 1 WHERE id = ?').run(productId);
}
