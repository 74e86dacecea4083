// @verify search: a query finds the product a shopper is looking for, and a query matching nothing shows the empty state.
import { expect, test } from '../fixtures.ts';
import { HomePage } from '../pages/home-page.ts';
import { SearchPage } from '../pages/search-page.ts';
import { verifyDetails } from '../tags.ts';

test.describe('search', verifyDetails('search'), () => {
  test('a query for a featured product finds it', async ({ page }) => {
    const home = new HomePage(page);
    await home.goto();
    const product = await home.firstFeaturedProduct();

    const search = new SearchPage(page);
    await search.goto();
    await search.search(product.name);
    await search.expectResult(product.name);
  });

  test('the search API returns the product for its name', async ({ request, page }) => {
    const home = new HomePage(page);
    await home.goto();
    const product = await home.firstFeaturedProduct();

    const response = await request.get('/api/products', { params: { q: product.name } });
    expect(response.status()).toBe(200);
    const body = (await response.json()) as { products: { name: string }[] };
    expect(
      body.products.map((p) => p.name),
      `the API finds "${product.name}"`,
    ).toContain(product.name);
  });

  test('a query that matches nothing shows the empty state', async ({ page }) => {
    const search = new SearchPage(page);
    await search.goto();
    await search.search('zzq-no-such-product');
    await search.expectEmptyState();
  });
});
