// Fieldnotes' store: a real SQLite database (users, bearer tokens, notes), created and seeded when new.
import crypto from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';

export interface Note {
  readonly id: number;
  readonly title: string;
  readonly body: string;
  readonly updatedAt: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE COLLATE NOCASE, password_hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS notes (
  id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL REFERENCES users(id), title TEXT NOT NULL, body TEXT NOT NULL,
  updated_at TEXT NOT NULL);
`;

const TOKEN_TTL_MS = 8 * 3_600_000;
const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

function hashPassword(password: string, salt = crypto.randomBytes(16).toString('hex')): string {
  return `${salt}:${crypto.scryptSync(password, salt, 32).toString('hex')}`;
}

function passwordMatches(password: string, stored: string): boolean {
  const [salt, hash] = stored.split(':');
  if (!salt || !hash) return false;
  return crypto.timingSafeEqual(Buffer.from(hash, 'hex'), crypto.scryptSync(password, salt, 32));
}

export class Store {
  private readonly db: Database.Database;

  constructor(dataDir: string, account: { username: string; password: string }) {
    this.db = new Database(path.join(dataDir, 'notes.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.db.exec(SCHEMA);
    const existing = this.db.prepare('SELECT id FROM users WHERE email = ?').get(account.username) as { id: number } | undefined;
    if (!existing) {
      const { lastInsertRowid } = this.db
        .prepare('INSERT INTO users (email, password_hash) VALUES (?, ?)')
        .run(account.username, hashPassword(account.password));
      const add = this.db.prepare('INSERT INTO notes (user_id, title, body, updated_at) VALUES (?, ?, ?, ?)');
      add.run(
        lastInsertRowid,
        'Welcome to Fieldnotes',
        'Notes you write here are kept in a real SQLite database.',
        new Date().toISOString(),
      );
      add.run(lastInsertRowid, 'Release checklist', 'Smoke, verify, watch the health signals.', new Date().toISOString());
    }
  }

  /** A new bearer token for valid credentials; undefined for wrong ones. Only the token's hash is stored. */
  signIn(email: string, password: string): string | undefined {
    const user = this.db.prepare('SELECT id, password_hash FROM users WHERE email = ?').get(email) as
      { id: number; password_hash: string } | undefined;
    if (!user || !passwordMatches(password, user.password_hash)) return undefined;
    const token = crypto.randomBytes(24).toString('base64url');
    this.db
      .prepare('INSERT INTO tokens (token_hash, user_id, expires_at) VALUES (?, ?, ?)')
      .run(sha256(token), user.id, Date.now() + TOKEN_TTL_MS);
    return token;
  }

  signOut(token: string): void {
    this.db.prepare('DELETE FROM tokens WHERE token_hash = ?').run(sha256(token));
  }

  /** The user a bearer token belongs to, if it is valid and not expired. */
  userOf(token: string): { id: number; email: string } | undefined {
    return this.db
      .prepare('SELECT users.id, users.email FROM tokens JOIN users ON users.id = tokens.user_id WHERE token_hash = ? AND expires_at > ?')
      .get(sha256(token), Date.now()) as { id: number; email: string } | undefined;
  }

  notes(userId: number): Note[] {
    return this.db
      .prepare('SELECT id, title, body, updated_at AS updatedAt FROM notes WHERE user_id = ? ORDER BY id')
      .all(userId) as Note[];
  }

  addNote(userId: number, title: string, body: string): Note {
    const updatedAt = new Date().toISOString();
    const { lastInsertRowid } = this.db
      .prepare('INSERT INTO notes (user_id, title, body, updated_at) VALUES (?, ?, ?, ?)')
      .run(userId, title, body, updatedAt);
    return { id: Number(lastInsertRowid), title, body, updatedAt };
  }

  deleteNote(userId: number, id: number): boolean {
    return this.db.prepare('DELETE FROM notes WHERE id = ? AND user_id = ?').run(id, userId).changes > 0;
  }

  /** The shallow probe a status page runs: the database answers a query. */
  ping(): boolean {
    try {
      return (this.db.prepare('SELECT 1 AS one').get() as { one: number }).one === 1;
    } catch {
      return false;
    }
  }

  /**
   * The `notes-broken` fault: a bad migration renames the notes table, as a real release can. The database still answers,
   * so /healthz and /status stay green; only the notes API (and the app's main view) break.
   */
  breakNotes(): void {
    const present = this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'notes'").get();
    if (present) this.db.exec('ALTER TABLE notes RENAME TO notes_old_migration');
  }

  close(): void {
    this.db.close();
  }
}
