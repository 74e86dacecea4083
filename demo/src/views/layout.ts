// The page frame shared by every page: head with same-origin assets, the main navigation with account menu, and footer.
import { html, jsonScript, type SafeHtml } from './html.ts';

export interface PageChrome {
  /** Signed-in user's email, or undefined when signed out. */
  readonly email: string | undefined;
  readonly cartCount: number;
  readonly version: string;
}

export interface PageOptions {
  /** Shown before " · Demo Shop" in the title; omitted on the home page. */
  readonly title?: string;
  /** Lets /static/app.js know which page it is on. */
  readonly page: string;
  readonly current?: 'home' | 'search' | 'cart' | 'orders' | 'login';
  /** Data for /static/app.js, embedded as JSON (no inline script, so the CSP can forbid them). */
  readonly config?: unknown;
}

function navLink(href: string, label: string, active: boolean, extra?: SafeHtml): SafeHtml {
  return html`<li><a href="${href}"${active ? html` aria-current="page"` : ''}>${label}${extra ?? ''}</a></li>`;
}

export function layout(chrome: PageChrome, options: PageOptions, main: SafeHtml): string {
  const title = options.title ? `${options.title} · Demo Shop` : 'Demo Shop';
  const account = chrome.email
    ? html`<div class="account" data-testid="account-menu">
        <span class="account-email">${chrome.email}</span>
        <form method="post" action="/logout"><button type="submit" class="link-button">Sign out</button></form>
      </div>`
    : html`<a class="sign-in" href="/login"${options.current === 'login' ? html` aria-current="page"` : ''}>Sign in</a>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="/static/logo.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/style.css">
<script src="/static/app.js" defer></script>
</head>
<body data-page="${options.page}">
<header class="site-header">
  <div class="wrap header-row">
    <a class="brand" href="/"><img src="/static/logo.svg" alt="" width="36" height="36"><span>Demo Shop</span></a>
    <nav aria-label="Main">
      <ul>
        ${navLink('/', 'Home', options.current === 'home')}
        ${navLink('/search', 'Search', options.current === 'search')}
        ${navLink('/cart', 'Cart', options.current === 'cart', html` <span class="badge" data-testid="cart-count">${chrome.cartCount}</span>`)}
        ${navLink('/orders', 'Orders', options.current === 'orders')}
      </ul>
      ${account}
    </nav>
  </div>
</header>
<main id="main" class="wrap">
${main}
</main>
<footer class="site-footer"><div class="wrap">Demo Shop ${chrome.version} · the bundled demo target of aftercheck</div></footer>
${options.config === undefined ? '' : jsonScript('page-config', options.config)}
</body>
</html>
`.value;
}

/** Error pages keep the frame so a shopper can navigate away; the message is in an alert for assistive tech and tests. */
export function errorPage(chrome: PageChrome, heading: string, message: string): string {
  return layout(
    chrome,
    { title: heading, page: 'error' },
    html`<h1>${heading}</h1><p role="alert" class="alert">${message}</p><p><a href="/">Back to the shop</a></p>`,
  );
}
