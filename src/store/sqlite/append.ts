/**
 * Event history append on SQLite (store/events.ts; docs/architecture.md#storage): the INSERTs of the
 * audited call path as fixed SQL text, compiled once per row count, not built through Kysely's query
 * builder on every call (building and compiling them was ~10% of a signed, audited call's CPU: bench
 * profile, `node --import tsx bench/profile-op.ts`). They still run through Kysely's executor, so
 * they join the caller's transaction and the group commit (sqlite/group-commit.ts) as any query does.
 */
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
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
