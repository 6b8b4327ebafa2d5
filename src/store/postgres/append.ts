/**
 * Event history append on PostgreSQL (store/events.ts; docs/architecture.md#storage): the records and their resource
 * rows in ONE statement that first takes the append lock in SHARED mode (a CTE the insert's rows
 * join: `seq` defaults are computed only for joined rows, after the lock is granted). Appends never
 * wait on each other, so commits still group; the delivery horizon (store/trail-events.ts) takes the
 * same lock EXCLUSIVELY for an instant, which waits for every append between its insert and its
 * commit: what it then sees as the largest seq has nothing uncommitted below it. The lock is
 * transaction-scoped (released at commit, after the rows became visible) and keyed per schema, so
 * installations sharing a database don't wait on each other.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { DB, EventInsert, ResourceInsert } from '../schema.ts';

const EVENT_COLUMNS: [keyof EventInsert, string][] = [
  ['event_id', 'text'],
  ['content_key', 'varchar'],
  ['event_time', 'int8'],
  ['added_at', 'int8'],
  ['imported', 'int4'],
  ['account_id', 'text'],
  ['region', 'text'],
  ['event_source', 'text'],
  ['event_name', 'text'],
  ['read_only', 'int4'],
  ['username', 'text'],
  ['access_key_id', 'text'],
  ['record', 'text'],
  ['data', 'int4'],
];
const RESOURCE_COLUMNS: [keyof ResourceInsert, string][] = [
  ['content_key', 'varchar'],
  ['pos', 'int4'],
  ['event_time', 'int8'],
  ['resource_type', 'text'],
  ['resource_name', 'text'],
];

/** The append lock's key: per schema. */
export const APPEND_LOCK = sql`hashtext(current_schema() || '.events')`;

/** Resource rows carried inline (5 parameters each): keeps a statement far below PostgreSQL's 65535 parameters. */
const INLINE_RESOURCES = 2000;

/** VALUES rows with each parameter cast: a VALUES list in a SELECT gets no types from the target table. */
function values<T>(rows: T[], columns: [keyof T, string][]): RawBuilder<unknown> {
  return sql.join(rows.map((r) => sql`(${sql.join(columns.map(([c, type]) => sql`${r[c]}::${sql.raw(type)}`))})`));
}
const names = <T>(columns: [keyof T, string][]) => sql.raw(columns.map(([c]) => String(c)).join(', '));

/**
 * Inserts the rows (skipping content already stored) and the resource rows of those inserted, under
 * the shared append lock; returns the inserted rows' seq by content key. `resources` name their record by
 * content key and hold each record's resources once.
 */
export async function appendLocked(
  db: Kysely<DB> | Transaction<DB>,
  rows: EventInsert[],
  resources: ResourceInsert[],
): Promise<{ seq: number; content_key: string }[]> {
  const inline = resources.length <= INLINE_RESOURCES ? resources : [];
  const r = await sql<{ seq: number; content_key: string }>`
    with lock as materialized (select pg_advisory_xact_lock_shared(${APPEND_LOCK})),
    ins as (
      insert into events (${names(EVENT_COLUMNS)})
      select v.* from lock cross join (values ${values(rows, EVENT_COLUMNS)}) as v(${names(EVENT_COLUMNS)})
      on conflict (content_key) do nothing
      returning seq, content_key
    )${
      inline.length
        ? sql`,
    res as (
      insert into event_resources (seq, pos, event_time, resource_type, resource_name)
      select ins.seq, x.pos, x.event_time, x.resource_type, x.resource_name
      from ins join (values ${values(inline, RESOURCE_COLUMNS)}) as x(${names(RESOURCE_COLUMNS)}) on x.content_key = ins.content_key
    )`
        : sql``
    }
    select seq, content_key from ins`.execute(db);
  if (resources.length > INLINE_RESOURCES) {
    const seqOf = new Map(r.rows.map((x) => [x.content_key, Number(x.seq)]));
    const mine = resources.flatMap((x) => {
      const seq = seqOf.get(x.content_key);
      return seq === undefined ? [] : [{ seq, pos: x.pos, event_time: x.event_time, resource_type: x.resource_type, resource_name: x.resource_name }];
    });
    for (let i = 0; i < mine.length; i += 2000)
      await db
        .insertInto('event_resources')
        .values(mine.slice(i, i + 2000))
        .execute();
  }
  return r.rows;
}
