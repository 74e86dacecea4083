// The demo shop's SQLite database: opened (created and seeded when new) in the data dir, with a health check.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { hashPassword } from './features/account.ts';
import { PRODUCTS, SHOPPERS } from './seed.ts';

export type Sqlite = Database.Database;

/** Thrown for every access while the connection is lost; the app maps it to 503. */
export class DbUnavailableError extends Error {
  constructor(reason: string) {
    super(`database unavailable: ${reason}`);
    this.name = 'DbUnavailableError';
  }
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS products (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL, category TEXT NOT NULL,
  price_cents INTEGER NOT NULL CHECK (price_cents > 0), views INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS users (
  id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE COLLATE NOCASE, name TEXT NOT NULL, password_hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
  sid_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS cart_items (
  user_id INTEGER NOT NULL REFERENCES users(id), product_id INTEGER NOT NULL REFERENCES products(id),
  quantity INTEGER NOT NULL CHECK (quantity > 0), PRIMARY KEY (user_id, product_id));
CREATE TABLE IF NOT EXISTS orders (
  id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL REFERENCES users(id), total_cents INTEGER NOT NULL,
  created_at TEXT NOT NULL, synthetic INTEGER NOT NULL DEFAULT 0, confirmation_sent_at TEXT);
CREATE TABLE IF NOT EXISTS order_items (
  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE, product_id INTEGER NOT NULL REFERENCES products(id),
  name TEXT NOT NULL, price_cents INTEGER NOT NULL, quantity INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS orders_by_user ON orders(user_id, id);
CREATE INDEX IF NOT EXISTS order_items_by_order ON order_items(order_id);
`;

/** The database handle. `connection()` is the only way in, so a lost connection fails every access the same way. */
export class Db {
  private constructor(
    private readonly sqlite: Sqlite,
    private readonly tempDir: string | undefined,
    readonly file: string,
  ) {}

  static open(options: { dataDir: string | undefined; syntheticAccount: { username: string; password: string } }): Db {
    const tempDir = options.dataDir ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'demo-shop-'));
    const dir = options.dataDir ?? tempDir!;
    makeDir(dir);
    const file = path.join(dir, 'shop.sqlite');
    const sqlite = new Database(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.exec(SCHEMA);
    seed(sqlite, options.syntheticAccount);
    return new Db(sqlite, tempDir, file);
  }

  connection(): Sqlite {
    if (!this.sqlite.open) throw new DbUnavailableError('the connection is closed (lost connection to the database)');
    return this.sqlite;
  }

  /** A real round trip, so a lost connection shows as a failing check rather than a cached "ok". */
  check(): 'ok' | `fail: ${string}` {
    try {
      const row = this.connection().prepare('SELECT count(*) AS n FROM products').get() as { n: number };
      return row.n > 0 ? 'ok' : 'fail: the product catalogue is empty';
    } catch (err) {
      return `fail: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  /** Simulates losing the database (fault db-down): the real connection is closed, so every query fails for real. */
  disconnect(): void {
    if (this.sqlite.open) this.sqlite.close();
  }

  close(): void {
    this.disconnect();
    if (this.tempDir) fs.rmSync(this.tempDir, { recursive: true, force: true });
  }
}

/** Non-recursive when the parent exists: Node's recursive mkdir can spin forever on pseudo file systems such as /proc. */
function makeDir(dir: string): void {
  if (fs.existsSync(dir)) return;
  fs.mkdirSync(dir, { recursive: !fs.existsSync(path.dirname(dir)) });
}

function seed(db: Sqlite, synthetic: { username: string; password: string }): void {
  db.transaction(() => {
    const count = (db.prepare('SELECT count(*) AS n FROM products').get() as { n: number }).n;
    if (count === 0) {
      const insert = db.prepare('INSERT INTO products (name, category, price_cents, description) VALUES (?, ?, ?, ?)');
      for (const [name, category, price, description] of PRODUCTS) insert.run(name, category, price, description);
      // Order numbers start at 1001 so they never look like quantities or prices on a page.
      db.prepare(
        "INSERT INTO sqlite_sequence (name, seq) SELECT 'orders', 1000 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'orders')",
      ).run();
    }
    const upsert = db.prepare(
      'INSERT INTO users (email, name, password_hash) VALUES (?, ?, ?) ON CONFLICT(email) DO UPDATE SET password_hash = excluded.password_hash',
    );
    upsert.run(synthetic.username, 'Synthetic Monitor', hashPassword(synthetic.password));
    const exists = db.prepare('SELECT 1 FROM users WHERE email = ?');
    const insertShopper = db.prepare('INSERT INTO users (email, name, password_hash) VALUES (?, ?, ?)');
    for (let n = 1; n <= SHOPPERS.count; n++) {
      const email = SHOPPERS.emailOf(n);
      if (!exists.get(email)) insertShopper.run(email, `Shopper ${n}`, hashPassword(SHOPPERS.password));
    }
  })();
}
