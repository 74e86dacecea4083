// The demo shop's profile, as data: its login form, its smoke checks and its feature registry (`npm run init` writes one like it for your app).
import { defineConfig } from '../../scripts/config/app-config.ts';

export const appConfig = defineConfig({
  app: { name: 'Demo Shop' },

  login: {
    path: '/login',
    usernameLabel: 'Email',
    passwordLabel: 'Password',
    submitButton: 'Sign in',
    loggedInIndicator: { testId: 'account-menu' },
    errorIndicator: { role: 'alert' },
  },

  // "Is it alive?": 5–10 shallow checks, each a test titled by its name. Hand-written extra smoke specs go in ./smoke/*.spec.ts.
  smoke: [
    {
      kind: 'page',
      name: 'main page loads',
      path: '/',
      title: 'Demo Shop',
      visible: [{ role: 'heading', name: 'Demo Shop' }, { testId: 'product-highlights' }],
      budgetMs: 5_000,
    },
    { kind: 'login', name: 'login works end to end' },
    {
      kind: 'http',
      name: 'health endpoint reports the database connected',
      path: '/health',
      expect: { json: { '$.status': 'ok', '$.checks.database': 'ok' } },
      recordVersion: '$.version',
      budgetMs: 3_000,
    },
    {
      kind: 'http',
      name: 'product API answers with well-formed JSON',
      path: '/api/products',
      expect: { json: { '$.products[0].id': { exists: true }, '$.products[0].price': { exists: true } } },
      budgetMs: 2_000,
    },
    {
      kind: 'http',
      name: 'orders API answers for the signed-in account',
      path: '/api/orders',
      auth: 'session',
      expect: { json: { '$.orders': { exists: true } } },
      budgetMs: 2_000,
    },
    { kind: 'assets', name: 'static assets load', path: '/', budgetMs: 5_000 },
  ],

  // Feature registry: ids used by the release manifest, @feature:<id> tags and `npm run manifest` path mapping.
  features: {
    search: {
      title: 'Product search',
      owner: 'team-discovery',
      severity: 'critical',
      paths: ['demo/src/features/search.ts', 'demo/src/views/search.ts'],
    },
    checkout: {
      title: 'Cart and checkout',
      owner: 'team-payments',
      severity: 'blocker',
      paths: ['demo/src/features/cart.ts', 'demo/src/features/checkout.ts', 'demo/src/views/cart.ts'],
    },
    orders: {
      title: 'Order history',
      owner: 'team-payments',
      severity: 'normal',
      paths: ['demo/src/features/orders.ts', 'demo/src/views/orders.ts'],
    },
    account: {
      title: 'Account and session',
      owner: 'team-identity',
      severity: 'critical',
      paths: ['demo/src/features/account.ts', 'demo/src/views/login.ts'],
    },
    recommendations: {
      title: 'Home page recommendations',
      owner: 'team-discovery',
      severity: 'minor',
      paths: ['demo/src/features/recommendations.ts'],
    },
  },
});

export default appConfig;
export type FeatureId = keyof typeof appConfig.features;
