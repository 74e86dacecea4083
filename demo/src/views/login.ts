// The sign-in page: email and password form, with an alert after a failed attempt.
import { html } from './html.ts';
import { layout, type PageChrome } from './layout.ts';

export function loginPage(chrome: PageChrome, options: { email?: string; error?: string; next?: string } = {}): string {
  return layout(
    chrome,
    { title: 'Sign in', page: 'login', current: 'login' },
    html`<div class="narrow">
      <h1>Sign in</h1>
      ${options.error ? html`<p role="alert" class="alert">${options.error}</p>` : ''}
      <form method="post" action="/login" class="stack">
        ${options.next && options.next !== '/' ? html`<input type="hidden" name="next" value="${options.next}">` : ''}
        <label for="email">Email</label>
        <input type="email" id="email" name="email" autocomplete="username" required value="${options.email ?? ''}">
        <label for="password">Password</label>
        <input type="password" id="password" name="password" autocomplete="current-password" required>
        <button type="submit" class="primary">Sign in</button>
      </form>
    </div>`,
  );
}
