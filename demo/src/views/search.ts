// The search page: the search form, and results as a labelled list or an empty state.
import type { Product } from '../features/catalog.ts';
import { MAX_QUERY_LENGTH } from '../features/search.ts';
import { productCard } from './home.ts';
import { html } from './html.ts';
import { layout, type PageChrome } from './layout.ts';

export function searchPage(chrome: PageChrome, query: string, results: readonly Product[]): string {
  const q = query.trim();
  const summary = q
    ? html`<p class="muted" role="status">${results.length} ${results.length === 1 ? 'product matches' : 'products match'} “${q}”</p>`
    : html`<p class="muted" role="status">All ${results.length} products</p>`;
  const body = results.length
    ? html`${summary}<ul aria-label="Search results" class="grid result-list">${results.map((p) => html`<li>${productCard(p)}</li>`)}</ul>`
    : html`<div class="empty" data-testid="empty-state"><p>No products match “${q}”.</p><p>Check the spelling, or try a shorter word such as “mug”.</p></div>`;
  return layout(
    chrome,
    { title: q ? `Search: ${q}` : 'Search', page: 'search', current: 'search' },
    html`<h1>Search</h1>
    <form role="search" method="get" action="/search" class="search-form">
      <label for="q">Search products</label>
      <div class="search-row">
        <input type="search" id="q" name="q" value="${q}" maxlength="${MAX_QUERY_LENGTH}" autocomplete="off">
        <button type="submit">Search</button>
      </div>
    </form>
    ${body}`,
  );
}
