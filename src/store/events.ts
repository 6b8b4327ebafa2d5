/**
 * EventStore over Kysely (docs/architecture.md#event-history; docs/architecture.md#storage): appends CloudTrail records with
 * their lookup columns and resource rows, and answers Event history lookups newest first with
 * keyset paging. Data events share the table and its sequence (the stream trails deliver, see
 * migrations/007) and are left out of every Event history read. Portable SQL only (row-value
 * comparison, EXISTS), so PostgreSQL runs the same queries; each lookup is one index range scan (see
 * migrations/002-events.ts).
 */
import { hash } from 'node:crypto';
import { CompiledQuery, PostgresAdapter, type Kysely, type Transaction } from 'kysely';
import { forDialect, resourceDriver, resourcesOfSql, scanEventsSql, scanResourcesSql, type Sql } from './event-lookup-sql.ts';
import { appendLocked } from './postgres/append.ts';
import { appendResourcesSqlite, appendSqlite, checkPending, type PendingAppend } from './sqlite/append.ts';
import { deferAppend } from './sqlite/group-commit.ts';
import type { DB, EventInsert, ResourceInsert, Row as TableRow } from './schema.ts';
import type { EventPage, EventQuery, EventStore, LookupAttributeKey, PurgeOptions, StoredEvent } from './types.ts';

type Row = TableRow<'events'>;
type ResourceRow = TableRow<'event_resources'>;
/** The columns a lookup reads (event-lookup-sql.ts LOOKUP_COLUMNS). */
type LookupRow = Omit<Row, 'content_key' | 'data'>;
type Db = Kysely<DB> | Transaction<DB>;

export class KyselyEventStore implements EventStore {
  constructor(
    private readonly db: Db,
    /** whose Event history this view reads; imported records go into it (docs/accounts.md#event-history) */
    private readonly account: string,
  ) {}

  async append(input: StoredEvent[]): Promise<number> {
    if (!input.length) return 0;
    const events = this.owned(input);
    if (this.db.isTransaction) return insert(this.db, events);
    return (this.db as Kysely<DB>).transaction().execute((trx) => insert(trx, events));
  }

  /** On SQLite in a transaction the rows go to the group commit (sqlite/group-commit.ts deferAppend); otherwise `append`. */
  async appendAtCommit(input: StoredEvent[]): Promise<void> {
    if (!input.length) return;
    if (this.db.isTransaction && !(this.db.getExecutor().adapter instanceof PostgresAdapter)) {
      const pending = rowsOf(this.owned(input));
      checkPending(pending);
      if (await this.db.getExecutor().provideConnection(async (c) => deferAppend(c, pending))) return;
    }
    await this.append(input);
  }

  /** Imported records, and records naming no account, go into this view's account. */
  private owned(input: StoredEvent[]): StoredEvent[] {
    return input.map((e) => (e.imported || e.accountId === null ? { ...e, accountId: this.account } : e));
  }

  async get(eventId: string): Promise<StoredEvent | undefined> {
    const r = await this.db
      .selectFrom('events as e')
      .selectAll()
      .where('e.event_id', '=', eventId)
      .where('e.data', '=', 0)
      .where('e.account_id', '=', this.account)
      .orderBy('e.seq', 'desc')
      .executeTakeFirst();
    return r ? (await withResources(this.db, [r]))[0] : undefined;
  }

  async count(): Promise<number> {
    const r = await this.db
      .selectFrom('events')
      .where('data', '=', 0)
      .where('account_id', '=', this.account)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async lookup(q: EventQuery): Promise<EventPage> {
    const readOnly = q.attributes.filter((a) => a.key === 'ReadOnly').map((a) => a.value);
    // ReadOnly holds "true" or "false"; any other value matches nothing (exact match).
    if (readOnly.some((v) => v !== 'true' && v !== 'false')) return { events: [] };
    const driver = resourceDriver(q.attributes);
    const rows = driver ? await this.scanResources(q, driver) : await this.scanEvents(q);
    const more = rows.length > q.limit;
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return { events: await withResources(this.db, page), ...(more && last ? { next: { time: Number(last.event_time), seq: Number(last.seq) } } : {}) };
  }

  async purge(cutoff: Date, opts: PurgeOptions = {}): Promise<number> {
    const size = opts.batchSize ?? PURGE_BATCH;
    let total = 0;
    for (;;) {
      const n = this.db.isTransaction
        ? await purgeBatch(this.db, cutoff, opts.keepAfterSeq, size)
        : await (this.db as Kysely<DB>).transaction().execute((trx) => purgeBatch(trx, cutoff, opts.keepAfterSeq, size));
      total += n;
      if (n < size) return total;
    }
  }

  /** No resource attribute: walk `events` by the index of one attribute (the planner picks it) or by time. */
  private scanEvents(q: EventQuery): Promise<LookupRow[]> {
    return run<LookupRow>(this.db, scanEventsSql(this.account, q));
  }

  /**
   * A resource attribute drives the scan through the resource index, in time order. One event can
   * match several resource rows (two resources of one type); those rows are adjacent in this order,
   * so duplicates are dropped as they come and the scan continues past them until the page is full.
   */
  private async scanResources(q: EventQuery, driver: { key: LookupAttributeKey; value: string }): Promise<LookupRow[]> {
    const out: LookupRow[] = [];
    let after = q.after;
    for (;;) {
      const want = q.limit + 1 - out.length;
      const rows = await run<LookupRow>(this.db, scanResourcesSql(this.account, q, driver, after, want));
      for (const r of rows) if (out[out.length - 1]?.seq !== r.seq) out.push(r);
      const last = rows[rows.length - 1];
      if (rows.length < want || out.length > q.limit || !last) return out;
      after = { time: Number(last.event_time), seq: Number(last.seq) };
    }
  }
}

/** A lookup's SQL text through the executor (so it joins the caller's transaction), `?` numbered for PostgreSQL. */
async function run<R>(db: Db, q: Sql): Promise<R[]> {
  const { text, params } = forDialect(q, db.getExecutor().adapter instanceof PostgresAdapter);
  return (await db.executeQuery<R>(CompiledQuery.raw(text, params))).rows;
}

/** Records removed per purge transaction: each is short, so writers and vacuum never wait on one long delete. */
const PURGE_BATCH = 5000;

/**
 * One purge step, oldest first: up to `size` records that entered history before the cutoff — and,
 * when `keepAfter` is set, are not past it (a trail has yet to deliver those; imported records are
 * never delivered) — go with their resource rows. On PostgreSQL rows another node is purging right
 * now are skipped, not waited for; appends never touch old rows, so they never wait either.
 */
async function purgeBatch(db: Db, cutoff: Date, keepAfter: number | undefined, size: number): Promise<number> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const doomed = db
    .selectFrom('events')
    .select('seq')
    .where('added_at', '<', cutoff.getTime())
    .$if(keepAfter !== undefined, (q) => q.where((eb) => eb.or([eb('seq', '<=', keepAfter!), eb('imported', '=', 1)])))
    .orderBy('added_at')
    .limit(size)
    .$if(pg, (q) => q.forUpdate().skipLocked());
  const gone = (await db.deleteFrom('events').where('seq', 'in', doomed).returning('seq').execute()).map((r) => Number(r.seq)).sort((a, b) => a - b);
  for (let i = 0; i < gone.length; i += 1000) {
    const part = gone.slice(i, i + 1000);
    await db
      .deleteFrom('event_resources')
      .where('seq', '>=', part[0]!)
      .where('seq', '<=', part[part.length - 1]!)
      .where('seq', 'in', part)
      .execute();
  }
  return gone.length;
}

/** Rows per INSERT: keeps statements under every backend's parameter limit while saving per-statement overhead. */
const CHUNK = 200;

/**
 * Appends one chunk at a time. On PostgreSQL through postgres/append.ts, which also takes the append
 * lock that makes `seq` order commit order (why: store/trail-events.ts); on SQLite through
 * sqlite/append.ts — no lock, it has one writer at a time.
 */
async function insert(db: Db, events: StoredEvent[]): Promise<number> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  let added = 0;
  for (let i = 0; i < events.length; i += CHUNK) {
    const { rows, resources } = rowsOf(events.slice(i, i + CHUNK));
    if (pg) {
      added += (await appendLocked(db, rows, resources)).length;
      continue;
    }
    const inserted = await appendSqlite(db, rows);
    added += inserted.length;
    const seqOf = new Map(inserted.map((r) => [r.content_key, Number(r.seq)]));
    const mine = resources.flatMap(({ content_key, ...x }) => {
      const seq = seqOf.get(content_key);
      return seq === undefined ? [] : [{ seq, ...x }];
    });
    for (let j = 0; j < mine.length; j += CHUNK * 2) await appendResourcesSqlite(db, mine.slice(j, j + CHUNK * 2));
  }
  return added;
}

/** The rows of `events`: one `events` row each, and the resource rows, given once for a record repeated in `events`. */
function rowsOf(events: StoredEvent[]): PendingAppend {
  const chunk = events.map((e) => ({ e, key: storedKey(e.eventId, e.contentKey ?? contentKey(e.json)) }));
  const rows: EventInsert[] = chunk.map(({ e, key }) => ({
    event_id: e.eventId,
    content_key: key,
    event_time: e.eventTime.getTime(),
    added_at: (e.addedAt ?? e.eventTime).getTime(),
    imported: e.imported ? 1 : 0,
    account_id: e.accountId,
    region: e.region,
    event_source: e.eventSource,
    event_name: e.eventName,
    read_only: e.readOnly === null ? null : e.readOnly ? 1 : 0,
    username: e.username,
    access_key_id: e.accessKeyId,
    record: e.json,
    data: e.category === 'Data' ? 1 : 0,
  }));
  const first = new Set<string>();
  const resources: ResourceInsert[] = chunk.flatMap(({ e, key }) => {
    if (first.has(key)) return [];
    first.add(key);
    return e.resources.map((x, pos) => ({ content_key: key, pos, event_time: e.eventTime.getTime(), resource_type: x.type, resource_name: x.name }));
  });
  return { rows, resources };
}

async function withResources(db: Db, rows: LookupRow[]): Promise<StoredEvent[]> {
  const seqs = rows.map((r) => Number(r.seq));
  const res = seqs.length ? await run<Pick<ResourceRow, 'seq' | 'resource_type' | 'resource_name'>>(db, resourcesOfSql(seqs)) : [];
  const bySeq = new Map<number, StoredEvent['resources']>();
  for (const x of res) {
    const list = bySeq.get(Number(x.seq)) ?? [];
    list.push({ type: x.resource_type, name: x.resource_name });
    bySeq.set(Number(x.seq), list);
  }
  return rows.map((r) => ({
    eventId: r.event_id,
    eventTime: new Date(Number(r.event_time)),
    accountId: r.account_id,
    region: r.region,
    eventSource: r.event_source,
    eventName: r.event_name,
    readOnly: r.read_only === null ? null : Number(r.read_only) === 1,
    username: r.username,
    accessKeyId: r.access_key_id,
    resources: bySeq.get(Number(r.seq)) ?? [],
    json: r.record,
    addedAt: new Date(Number(r.added_at)),
    imported: Number(r.imported) === 1,
  }));
}

/**
 * The `content_key` column: the record's event id's first 12 hex digits (its first 12 characters
 * without hyphens when those are lower-case hex, as in every UUID AWS or startrail makes; else 12
 * zeros), then the first 52 hex digits of its content key. Copies of one record have one eventID, so
 * they share it; startrail's own eventIDs begin with the time (ids.ts eventId), so new records' keys
 * sort together at the index's newest page (migrations/027-content-key-order.ts,
 * docs/performance.md#content-key).
 */
export function storedKey(eventId: string, key: string): string {
  const id = eventId.replaceAll('-', '').slice(0, 12);
  return (HEX12.test(id) ? id : '000000000000') + key.slice(0, 52);
}
const HEX12 = /^[0-9a-f]{12}$/;

/** SHA-256 of the record's canonical JSON (keys sorted, no white space): equal records, however formatted, share a key. */
function contentKey(json: string): string {
  return parsedContentKey(JSON.parse(json));
}

/** contentKey of a record already parsed from its JSON text (JSON.parse's output, nothing else: no undefined, no Date). */
export function parsedContentKey(parsed: unknown): string {
  return hash('sha256', canonicalJson(parsed), 'hex');
}

/** JSON.stringify of a string needs no escape: no quote, backslash, control character or surrogate. */
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;
const quotedKeys = new Map<string, string>();

/** JSON.stringify(s), without its work for the strings records are made of. */
function quote(s: string): string {
  return PLAIN.test(s) ? `"${s}"` : JSON.stringify(s);
}

/** A key's JSON text; records reuse a few hundred names, so they are remembered (up to 10,000). */
function quoteKey(k: string): string {
  let q = quotedKeys.get(k);
  if (q === undefined) {
    q = quote(k);
    if (quotedKeys.size < 10_000) quotedKeys.set(k, q);
  }
  return q;
}

/** The canonical text: JSON.stringify's, with every object's keys in code-unit order (events.test.ts checks the two agree). */
export function canonicalJson(v: unknown): string {
  if (typeof v === 'string') return quote(v);
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) {
    let s = '[';
    for (let i = 0; i < v.length; i++) {
      if (i) s += ',';
      s += canonicalJson(v[i]);
    }
    return `${s}]`;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  for (let i = 1; i < keys.length; i++) {
    if ((keys[i - 1] as string) > (keys[i] as string)) {
      keys.sort();
      break;
    }
  }
  let s = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    if (i) s += ',';
    s += quoteKey(k);
    s += ':';
    s += canonicalJson(o[k]);
  }
  return `${s}}`;
}
