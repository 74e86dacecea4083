// The shop's HTML pages and form posts: home, sign-in/out, search, product, cart, checkout and orders.
import type { Ctx, Route } from '../context.ts';
import { createSession, endSession, SESSION_COOKIE, SESSION_TTL_MS, signIn } from '../features/account.ts';
import { addToCart, CartError, cartLines, removeFromCart } from '../features/cart.ts';
import { getProduct } from '../features/catalog.ts';
import { EmptyCartError, PaymentError, placeOrder, sendConfirmation } from '../features/checkout.ts';
import { getOrder, listOrders } from '../features/orders.ts';
import { featuredProducts, recordView } from '../features/recommendations.ts';
import { searchProducts } from '../features/search.ts';
import { HttpError, parseId, readForm, redirect, safeLocalPath, sendHtml, serializeCookie } from '../http.ts';
import { cartPage } from '../views/cart.ts';
import { homePage, type HomeConfig } from '../views/home.ts';
import { loginPage } from '../views/login.ts';
import { orderConfirmationPage, ordersPage } from '../views/orders.ts';
import { productPage } from '../views/product.ts';
import { searchPage } from '../views/search.ts';

function home(ctx: Ctx): void {
  const featured = featuredProducts(ctx.db());
  const config: HomeConfig = ctx.services.faults.has('js-error')
    ? { release: ctx.services.config.version }
    : { release: ctx.services.config.version, highlights: { badges: featured.slice(0, 2).map((p) => ({ id: p.id, label: 'Popular' })) } };
  sendHtml(ctx.res, 200, homePage(ctx.chrome(), featured, config));
}

function loginForm(ctx: Ctx): void {
  const next = safeLocalPath(ctx.url.searchParams.get('next'));
  if (ctx.user) return redirect(ctx.res, next);
  sendHtml(ctx.res, 200, loginPage(ctx.chrome(), { next }));
}

async function login(ctx: Ctx): Promise<void> {
  const form = await readForm(ctx.req);
  const email = (form.get('email') ?? '').trim();
  const next = safeLocalPath(form.get('next'));
  if (ctx.services.faults.has('login-broken')) {
    return sendHtml(ctx.res, 500, loginPage(ctx.chrome(), { email, next, error: 'Login service unavailable' }));
  }
  const user = email && form.get('password') ? await signIn(ctx.db(), email, form.get('password')!) : undefined;
  if (!user) return sendHtml(ctx.res, 401, loginPage(ctx.chrome(), { email, next, error: 'Invalid email or password' }));
  // A fresh id on every sign-in, and the old session ended, so a planted session id is useless (session fixation).
  endSession(ctx.db(), ctx.sid);
  const sid = createSession(ctx.db(), user.id);
  redirect(ctx.res, next, { 'set-cookie': serializeCookie(SESSION_COOKIE, sid, { maxAgeSeconds: SESSION_TTL_MS / 1000 }) });
}

function logout(ctx: Ctx): void {
  endSession(ctx.db(), ctx.sid);
  redirect(ctx.res, '/', { 'set-cookie': serializeCookie(SESSION_COOKIE, '', { maxAgeSeconds: 0 }) });
}

function search(ctx: Ctx): void {
  const q = ctx.url.searchParams.get('q') ?? '';
  sendHtml(ctx.res, 200, searchPage(ctx.chrome(), q, searchProducts(ctx.db(), ctx.services.faults, q)));
}

function product(ctx: Ctx): void {
  const id = parseId(ctx.params.id);
  const p = id === undefined ? undefined : getProduct(ctx.db(), id);
  if (!p) throw new HttpError(404, 'We could not find that product.');
  ctx.services.queue.enqueue({ kind: 'product-view', run: () => recordView(ctx.services.db.connection(), p.id) });
  sendHtml(ctx.res, 200, productPage(ctx.chrome(), p));
}

async function addItem(ctx: Ctx): Promise<void> {
  const form = await readForm(ctx.req);
  const productId = parseId(form.get('product_id'));
  if (productId === undefined) throw new HttpError(400, 'Choose a product to add.');
  if (!ctx.user) return redirect(ctx.res, `/login?next=${encodeURIComponent(`/products/${productId}`)}`);
  try {
    addToCart(ctx.db(), ctx.user.id, productId, Number(form.get('quantity') ?? '1'));
  } catch (err) {
    if (err instanceof CartError) throw new HttpError(400, err.message);
    throw err;
  }
  redirect(ctx.res, '/cart');
}

async function removeItem(ctx: Ctx): Promise<void> {
  const productId = parseId((await readForm(ctx.req)).get('product_id'));
  if (productId !== undefined) removeFromCart(ctx.db(), ctx.user!.id, productId);
  redirect(ctx.res, '/cart');
}

function cart(ctx: Ctx): void {
  sendHtml(ctx.res, 200, cartPage(ctx.chrome(), cartLines(ctx.db(), ctx.user!.id)));
}

function checkout(ctx: Ctx): void {
  const { services, user } = ctx;
  let order;
  try {
    order = placeOrder(ctx.db(), services.faults, user!.id, ctx.synthetic);
  } catch (err) {
    if (err instanceof EmptyCartError) return redirect(ctx.res, '/cart');
    if (err instanceof PaymentError) {
      return sendHtml(
        ctx.res,
        500,
        cartPage(ctx.chrome(), cartLines(ctx.db(), user!.id), `${err.message}: you have not been charged. Please try again later.`),
      );
    }
    throw err;
  }
  services.orders.orderPlaced(order.totalCents, order.synthetic);
  services.queue.enqueue({ kind: 'order-confirmation', run: () => sendConfirmation(services.db.connection(), order.id) });
  redirect(ctx.res, `/orders/${order.id}`);
}

function orders(ctx: Ctx): void {
  sendHtml(ctx.res, 200, ordersPage(ctx.chrome(), listOrders(ctx.db(), ctx.user!.id)));
}

function order(ctx: Ctx): void {
  const id = parseId(ctx.params.id);
  const o = id === undefined ? undefined : getOrder(ctx.db(), ctx.user!.id, id);
  if (!o) throw new HttpError(404, 'We could not find that order.');
  sendHtml(ctx.res, 200, orderConfirmationPage(ctx.chrome(), o));
}

export const pageRoutes: readonly Route[] = [
  { method: 'GET', path: '/', kind: 'page', handle: home },
  { method: 'GET', path: '/login', kind: 'page', handle: loginForm },
  { method: 'POST', path: '/login', kind: 'page', handle: login },
  { method: 'POST', path: '/logout', kind: 'page', handle: logout },
  { method: 'GET', path: '/search', kind: 'page', handle: search },
  { method: 'GET', path: '/products/:id', kind: 'page', handle: product },
  { method: 'POST', path: '/cart', kind: 'page', handle: addItem },
  { method: 'POST', path: '/cart/remove', kind: 'page', auth: true, handle: removeItem },
  { method: 'GET', path: '/cart', kind: 'page', auth: true, handle: cart },
  { method: 'POST', path: '/checkout', kind: 'page', auth: true, handle: checkout },
  { method: 'GET', path: '/orders', kind: 'page', auth: true, handle: orders },
  { method: 'GET', path: '/orders/:id', kind: 'page', auth: true, handle: order },
];
