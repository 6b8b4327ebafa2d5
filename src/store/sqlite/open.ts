/** Opens the embedded SQLite store (better-sqlite3, WAL) and applies migrations. */
import Database from 'better-sqlite3';
import { Kysely } from 'kysely';
import { BUSY_TIMEOUT_MS, GroupCommitSqliteDialect } from './group-commit.ts';
import { withStatementCache } from './statement-cache.ts';
import { KyselyStore } from '../kysely-store.ts';
import { DEFAULT_ACCOUNT_ID, migrate, MIGRATIONS } from '../migrations/index.ts';
import type { DB } from '../schema.ts';
import type { SecretBox } from '../secret-box.ts';

export interface SqliteOptions {
  /**
   * A long stream of large transactions (`startrail import`): checkpoint the WAL every ~400 MB
   * instead of every 4 MB. Each checkpoint copies the pages to the database and syncs both files;
   * done after every 1,000-record batch it was half of an import's time. Durability is unchanged
   * (commits are in the WAL); the WAL is checkpointed and cut back to 64 MB at close.
   */
  bulk?: boolean;
  /** the configured account: the store's default view, and the owner of rows made before accounts (migrations/018-accounts.ts) */
  accountId?: string;
  /** the longest a commit group stays open (sqlite/group-commit.ts; default 20 ms): tests lengthen it so a busy machine cannot split the group they build */
  groupMaxAgeMs?: number;
}

export async function openSqliteStore(file: string, box: SecretBox, opts: SqliteOptions = {}): Promise<KyselyStore> {
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // 64 MiB page cache: Event history indexes stay hot at millions of records (the 2 MiB default thrashes).
  sqlite.pragma('cache_size = -65536');
  if (opts.bulk) {
    sqlite.pragma('wal_autocheckpoint = 100000');
    sqlite.pragma('journal_size_limit = 67108864');
  }
  const dialect = new GroupCommitSqliteDialect(withStatementCache(sqlite), () => sqlite.inTransaction, { maxAgeMs: opts.groupMaxAgeMs });
  const db = new Kysely<DB>({ dialect });
  const accountId = opts.accountId ?? DEFAULT_ACCOUNT_ID;
  await migrate(db, 'sqlite', MIGRATIONS, { accountId });
  return new KyselyStore(db, box, () => db.destroy(), false, undefined, accountId);
}
