/**
 * The event half of KyselyLogStore (contracts/logs.ts): appends and the index-range reads, given
 * the numeric ids of the group and stream (store/logs.ts resolves names to ids).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { LogPosition, StoredLogEvent } from './contracts/logs.ts';
import type { DB } from './schema.ts';

type Db = Kysely<DB> | Transaction<DB>;
const PREFIX_END = '\u{10ffff}';

/** Appends to a stream (contracts/logs.ts appendEvents); returns its new upload count. */
export async function appendEvents(
  db: Db,
  ids: { groupId: number; streamId: number },
  events: { timestamp: number; message: string }[],
  ingestionTime: number,
): Promise<number> {
  let bytes = 0;
  const rows = events.map((e) => {
    const b = Buffer.byteLength(e.message, 'utf8');
    bytes += b;
    return { group_id: ids.groupId, stream_id: ids.streamId, ts: e.timestamp, ingested_at: ingestionTime, bytes: b, message: e.message };
  });
  // bounded statements: 500 rows × 6 parameters stays under every driver's parameter limit
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('logs_events')
      .values(rows.slice(i, i + 500))
      .execute();
  // one atomic update: concurrent uploads to a stream (PostgreSQL) neither lose a count nor a time
  let times = {};
  if (events.length) {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const e of events) {
      if (e.timestamp < min) min = e.timestamp;
      if (e.timestamp > max) max = e.timestamp;
    }
    times = {
      first_event: sql<number>`case when first_event is null or first_event > cast(${min} as bigint) then cast(${min} as bigint) else first_event end`,
      last_event: sql<number>`case when last_event is null or last_event < cast(${max} as bigint) then cast(${max} as bigint) else last_event end`,
      last_sort: sql<number>`case when last_sort < cast(${max} as bigint) then cast(${max} as bigint) else last_sort end`,
      last_ingestion: ingestionTime,
    };
  }
  const updated = await db
    .updateTable('logs_streams')
    .set((eb) => ({ uploads: eb('uploads', '+', 1), ...times }))
    .where('id', '=', ids.streamId)
    .returning('uploads')
    .executeTakeFirstOrThrow();
  const uploads = Number(updated.uploads);
  if (bytes > 0)
    await db
      .updateTable('logs_groups')
      .set((eb) => ({ stored_bytes: eb('stored_bytes', '+', bytes) }))
      .where('id', '=', ids.groupId)
      .execute();
  return uploads;
}

/** A stream's events (contracts/logs.ts readStream). */
export async function readStream(
  db: Db,
  ids: { streamId: number },
  stream: string,
  opts: { startTime?: number; endTime?: number; from?: LogPosition; direction: 'forward' | 'backward'; limit: number },
): Promise<StoredLogEvent[]> {
  const forward = opts.direction === 'forward';
  let q = db.selectFrom('logs_events').select(['seq', 'ts', 'ingested_at', 'message']).where('stream_id', '=', ids.streamId);
  if (opts.startTime !== undefined) q = q.where('ts', '>=', opts.startTime);
  if (opts.endTime !== undefined) q = q.where('ts', '<', opts.endTime);
  const from = opts.from;
  if (from) q = q.where((eb) => eb(eb.refTuple('ts', 'seq'), forward ? '>' : '<', eb.tuple(from.timestamp, from.seq)));
  const dir = forward ? 'asc' : 'desc';
  const rows = await q.orderBy('ts', dir).orderBy('seq', dir).limit(opts.limit).execute();
  const out = rows.map((r) => ({
    seq: Number(r.seq),
    timestamp: Number(r.ts),
    ingestionTime: Number(r.ingested_at),
    message: r.message,
    streamName: stream,
  }));
  return forward ? out : out.reverse();
}

/** A group's events in time order (contracts/logs.ts readGroup). */
export async function readGroup(
  db: Db,
  gid: number,
  opts: { streams?: string[]; streamPrefix?: string; startTime?: number; endTime?: number; from?: LogPosition; limit: number },
): Promise<StoredLogEvent[]> {
  let q = db
    .selectFrom('logs_events as e')
    .innerJoin('logs_streams as s', 's.id', 'e.stream_id')
    .select(['e.seq', 'e.ts', 'e.ingested_at', 'e.message', 's.name'])
    .where('e.group_id', '=', gid);
  if (opts.streams) q = q.where('s.name', 'in', opts.streams.length ? opts.streams : ['']);
  const prefix = opts.streamPrefix;
  if (prefix) q = q.where('s.name', '>=', prefix).where('s.name', '<', `${prefix}${PREFIX_END}`);
  if (opts.startTime !== undefined) q = q.where('e.ts', '>=', opts.startTime);
  if (opts.endTime !== undefined) q = q.where('e.ts', '<', opts.endTime);
  const from = opts.from;
  if (from) q = q.where((eb) => eb(eb.refTuple('e.ts', 'e.seq'), '>', eb.tuple(from.timestamp, from.seq)));
  const rows = await q.orderBy('e.ts').orderBy('e.seq').limit(opts.limit).execute();
  return rows.map((r) => ({ seq: Number(r.seq), timestamp: Number(r.ts), ingestionTime: Number(r.ingested_at), message: r.message, streamName: r.name }));
}

/** Deletes up to `limit` of the group's events older than `before`, and their bytes (contracts/logs.ts purgeBefore). */
export async function purgeBefore(db: Db, gid: number, before: number, limit: number): Promise<number> {
  const rows = await db
    .selectFrom('logs_events')
    .select(['seq', 'bytes'])
    .where('group_id', '=', gid)
    .where('ts', '<', before)
    .orderBy('ts')
    .orderBy('seq')
    .limit(limit)
    .execute();
  if (rows.length === 0) return 0;
  const seqs = rows.map((r) => Number(r.seq));
  await db.deleteFrom('logs_events').where('seq', 'in', seqs).execute();
  const bytes = rows.reduce((n, r) => n + Number(r.bytes), 0);
  await db
    .updateTable('logs_groups')
    .set((eb) => ({ stored_bytes: eb('stored_bytes', '-', bytes) }))
    .where('id', '=', gid)
    .execute();
  return rows.length;
}
