/**
 * S3 event notifications (docs/notifications.md; https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventNotifications.html):
 * Put/GetBucketNotificationConfiguration, and `announce`, which hands an object event to every
 * matching queue and topic inside the caller's store transaction — an S3 call's, or trail
 * delivery's commit — so the messages commit with the call (and its record) or not at all.
 * Destinations are checked when the configuration is set (they must exist and their policy must let
 * s3.amazonaws.com send, with aws:SourceArn the bucket); an event whose destination has since gone
 * away or stopped allowing S3 is dropped, as S3 drops it.
 */
import type { Destinations } from '../../delivery/destinations.ts';
import type { Ids } from '../../ids.ts';
import type { ObjectStore } from '../../objects/index.ts';
import { hostId } from '../../protocol/rest-xml/index.ts';
import type { Store } from '../../store/types.ts';
import type { Config, OperationContext, OperationDefs } from '../types.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import { bucketArn, bucketResources, target } from './access.ts';
import { noSuchBucket } from './errors.ts';
import { checkConfiguration, configurationOutput, unvalidated } from './notifications-config.ts';
import { eventMessage, principalIdOf, ruleMatches, S3_SUBJECT, testEventMessage, type ObjectEvent, type ObjectEventName } from './notifications-events.ts';

export const S3_PRINCIPAL = 's3.amazonaws.com';
/** SenderId of S3's messages in SQS: a stable stand-in for the AWS-owned identity S3 sends with. */
export const S3_SENDER_ID = 'AIDAS3NOTIFICATIONS00';

export interface Announcing {
  store: Store;
  destinations: Destinations;
  ids: Ids;
  config: Config;
}

/** Sends one message to a rule's destination; false when it could not be delivered (missing, or its policy no longer allows S3). */
async function send(a: Announcing, kind: 'queue' | 'topic', arn: string, body: string, bucket: string, accountId: string, now: Date): Promise<boolean> {
  const source = { servicePrincipal: S3_PRINCIPAL, sourceArn: bucketArn(bucket), sourceAccount: accountId };
  const r =
    kind === 'queue'
      ? await a.destinations.deliverServiceMessage(a.store, { queueArn: arn, body, senderId: S3_SENDER_ID, ...source }, now, a.ids)
      : await a.destinations.publishFromService(a.store, { topicArn: arn, message: body, subject: S3_SUBJECT, ...source }, now, a.ids, a.config);
  return r.ok;
}

/** Hands the event to every matching rule of the bucket's configuration; returns how many messages were sent. */
export async function announce(a: Announcing, e: ObjectEvent): Promise<number> {
  const config = await a.store.bucketNotifications.get(e.accountId, e.bucket);
  const rules = config?.rules.filter((r) => ruleMatches(r, e.eventName, e.key)) ?? [];
  if (!rules.length) return 0;
  const sequence = (await a.store.bucketNotifications.nextSequence(e.accountId, e.bucket)) ?? 0;
  let sent = 0;
  for (const r of rules) if (await send(a, r.kind, r.arn, eventMessage(e, r.id, sequence), e.bucket, e.accountId, e.time)) sent++;
  return sent;
}

/** An S3 call's object events (PutObject, CopyObject, CompleteMultipartUpload, DeleteObject, DeleteObjects), from its context. */
export async function announceCall(
  objects: ObjectStore,
  destinations: Destinations,
  ctx: OperationContext,
  eventName: ObjectEventName,
  bucket: string,
  objectsChanged: { key: string; size?: number; eTag?: string }[],
): Promise<void> {
  if (!objectsChanged.length) return;
  const info = await objects.getBucket(bucket);
  // the bucket's configuration is its owner's, whoever calls (docs/accounts.md#cross-account-access)
  const owner = info?.owner ?? ctx.config.accountId;
  if (!(await ctx.store.bucketNotifications.get(owner, bucket))) return;
  const region = info?.region ?? ctx.region;
  const a: Announcing = { store: ctx.store, destinations, ids: ctx.ids, config: ctx.config };
  for (const o of objectsChanged) {
    await announce(a, {
      eventName,
      bucket,
      region,
      accountId: owner,
      key: o.key,
      ...(o.size !== undefined ? { size: o.size } : {}),
      ...(o.eTag !== undefined ? { eTag: o.eTag.replace(/"/g, '') } : {}),
      time: ctx.now,
      principalId: principalIdOf(ctx.principal),
      sourceIp: ctx.sourceIp,
      requestId: ctx.requestId,
      hostId: hostId(ctx.requestId),
    });
  }
}

const REASONS = {
  queue: {
    'no-such-queue': 'The destination queue does not exist',
    denied: 'Permissions on the destination queue do not allow S3 to publish notifications from this bucket',
  },
  topic: {
    'no-such-topic': 'The destination topic does not exist',
    denied: 'Permissions on the destination topic do not allow S3 to publish notifications from this bucket',
  },
} as const;

export function notificationOperations(
  objects: ObjectStore,
  destinations: Destinations,
): OperationDefs<Ops, 'PutBucketNotificationConfiguration' | 'GetBucketNotificationConfiguration'> {
  return {
    PutBucketNotificationConfiguration: {
      // CloudTrail records S3's *Configuration calls by their older names (PutBucketLifecycle, PutBucketNotification; docs/notifications.md)
      eventName: 'PutBucketNotification',
      readOnly: false,
      authorize: target(objects, 's3:PutBucketNotification'),
      async handler(input, ctx): Promise<Output<'PutBucketNotificationConfiguration'>> {
        const bucket = await objects.getBucket(input.Bucket);
        if (!bucket) throw noSuchBucket(input.Bucket);
        const config = checkConfiguration(input.NotificationConfiguration, {
          region: bucket.region,
          newId: () => Buffer.from(ctx.ids.uuid()).toString('base64'),
        });
        const source = [S3_PRINCIPAL, bucketArn(input.Bucket), ctx.accountId] as const;
        const validate = input.SkipDestinationValidation !== true;
        if (validate) {
          const failures: { name: string; reason: string }[] = [];
          for (const r of config.rules) {
            const verdict =
              r.kind === 'queue'
                ? await destinations.queueAllowsService(ctx.store, r.arn, ...source)
                : await destinations.topicAllowsService(ctx.store, r.arn, ...source);
            if (verdict !== 'allowed') failures.push({ name: r.arn, reason: (REASONS[r.kind] as Record<string, string>)[verdict]! });
          }
          if (failures.length) throw unvalidated(failures);
        }
        await ctx.store.bucketNotifications.put(ctx.accountId, input.Bucket, config, ctx.now);
        if (validate) {
          // S3 proves each new destination with an s3:TestEvent (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html)
          const a: Announcing = { store: ctx.store, destinations, ids: ctx.ids, config: ctx.config };
          const body = testEventMessage({ bucket: input.Bucket, time: ctx.now, requestId: ctx.requestId, hostId: hostId(ctx.requestId) });
          const done = new Set<string>();
          for (const r of config.rules) {
            if (done.has(r.arn)) continue;
            done.add(r.arn);
            await send(a, r.kind, r.arn, body, input.Bucket, ctx.accountId, ctx.now);
          }
        }
        return {};
      },
      resources: bucketResources,
    },

    GetBucketNotificationConfiguration: {
      eventName: 'GetBucketNotification',
      readOnly: true,
      authorize: target(objects, 's3:GetBucketNotification'),
      async handler(input, ctx): Promise<Output<'GetBucketNotificationConfiguration'>> {
        if (!(await objects.getBucket(input.Bucket))) throw noSuchBucket(input.Bucket);
        return configurationOutput(await ctx.store.bucketNotifications.get(ctx.accountId, input.Bucket));
      },
      resources: bucketResources,
    },
  };
}
