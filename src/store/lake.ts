/** LakeStore over Kysely (store/contracts/lake.ts; docs/lake.md). */
import { type Kysely, PostgresAdapter, sql } from 'kysely';
import type { DB, Row } from './schema.ts';
import type {
  LakeEventDataStore,
  LakeEventRow,
  LakeImport,
  LakeImportStats,
  LakeImportStatus,
  LakeQuery,
  LakeQueryStats,
  LakeQueryStatus,
  LakeReadRange,
  LakeReadRow,
  LakeResult,
  LakeResultPage,
  LakeStore,
} from './contracts/lake.ts';

/** result rows per stored chunk (migrations/026-lake-results.ts): GetQueryResults' largest page */
const RESULT_CHUNK = 1_000;

const store = (r: Row<'lake_stores'>): LakeEventDataStore => ({
  id: r.id,
  accountId: r.account_id,
  region: r.region,
  name: r.name,
  arn: r.arn,
  settings: JSON.parse(r.settings),
  startSeq: Number(r.start_seq),
  createdAt: new Date(Number(r.created_at)),
  updatedAt: new Date(Number(r.updated_at)),
  ...(r.deleted_at === null ? {} : { deletedAt: new Date(Number(r.deleted_at)) }),
});

const QUERY_COLUMNS = [
  'id',
  'account_id',
  'region',
  'statement',
  'stores',
  'status',
  'created_at',
  'finished_at',
  'delivery_s3_uri',
  'delivery_status',
  'error_message',
  'stats',
] as const;

const query = (r: Pick<Row<'lake_queries'>, (typeof QUERY_COLUMNS)[number]>): LakeQuery => ({
  id: r.id,
  accountId: r.account_id,
  region: r.region,
  statement: r.statement,
  stores: JSON.parse(r.stores),
  status: r.status as LakeQueryStatus,
  createdAt: new Date(Number(r.created_at)),
  ...(r.finished_at === null ? {} : { finishedAt: new Date(Number(r.finished_at)) }),
  ...(r.delivery_s3_uri === null ? {} : { deliveryS3Uri: r.delivery_s3_uri }),
  ...(r.delivery_status === null ? {} : { deliveryStatus: r.delivery_status }),
  ...(r.error_message === null ? {} : { errorMessage: r.error_message }),
  ...(r.stats === null ? {} : { stats: JSON.parse(r.stats) as LakeQueryStats }),
});

const lakeImport = (r: Row<'lake_imports'>): LakeImport => ({
  id: r.id,
  accountId: r.account_id,
  region: r.region,
  destinations: JSON.parse(r.destinations),
  source: JSON.parse(r.source),
  ...(r.start_time === null ? {} : { startTime: new Date(Number(r.start_time)) }),
  ...(r.end_time === null ? {} : { endTime: new Date(Number(r.end_time)) }),
  status: r.status as LakeImportStatus,
  createdAt: new Date(Number(r.created_at)),
  updatedAt: new Date(Number(r.updated_at)),
  stats: JSON.parse(r.stats) as LakeImportStats,
  ...(r.last_key === null ? {} : { lastKey: r.last_key }),
});

export class KyselyLakeStore implements LakeStore {
  constructor(private readonly db: Kysely<DB>) {}

  async createStore(s: LakeEventDataStore): Promise<void> {
    await this.db
      .insertInto('lake_stores')
      .values({
        id: s.id,
        account_id: s.accountId,
        region: s.region,
        name: s.name,
        arn: s.arn,
        settings: JSON.stringify(s.settings),
        start_seq: s.startSeq,
        created_at: s.createdAt.getTime(),
        updated_at: s.updatedAt.getTime(),
        deleted_at: s.deletedAt ? s.deletedAt.getTime() : null,
      })
      .execute();
  }

  async getStore(id: string): Promise<LakeEventDataStore | undefined> {
    const r = await this.db.selectFrom('lake_stores').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? store(r) : undefined;
  }

  async listStores(accountId?: string): Promise<LakeEventDataStore[]> {
    let q = this.db.selectFrom('lake_stores').selectAll();
    if (accountId !== undefined) q = q.where('account_id', '=', accountId);
    return (await q.orderBy('created_at').orderBy('id').execute()).map(store);
  }

  async updateStore(id: string, patch: { name?: string; settings?: LakeEventDataStore['settings']; updatedAt?: Date; deletedAt?: Date | null }): Promise<void> {
    const set: Partial<Row<'lake_stores'>> = {};
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.settings !== undefined) set.settings = JSON.stringify(patch.settings);
    if (patch.updatedAt !== undefined) set.updated_at = patch.updatedAt.getTime();
    if (patch.deletedAt !== undefined) set.deleted_at = patch.deletedAt === null ? null : patch.deletedAt.getTime();
    if (!Object.keys(set).length) return;
    await this.db.updateTable('lake_stores').set(set).where('id', '=', id).execute();
  }

  async removeStore(id: string): Promise<void> {
    await this.db.deleteFrom('lake_events').where('store_id', '=', id).execute();
    await this.db.deleteFrom('lake_stores').where('id', '=', id).execute();
  }

  async appendEvents(rows: LakeEventRow[]): Promise<number> {
    let added = 0;
    // small chunks: SQLite's bound-parameter limit
    for (let i = 0; i < rows.length; i += 200) {
      const chunk = rows.slice(i, i + 200);
      const r = await this.db
        .insertInto('lake_events')
        .values(chunk.map((e) => ({ store_id: e.storeId, seq: e.seq, event_time: e.eventTime.getTime(), record: e.record })))
        .onConflict((oc) => oc.columns(['store_id', 'seq']).doNothing())
        .executeTakeFirst();
      added += Number(r.numInsertedOrUpdatedRows ?? 0);
    }
    return added;
  }

  async readEvents(storeId: string, range: LakeReadRange = {}): Promise<LakeReadRow[]> {
    const read = async (db: Kysely<DB>) => {
      let q = db.selectFrom('lake_events').select(['event_time', 'seq', 'record']).where('store_id', '=', storeId);
      if (range.start !== undefined) q = q.where('event_time', '>=', range.start);
      if (range.end !== undefined) q = q.where('event_time', '<=', range.end);
      const after = range.after;
      // keyset paging on the (store_id, event_time, seq) index (migrations/025-lake-scan.ts), a row-value comparison both databases answer from it
      const desc = range.descending === true;
      if (after) q = q.where((eb) => eb(eb.refTuple('event_time', 'seq'), desc ? '<' : '>', eb.tuple(after.eventTime, after.seq)));
      q = desc ? q.orderBy('event_time', 'desc').orderBy('seq', 'desc') : q.orderBy('event_time').orderBy('seq');
      if (range.limit !== undefined) q = q.limit(range.limit);
      return (await q.execute()).map((r) => ({ eventTime: Number(r.event_time), seq: Number(r.seq), record: r.record }));
    };
    // PostgreSQL, before ANALYZE has seen a freshly filled store, estimates a page's rows so low that
    // it sorts every row after the cursor rather than walk the index in order: reading a store becomes
    // quadratic. The page is read in a transaction that rules the sort out.
    if (range.limit !== undefined && !this.db.isTransaction && this.db.getExecutor().adapter instanceof PostgresAdapter) {
      return this.db.transaction().execute(async (trx) => {
        await sql`SET LOCAL enable_sort = off`.execute(trx);
        return read(trx);
      });
    }
    return read(this.db);
  }

  async renewQueryLease(id: string, owner: string, until: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('lake_queries')
      .set({ lease_until: until.getTime() })
      .where('id', '=', id)
      .where('status', '=', 'RUNNING')
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async countEvents(storeId: string): Promise<number> {
    const r = await this.db
      .selectFrom('lake_events')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('store_id', '=', storeId)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async purgeEvents(storeId: string, before: Date): Promise<number> {
    const r = await this.db.deleteFrom('lake_events').where('store_id', '=', storeId).where('event_time', '<', before.getTime()).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async createQuery(q: LakeQuery): Promise<void> {
    await this.db
      .insertInto('lake_queries')
      .values({
        id: q.id,
        account_id: q.accountId,
        region: q.region,
        statement: q.statement,
        stores: JSON.stringify(q.stores),
        status: q.status,
        created_at: q.createdAt.getTime(),
        finished_at: null,
        lease_owner: null,
        lease_until: null,
        delivery_s3_uri: q.deliveryS3Uri ?? null,
        delivery_status: q.deliveryStatus ?? null,
        error_message: q.errorMessage ?? null,
        stats: q.stats ? JSON.stringify(q.stats) : null,
        results: null,
      })
      .execute();
  }

  async getQuery(id: string): Promise<LakeQuery | undefined> {
    const r = await this.db.selectFrom('lake_queries').select(QUERY_COLUMNS).where('id', '=', id).executeTakeFirst();
    return r ? query(r) : undefined;
  }

  async listQueries(accountId: string): Promise<LakeQuery[]> {
    const rows = await this.db
      .selectFrom('lake_queries')
      .select(QUERY_COLUMNS)
      .where('account_id', '=', accountId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(query);
  }

  async countActiveQueries(accountId: string): Promise<number> {
    const r = await this.db
      .selectFrom('lake_queries')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('account_id', '=', accountId)
      .where('status', 'in', ['QUEUED', 'RUNNING'])
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async claimQuery(owner: string, now: Date, until: Date): Promise<LakeQuery | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const next = await this.db
        .selectFrom('lake_queries')
        .select(['id', 'status', 'lease_until'])
        .where((eb) => eb.or([eb('status', '=', 'QUEUED'), eb.and([eb('status', '=', 'RUNNING'), eb('lease_until', '<', now.getTime())])]))
        .orderBy('created_at')
        .orderBy('id')
        .executeTakeFirst();
      if (!next) return undefined;
      // compare-and-set on what was read: another node that took it first wins
      let upd = this.db
        .updateTable('lake_queries')
        .set({ status: 'RUNNING', lease_owner: owner, lease_until: until.getTime() })
        .where('id', '=', next.id)
        .where('status', '=', next.status);
      upd = next.lease_until === null ? upd.where('lease_until', 'is', null) : upd.where('lease_until', '=', next.lease_until);
      const r = await upd.executeTakeFirst();
      if (Number(r.numUpdatedRows) > 0) return this.getQuery(next.id);
    }
    return undefined;
  }

  async finishQuery(
    id: string,
    owner: string,
    end: { status: LakeQueryStatus; finishedAt: Date; stats?: LakeQueryStats; errorMessage?: string; results?: LakeResult; deliveryStatus?: string },
  ): Promise<boolean> {
    const write = async (db: Kysely<DB>): Promise<boolean> => {
      const result = end.results;
      const r = await db
        .updateTable('lake_queries')
        .set({
          status: end.status,
          finished_at: end.finishedAt.getTime(),
          lease_owner: null,
          lease_until: null,
          stats: end.stats ? JSON.stringify(end.stats) : null,
          error_message: end.errorMessage ?? null,
          results: result ? JSON.stringify({ columns: result.columns, total: result.rows.length }) : null,
          ...(end.deliveryStatus ? { delivery_status: end.deliveryStatus } : {}),
        })
        .where('id', '=', id)
        .where('status', '=', 'RUNNING')
        .where('lease_owner', '=', owner)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      if (result?.rows.length) {
        // a takeover's earlier run may have stored chunks it never finished with
        await db.deleteFrom('lake_query_results').where('query_id', '=', id).execute();
        const chunks = [];
        for (let c = 0; c * RESULT_CHUNK < result.rows.length; c++)
          chunks.push({ query_id: id, chunk: c, rows: JSON.stringify(result.rows.slice(c * RESULT_CHUNK, (c + 1) * RESULT_CHUNK)) });
        for (let i = 0; i < chunks.length; i += 100)
          await db
            .insertInto('lake_query_results')
            .values(chunks.slice(i, i + 100))
            .execute();
      }
      return true;
    };
    // the state and the rows in one transaction: a query is FINISHED with all its rows or not at all
    if (this.db.isTransaction || !end.results?.rows.length) return write(this.db);
    return this.db.transaction().execute((trx) => write(trx));
  }

  async setQueryStatus(id: string, from: LakeQueryStatus[], to: LakeQueryStatus, finishedAt: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('lake_queries')
      .set({ status: to, finished_at: finishedAt.getTime(), lease_owner: null, lease_until: null })
      .where('id', '=', id)
      .where('status', 'in', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async readResults(id: string, offset: number, limit: number): Promise<LakeResultPage | undefined> {
    const r = await this.db.selectFrom('lake_queries').select('results').where('id', '=', id).executeTakeFirst();
    if (!r?.results) return undefined;
    const head = JSON.parse(r.results) as { columns: string[]; total?: number; rows?: string[][] };
    // stored before migrations/026-lake-results.ts: the whole result in the row
    if (head.rows) return { columns: head.columns, total: head.rows.length, rows: head.rows.slice(offset, offset + limit) };
    const total = head.total ?? 0;
    const end = Math.min(total, offset + limit);
    if (offset >= end) return { columns: head.columns, total, rows: [] };
    const first = Math.floor(offset / RESULT_CHUNK);
    const last = Math.floor((end - 1) / RESULT_CHUNK);
    const chunks = await this.db
      .selectFrom('lake_query_results')
      .select(['chunk', 'rows'])
      .where('query_id', '=', id)
      .where('chunk', '>=', first)
      .where('chunk', '<=', last)
      .orderBy('chunk')
      .execute();
    const rows = chunks.flatMap((c) => JSON.parse(c.rows) as string[][]);
    return { columns: head.columns, total, rows: rows.slice(offset - first * RESULT_CHUNK, end - first * RESULT_CHUNK) };
  }

  async purgeQueries(before: Date): Promise<number> {
    const purge = async (db: Kysely<DB>): Promise<number> => {
      await db
        .deleteFrom('lake_query_results')
        .where('query_id', 'in', (eb) => eb.selectFrom('lake_queries').select('id').where('finished_at', '<', before.getTime()))
        .execute();
      const r = await db.deleteFrom('lake_queries').where('finished_at', '<', before.getTime()).executeTakeFirst();
      return Number(r.numDeletedRows);
    };
    return this.db.isTransaction ? purge(this.db) : this.db.transaction().execute((trx) => purge(trx));
  }

  async appendImported(storeId: string, rows: { eventTime: Date; record: string }[]): Promise<number> {
    if (!rows.length) return 0;
    const low = await this.db
      .selectFrom('lake_events')
      .select((eb) => eb.fn.min<number | string | null>('seq').as('low'))
      .where('store_id', '=', storeId)
      .executeTakeFirst();
    let next = Math.min(0, Number(low?.low ?? 0)) - 1;
    return this.appendEvents(rows.map((r) => ({ storeId, seq: next--, eventTime: r.eventTime, record: r.record })));
  }

  async createImport(i: LakeImport): Promise<void> {
    await this.db
      .insertInto('lake_imports')
      .values({
        id: i.id,
        account_id: i.accountId,
        region: i.region,
        destinations: JSON.stringify(i.destinations),
        source: JSON.stringify(i.source),
        start_time: i.startTime ? i.startTime.getTime() : null,
        end_time: i.endTime ? i.endTime.getTime() : null,
        status: i.status,
        created_at: i.createdAt.getTime(),
        updated_at: i.updatedAt.getTime(),
        stats: JSON.stringify(i.stats),
        last_key: i.lastKey ?? null,
        lease_owner: null,
        lease_until: null,
      })
      .execute();
  }

  async getImport(id: string): Promise<LakeImport | undefined> {
    const r = await this.db.selectFrom('lake_imports').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? lakeImport(r) : undefined;
  }

  async listImports(accountId: string): Promise<LakeImport[]> {
    const rows = await this.db
      .selectFrom('lake_imports')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(lakeImport);
  }

  async updateImport(id: string, patch: { status?: LakeImportStatus; stats?: LakeImportStats; lastKey?: string; updatedAt: Date }): Promise<void> {
    await this.db
      .updateTable('lake_imports')
      .set({
        updated_at: patch.updatedAt.getTime(),
        ...(patch.status ? { status: patch.status } : {}),
        ...(patch.stats ? { stats: JSON.stringify(patch.stats) } : {}),
        ...(patch.lastKey !== undefined ? { last_key: patch.lastKey } : {}),
        ...(patch.status && patch.status !== 'IN_PROGRESS' ? { lease_owner: null, lease_until: null } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  async claimImport(owner: string, now: Date, until: Date): Promise<LakeImport | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const next = await this.db
        .selectFrom('lake_imports')
        .select(['id', 'status', 'lease_until'])
        .where((eb) =>
          eb.or([
            eb('status', '=', 'INITIALIZING'),
            eb.and([eb('status', '=', 'IN_PROGRESS'), eb.or([eb('lease_until', '<', now.getTime()), eb('lease_owner', '=', owner)])]),
          ]),
        )
        .orderBy('created_at')
        .orderBy('id')
        .executeTakeFirst();
      if (!next) return undefined;
      let upd = this.db
        .updateTable('lake_imports')
        .set({ status: 'IN_PROGRESS', lease_owner: owner, lease_until: until.getTime() })
        .where('id', '=', next.id)
        .where('status', '=', next.status);
      upd = next.lease_until === null ? upd.where('lease_until', 'is', null) : upd.where('lease_until', '=', next.lease_until);
      if (Number((await upd.executeTakeFirst()).numUpdatedRows) > 0) return this.getImport(next.id);
    }
    return undefined;
  }
}
