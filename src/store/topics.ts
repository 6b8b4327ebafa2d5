/**
 * TopicStore over Kysely (docs/sns.md): topics, subscriptions, the HTTP/S delivery outbox and the
 * message-signing key (private half sealed with the SecretBox). Attributes and tags are JSON text.
 * Deliveries are claimed with a row lease: the claiming UPDATE re-checks the lease on every row it
 * takes, so on PostgreSQL two nodes claiming at once never both get a row (the second UPDATE
 * re-evaluates its condition on the row the first changed), and on SQLite writers are serial.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB, Row } from './schema.ts';
import type { SecretBox } from './secret-box.ts';
import type { SnsDelivery, SnsSigningKey, Subscription, Tag, Topic, TopicPage, TopicStore } from './types.ts';
import { claimDue } from './outbox.ts';

type Db = Kysely<DB> | Transaction<DB>;

function topicOf(r: Row<'sns_topics'>): Topic {
  return {
    arn: r.arn,
    accountId: r.account_id,
    region: r.region,
    name: r.name,
    attributes: JSON.parse(r.attributes) as Record<string, string>,
    tags: JSON.parse(r.tags) as Tag[],
    createdAt: new Date(Number(r.created_at)),
  };
}

function subscriptionOf(r: Row<'sns_subscriptions'>): Subscription {
  return {
    arn: r.arn,
    topicArn: r.topic_arn,
    accountId: r.account_id,
    owner: r.owner,
    protocol: r.protocol,
    endpoint: r.endpoint,
    confirmed: r.confirmed === 1,
    ...(r.token !== null ? { token: r.token } : {}),
    attributes: JSON.parse(r.attributes) as Record<string, string>,
    createdAt: new Date(Number(r.created_at)),
  };
}

function deliveryOf(r: Row<'sns_deliveries'>): SnsDelivery {
  return {
    id: Number(r.id),
    subscriptionArn: r.subscription_arn,
    topicArn: r.topic_arn,
    endpoint: r.endpoint,
    messageType: r.message_type,
    messageId: r.message_id,
    body: r.body,
    raw: r.raw === 1,
    attempts: Number(r.attempts),
    nextAttemptAt: new Date(Number(r.next_attempt_at)),
    createdAt: new Date(Number(r.created_at)),
  };
}

function page<T extends { arn: string }>(rows: T[], limit: number): TopicPage<T> {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  return { items, next: items[items.length - 1]!.arn };
}

/** Subscription ARNs start with their topic's ARN and a colon. */
const topicPrefix = (topicArn: string) => `${topicArn}:`;

export class KyselyTopicStore implements TopicStore {
  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
  ) {}

  async createTopic(t: Topic): Promise<boolean> {
    const r = await this.db
      .insertInto('sns_topics')
      .values({
        arn: t.arn,
        account_id: t.accountId,
        region: t.region,
        name: t.name,
        attributes: JSON.stringify(t.attributes),
        tags: JSON.stringify(t.tags),
        created_at: t.createdAt.getTime(),
      })
      .onConflict((oc) => oc.column('arn').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async getTopic(arn: string): Promise<Topic | undefined> {
    const r = await this.db.selectFrom('sns_topics').selectAll().where('arn', '=', arn).executeTakeFirst();
    return r && topicOf(r);
  }

  async listTopics(accountId: string, region: string, after: string | undefined, limit: number): Promise<TopicPage<Topic>> {
    let q = this.db.selectFrom('sns_topics').selectAll().where('account_id', '=', accountId).where('region', '=', region);
    if (after !== undefined) q = q.where('arn', '>', after);
    return page(
      (
        await q
          .orderBy('arn')
          .limit(limit + 1)
          .execute()
      ).map(topicOf),
      limit,
    );
  }

  async countTopics(accountId: string, region: string): Promise<number> {
    const r = await this.db
      .selectFrom('sns_topics')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async updateTopic(arn: string, patch: { attributes?: Record<string, string>; tags?: Tag[] }): Promise<void> {
    const set: { attributes?: string; tags?: string } = {};
    if (patch.attributes) set.attributes = JSON.stringify(patch.attributes);
    if (patch.tags) set.tags = JSON.stringify(patch.tags);
    if (!Object.keys(set).length) return;
    await this.db.updateTable('sns_topics').set(set).where('arn', '=', arn).execute();
  }

  async deleteTopic(arn: string): Promise<void> {
    await this.db.deleteFrom('sns_deliveries').where('topic_arn', '=', arn).execute();
    await this.db.deleteFrom('sns_subscriptions').where('topic_arn', '=', arn).execute();
    await this.db.deleteFrom('sns_topics').where('arn', '=', arn).execute();
  }

  async putSubscription(s: Subscription): Promise<void> {
    const region = s.topicArn.split(':')[3] ?? '';
    await this.db
      .insertInto('sns_subscriptions')
      .values({
        arn: s.arn,
        topic_arn: s.topicArn,
        account_id: s.accountId,
        region,
        owner: s.owner,
        protocol: s.protocol,
        endpoint: s.endpoint,
        confirmed: s.confirmed ? 1 : 0,
        token: s.token ?? null,
        attributes: JSON.stringify(s.attributes),
        created_at: s.createdAt.getTime(),
      })
      .execute();
  }

  async getSubscription(arn: string): Promise<Subscription | undefined> {
    const r = await this.db.selectFrom('sns_subscriptions').selectAll().where('arn', '=', arn).executeTakeFirst();
    return r && subscriptionOf(r);
  }

  async listSubscriptions(
    q: { accountId: string; region: string; topicArn?: string },
    after: string | undefined,
    limit: number,
  ): Promise<TopicPage<Subscription>> {
    let s = this.db.selectFrom('sns_subscriptions').selectAll();
    s = q.topicArn !== undefined ? s.where('topic_arn', '=', q.topicArn) : s.where('account_id', '=', q.accountId).where('region', '=', q.region);
    if (after !== undefined) s = s.where('arn', '>', after);
    return page(
      (
        await s
          .orderBy('arn')
          .limit(limit + 1)
          .execute()
      ).map(subscriptionOf),
      limit,
    );
  }

  async updateSubscription(arn: string, patch: { confirmed?: boolean; token?: string | null; attributes?: Record<string, string> }): Promise<void> {
    const set: { confirmed?: number; token?: string | null; attributes?: string } = {};
    if (patch.confirmed !== undefined) set.confirmed = patch.confirmed ? 1 : 0;
    if (patch.token !== undefined) set.token = patch.token;
    if (patch.attributes) set.attributes = JSON.stringify(patch.attributes);
    if (!Object.keys(set).length) return;
    await this.db.updateTable('sns_subscriptions').set(set).where('arn', '=', arn).execute();
  }

  async deleteSubscription(arn: string): Promise<void> {
    await this.db.deleteFrom('sns_deliveries').where('subscription_arn', '=', arn).execute();
    await this.db.deleteFrom('sns_subscriptions').where('arn', '=', arn).execute();
  }

  async enqueueDeliveries(rows: SnsDelivery[]): Promise<void> {
    if (!rows.length) return;
    await this.db
      .insertInto('sns_deliveries')
      .values(
        rows.map((d) => ({
          subscription_arn: d.subscriptionArn,
          topic_arn: d.topicArn,
          endpoint: d.endpoint,
          message_type: d.messageType,
          message_id: d.messageId,
          body: d.body,
          raw: d.raw ? 1 : 0,
          attempts: d.attempts,
          next_attempt_at: d.nextAttemptAt.getTime(),
          lease_owner: null,
          lease_until: null,
          created_at: d.createdAt.getTime(),
        })),
      )
      .execute();
  }

  async claimDeliveries(owner: string, now: Date, leaseUntil: Date, limit: number): Promise<SnsDelivery[]> {
    return (await claimDue(this.db, 'sns_deliveries', owner, now, leaseUntil, limit)).map(deliveryOf);
  }

  async finishDelivery(id: number): Promise<void> {
    await this.db.deleteFrom('sns_deliveries').where('id', '=', id).execute();
  }

  async retryDelivery(id: number, attempts: number, nextAttemptAt: Date): Promise<void> {
    await this.db
      .updateTable('sns_deliveries')
      .set({ attempts, next_attempt_at: nextAttemptAt.getTime(), lease_owner: null, lease_until: null })
      .where('id', '=', id)
      .execute();
  }

  async pendingDeliveries(): Promise<number> {
    const r = await this.db
      .selectFrom('sns_deliveries')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async peekDeliveries(limit: number): Promise<(SnsDelivery & { leased: boolean })[]> {
    const rows = await this.db.selectFrom('sns_deliveries').selectAll().orderBy('id').limit(limit).execute();
    return rows.map((r) => ({ ...deliveryOf(r), leased: r.lease_until !== null }));
  }

  async getSigningKey(): Promise<SnsSigningKey | undefined> {
    const r = await this.db.selectFrom('sns_signing_keys').selectAll().where('slot', '=', 1).executeTakeFirst();
    return r && { id: r.id, privateKeyPem: this.box.open(r.private_key), certificatePem: r.certificate, createdAt: new Date(Number(r.created_at)) };
  }

  async putSigningKey(k: SnsSigningKey): Promise<SnsSigningKey> {
    await this.db
      .insertInto('sns_signing_keys')
      .values({ slot: 1, id: k.id, private_key: this.box.seal(k.privateKeyPem), certificate: k.certificatePem, created_at: k.createdAt.getTime() })
      .onConflict((oc) => oc.column('slot').doNothing())
      .execute();
    return (await this.getSigningKey())!;
  }
}

export { topicPrefix };
