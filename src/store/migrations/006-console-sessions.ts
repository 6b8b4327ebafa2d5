/**
 * Web console sign-in sessions (console/sessions.ts), shared by every node on the database so a
 * session made on one node works on the others and outlives a restart. Times are epoch ms.
 *   seq           creation order: the oldest session gives way first at the session limit
 *   id_hash       SHA-256 (hex) of the cookie's session id; the id itself is never stored
 *   access_key_id the session credentials' key id (not a secret)
 *   secrets       the credentials' secret key and session token and the CSRF token, sealed by the SecretBox
 *   identity      who signed in, as JSON
 * expires_at and last_seen_at are indexed for the sweep of ended sessions.
 */
import type { Migration } from './index.ts';
import { serial } from './index.ts';

export const consoleSessions: Migration = {
  name: '006-console-sessions',
  async up(db, dialect) {
    await db.schema
      .createTable('console_sessions')
      .addColumn('seq', serial(dialect), (c) => c.primaryKey().$call((b) => (dialect === 'sqlite' ? b.autoIncrement() : b)))
      .addColumn('id_hash', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('access_key_id', 'text', (c) => c.notNull())
      .addColumn('secrets', 'text', (c) => c.notNull())
      .addColumn('identity', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('console_sessions_expires_at').on('console_sessions').column('expires_at').execute();
    await db.schema.createIndex('console_sessions_last_seen_at').on('console_sessions').column('last_seen_at').execute();
  },
};
