/**
 * The delivery loop's reads of Event history (the `events` table of migrations/002-events.ts;
 * docs/architecture.md#delivery): records after a cursor in sequence order, the closing call's own record, and the commit
 * horizon a cursor may advance to without skipping a record that commits later.
 */
import { PostgresAdapter, sql, type Kysely, type Transaction } from 'kysely';
import { APPEND_LOCK } from './postgres/append.ts';
import type { DB, Row } from './schema.ts';
import type { TrailEvent } from './types.ts';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * The largest seq a cursor may advance to: every record at or below it that will ever commit has.
 * SQLite: the last committed row (one writer at a time). PostgreSQL hands out `seq` at insert, so a transaction
 * can commit a lower seq after a higher one is visible; appends hold the append lock in shared mode
 * from their insert to their commit (postgres/append.ts), so taking it exclusively here waits for
 * those in flight, and a later append can only get a larger seq (the sequence is not cached). New
 * appends queue behind this for as long as the in-flight ones take to commit — milliseconds — and at
 * most LOCK_WAIT: past it the horizon is "nothing new yet" (0) and the next tick tries again.
 */
export async function eventHorizon(db: Db, _now: Date): Promise<number> {
  // SQLite: read in a transaction, which returns only once committed — with group commit
  // (sqlite/group-commit.ts) the last rows may belong to a group whose COMMIT is still to come.
  if (!(db.getExecutor().adapter instanceof PostgresAdapter))
    return db.isTransaction ? lastEventSeq(db) : (db as Kysely<DB>).transaction().execute(lastEventSeq);
  const exact = async (tx: Db) => {
    await sql`set local lock_timeout = ${sql.lit(LOCK_WAIT)}`.execute(tx);
    await sql`select pg_advisory_xact_lock(${APPEND_LOCK})`.execute(tx);
    return lastEventSeq(tx);
  };
  try {
    return db.isTransaction ? await exact(db) : await (db as Kysely<DB>).transaction().execute(exact);
  } catch (e) {
    if ((e as { code?: string }).code === '55P03') return 0; // lock_not_available: appends still open after LOCK_WAIT
    throw e;
  }
}

const LOCK_WAIT = '2s';

export async function lastEventSeq(db: Db): Promise<number> {
  const r = await sql<{ m: number | null }>`select max(seq) as m from events`.execute(db);
  return Number(r.rows[0]?.m ?? 0);
}

/** Non-imported records (management and data events) with after < seq <= upTo, in sequence order, at most `limit`. */
export async function readEvents(db: Db, after: number, upTo: number, limit: number): Promise<TrailEvent[]> {
  const rows = await sql<Pick<Row<'events'>, 'seq' | 'account_id' | 'region' | 'event_source' | 'event_name' | 'read_only' | 'event_time' | 'record' | 'data'>>`
    select seq, account_id, region, event_source, event_name, read_only, event_time, record, data from events
    where seq > ${after} and seq <= ${upTo} and imported = 0 order by seq limit ${limit}`.execute(db);
  return rows.rows.map((r) => ({
    seq: Number(r.seq),
    accountId: r.account_id ?? '',
    region: r.region,
    eventSource: r.event_source,
    eventName: r.event_name,
    readOnly: r.read_only === null ? null : Number(r.read_only) === 1,
    eventTime: new Date(Number(r.event_time)),
    json: r.record,
    ...(Number(r.data) === 1 ? { data: true } : {}),
  }));
}

/** The seq of the record of the call with this request id and event name after `after`, if stored. */
export async function findCallSeq(db: Db, after: number, eventName: string, requestId: string): Promise<number | undefined> {
  const r = await sql<Pick<Row<'events'>, 'seq'>>`select seq from events where seq > ${after} and event_name = ${eventName}
    and record like ${`%"requestID":"${requestId}"%`} order by seq limit 1`.execute(db);
  return r.rows[0] ? Number(r.rows[0].seq) : undefined;
}
