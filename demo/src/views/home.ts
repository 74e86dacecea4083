// The home page: welcome banner and the featured products chosen by the recommendations feature.
import type { Product } from '../features/catalog.ts';
import { html, money, type SafeHtml } from './html.ts';
import { layout, type PageChrome } from './layout.ts';

/** Shared with search results so a product looks the same everywhere. */
export function productCard(p: Product): SafeHtml {
  return html`<article class="card">
    <a class="card-link" href="/products/${p.id}">
      <div class="thumb hue-${p.id % 6}" aria-hidden="true">${initials(p.name)}</div>
      <h3>${p.name}</h3>
    </a>
    <p class="card-meta"><span class="category">${p.category}</span><span class="price">${money(p.priceCents)}</span></p>
  </article>`;
}

export function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('');
}

export interface HomeConfig {
  readonly release: string;
  /** Read by /static/app.js; the js-error fault ships the page without it, as a mismatched release would. */
  readonly highlights?: { readonly badges: readonly { readonly id: number; readonly label: string }[] };
}

export function homePage(chrome: PageChrome, featured: readonly Product[], config: HomeConfig): string {
  return layout(
    chrome,
    { page: 'home', current: 'home', config },
    html`<section class="hero">
      <h1>Demo Shop</h1>
      <p>Coffee and tea gear, picked with care. Free shipping on orders over $50.</p>
      <form role="search" method="get" action="/search" class="hero-search">
        <label for="hero-q" class="visually-hidden">Search the shop</label>
        <input type="search" id="hero-q" name="q" placeholder="Try “mug” or “tea”">
        <button type="submit">Go</button>
      </form>
    </section>
    <section data-testid="product-highlights" aria-labelledby="featured-heading">
      <h2 id="featured-heading">Featured products</h2>
      <div class="grid featured">${featured.map(productCard)}</div>
    </section>`,
  );
}
