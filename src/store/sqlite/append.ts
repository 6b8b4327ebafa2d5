/**
 * Event history append on SQLite (store/events.ts; docs/architecture.md#storage): the INSERTs of the
 * audited call path as fixed SQL text, compiled once per row count, not built through Kysely's query
 * builder on every call (building and compiling them was ~10% of a signed, audited call's CPU: bench
 * profile, `node --import tsx bench/profile-op.ts`). They still run through Kysely's executor, so
 * they join the caller's transaction and the group commit (sqlite/group-commit.ts) as any query does.
 *
 * The audited calls' records take a cheaper way (`writeAtCommit`): each call leaves its rows to its
 * group, and the group writes them all in one statement per table just before its COMMIT, outside
 * every call's savepoint (docs/performance.md#audit-at-commit).
 */
import { CompiledQuery, type Kysely, type SqliteDatabase, type Transaction } from 'kysely';
import type { DB, EventInsert, ResourceInsert } from '../schema.ts';

const EVENT_COLUMNS = [
  'event_id',
  'content_key',
  'event_time',
  'added_at',
  'imported',
  'account_id',
  'region',
  'event_source',
  'event_name',
  'read_only',
  'username',
  'access_key_id',
  'record',
  'data',
] as const satisfies readonly (keyof EventInsert)[];
const RESOURCE_COLUMNS = ['seq', 'pos', 'event_time', 'resource_type', 'resource_name'] as const;
type ResourceRow = Omit<ResourceInsert, 'content_key'> & { seq: number };

const tuples = (rows: number, columns: number) => Array.from({ length: rows }, () => `(${Array(columns).fill('?').join(', ')})`).join(', ');

/** SQL text by row count: a call appends one record, an import up to a chunk; each text is made once. */
function memo(make: (rows: number) => string): (rows: number) => string {
  const texts = new Map<number, string>();
  return (rows) => {
    let text = texts.get(rows);
    if (text === undefined) {
      text = make(rows);
      texts.set(rows, text);
    }
    return text;
  };
}

// Rows whose content is already stored are skipped by the unique key; RETURNING lists only the rows added.
const insertEvents = memo(
  (rows) =>
    `insert into events (${EVENT_COLUMNS.join(', ')}) values ${tuples(rows, EVENT_COLUMNS.length)} on conflict (content_key) do nothing returning seq, content_key`,
);
const insertResources = memo((rows) => `insert into event_resources (${RESOURCE_COLUMNS.join(', ')}) values ${tuples(rows, RESOURCE_COLUMNS.length)}`);

export async function appendSqlite(db: Kysely<DB> | Transaction<DB>, rows: EventInsert[]): Promise<{ seq: number; content_key: string }[]> {
  const params: unknown[] = [];
  for (const r of rows) for (const c of EVENT_COLUMNS) params.push(r[c] ?? null);
  const out = await db.executeQuery<{ seq: number; content_key: string }>(CompiledQuery.raw(insertEvents(rows.length), params));
  return out.rows;
}

export async function appendResourcesSqlite(db: Kysely<DB> | Transaction<DB>, rows: ResourceRow[]): Promise<void> {
  const params: unknown[] = [];
  for (const r of rows) for (const c of RESOURCE_COLUMNS) params.push(r[c] ?? null);
  await db.executeQuery(CompiledQuery.raw(insertResources(rows.length), params));
}

/** One transaction's records, as rows, left for its group's COMMIT (EventStore.appendAtCommit). */
export interface PendingAppend {
  rows: EventInsert[];
  resources: ResourceInsert[];
}

/** Columns declared NOT NULL (migrations/002-events.ts, 007-data-events-stream.ts). */
const REQUIRED = ['event_id', 'content_key', 'event_time', 'added_at', 'imported', 'record', 'data'] as const satisfies readonly (keyof EventInsert)[];

/**
 * Checks what the statement's OR IGNORE would otherwise drop silently: a NULL in a NOT NULL column.
 * Called in the call's own transaction, so a bad row fails that call alone, not its group.
 */
export function checkPending(p: PendingAppend): void {
  for (const r of p.rows) for (const c of REQUIRED) if (r[c] === null || r[c] === undefined) throw new TypeError(`event row without ${c}`);
  for (const x of p.resources) if (typeof x.pos !== 'number' || typeof x.event_time !== 'number') throw new TypeError('resource row without pos or event_time');
}

const insertOrIgnoreEvents = memo(
  (rows) => `insert or ignore into events (${EVENT_COLUMNS.join(', ')}) values ${tuples(rows, EVENT_COLUMNS.length)} returning seq, content_key`,
);
const insertOrIgnoreResources = memo(
  (rows) => `insert or ignore into event_resources (${RESOURCE_COLUMNS.join(', ')}) values ${tuples(rows, RESOURCE_COLUMNS.length)}`,
);
const storedKeys = memo((keys) => `select count(*) as n from events where content_key in (${Array(keys).fill('?').join(', ')})`);

/** Rows per statement: 200 × 14 parameters stays far under SQLite's limit of 32,766. */
const CHUNK = 200;

/**
 * Writes a group's pending records, synchronously, with the group's connection held, just before its
 * COMMIT; a throw fails the whole group (nothing of it is kept). One multi-row INSERT per table,
 * outside any savepoint and with OR IGNORE: such a statement cannot abort halfway, so SQLite keeps no
 * statement journal for it (https://www.sqlite.org/tempfiles.html#statement_journals); in a member's
 * savepoint that journal spilled to a temporary file and was most of the insert's cost. OR IGNORE
 * skips a row only on a NOT NULL or UNIQUE conflict: NOT NULL is ruled out by `checkPending`, and a
 * row not inserted must be a record already stored (same content key), which is checked, not assumed.
 * Returns how many records were added.
 */
export function writeAtCommit(db: SqliteDatabase, pending: PendingAppend[]): number {
  const rows = pending.flatMap((p) => p.rows);
  const seqOf = new Map<string, number>();
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const params: unknown[] = [];
    for (const r of chunk) for (const c of EVENT_COLUMNS) params.push(r[c] ?? null);
    const added = db.prepare(insertOrIgnoreEvents(chunk.length)).all(params) as { seq: number; content_key: string }[];
    for (const r of added) seqOf.set(r.content_key, Number(r.seq));
    if (added.length < chunk.length) {
      const skipped = [...new Set(chunk.map((r) => r.content_key).filter((k) => !seqOf.has(k)))];
      const found = skipped.length ? Number((db.prepare(storedKeys(skipped.length)).all(skipped)[0] as { n: number }).n) : 0;
      if (found !== skipped.length) throw new Error(`${skipped.length - found} audit records were not stored`);
    }
  }
  // the added records' resources; a record repeated in the group is one record (the same content
  // key is the same record, so the same resources at the same places)
  const resourceParams: unknown[][] = [];
  const done = new Set<string>();
  for (const x of pending.flatMap((p) => p.resources)) {
    const seq = seqOf.get(x.content_key);
    const place = `${x.content_key} ${x.pos}`;
    if (seq === undefined || done.has(place)) continue;
    done.add(place);
    resourceParams.push([seq, x.pos, x.event_time, x.resource_type ?? null, x.resource_name ?? null]);
  }
  for (let i = 0; i < resourceParams.length; i += CHUNK * 2) {
    const chunk = resourceParams.slice(i, i + CHUNK * 2);
    const { changes } = db.prepare(insertOrIgnoreResources(chunk.length)).run(chunk.flat());
    if (Number(changes) !== chunk.length) throw new Error(`${chunk.length - Number(changes)} audit resource rows were not stored`);
  }
  return seqOf.size;
}
