// The cart page: one row per line with a remove button, the total, and the checkout button.
import { cartTotal, type CartLine } from '../features/cart.ts';
import { html, money } from './html.ts';
import { layout, type PageChrome } from './layout.ts';

export function cartPage(chrome: PageChrome, lines: readonly CartLine[], notice?: string): string {
  const alert = notice ? html`<p role="alert" class="alert">${notice}</p>` : '';
  if (lines.length === 0) {
    return layout(
      chrome,
      { title: 'Cart', page: 'cart', current: 'cart' },
      html`<h1>Your cart</h1>${alert}<div class="empty" data-testid="empty-state"><p>Your cart is empty.</p><p><a href="/search">Browse products</a></p></div>`,
    );
  }
  const rows = lines.map(
    (l) => html`<tr data-testid="cart-line">
      <td><a href="/products/${l.productId}">${l.name}</a></td>
      <td class="num">${l.quantity}</td>
      <td class="num">${money(l.priceCents)}</td>
      <td class="num">${money(l.lineCents)}</td>
      <td><form method="post" action="/cart/remove"><input type="hidden" name="product_id" value="${l.productId}"><button type="submit" class="link-button" aria-label="Remove ${l.name}">Remove</button></form></td>
    </tr>`,
  );
  return layout(
    chrome,
    { title: 'Cart', page: 'cart', current: 'cart' },
    html`<h1>Your cart</h1>${alert}
    <table class="table">
      <thead><tr><th scope="col">Product</th><th scope="col" class="num">Quantity</th><th scope="col" class="num">Price</th><th scope="col" class="num">Subtotal</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
      <tbody>${rows}</tbody>
      <tfoot><tr><th scope="row" colspan="3">Total</th><td class="num total" data-testid="cart-total">${money(cartTotal(lines))}</td><td></td></tr></tfoot>
    </table>
    <form method="post" action="/checkout" class="checkout-form"><button type="submit" class="primary">Check out</button></form>`,
  );
}
