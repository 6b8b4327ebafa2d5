/**
 * The delivery loop's reads of Event history (the `events` table of migrations/002-events.ts; DESIGN
 * §3): records after a cursor in sequence order, the closing call's own record, and the commit
 * horizon a cursor may advance to without skipping a record that commits later.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { TrailEvent } from './types.ts';

type Db = Kysely<any> | Transaction<any>;

/**
 * The largest committed seq is exact on both backends: SQLite has one writer at a time, and on
 * PostgreSQL every append holds a lock from its insert to its commit (store/events.ts), so records
 * commit in seq order and none below the largest visible one can still appear. (An append that
 * rolls back leaves a gap, never a late record.)
 */
export async function eventHorizon(db: Db, _now: Date): Promise<number> {
  return lastEventSeq(db);
}

export async function lastEventSeq(db: Db): Promise<number> {
  const r = await sql<{ m: number | null }>`select max(seq) as m from events`.execute(db);
  return Number(r.rows[0]?.m ?? 0);
}

/** Non-imported records with after < seq <= upTo, in sequence order, at most `limit`. */
export async function readEvents(db: Db, after: number, upTo: number, limit: number): Promise<TrailEvent[]> {
  const rows = await sql<{ seq: number; region: string | null; event_source: string | null; event_name: string | null; read_only: number | null; event_time: number; record: string }>`
    select seq, region, event_source, event_name, read_only, event_time, record from events
    where seq > ${after} and seq <= ${upTo} and imported = 0 order by seq limit ${limit}`.execute(db);
  return rows.rows.map((r) => ({
    seq: Number(r.seq), region: r.region, eventSource: r.event_source, eventName: r.event_name,
    readOnly: r.read_only === null ? null : Number(r.read_only) === 1, eventTime: new Date(Number(r.event_time)), json: r.record,
  }));
}

/** The seq of the record of the call with this request id and event name after `after`, if stored. */
export async function findCallSeq(db: Db, after: number, eventName: string, requestId: string): Promise<number | undefined> {
  const r = await sql<{ seq: number }>`select seq from events where seq > ${after} and event_name = ${eventName}
    and record like ${`%"requestID":"${requestId}"%`} order by seq limit 1`.execute(db);
  return r.rows[0] ? Number(r.rows[0].seq) : undefined;
}
