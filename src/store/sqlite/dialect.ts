/**
 * Kysely's SQLite dialect with one change: transactions begin IMMEDIATE. A deferred transaction that
 * reads and then writes fails with SQLITE_BUSY_SNAPSHOT when another connection (a second node on
 * the same data dir, or `startrail import` beside a server) committed in between; taking the write
 * lock up front makes such writers wait (busy_timeout) instead of failing.
 */
import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

export class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly cfg: SqliteDialectConfig) {
    super(cfg);
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.cfg);
  }
}
