// Order pages: the order history table and the order confirmation page.
import type { Order } from '../features/orders.ts';
import { html, money } from './html.ts';
import { layout, type PageChrome } from './layout.ts';

const when = (iso: string) => new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';
const itemCount = (o: Order) => o.items.reduce((n, i) => n + i.quantity, 0);

export function ordersPage(chrome: PageChrome, orders: readonly Order[]): string {
  const body = orders.length
    ? html`<table class="table">
        <thead><tr><th scope="col">Order</th><th scope="col">Placed</th><th scope="col" class="num">Items</th><th scope="col" class="num">Total</th></tr></thead>
        <tbody>${orders.map(
          (o) => html`<tr data-testid="order-row" data-order-id="${o.id}">
            <td><a href="/orders/${o.id}">#${o.id}</a></td><td>${when(o.createdAt)}</td><td class="num">${itemCount(o)}</td><td class="num">${money(o.totalCents)}</td>
          </tr>`,
        )}</tbody>
      </table>`
    : html`<div class="empty" data-testid="empty-state"><p>You have no orders yet.</p><p><a href="/search">Start shopping</a></p></div>`;
  return layout(chrome, { title: 'Orders', page: 'orders', current: 'orders' }, html`<h1>Your orders</h1>${body}`);
}

export function orderConfirmationPage(chrome: PageChrome, o: Order): string {
  return layout(
    chrome,
    { title: `Order #${o.id}`, page: 'order' },
    html`<h1>Order confirmed</h1>
    <p class="lead">Thank you! Your order number is <strong>#<span data-testid="order-id">${o.id}</span></strong>.</p>
    <table class="table">
      <thead><tr><th scope="col">Product</th><th scope="col" class="num">Quantity</th><th scope="col" class="num">Price</th></tr></thead>
      <tbody>${o.items.map((i) => html`<tr><td>${i.name}</td><td class="num">${i.quantity}</td><td class="num">${money(i.priceCents * i.quantity)}</td></tr>`)}</tbody>
      <tfoot><tr><th scope="row" colspan="2">Total</th><td class="num total" data-testid="order-total">${money(o.totalCents)}</td></tr></tfoot>
    </table>
    <p>Placed ${when(o.createdAt)}. <a href="/orders">See all your orders</a></p>`,
  );
}
