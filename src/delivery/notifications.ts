/**
 * What trail delivery announces (docs/notifications.md#exactly-once), inside the transaction that
 * commits a log-file batch or a digest, so a batch replayed after a crash announces each file once:
 *  - for objects written into the embedded object store, S3's `ObjectCreated:Put` event to the
 *    bucket's matching queues and topics (services/s3/notifications.ts), as S3 raises it for
 *    CloudTrail's own writes; an external S3 service raises its own;
 *  - after each log file (not after digests), CloudTrail's SNS notification to the trail's topic
 *    (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/configure-sns-notifications-for-cloudtrail.html):
 *    `{"s3Bucket":"…","s3ObjectKey":["…"]}`, and the outcome in GetTrailStatus's notification members.
 */
import { createHash } from 'node:crypto';
import type { Ids } from '../ids.ts';
import { hostId } from '../protocol/rest-xml/index.ts';
import { announce } from '../services/s3/notifications.ts';
import type { Config } from '../services/types.ts';
import type { Store, Trail, TrailStatus } from '../store/types.ts';
import type { Destinations } from './destinations.ts';

export interface Notifier {
  destinations: Destinations;
  ids: Ids;
  config: Config;
}

/** An object delivery wrote: where, and its bytes (for the event's size and eTag). */
export interface WrittenObject {
  bucket: string;
  key: string;
  body: Buffer;
}

export const CLOUDTRAIL_PRINCIPAL = 'cloudtrail.amazonaws.com';
/**
 * userIdentity.principalId of S3 events for CloudTrail's writes: AWS shows a session of a role in
 * CloudTrail's own account (`AWS:AROA…:<session>`); startrail shows a stable one of the same form.
 */
export const CLOUDTRAIL_WRITER = 'AWS:AROACLOUDTRAILDELIVER:cloudtrail-delivery';

/** A request id for a delivery write: 16 upper-case hex digits, a pure function of the object (a replay is the same write). */
const writeRequestId = (o: WrittenObject) => createHash('sha256').update(`${o.bucket}/${o.key}`).digest('hex').slice(0, 16).toUpperCase();

/** S3's ObjectCreated:Put for objects delivery wrote into the embedded store. */
export async function announceWrites(tx: Store, n: Notifier, accountId: string, region: string, written: WrittenObject[], now: Date): Promise<void> {
  for (const o of written) {
    const requestId = writeRequestId(o);
    await announce(
      { store: tx, destinations: n.destinations, ids: n.ids, config: n.config },
      {
        eventName: 'ObjectCreated:Put',
        bucket: o.bucket,
        region,
        accountId,
        key: o.key,
        size: o.body.length,
        eTag: createHash('md5').update(o.body).digest('hex'),
        time: now,
        principalId: CLOUDTRAIL_WRITER,
        sourceIp: CLOUDTRAIL_PRINCIPAL,
        requestId,
        hostId: hostId(requestId),
      },
    );
  }
}

/** CloudTrail's notification body for one log file. */
export const logFileNotification = (bucket: string, key: string) => JSON.stringify({ s3Bucket: bucket, s3ObjectKey: [key] });

/** SNS's error code for a failed publish, as GetTrailStatus LatestNotificationError shows it (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html#API_Publish_Errors). */
const SNS_ERROR = { 'no-such-topic': 'NotFound', 'policy-denied': 'AuthorizationError' } as const;

/** One notification per log file to the trail's topic; returns the status to record (nothing when the trail has no topic). */
export async function notifyLogFiles(
  tx: Store,
  n: Notifier,
  trail: Trail,
  accountId: string,
  files: WrittenObject[],
  now: Date,
): Promise<Partial<TrailStatus>> {
  if (!trail.snsTopicName || !files.length) return {};
  let error: string | undefined;
  for (const f of files) {
    const r = await n.destinations.publishFromService(
      tx,
      {
        topicArn: trail.snsTopicName,
        message: logFileNotification(f.bucket, f.key),
        servicePrincipal: CLOUDTRAIL_PRINCIPAL,
        sourceArn: trail.arn,
        sourceAccount: accountId,
      },
      now,
      n.ids,
      n.config,
    );
    if (!r.ok) error = SNS_ERROR[r.reason];
  }
  return error
    ? { latestNotificationAttemptTime: now, latestNotificationError: error }
    : { latestNotificationAttemptTime: now, latestNotificationSucceededTime: now, latestNotificationTime: now, latestNotificationError: undefined };
}
