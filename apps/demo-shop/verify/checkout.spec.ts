// @verify checkout (@writes): add a product to the cart, check out, and the order is confirmed with the cart's total.
import { expect, test } from '../fixtures.ts';
import { addFeaturedProductToEmptyCart } from '../pages/flows.ts';
import { OrderConfirmationPage } from '../pages/order-confirmation-page.ts';
import { verifyDetails } from '../tags.ts';

test.describe('checkout', verifyDetails('checkout', { writes: true }), () => {
  test('adding a product and checking out confirms the order', async ({ userPage: page, syntheticOrders }) => {
    const { cart, product, price } = await addFeaturedProductToEmptyCart(page);

    await expect(cart.line(product.name), `"${product.name}" is in the cart`).toHaveCount(1);
    await expect(cart.total, 'one item: the total is its price').toHaveText(price);
    await expect(cart.cartCount).toHaveText('1');

    await cart.checkOut();
    const confirmation = new OrderConfirmationPage(page);
    const orderId = await confirmation.id();
    syntheticOrders.track(orderId);
    await expect(confirmation.orderTotal, 'the order total is what the cart showed').toHaveText(price);
    await expect(cart.cartCount, 'the cart is empty after checking out').toHaveText('0');
  });
});
