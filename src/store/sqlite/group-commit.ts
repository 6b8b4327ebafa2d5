/**
 * Group commit for SQLite: the transactions of concurrent calls share one COMMIT.
 *
 * Why: every API call is a transaction (its change and its audit record, docs/architecture.md#audit), and on SQLite
 * the COMMIT — writing the dirty pages to the WAL, and every ~1,000 pages a checkpoint that syncs
 * both files — cost more than the call's own queries (bench: 0.6 ms of a 1.1 ms signed call).
 *
 * How: better-sqlite3 has one connection, used by one caller at a time (the mutex below, as in
 * Kysely's own driver). The first transaction opens `BEGIN IMMEDIATE` (the write lock up front, so
 * a second process on the data dir waits instead of failing with SQLITE_BUSY_SNAPSHOT); each
 * transaction — the first and those that follow while the group is open — runs inside a SAVEPOINT,
 * so one that fails rolls back alone. Its commit only releases the savepoint and hands the
 * connection on, then waits: the group COMMITs once nobody is waiting for the connection (checked
 * after the event loop has read the sockets: `setImmediate`), or at MAX_MEMBERS / MAX_AGE_MS, and
 * only then does the transaction's commit return — so a call's response is still written only after
 * its record is committed. If the COMMIT fails, every transaction of the group fails with its error
 * (the calls answer InternalFailure; nothing of them was kept).
 *
 * Audit records (EventStore.appendAtCommit) are not written in the member's savepoint: the member
 * leaves them to its group (`deferAppend`) when it commits, and the group writes every member's
 * records in one statement per table just before its COMMIT (sqlite/append.ts writeAtCommit;
 * docs/performance.md#audit-at-commit). A member rolled back leaves none; if that write fails, the
 * group fails as if its COMMIT had.
 *
 * Outside a transaction: a read runs as is (inside an open group it sees the group's changes, as the
 * same connection would after the commit); a write first commits the open group, then autocommits.
 */
import {
  type CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type SqliteDatabase,
} from 'kysely';
import { type PendingAppend, writeAtCommit } from './append.ts';

/** Transactions per COMMIT at most, and the longest a group stays open: bounds the wait of other processes. */
const MAX_MEMBERS = 64;
const MAX_AGE_MS = 20;
/** How long a statement waits for another process's write lock before SQLITE_BUSY (the connection's busy_timeout, sqlite/open.ts). */
export const BUSY_TIMEOUT_MS = 5000;
/** Between attempts to take the write lock from another process (`--workers N`, src/server/workers.ts). */
const BUSY_RETRY_MS = 1;

export interface GroupCommitOptions {
  /** the longest a group stays open (default 20 ms); tests lengthen it so a busy machine cannot split the group they build */
  maxAgeMs?: number;
}

interface Group {
  committed: Promise<void>;
  resolve: () => void;
  reject: (e: unknown) => void;
  members: number;
  openedAt: number;
  /** the committed members' audit records, written just before the COMMIT */
  appends: PendingAppend[];
}

class Mutex {
  private held = false;
  private readonly waiters: (() => void)[] = [];
  get locked(): boolean {
    return this.held;
  }
  async lock(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return;
    }
    await new Promise<void>((r) => this.waiters.push(r));
  }
  unlock(): void {
    const next = this.waiters.shift();
    if (next)
      next(); // the lock passes straight to the next waiter
    else this.held = false;
  }
}

export class GroupCommitDriver implements Driver {
  private readonly mutex = new Mutex();
  /** connection handles not in use (one per holder, reused: Kysely keeps every handle it has seen) */
  private readonly free: GroupConnection[] = [];
  private group: Group | undefined;
  private flushScheduled = false;
  /** COMMITs issued, transactions committed through them, and audit records their groups added (tests, bench) */
  readonly stats = { commits: 0, transactions: 0, appended: 0 };

  /** `inTransaction`: whether SQLite has a transaction open (better-sqlite3's `db.inTransaction`) */
  constructor(
    private readonly db: SqliteDatabase,
    private readonly inTransaction: () => boolean,
    private readonly maxAgeMs = MAX_AGE_MS,
  ) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.mutex.lock();
    const c = this.free.pop() ?? new GroupConnection(this.db, () => this.beforeAutocommitWrite());
    c.state = 'held';
    return c;
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const c = connection as GroupConnection;
    // a transaction that joined a group handed the connection on when it finished (commitTransaction)
    if (c.state !== 'handed-off') this.mutex.unlock();
    c.state = 'free';
    this.free.push(c);
    this.scheduleFlush();
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.group) {
      await this.beginImmediate();
      let resolve!: () => void;
      let reject!: (e: unknown) => void;
      const committed = new Promise<void>((ok, fail) => {
        resolve = ok;
        reject = fail;
      });
      committed.catch(() => {}); // each member awaits it; a failure is theirs, never an unhandled rejection
      this.group = { committed, resolve, reject, members: 0, openedAt: performance.now(), appends: [] };
    }
    this.exec('savepoint member');
    const c = connection as GroupConnection;
    c.state = 'in-transaction';
    c.pending = [];
  }

  /** Releases the savepoint, hands the connection on, and resolves when the group has committed. */
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as GroupConnection;
    this.exec('release member');
    const g = this.group!;
    g.members++;
    for (const p of c.pending) g.appends.push(p);
    c.pending = [];
    if (g.members >= MAX_MEMBERS || performance.now() - g.openedAt >= this.maxAgeMs) this.commitGroup();
    c.state = 'handed-off';
    this.mutex.unlock();
    this.scheduleFlush();
    await g.committed;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as GroupConnection;
    if (c.state === 'handed-off') return; // its group failed to commit: SQLite rolled it all back already
    c.state = 'held';
    c.pending = [];
    if (!this.inTransaction()) {
      // SQLite rolled back the whole transaction itself (an I/O error, a full disk): the group is gone
      this.failGroup(new Error('SQLite rolled back the transaction'));
      return;
    }
    this.exec('rollback to member');
    this.exec('release member');
  }

  async destroy(): Promise<void> {
    await this.mutex.lock();
    try {
      if (this.group) this.commitGroup();
    } finally {
      this.mutex.unlock();
    }
    this.db.close();
  }

  private exec(sql: string): void {
    this.db.prepare(sql).run([]);
  }

  /**
   * BEGIN IMMEDIATE without blocking the event loop. With one process the write lock is free and
   * the first attempt takes it. When another process on the file holds it (`--workers N`), SQLite's
   * own busy wait would sleep inside the call, and this process could not even read its sockets
   * meanwhile; instead each attempt fails at once (busy_timeout 0) and is retried on a timer, for
   * up to BUSY_TIMEOUT_MS as before.
   */
  private async beginImmediate(): Promise<void> {
    const deadline = performance.now() + BUSY_TIMEOUT_MS;
    this.busyTimeout(0);
    try {
      for (;;) {
        try {
          this.exec('begin immediate');
          return;
        } catch (e) {
          if ((e as { code?: string }).code !== 'SQLITE_BUSY' || performance.now() >= deadline) throw e;
        }
        await new Promise((r) => setTimeout(r, BUSY_RETRY_MS));
      }
    } finally {
      this.busyTimeout(BUSY_TIMEOUT_MS);
    }
  }

  private busyTimeout(ms: number): void {
    this.db.prepare(`pragma busy_timeout = ${ms}`).all([]);
  }

  /** Commits the open group once nobody is waiting for the connection, after the event loop has read the sockets. */
  private scheduleFlush(): void {
    if (!this.group || this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      if (!this.group || this.mutex.locked) return; // the holder's release schedules the next check
      void this.mutex.lock().then(() => {
        try {
          if (this.group) this.commitGroup();
        } finally {
          this.mutex.unlock();
        }
      });
    });
  }

  /** Called with the connection held. */
  private commitGroup(): void {
    const g = this.group!;
    this.group = undefined;
    try {
      if (g.appends.length) this.stats.appended += writeAtCommit(this.db, g.appends);
      this.exec('commit');
      this.stats.commits++;
      this.stats.transactions += g.members;
    } catch (e) {
      if (this.inTransaction()) {
        try {
          this.exec('rollback');
        } catch {
          /* already gone */
        }
      }
      g.reject(e);
      return;
    }
    g.resolve();
  }

  private failGroup(e: unknown): void {
    const g = this.group;
    this.group = undefined;
    g?.reject(e);
  }

  /** A write outside any transaction commits the open group first, so it stays an autocommit of its own. */
  private beforeAutocommitWrite(): void {
    if (this.group) this.commitGroup();
  }
}

/**
 * Leaves a transaction's audit records to its group's COMMIT, when `connection` is a transaction's
 * connection of this driver; false otherwise (the caller then inserts them itself).
 */
export function deferAppend(connection: DatabaseConnection, append: PendingAppend): boolean {
  if (!(connection instanceof GroupConnection) || connection.state !== 'in-transaction') return false;
  connection.pending.push(append);
  return true;
}

class GroupConnection implements DatabaseConnection {
  state: 'free' | 'held' | 'in-transaction' | 'handed-off' = 'free';
  /** audit records of the transaction running on this connection, handed to its group when it commits */
  pending: PendingAppend[] = [];
  constructor(
    private readonly db: SqliteDatabase,
    private readonly beforeAutocommitWrite: () => void,
  ) {}

  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const stmt = this.db.prepare(compiled.sql) as ReturnType<SqliteDatabase['prepare']> & { readonly?: boolean };
    if (stmt.readonly === false && this.state !== 'in-transaction') this.beforeAutocommitWrite();
    if (stmt.reader) return Promise.resolve({ rows: stmt.all(compiled.parameters) as R[] });
    const { changes, lastInsertRowid } = stmt.run(compiled.parameters);
    return Promise.resolve({
      numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
      insertId: lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
      rows: [],
    });
  }

  // biome-ignore lint/correctness/useYield: Kysely's driver interface requires the method; SQLite never streams
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not used with SQLite');
  }
}

/** Kysely's SQLite dialect with the group-commit driver. `driver` is set once Kysely has made it. */
export class GroupCommitSqliteDialect implements Dialect {
  driver: GroupCommitDriver | undefined;
  constructor(
    private readonly database: SqliteDatabase,
    private readonly inTransaction: () => boolean,
    private readonly opts: GroupCommitOptions = {},
  ) {}
  createDriver(): Driver {
    this.driver = new GroupCommitDriver(this.database, this.inTransaction, this.opts.maxAgeMs);
    return this.driver;
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}
