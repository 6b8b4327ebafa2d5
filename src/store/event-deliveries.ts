/**
 * EventDeliveryStore over Kysely (docs/eventbridge-delivery.md#exactly-once): the retried target
 * deliveries and the schedules' last fire times. Deliveries are claimed with a row lease, as SNS's
 * outbox is (store/topics.ts): the claiming UPDATE re-checks the lease on every row it takes, so two
 * nodes claiming at once never both get a row. `retry` and `finish` check the owner, so a node whose
 * lease lapsed cannot finish a row another node has taken over. A fire time moves by compare-and-set.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB, Row } from './schema.ts';
import type { EventDelivery, EventDeliveryStore, NewEventDelivery } from './contracts/event-deliveries.ts';
import { claimDue } from './outbox.ts';

type Db = Kysely<DB> | Transaction<DB>;

function deliveryOf(r: Row<'event_deliveries'>): EventDelivery {
  return {
    id: Number(r.id),
    accountId: r.account_id,
    region: r.region,
    ruleArn: r.rule_arn,
    targetId: r.target_id,
    targetArn: r.target_arn,
    eventId: r.event_id,
    eventTime: new Date(Number(r.event_time)),
    body: r.body,
    target: r.target,
    attempts: Number(r.attempts),
    nextAttemptAt: new Date(Number(r.next_attempt_at)),
    ...(r.last_error_code !== null ? { lastErrorCode: r.last_error_code } : {}),
    ...(r.last_error_message !== null ? { lastErrorMessage: r.last_error_message } : {}),
    createdAt: new Date(Number(r.created_at)),
  };
}

export class KyselyEventDeliveryStore implements EventDeliveryStore {
  constructor(private readonly db: Db) {}

  async add(rows: NewEventDelivery[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db
      .insertInto('event_deliveries')
      .values(
        rows.map((d) => ({
          account_id: d.accountId,
          region: d.region,
          rule_arn: d.ruleArn,
          target_id: d.targetId,
          target_arn: d.targetArn,
          event_id: d.eventId,
          event_time: d.eventTime.getTime(),
          body: d.body,
          target: d.target,
          attempts: d.attempts,
          next_attempt_at: d.nextAttemptAt.getTime(),
          last_error_code: d.lastErrorCode ?? null,
          last_error_message: d.lastErrorMessage ?? null,
          lease_owner: null,
          lease_until: null,
          created_at: d.createdAt.getTime(),
        })),
      )
      .execute();
  }

  async claim(owner: string, now: Date, leaseUntil: Date, limit: number): Promise<EventDelivery[]> {
    return (await claimDue(this.db, 'event_deliveries', owner, now, leaseUntil, limit)).map(deliveryOf);
  }

  async retry(id: number, owner: string, attempts: number, nextAttemptAt: Date, errorCode: string, errorMessage: string): Promise<boolean> {
    const r = await this.db
      .updateTable('event_deliveries')
      .set({
        attempts,
        next_attempt_at: nextAttemptAt.getTime(),
        last_error_code: errorCode,
        last_error_message: errorMessage,
        lease_owner: null,
        lease_until: null,
      })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async finish(id: number, owner: string): Promise<boolean> {
    const r = await this.db.deleteFrom('event_deliveries').where('id', '=', id).where('lease_owner', '=', owner).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  async list(): Promise<EventDelivery[]> {
    return (await this.db.selectFrom('event_deliveries').selectAll().orderBy('id').execute()).map(deliveryOf);
  }

  async nextDue(): Promise<Date | undefined> {
    const r = await this.db
      .selectFrom('event_deliveries')
      .select((eb) => eb.fn.min('next_attempt_at').as('t'))
      .executeTakeFirst();
    return r?.t === null || r?.t === undefined ? undefined : new Date(Number(r.t));
  }

  async lastFire(ruleArn: string): Promise<Date | undefined> {
    const r = await this.db.selectFrom('event_schedules').select('last_fire_at').where('rule_arn', '=', ruleArn).executeTakeFirst();
    return r ? new Date(Number(r.last_fire_at)) : undefined;
  }

  async advanceFire(ruleArn: string, accountId: string, region: string, from: Date | undefined, to: Date): Promise<boolean> {
    if (from === undefined) {
      const r = await this.db
        .insertInto('event_schedules')
        .values({ rule_arn: ruleArn, account_id: accountId, region, last_fire_at: to.getTime() })
        .onConflict((oc) => oc.column('rule_arn').doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
    }
    const r = await this.db
      .updateTable('event_schedules')
      .set({ last_fire_at: to.getTime() })
      .where('rule_arn', '=', ruleArn)
      .where('last_fire_at', '=', from.getTime())
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async forgetFires(ruleArns: string[]): Promise<void> {
    if (ruleArns.length === 0) return;
    await this.db.deleteFrom('event_schedules').where('rule_arn', 'in', ruleArns).execute();
  }

  async firedRules(): Promise<string[]> {
    return (await this.db.selectFrom('event_schedules').select('rule_arn').orderBy('rule_arn').execute()).map((r) => r.rule_arn);
  }
}
