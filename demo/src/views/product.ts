// The product page: name, price, description and the add-to-cart form.
import type { Product } from '../features/catalog.ts';
import { MAX_QUANTITY } from '../features/cart.ts';
import { initials } from './home.ts';
import { html, money } from './html.ts';
import { layout, type PageChrome } from './layout.ts';

export function productPage(chrome: PageChrome, p: Product): string {
  const signInHint = chrome.email ? '' : html`<p class="muted">You will be asked to sign in first.</p>`;
  return layout(
    chrome,
    { title: p.name, page: 'product' },
    html`<nav aria-label="Breadcrumb" class="breadcrumb"><a href="/">Home</a> › <a href="/search?q=${encodeURIComponent(p.category)}">${p.category}</a></nav>
    <div class="product">
      <div class="thumb thumb-large hue-${p.id % 6}" aria-hidden="true">${initials(p.name)}</div>
      <div class="product-info">
        <h1>${p.name}</h1>
        <p class="price" data-testid="product-price">${money(p.priceCents)}</p>
        <p>${p.description}</p>
        <form method="post" action="/cart" class="add-form">
          <input type="hidden" name="product_id" value="${p.id}">
          <label for="quantity">Quantity</label>
          <input type="number" id="quantity" name="quantity" value="1" min="1" max="${MAX_QUANTITY}" required>
          <button type="submit">Add to cart</button>
        </form>
        ${signInHint}
      </div>
    </div>`,
  );
}
