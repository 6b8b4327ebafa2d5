/**
 * S3 event messages as pure functions (docs/notifications.md): which rules an event matches, and the
 * message bodies, in AWS's event message structure
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html):
 * one record per message, eventVersion 2.1, the key URL-encoded, size and eTag for created objects,
 * a sequencer that orders events per bucket; and the s3:TestEvent message S3 sends when a
 * configuration is set.
 */
import { createHash } from 'node:crypto';
import type { NotificationRule } from '../../store/types.ts';
import { eventIncludes, filterText } from './notifications-config.ts';

/** What S3 raises: `ObjectCreated:Put` and the rest, without the `s3:` of the configuration's names. */
export type ObjectEventName =
  | 'ObjectCreated:Put'
  | 'ObjectCreated:Post'
  | 'ObjectCreated:Copy'
  | 'ObjectCreated:CompleteMultipartUpload'
  | 'ObjectRemoved:Delete'
  | 'ObjectRemoved:DeleteMarkerCreated';

export interface ObjectEvent {
  eventName: ObjectEventName;
  bucket: string;
  /** the bucket's region: the message's awsRegion */
  region: string;
  accountId: string;
  key: string;
  /** created objects: bytes and the ETag without its quotes */
  size?: number;
  eTag?: string;
  time: Date;
  /** userIdentity.principalId (principalIdOf) */
  principalId: string;
  sourceIp: string;
  requestId: string;
  hostId: string;
}

/** Does the rule take this event for this key? Event type (exact or `:*`), then the key against the decoded prefix and suffix. */
export function ruleMatches(rule: NotificationRule, eventName: ObjectEventName, key: string): boolean {
  if (!rule.events.some((p) => eventIncludes(p, `s3:${eventName}`))) return false;
  const prefix = rule.filter.find((f) => f.name === 'Prefix');
  const suffix = rule.filter.find((f) => f.name === 'Suffix');
  return (!prefix || key.startsWith(filterText(prefix.value))) && (!suffix || key.endsWith(filterText(suffix.value)));
}

/**
 * The key as event messages carry it: URL-encoded the way S3 does — a space is `+`, `/` and the
 * letters, digits and `-_.*` stay, every other byte of the UTF-8 is `%XX` (so `=` is `%3D`).
 */
export function encodeEventKey(key: string): string {
  let out = '';
  for (const byte of Buffer.from(key, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.*/]/.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The sequencer: the bucket's event sequence as hex, zero-padded to 18 digits like AWS's (compare as strings of equal length). */
export const sequencer = (n: number) => n.toString(16).toUpperCase().padStart(18, '0');

/** The bucket owner's id in event messages (`ownerIdentity.principalId`, and root's `userIdentity`): a stable `A…` id derived from the account. */
export function ownerPrincipalId(accountId: string): string {
  const h = createHash('sha256').update(`startrail-s3-owner:${accountId}`).digest();
  const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let s = 'A';
  for (let i = 0; i < 13; i++) s += alnum[h[i]! % alnum.length];
  return s;
}

/** userIdentity.principalId of an event: `AWS:` and the caller's aws:userid (AIDA…, AROA…:session, account:name); the root user is the owner's id. */
export function principalIdOf(p: { type: string; principalId: string; accountId: string }): string {
  return p.type === 'Root' ? ownerPrincipalId(p.accountId) : `AWS:${p.principalId}`;
}

/** The message of one event for one rule (configurationId = the rule's id), as the JSON text sent. */
export function eventMessage(e: ObjectEvent, configurationId: string, sequence: number): string {
  const created = e.eventName.startsWith('ObjectCreated:');
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: e.region,
        eventTime: e.time.toISOString(),
        eventName: e.eventName,
        userIdentity: { principalId: e.principalId },
        requestParameters: { sourceIPAddress: e.sourceIp },
        responseElements: { 'x-amz-request-id': e.requestId, 'x-amz-id-2': e.hostId },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId,
          bucket: { name: e.bucket, ownerIdentity: { principalId: ownerPrincipalId(e.accountId) }, arn: `arn:aws:s3:::${e.bucket}` },
          object: {
            key: encodeEventKey(e.key),
            ...(created ? { size: e.size ?? 0, eTag: e.eTag ?? '' } : {}),
            sequencer: sequencer(sequence),
          },
        },
      },
    ],
  });
}

/** The s3:TestEvent S3 sends each destination of a new configuration. */
export function testEventMessage(o: { bucket: string; time: Date; requestId: string; hostId: string }): string {
  return JSON.stringify({
    Service: 'Amazon S3',
    Event: 's3:TestEvent',
    Time: o.time.toISOString(),
    Bucket: o.bucket,
    RequestId: o.requestId,
    HostId: o.hostId,
  });
}

/** The SNS subject of S3's messages to topics. */
export const S3_SUBJECT = 'Amazon S3 Notification';
