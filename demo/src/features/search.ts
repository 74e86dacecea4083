// Product search: every word of the query must match a product's name, category or description (case-insensitive).
import type { Sqlite } from '../db.ts';
import type { Faults } from '../faults.ts';
import { listProducts, PRODUCT_COLUMNS, type Product } from './catalog.ts';

export const MAX_QUERY_LENGTH = 100;
const MAX_WORDS = 8;

/** `%`, `_` and the escape character itself are literal in a user's query, not LIKE wildcards. */
function likePattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function searchProducts(db: Sqlite, faults: Faults, query: string): Product[] {
  const words = query.trim().slice(0, MAX_QUERY_LENGTH).split(/\s+/).filter(Boolean).slice(0, MAX_WORDS);
  if (words.length === 0) return listProducts(db);
  // The search-broken fault models a broken index: the query runs against nothing, so every search comes back empty.
  if (faults.has('search-broken')) return [];
  const where = words.map(() => "(name LIKE ? ESCAPE '\\' OR category LIKE ? ESCAPE '\\' OR description LIKE ? ESCAPE '\\')").join(' AND ');
  const params = words.flatMap((w) => [likePattern(w), likePattern(w), likePattern(w)]);
  // Name matches first: someone typing "mug" wants mugs before products that mention a mug in passing.
  const nameFirst = words.map(() => "name LIKE ? ESCAPE '\\'").join(' AND ');
  return db
    .prepare(`SELECT ${PRODUCT_COLUMNS} FROM products WHERE ${where} ORDER BY (${nameFirst}) DESC, name`)
    .all(...params, ...words.map(likePattern)) as Product[];
}
