// What a request handler gets: the shop's services, the parsed request, the signed-in user and the page chrome.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DemoConfig } from '../config.ts';
import type { Db, Sqlite } from './db.ts';
import type { Faults, MemoryLeak } from './faults.ts';
import type { User } from './features/account.ts';
import type { ConnectionPool, WorkQueue } from './load.ts';
import type { ThrottledLog } from './log.ts';
import type { OrderStats, RequestStats } from './metrics.ts';
import type { PageChrome } from './views/layout.ts';

export interface Services {
  readonly config: DemoConfig;
  readonly db: Db;
  readonly faults: Faults;
  readonly pool: ConnectionPool;
  readonly queue: WorkQueue;
  readonly requests: RequestStats;
  readonly orders: OrderStats;
  readonly leak: MemoryLeak | undefined;
  readonly problems: ThrottledLog;
}

export interface Ctx {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  readonly services: Services;
  /** The raw session id from the `sid` cookie, if any. */
  readonly sid: string | undefined;
  readonly user: User | undefined;
  /** The request carries the synthetic-monitoring header: orders it creates are marked synthetic. */
  readonly synthetic: boolean;
  /** The database connection; throws DbUnavailableError when it is lost. */
  db(): Sqlite;
  chrome(): PageChrome;
}

export type RouteKind = 'page' | 'api' | 'asset';

export interface Route {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** `/orders/:id`-style pattern. */
  readonly path: string;
  readonly kind: RouteKind;
  /** Signed-out callers are sent to /login (pages) or answered 401 (API). */
  readonly auth?: boolean;
  handle(ctx: Ctx): void | Promise<void>;
}
