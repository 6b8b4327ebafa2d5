/**
 * CloudTrail on the bus (docs/eventbridge-delivery.md#cloudtrail-on-the-bus): the record-stream
 * consumer `events:cloudtrail` turns each committed record into an event on its account's default
 * bus in the record's Region (global services' records carry us-east-1, so they reach us-east-1's
 * bus), in the transaction that advances the consumer's cursor: each record reaches each matching
 * rule's targets exactly once (delivery/record-consumer.ts).
 *
 * Which records: every management event (AWS sends them to EventBridge without a trail; read-only
 * ones reach ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS rules only,
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail-management.html);
 * data events only while a logging trail selects them ("When using CloudTrail with Amazon S3, you need
 * to configure CloudTrail to log data events",
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html).
 */
import { consumeRecords } from '../delivery/record-consumer.ts';
import { inScope } from '../delivery/scope.ts';
import { cloudTrailEvent } from '../services/events/envelope.ts';
import { type DispatchEnv, dispatchEvents, type IncomingEvent } from '../services/events/dispatch.ts';
import type { Store, Trail, TrailEvent } from '../store/types.ts';

export const CLOUDTRAIL_CONSUMER = 'events:cloudtrail';

/** Creates the consumer at the stream's current end unless it exists: only calls from then on go on the bus (as StartLogging's session starts). */
export async function ensureCloudTrailConsumer(store: Store, now: Date): Promise<void> {
  if (await store.recordConsumers.get(CLOUDTRAIL_CONSUMER)) return;
  await store.recordConsumers.ensure(CLOUDTRAIL_CONSUMER, await store.trails.eventHorizon(now), now);
}

/** One round of the consumer: returns whether more records are waiting. */
export async function busCloudTrailRecords(store: Store, owner: string, env: DispatchEnv): Promise<{ consumed: number; more: boolean }> {
  return consumeRecords(store, { name: CLOUDTRAIL_CONSUMER, owner, now: env.now }, async (tx, records) => {
    let logging: Trail[] | undefined;
    const byBus = new Map<string, { bus: { accountId: string; region: string; name: string }; events: IncomingEvent[] }>();
    for (const r of records) {
      const e = cloudTrailEvent(r.json, env.ids.uuid());
      if (!e) continue;
      if (e.data) {
        logging ??= (await tx.trails.listTrails()).filter((t) => t.status.isLogging);
        if (!selectedByTrail(logging, r)) continue;
      }
      const key = `${e.accountId}\u0000${e.region}`;
      let group = byBus.get(key);
      if (!group) {
        group = { bus: { accountId: e.accountId, region: e.region, name: 'default' }, events: [] };
        byBus.set(key, group);
      }
      group.events.push({ event: e.event, json: e.json, cloudTrailReadOnly: e.cloudTrailReadOnly });
    }
    for (const { bus, events } of byBus.values()) await dispatchEvents(tx, bus, events, env);
  });
}

function selectedByTrail(trails: Trail[], r: TrailEvent): boolean {
  return trails.some((t) =>
    inScope(
      { homeRegion: t.homeRegion, isMultiRegionTrail: t.isMultiRegionTrail, includeGlobalServiceEvents: t.includeGlobalServiceEvents, selectors: t.selectors },
      r,
    ),
  );
}
