// Matches a method and path against the route table, with `:name` segments as parameters.
import type { Route } from './context.ts';

interface Compiled {
  readonly route: Route;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

export type Match =
  { kind: 'found'; route: Route; params: Record<string, string> } | { kind: 'wrong-method'; allowed: string[] } | { kind: 'none' };

export class Router {
  private readonly compiled: Compiled[];
  constructor(routes: readonly Route[]) {
    this.compiled = routes.map((route) => {
      const names: string[] = [];
      const source = route.path
        .split('/')
        .map((seg) => (seg.startsWith(':') ? (names.push(seg.slice(1)), '([^/]+)') : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('/');
      return { route, pattern: new RegExp(`^${source}$`), names };
    });
  }

  match(method: string, pathname: string): Match {
    // HEAD is answered like GET; node:http leaves the body out by itself.
    const m = method === 'HEAD' ? 'GET' : method;
    const allowed: string[] = [];
    for (const c of this.compiled) {
      const hit = c.pattern.exec(pathname);
      if (!hit) continue;
      if (c.route.method !== m) {
        if (!allowed.includes(c.route.method)) allowed.push(c.route.method);
        continue;
      }
      let params: Record<string, string>;
      try {
        params = Object.fromEntries(c.names.map((n, i) => [n, decodeURIComponent(hit[i + 1]!)]));
      } catch {
        return { kind: 'none' };
      }
      return { kind: 'found', route: c.route, params };
    }
    return allowed.length ? { kind: 'wrong-method', allowed } : { kind: 'none' };
  }
}
