/**
 * EventStore over Kysely (docs/architecture.md#event-history; docs/architecture.md#storage): appends CloudTrail records with
 * their lookup columns and resource rows, and answers Event history lookups newest first with
 * keyset paging. Data events share the table and its sequence (the stream trails deliver, see
 * migrations/007) and are left out of every Event history read. Portable SQL only (row-value
 * comparison, EXISTS), so PostgreSQL runs the same queries; each lookup is one index range scan (see
 * migrations/002-events.ts).
 */
import { createHash } from 'node:crypto';
import { PostgresAdapter, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import { appendLocked } from './postgres/append.ts';
import type { DB, EventInsert, ResourceInsert, Row as TableRow } from './schema.ts';
import type { EventPage, EventPosition, EventQuery, EventStore, LookupAttributeKey, PurgeOptions, StoredEvent } from './types.ts';

type Row = TableRow<'events'>;
type Db = Kysely<DB> | Transaction<DB>;
type Eb = ExpressionBuilder<{ e: Row }, 'e'>;

/** Columns of `events` that a lookup attribute matches exactly. */
const EVENT_COLUMN = {
  EventId: 'e.event_id',
  EventName: 'e.event_name',
  EventSource: 'e.event_source',
  Username: 'e.username',
  AccessKeyId: 'e.access_key_id',
} as const;

export class KyselyEventStore implements EventStore {
  constructor(
    private readonly db: Db,
    /** whose Event history this view reads; imported records go into it (docs/accounts.md#event-history) */
    private readonly account: string,
  ) {}

  async append(input: StoredEvent[]): Promise<number> {
    if (!input.length) return 0;
    const events = input.map((e) => (e.imported || e.accountId === null ? { ...e, accountId: this.account } : e));
    if (this.db.isTransaction) return insert(this.db, events);
    return (this.db as Kysely<DB>).transaction().execute((trx) => insert(trx, events));
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
  private scanEvents(q: EventQuery): Promise<Row[]> {
    return this.db
      .selectFrom('events as e')
      .selectAll('e')
      .where((eb) =>
        eb.and([
          eb('e.data', '=', 0),
          eb('e.account_id', '=', this.account),
          ...filters(eb, q.attributes, undefined),
          ...inRegion(eb, q),
          ...window(eb, 'e', q),
        ]),
      )
      .orderBy('e.event_time', 'desc')
      .orderBy('e.seq', 'desc')
      .limit(q.limit + 1)
      .execute();
  }

  /**
   * A resource attribute drives the scan through the resource index, in time order. One event can
   * match several resource rows (two resources of one type); those rows are adjacent in this order,
   * so duplicates are dropped as they come and the scan continues past them until the page is full.
   */
  private async scanResources(q: EventQuery, driver: { key: LookupAttributeKey; value: string }): Promise<Row[]> {
    const column = driver.key === 'ResourceName' ? 'r.resource_name' : 'r.resource_type';
    const out: Row[] = [];
    let after = q.after;
    for (;;) {
      const want = q.limit + 1 - out.length;
      const rows = await this.db
        .selectFrom('event_resources as r')
        .innerJoin('events as e', 'e.seq', 'r.seq')
        .selectAll('e')
        .where(column, '=', driver.value)
        .where((eb) =>
          eb.and([
            eb('e.data', '=', 0),
            eb('e.account_id', '=', this.account),
            ...filters(eb as unknown as Eb, q.attributes, driver),
            ...inRegion(eb as unknown as Eb, { ...q, attributes: [driver] }),
            ...window(eb, 'r', { ...q, after }),
          ]),
        )
        .orderBy('r.event_time', 'desc')
        .orderBy('r.seq', 'desc')
        .limit(want)
        .execute();
      for (const r of rows) if (out[out.length - 1]?.seq !== r.seq) out.push(r);
      const last = rows[rows.length - 1];
      if (rows.length < want || out.length > q.limit || !last) return out;
      after = { time: Number(last.event_time), seq: Number(last.seq) };
    }
  }
}

/**
 * Which resource attribute, if any, drives the scan: a ResourceName (one ARN: few rows) always; a
 * ResourceType (few types: many rows) only alone, since with another attribute walking that
 * attribute's index and checking the type per event reads far fewer rows.
 */
function resourceDriver(attributes: EventQuery['attributes']): EventQuery['attributes'][number] | undefined {
  const name = attributes.find((a) => a.key === 'ResourceName');
  if (name) return name;
  const type = attributes.find((a) => a.key === 'ResourceType');
  return type && attributes.every((a) => a.key === 'ResourceType' || a.key === 'ReadOnly') ? type : undefined;
}

/**
 * The Region condition. Alone it walks the (region, time) index; with an attribute, that attribute's
 * index drives and the Region is checked per row — coalesce() keeps SQLite's planner (no statistics
 * here) from walking the Region index instead, as for ReadOnly.
 */
function inRegion(eb: Eb, q: EventQuery) {
  if (q.region === undefined) return [];
  return [q.attributes.length ? eb(eb.fn.coalesce('e.region', eb.val('')), '=', q.region) : eb('e.region', '=', q.region)];
}

/** Exact-match conditions for every attribute except the one driving the scan. */
function filters(eb: Eb, attributes: EventQuery['attributes'], driver: EventQuery['attributes'][number] | undefined) {
  const out = [];
  for (const a of attributes) {
    if (a === driver) continue;
    // ReadOnly splits history in two, so its index is only worth walking alone; coalesce() keeps
    // SQLite's planner (no statistics here) from choosing it over another attribute's index.
    if (a.key === 'ReadOnly')
      out.push(
        attributes.length > 1
          ? eb(eb.fn.coalesce('e.read_only', eb.val(-1)), '=', a.value === 'true' ? 1 : 0)
          : eb('e.read_only', '=', a.value === 'true' ? 1 : 0),
      );
    else if (a.key === 'ResourceName' || a.key === 'ResourceType') {
      const col = a.key === 'ResourceName' ? 'resource_name' : 'resource_type';
      out.push(
        eb.exists(
          (eb as unknown as ExpressionBuilder<DB & { e: Row }, 'e'>)
            .selectFrom('event_resources as x')
            .select('x.seq')
            .whereRef('x.seq', '=', 'e.seq')
            .where(`x.${col}`, '=', a.value),
        ),
      );
    } else out.push(eb(EVENT_COLUMN[a.key], '=', a.value));
  }
  return out;
}

/** Inclusive time bounds and the keyset cursor, on the driving table's (event_time, seq). */
function window(eb: ExpressionBuilder<any, any>, t: 'e' | 'r', q: { start?: Date; end?: Date; after?: EventPosition }) {
  const out = [];
  if (q.start) out.push(eb(`${t}.event_time`, '>=', q.start.getTime()));
  if (q.end) out.push(eb(`${t}.event_time`, '<=', q.end.getTime()));
  if (q.after) out.push(eb(eb.refTuple(`${t}.event_time`, `${t}.seq`), '<', eb.tuple(q.after.time, q.after.seq)));
  return out;
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
 * lock that makes `seq` order commit order (why: store/trail-events.ts); SQLite needs no lock, it has
 * one writer at a time.
 */
async function insert(db: Db, events: StoredEvent[]): Promise<number> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  let added = 0;
  for (let i = 0; i < events.length; i += CHUNK) {
    const chunk = events.slice(i, i + CHUNK).map((e) => ({ e, key: e.contentKey ?? contentKey(e.json) }));
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
    // a record repeated within the chunk gets its resources once
    const first = new Set<string>();
    const resources: ResourceInsert[] = chunk.flatMap(({ e, key }) => {
      if (first.has(key)) return [];
      first.add(key);
      return e.resources.map((x, pos) => ({ content_key: key, pos, event_time: e.eventTime.getTime(), resource_type: x.type, resource_name: x.name }));
    });
    if (pg) {
      added += (await appendLocked(db, rows, resources)).length;
      continue;
    }
    // Rows whose content is already stored are skipped by the unique key; RETURNING lists only the rows added.
    const inserted = await db
      .insertInto('events')
      .values(rows)
      .onConflict((oc) => oc.column('content_key').doNothing())
      .returning(['seq', 'content_key'])
      .execute();
    added += inserted.length;
    const seqOf = new Map(inserted.map((r) => [r.content_key, Number(r.seq)]));
    const mine = resources.flatMap(({ content_key, ...x }) => {
      const seq = seqOf.get(content_key);
      return seq === undefined ? [] : [{ seq, ...x }];
    });
    for (let j = 0; j < mine.length; j += CHUNK * 2)
      await db
        .insertInto('event_resources')
        .values(mine.slice(j, j + CHUNK * 2))
        .execute();
  }
  return added;
}

async function withResources(db: Db, rows: Row[]): Promise<StoredEvent[]> {
  const seqs = rows.map((r) => Number(r.seq));
  // The range bounds say what the IN list means to a planner without statistics (PostgreSQL before its
  // first ANALYZE would otherwise scan the whole table): a handful of rows, found through the index.
  const res = seqs.length
    ? await db
        .selectFrom('event_resources')
        .selectAll()
        .where('seq', '>=', Math.min(...seqs))
        .where('seq', '<=', Math.max(...seqs))
        .where('seq', 'in', seqs)
        .orderBy('seq')
        .orderBy('pos')
        .execute()
    : [];
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

/** SHA-256 of the record's canonical JSON (keys sorted, no white space): equal records, however formatted, share a key. */
function contentKey(json: string): string {
  return parsedContentKey(JSON.parse(json));
}

/** contentKey of a record already parsed from its JSON text (JSON.parse's output, nothing else: no undefined, no Date). */
export function parsedContentKey(parsed: unknown): string {
  return createHash('sha256').update(canonicalJson(parsed)).digest('hex');
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}
