// @verify account: signing in, a session that survives a reload, signing out, and a wrong password refused.
import { expect, test } from '../fixtures.ts';
import { OrdersPage } from '../pages/orders-page.ts';
import { ShopPage } from '../pages/shop-page.ts';
import { describeSignIn } from '../../../fixtures/sign-in.ts';
import { verifyDetails } from '../tags.ts';

// These tests type the password; traces record typed values and request bodies (screenshots are still kept on failure).
test.use({ trace: 'off' });

test.describe('account', verifyDetails('account'), () => {
  test('signing in shows the account and the session survives a reload', async ({ page, signIn, credentials, app }) => {
    const result = await signIn(page);
    expect(result.kind, describeSignIn(result, app.login)).toBe('signed-in');
    const shop = new ShopPage(page);
    await shop.expectSignedIn(credentials.username);

    await page.reload();
    await shop.expectSignedIn(credentials.username);
    const orders = new OrdersPage(page);
    await orders.goto();
    await expect(page, 'a signed-in shopper reaches the order history').toHaveURL(/\/orders$/);
  });

  test('signing out ends the session', async ({ page, signIn, app }) => {
    const result = await signIn(page);
    expect(result.kind, describeSignIn(result, app.login)).toBe('signed-in');
    const shop = new ShopPage(page);
    await shop.signOut();

    await page.goto('/orders');
    await expect(page, 'after signing out, the order history asks to sign in again').toHaveURL(/\/login/);
  });

  test('a wrong password is refused with a message', async ({ page, signIn, credentials, diagnostics }) => {
    diagnostics.expectConsoleError(/status of 401/, 'the login form answers a wrong password with 401');
    const result = await signIn(page, { username: credentials.username, password: 'not-the-password-1' });
    expect(result).toEqual({ kind: 'rejected', message: 'Invalid email or password' });
    await new ShopPage(page).expectSignedOut();
  });
});
