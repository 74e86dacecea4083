// A plain-HTTP client for tests against the real demo shop: a one-cookie jar, form posts, and sign-in.
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly ms: number;
}

export class ShopClient {
  sid: string | undefined;

  constructor(
    readonly base: string,
    /** Sent with every request, e.g. the synthetic-monitoring header. */
    readonly headers: Record<string, string> = {},
  ) {}

  async request(
    method: string,
    path: string,
    options: { form?: Record<string, string>; headers?: Record<string, string>; body?: string } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...this.headers, ...(this.sid ? { cookie: `sid=${this.sid}` } : {}) };
    let body = options.body;
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    }
    Object.assign(headers, options.headers);
    const started = performance.now();
    const res = await fetch(this.base + path, { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(15_000) });
    const text = await res.text();
    const ms = performance.now() - started;
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sid='));
    if (cookie !== undefined) this.sid = decodeURIComponent(cookie.slice(4).split(';')[0]!) || undefined;
    return { status: res.status, headers: res.headers, text, ms };
  }

  get(path: string, headers?: Record<string, string>): Promise<Answer> {
    return this.request('GET', path, { headers });
  }

  post(path: string, form: Record<string, string>, headers?: Record<string, string>): Promise<Answer> {
    return this.request('POST', path, { form, headers });
  }

  async json<T>(path: string): Promise<T> {
    const res = await this.get(path);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${res.text.slice(0, 200)}`);
    return JSON.parse(res.text) as T;
  }

  async signIn(email: string, password: string): Promise<Answer> {
    const res = await this.post('/login', { email, password });
    if (res.status !== 303 || !this.sid) throw new Error(`sign-in as ${email} failed: HTTP ${res.status}`);
    return res;
  }

  /** Adds one product and checks out; returns the new order's id from the redirect. */
  async buy(productId: number, quantity = 1, headers?: Record<string, string>): Promise<number> {
    const added = await this.post('/cart', { product_id: String(productId), quantity: String(quantity) });
    if (added.status !== 303) throw new Error(`add to cart answered ${added.status}`);
    const done = await this.post('/checkout', {}, headers);
    const m = /^\/orders\/(\d+)$/.exec(done.headers.get('location') ?? '');
    if (done.status !== 303 || !m)
      throw new Error(`checkout answered ${done.status} (location ${done.headers.get('location')}): ${done.text.slice(0, 200)}`);
    return Number(m[1]);
  }
}

/** Text of the first element carrying this data-testid (enough for the shop's flat, server-rendered markup). */
export function testIdText(html: string, testId: string): string | undefined {
  const m = new RegExp(`<([a-z0-9]+)[^>]*data-testid="${testId}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  return m
    ? m[2]!
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim()
    : undefined;
}

export function countTestIds(html: string, testId: string): number {
  return html.split(`data-testid="${testId}"`).length - 1;
}
