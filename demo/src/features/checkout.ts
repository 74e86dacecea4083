// Checkout: authorises payment and turns the cart into an order in one transaction.
import type { Sqlite } from '../db.ts';
import type { Faults } from '../faults.ts';
import { cartLines, cartTotal, clearCart } from './cart.ts';

export class PaymentError extends Error {}
export class EmptyCartError extends Error {}

export interface PlacedOrder {
  readonly id: number;
  readonly totalCents: number;
  readonly synthetic: boolean;
}

/** Stands in for the payment provider; the checkout-broken fault makes it refuse every payment. */
function authorisePayment(faults: Faults, amountCents: number): void {
  if (faults.has('checkout-broken')) throw new PaymentError('Payment service error');
  if (amountCents <= 0) throw new PaymentError('Nothing to charge');
}

/** `synthetic` marks orders placed by monitoring, so they are excluded from business metrics and may be deleted. */
export function placeOrder(db: Sqlite, faults: Faults, userId: number, synthetic: boolean, now = new Date()): PlacedOrder {
  return db.transaction((): PlacedOrder => {
    const lines = cartLines(db, userId);
    if (lines.length === 0) throw new EmptyCartError('Your cart is empty');
    const totalCents = cartTotal(lines);
    authorisePayment(faults, totalCents);
    const { lastInsertRowid } = db
      .prepare('INSERT INTO orders (user_id, total_cents, created_at, synthetic) VALUES (?, ?, ?, ?)')
      .run(userId, totalCents, now.toISOString(), synthetic ? 1 : 0);
    const id = Number(lastInsertRowid);
    const item = db.prepare('INSERT INTO order_items (order_id, product_id, name, price_cents, quantity) VALUES (?, ?, ?, ?, ?)');
    for (const l of lines) item.run(id, l.productId, l.name, l.priceCents, l.quantity);
    clearCart(db, userId);
    return { id, totalCents, synthetic };
  })();
}

/** Work done after the response, by the queue: the confirmation e-mail is recorded as sent. */
export function sendConfirmation(db: Sqlite, orderId: number, now = new Date()): void {
  db.prepare('UPDATE orders SET confirmation_sent_at = ? WHERE id = ? AND confirmation_sent_at IS NULL').run(now.toISOString(), orderId);
}
