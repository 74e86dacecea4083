// Accounts and sessions: scrypt password hashes, sign-in, and server-side sessions keyed by a hashed random id.
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import type { Sqlite } from '../db.ts';

export interface User {
  readonly id: number;
  readonly email: string;
  readonly name: string;
}

const scrypt = promisify(crypto.scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;
// Modest cost on purpose: each scrypt call needs 128·N·r bytes (4 MB here) of scratch memory on a libuv thread, and at
// N=16384 the allocator kept ~100 MB of it after the first logins, a step in the RSS signal the health gate watches.
// A real shop would use N ≥ 2^15 in a separate auth service. The hash records its parameters, so they can be raised.
const PARAMS = { N: 4096, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
export const SESSION_COOKIE = 'sid';

/** Self-describing so that the cost can be raised later without invalidating stored hashes. */
export function hashPassword(password: string, salt: Buffer = crypto.randomBytes(16)): string {
  const key = crypto.scryptSync(password, salt, KEY_LENGTH, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return crypto.timingSafeEqual(actual, expected);
}

// Unknown emails are checked against this too, so response time does not reveal which accounts exist.
const DUMMY_HASH = hashPassword('not-a-real-password');

/**
 * Runs one hash per libuv thread before the shop takes traffic, so the scratch memory the threads keep is in RSS from
 * the start instead of appearing as a step under the first logins.
 */
export async function warmUpHashing(threads = 4): Promise<void> {
  await Promise.all(Array.from({ length: threads }, () => verifyPassword('warm-up', DUMMY_HASH)));
}

export async function signIn(db: Sqlite, email: string, password: string): Promise<User | undefined> {
  const row = db.prepare('SELECT id, email, name, password_hash FROM users WHERE email = ?').get(email.trim()) as
    (User & { password_hash: string }) | undefined;
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  return ok && row ? { id: row.id, email: row.email, name: row.name } : undefined;
}

const sidHash = (sid: string) => crypto.createHash('sha256').update(sid).digest('base64url');

/** Returns the session id for the cookie; only its hash is stored, so a leaked database holds no usable sessions. */
export function createSession(db: Sqlite, userId: number, now = Date.now()): string {
  const sid = crypto.randomBytes(24).toString('base64url');
  db.prepare('DELETE FROM sessions WHERE expires_at < ?').run(now);
  db.prepare('INSERT INTO sessions (sid_hash, user_id, expires_at) VALUES (?, ?, ?)').run(sidHash(sid), userId, now + SESSION_TTL_MS);
  return sid;
}

export function userForSession(db: Sqlite, sid: string | undefined, now = Date.now()): User | undefined {
  if (!sid) return undefined;
  return db
    .prepare('SELECT u.id, u.email, u.name FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.sid_hash = ? AND s.expires_at > ?')
    .get(sidHash(sid), now) as User | undefined;
}

export function endSession(db: Sqlite, sid: string | undefined): void {
  if (sid) db.prepare('DELETE FROM sessions WHERE sid_hash = ?').run(sidHash(sid));
}
