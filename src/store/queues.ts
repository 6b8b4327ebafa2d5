/**
 * QueueStore over Kysely (contracts/queues.ts, docs/sqs.md#durability): queues, messages, FIFO
 * deduplication. Receives lock the rows they hand out; on PostgreSQL concurrent receivers skip each
 * other's rows (FOR UPDATE SKIP LOCKED) and FIFO receives on one queue are serialized by locking the
 * queue row, so no message goes to two receivers and a group's order holds. SQLite has one writer.
 */
import { PostgresAdapter, type Kysely, type Transaction } from 'kysely';
import type { DB, Row } from './schema.ts';
import type { NewMessage, Queue, QueueCounts, QueueStore, StoredMessage } from './types.ts';

type Db = Kysely<DB> | Transaction<DB>;

const isPg = (db: Db) => db.getExecutor().adapter instanceof PostgresAdapter;

function queueOf(r: Row<'sqs_queues'>): Queue {
  return {
    accountId: r.account_id,
    name: r.name,
    arn: r.arn,
    fifo: Number(r.fifo) === 1,
    attributes: JSON.parse(r.attributes) as Record<string, string>,
    tags: JSON.parse(r.tags) as Record<string, string>,
    createdAt: new Date(Number(r.created_at)),
    modifiedAt: new Date(Number(r.modified_at)),
  };
}

function messageOf(r: Row<'sqs_messages'>): StoredMessage {
  return {
    seq: Number(r.seq),
    messageId: r.message_id,
    body: r.body,
    ...(r.message_attributes !== null ? { messageAttributes: r.message_attributes } : {}),
    systemAttributes: r.system_attributes,
    md5OfBody: r.md5_body,
    ...(r.md5_attributes !== null ? { md5OfMessageAttributes: r.md5_attributes } : {}),
    ...(r.md5_system !== null ? { md5OfMessageSystemAttributes: r.md5_system } : {}),
    sentAt: new Date(Number(r.sent_at)),
    visibleAt: new Date(Number(r.visible_at)),
    receiveCount: Number(r.receive_count),
    ...(r.first_received_at !== null ? { firstReceivedAt: new Date(Number(r.first_received_at)) } : {}),
    ...(r.receipt !== null ? { receipt: r.receipt } : {}),
    ...(r.group_id !== null ? { groupId: r.group_id } : {}),
    ...(r.dedup_id !== null ? { deduplicationId: r.dedup_id } : {}),
  };
}

export class KyselyQueueStore implements QueueStore {
  constructor(private readonly db: Db) {}

  async createQueue(q: Queue): Promise<boolean> {
    const r = await this.db
      .insertInto('sqs_queues')
      .values({
        account_id: q.accountId,
        name: q.name,
        arn: q.arn,
        fifo: q.fifo ? 1 : 0,
        attributes: JSON.stringify(q.attributes),
        tags: JSON.stringify(q.tags),
        created_at: q.createdAt.getTime(),
        modified_at: q.modifiedAt.getTime(),
      })
      .onConflict((oc) => oc.columns(['account_id', 'name']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async getQueue(accountId: string, name: string): Promise<Queue | undefined> {
    const r = await this.db.selectFrom('sqs_queues').selectAll().where('account_id', '=', accountId).where('name', '=', name).executeTakeFirst();
    return r && queueOf(r);
  }

  async listQueues(accountId: string, opts: { prefix?: string; after?: string; limit: number }): Promise<Queue[]> {
    let q = this.db.selectFrom('sqs_queues').selectAll().where('account_id', '=', accountId);
    // a prefix is a range of names (no LIKE: `_` and `%` are legal in queue names)
    if (opts.prefix) q = q.where('name', '>=', opts.prefix).where('name', '<', `${opts.prefix}\u{10ffff}`);
    if (opts.after !== undefined) q = q.where('name', '>', opts.after);
    const rows = await q.orderBy('name').limit(opts.limit).execute();
    return rows.map(queueOf).filter((x) => !opts.prefix || x.name.startsWith(opts.prefix));
  }

  async updateQueue(
    accountId: string,
    name: string,
    patch: { attributes?: Record<string, string>; tags?: Record<string, string>; modifiedAt: Date },
  ): Promise<void> {
    await this.db
      .updateTable('sqs_queues')
      .set({
        ...(patch.attributes ? { attributes: JSON.stringify(patch.attributes) } : {}),
        ...(patch.tags ? { tags: JSON.stringify(patch.tags) } : {}),
        modified_at: patch.modifiedAt.getTime(),
      })
      .where('account_id', '=', accountId)
      .where('name', '=', name)
      .execute();
  }

  async deleteQueue(accountId: string, name: string, at: Date): Promise<void> {
    await this.db.deleteFrom('sqs_queues').where('account_id', '=', accountId).where('name', '=', name).execute();
    await this.db.deleteFrom('sqs_messages').where('account_id', '=', accountId).where('queue_name', '=', name).execute();
    await this.db.deleteFrom('sqs_dedup').where('account_id', '=', accountId).where('queue_name', '=', name).execute();
    await this.db
      .insertInto('sqs_deleted_queues')
      .values({ account_id: accountId, name, deleted_at: at.getTime() })
      .onConflict((oc) => oc.columns(['account_id', 'name']).doUpdateSet({ deleted_at: at.getTime() }))
      .execute();
  }

  async deletedAt(accountId: string, name: string): Promise<Date | undefined> {
    const r = await this.db
      .selectFrom('sqs_deleted_queues')
      .select('deleted_at')
      .where('account_id', '=', accountId)
      .where('name', '=', name)
      .executeTakeFirst();
    return r ? new Date(Number(r.deleted_at)) : undefined;
  }

  async purge(accountId: string, name: string): Promise<number> {
    const r = await this.db.deleteFrom('sqs_messages').where('account_id', '=', accountId).where('queue_name', '=', name).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async expire(accountId: string, name: string, cutoff: Date): Promise<number> {
    const r = await this.db
      .deleteFrom('sqs_messages')
      .where('account_id', '=', accountId)
      .where('queue_name', '=', name)
      .where('sent_at', '<', cutoff.getTime())
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async addMessage(accountId: string, queueName: string, m: NewMessage): Promise<number> {
    const r = await this.db
      .insertInto('sqs_messages')
      .values({
        account_id: accountId,
        queue_name: queueName,
        message_id: m.messageId,
        body: m.body,
        message_attributes: m.messageAttributes ?? null,
        system_attributes: m.systemAttributes,
        md5_body: m.md5OfBody,
        md5_attributes: m.md5OfMessageAttributes ?? null,
        md5_system: m.md5OfMessageSystemAttributes ?? null,
        sent_at: m.sentAt.getTime(),
        visible_at: m.visibleAt.getTime(),
        first_received_at: null,
        receipt: null,
        group_id: m.groupId ?? null,
        dedup_id: m.deduplicationId ?? null,
      })
      .returning('seq')
      .executeTakeFirstOrThrow();
    return Number(r.seq);
  }

  async deduplicate(
    accountId: string,
    queueName: string,
    key: string,
    now: Date,
    entry: { messageId: string; seq: number; expiresAt: Date },
  ): Promise<{ messageId: string; seq: number } | undefined> {
    const values = { message_id: entry.messageId, seq: entry.seq, expires_at: entry.expiresAt.getTime() };
    // the insert decides between concurrent senders: on PostgreSQL a second insert of the key waits
    // for the first transaction and then conflicts, so exactly one message keeps the id
    const inserted = await this.db
      .insertInto('sqs_dedup')
      .values({ account_id: accountId, queue_name: queueName, dedup_key: key, ...values })
      .onConflict((oc) => oc.columns(['account_id', 'queue_name', 'dedup_key']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) {
      // expired ids of this queue go as new ones arrive
      await this.db
        .deleteFrom('sqs_dedup')
        .where('account_id', '=', accountId)
        .where('queue_name', '=', queueName)
        .where('expires_at', '<=', now.getTime())
        .execute();
      return undefined;
    }
    const renewed = await this.db
      .updateTable('sqs_dedup')
      .set(values)
      .where('account_id', '=', accountId)
      .where('queue_name', '=', queueName)
      .where('dedup_key', '=', key)
      .where('expires_at', '<=', now.getTime())
      .executeTakeFirst();
    if (Number(renewed.numUpdatedRows) > 0) return undefined;
    const existing = await this.db
      .selectFrom('sqs_dedup')
      .select(['message_id', 'seq'])
      .where('account_id', '=', accountId)
      .where('queue_name', '=', queueName)
      .where('dedup_key', '=', key)
      .executeTakeFirst();
    return existing ? { messageId: existing.message_id, seq: Number(existing.seq) } : undefined;
  }

  async getMessage(accountId: string, queueName: string, seq: number): Promise<StoredMessage | undefined> {
    const r = await this.db
      .selectFrom('sqs_messages')
      .selectAll()
      .where('seq', '=', seq)
      .where('account_id', '=', accountId)
      .where('queue_name', '=', queueName)
      .$if(isPg(this.db), (q) => q.forUpdate())
      .executeTakeFirst();
    return r && messageOf(r);
  }

  async claim(accountId: string, queueName: string, opts: { now: Date; max: number; fifo: boolean }): Promise<StoredMessage[]> {
    const pg = isPg(this.db);
    const now = opts.now.getTime();
    if (opts.fifo) {
      if (pg) await this.db.selectFrom('sqs_queues').select('name').where('account_id', '=', accountId).where('name', '=', queueName).forUpdate().execute();
      const rows = await this.db
        .selectFrom('sqs_messages as m')
        .selectAll()
        .where('m.account_id', '=', accountId)
        .where('m.queue_name', '=', queueName)
        .where('m.visible_at', '<=', now)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('sqs_messages as e')
                .select('e.seq')
                .whereRef('e.account_id', '=', 'm.account_id')
                .whereRef('e.queue_name', '=', 'm.queue_name')
                .whereRef('e.group_id', '=', 'm.group_id')
                .whereRef('e.seq', '<', 'm.seq')
                .where('e.visible_at', '>', now),
            ),
          ),
        )
        .orderBy('m.seq')
        .limit(opts.max)
        .execute();
      return rows.map(messageOf);
    }
    const rows = await this.db
      .selectFrom('sqs_messages')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('queue_name', '=', queueName)
      .where('visible_at', '<=', now)
      .orderBy('visible_at')
      .orderBy('seq')
      .limit(opts.max)
      .$if(pg, (q) => q.forUpdate().skipLocked())
      .execute();
    return rows.map(messageOf);
  }

  async markReceived(seq: number, receipt: string, now: Date, visibleAt: Date): Promise<void> {
    await this.db
      .updateTable('sqs_messages')
      .set((eb) => ({
        receipt,
        visible_at: visibleAt.getTime(),
        receive_count: eb('receive_count', '+', 1),
        first_received_at: eb.fn.coalesce('first_received_at', eb.val(now.getTime())),
      }))
      .where('seq', '=', seq)
      .execute();
  }

  async setVisibleAt(seq: number, visibleAt: Date): Promise<void> {
    await this.db.updateTable('sqs_messages').set({ visible_at: visibleAt.getTime() }).where('seq', '=', seq).execute();
  }

  async deleteMessage(seq: number): Promise<void> {
    await this.db.deleteFrom('sqs_messages').where('seq', '=', seq).execute();
  }

  async moveMessage(seq: number, toAccountId: string, toQueueName: string, now: Date): Promise<void> {
    await this.db
      .updateTable('sqs_messages')
      .set({ account_id: toAccountId, queue_name: toQueueName, visible_at: now.getTime(), receipt: null })
      .where('seq', '=', seq)
      .execute();
  }

  async counts(accountId: string, queueName: string, now: Date): Promise<QueueCounts> {
    const t = now.getTime();
    const rows = await this.db
      .selectFrom('sqs_messages')
      .select((eb) => [
        eb.fn.countAll<number>().as('total'),
        eb.fn.sum<number>(eb.case().when('visible_at', '<=', t).then(1).else(0).end()).as('visible'),
        eb.fn
          .sum<number>(
            eb
              .case()
              .when(eb.and([eb('visible_at', '>', t), eb('receipt', 'is not', null)]))
              .then(1)
              .else(0)
              .end(),
          )
          .as('in_flight'),
      ])
      .where('account_id', '=', accountId)
      .where('queue_name', '=', queueName)
      .executeTakeFirst();
    const total = Number(rows?.total ?? 0);
    const visible = Number(rows?.visible ?? 0);
    const inFlight = Number(rows?.in_flight ?? 0);
    return { visible, inFlight, delayed: total - visible - inFlight };
  }
}
