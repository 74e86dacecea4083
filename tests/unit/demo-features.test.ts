// Unit tests for the demo shop's feature logic on a real, freshly seeded SQLite database (no HTTP).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Db, DbUnavailableError } from '../../demo/src/db.ts';
import { Faults, type FaultName } from '../../demo/src/faults.ts';
import { createSession, endSession, signIn, userForSession, SESSION_TTL_MS } from '../../demo/src/features/account.ts';
import { addToCart, CartError, cartCount, cartLines, MAX_QUANTITY } from '../../demo/src/features/cart.ts';
import { PaymentError, placeOrder } from '../../demo/src/features/checkout.ts';
import { deleteSyntheticOrder, getOrder, listOrders } from '../../demo/src/features/orders.ts';
import { featuredProducts } from '../../demo/src/features/recommendations.ts';
import { searchProducts } from '../../demo/src/features/search.ts';
import { SHOPPERS } from '../../demo/src/seed.ts';

const SYNTHETIC = { username: 'synthetic.monitor@demo.shop', password: 'demo-synthetic-password' };
const none = new Faults([]);
const faults = (...names: FaultName[]) => new Faults(names);

let dir: string;
let db: Db;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-features-test-'));
  db = Db.open({ dataDir: dir, syntheticAccount: SYNTHETIC });
});
after(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const names = (products: { name: string }[]) => products.map((p) => p.name);
const userId = (email: string) => (db.connection().prepare('SELECT id FROM users WHERE email = ?').get(email) as { id: number }).id;

describe('search', () => {
  const cases: { name: string; query: string; expected: string[] }[] = [
    { name: 'a word finds products by name, name matches first', query: 'mug', expected: ['Ceramic Coffee Mug', 'Travel Mug'] },
    { name: 'search is case-insensitive', query: 'ESPRESSO', expected: ['Espresso Cup Set', 'Burr Coffee Grinder'] },
    { name: 'every word must match', query: 'tea iron', expected: ['Cast Iron Teapot'] },
    { name: 'a category matches', query: 'accessories', expected: ['Bamboo Coaster Set', 'Milk Frother'] },
    { name: 'a word that matches nothing finds nothing', query: 'matcha', expected: [] },
    { name: 'LIKE wildcards in the query are literal characters', query: '%', expected: [] },
    { name: 'an underscore is literal too', query: '_', expected: [] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(names(searchProducts(db.connection(), none, c.query)), c.expected));

  it('an empty query lists the whole catalogue', () => assert.equal(searchProducts(db.connection(), none, '   ').length, 12));

  it('with search-broken, a real query finds nothing but the catalogue listing still works', () => {
    assert.deepEqual(searchProducts(db.connection(), faults('search-broken'), 'mug'), []);
    assert.equal(searchProducts(db.connection(), faults('search-broken'), '').length, 12);
  });
});

describe('accounts and sessions', () => {
  const cases: { name: string; email: string; password: string; ok: boolean }[] = [
    { name: 'the synthetic account signs in with its password', email: SYNTHETIC.username, password: SYNTHETIC.password, ok: true },
    { name: 'a traffic user signs in with the shared shopper password', email: SHOPPERS.emailOf(2), password: SHOPPERS.password, ok: true },
    { name: 'email matching ignores case and surrounding spaces', email: '  Shopper1@Demo.Shop ', password: SHOPPERS.password, ok: true },
    { name: 'a wrong password is refused', email: SYNTHETIC.username, password: 'demo-synthetic-passwort', ok: false },
    { name: 'an unknown email is refused', email: 'nobody@demo.shop', password: SHOPPERS.password, ok: false },
  ];
  for (const c of cases) it(c.name, async () => assert.equal(!!(await signIn(db.connection(), c.email, c.password)), c.ok));

  it('passwords are stored as salted scrypt hashes, never in clear', () => {
    const rows = db.connection().prepare('SELECT email, password_hash FROM users').all() as { email: string; password_hash: string }[];
    assert.equal(rows.length, 1 + SHOPPERS.count);
    for (const r of rows) {
      assert.match(r.password_hash, /^scrypt\$4096\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
      assert.ok(!r.password_hash.includes('password'));
    }
    assert.equal(new Set(rows.map((r) => r.password_hash)).size, rows.length, 'same password, different salt, different hash');
  });

  it('a session finds its user until it ends, and only the hash of its id is stored', () => {
    const id = userId(SYNTHETIC.username);
    const sid = createSession(db.connection(), id);
    assert.equal(userForSession(db.connection(), sid)?.email, SYNTHETIC.username);
    assert.equal((db.connection().prepare('SELECT count(*) AS n FROM sessions WHERE sid_hash = ?').get(sid) as { n: number }).n, 0);
    endSession(db.connection(), sid);
    assert.equal(userForSession(db.connection(), sid), undefined);
  });

  it('a session expires after its lifetime', () => {
    const sid = createSession(db.connection(), userId(SYNTHETIC.username), Date.now() - SESSION_TTL_MS - 1);
    assert.equal(userForSession(db.connection(), sid), undefined);
  });
});

describe('cart, checkout and orders', () => {
  it('adding the same product twice adds up the quantity, capped at the maximum', () => {
    const id = userId(SHOPPERS.emailOf(3));
    addToCart(db.connection(), id, 1, 2);
    addToCart(db.connection(), id, 1, 3);
    assert.equal(cartLines(db.connection(), id)[0]!.quantity, 5);
    addToCart(db.connection(), id, 1, MAX_QUANTITY);
    assert.equal(cartCount(db.connection(), id), MAX_QUANTITY);
  });

  const bad: [string, number, number][] = [
    ['a quantity of zero is refused', 1, 0],
    ['a quantity above the maximum is refused', 1, MAX_QUANTITY + 1],
    ['a fractional quantity is refused', 1, 1.5],
    ['a product that does not exist is refused', 999, 1],
  ];
  for (const [name, productId, quantity] of bad)
    it(name, () => assert.throws(() => addToCart(db.connection(), userId(SHOPPERS.emailOf(4)), productId, quantity), CartError));

  it('checkout turns the cart into an order with the right total and empties the cart', () => {
    const id = userId(SHOPPERS.emailOf(5));
    addToCart(db.connection(), id, 1, 2); // 2 × $12.50
    addToCart(db.connection(), id, 5, 1); // $8.75
    const placed = placeOrder(db.connection(), none, id, false);
    assert.equal(placed.totalCents, 3375);
    assert.equal(cartCount(db.connection(), id), 0);
    const order = getOrder(db.connection(), id, placed.id)!;
    assert.deepEqual(
      order.items.map((i) => [i.name, i.quantity, i.priceCents]),
      [
        ['Ceramic Coffee Mug', 2, 1250],
        ['Tea Infuser', 1, 875],
      ],
    );
    assert.ok(placed.id > 1000, 'order numbers start above 1000');
  });

  it('with checkout-broken, payment fails and neither an order nor a changed cart is left behind', () => {
    const id = userId(SHOPPERS.emailOf(1));
    addToCart(db.connection(), id, 2, 1);
    const before = listOrders(db.connection(), id).length;
    assert.throws(() => placeOrder(db.connection(), faults('checkout-broken'), id, false), PaymentError);
    assert.equal(listOrders(db.connection(), id).length, before);
    assert.equal(cartCount(db.connection(), id), 1);
  });

  it('only synthetic orders can be deleted, and only by their owner', () => {
    const id = userId(SYNTHETIC.username);
    addToCart(db.connection(), id, 3, 1);
    const synthetic = placeOrder(db.connection(), none, id, true);
    addToCart(db.connection(), id, 3, 1);
    const real = placeOrder(db.connection(), none, id, false);
    assert.equal(
      deleteSyntheticOrder(db.connection(), userId(SHOPPERS.emailOf(1)), synthetic.id),
      'not-found',
      'another user cannot even see it',
    );
    assert.equal(deleteSyntheticOrder(db.connection(), id, real.id), 'not-synthetic');
    assert.equal(deleteSyntheticOrder(db.connection(), id, synthetic.id), 'deleted');
    assert.equal(getOrder(db.connection(), id, synthetic.id), undefined);
    assert.ok(getOrder(db.connection(), id, real.id));
  });

  it('synthetic orders do not change the recommendations; real ones do', () => {
    const id = userId(SYNTHETIC.username);
    const top = () => featuredProducts(db.connection())[0]!.name;
    const start = top();
    addToCart(db.connection(), id, 12, MAX_QUANTITY);
    placeOrder(db.connection(), none, id, true);
    assert.equal(top(), start);
    addToCart(db.connection(), id, 12, MAX_QUANTITY);
    placeOrder(db.connection(), none, id, false);
    assert.equal(top(), 'Cold Brew Bottle');
  });
});

describe('a lost database connection', () => {
  it('fails every access with DbUnavailableError and the health check names the cause', () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-features-down-'));
    const down = Db.open({ dataDir: other, syntheticAccount: SYNTHETIC });
    try {
      assert.equal(down.check(), 'ok');
      down.disconnect();
      assert.throws(() => down.connection(), DbUnavailableError);
      assert.match(down.check(), /^fail: database unavailable: the connection is closed/);
    } finally {
      down.close();
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('reopening an existing data dir keeps its orders and does not seed twice', () => {
    const again = Db.open({ dataDir: dir, syntheticAccount: SYNTHETIC });
    try {
      assert.equal((again.connection().prepare('SELECT count(*) AS n FROM products').get() as { n: number }).n, 12);
      assert.ok(listOrders(again.connection(), userId(SHOPPERS.emailOf(5))).length >= 1);
    } finally {
      again.disconnect();
    }
  });
});
