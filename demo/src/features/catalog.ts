// The product catalogue: the product type and lookups shared by search, product pages, cart and recommendations.
import type { Sqlite } from '../db.ts';

export interface Product {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  readonly category: string;
  readonly priceCents: number;
}

export const PRODUCT_COLUMNS = 'id, name, description, category, price_cents AS priceCents';

export function getProduct(db: Sqlite, id: number): Product | undefined {
  return db.prepare(`SELECT ${PRODUCT_COLUMNS} FROM products WHERE id = ?`).get(id) as Product | undefined;
}

export function listProducts(db: Sqlite): Product[] {
  return db.prepare(`SELECT ${PRODUCT_COLUMNS} FROM products ORDER BY name`).all() as Product[];
}

/** The API's view of a product: money as a decimal number of dollars. */
export function productJson(p: Product): { id: number; name: string; price: number; description: string } {
  return { id: p.id, name: p.name, price: p.priceCents / 100, description: p.description };
}
