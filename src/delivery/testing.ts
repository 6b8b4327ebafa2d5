/**
 * TEST FIXTURES for delivery unit tests (not product code): an in-memory bucket service that can
 * fail on demand, a store in memory, records to append, and a trail made the way the API makes one.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { storedEvent } from '../audit/columns.ts';
import { SecretBox } from '../store/secret-box.ts';
import { openSqliteStore } from '../store/sqlite/open.ts';
import type { Store, Trail, TrailSettings } from '../store/types.ts';
import type { Destinations, ServiceDelivery, ServiceMessage, ServicePublish, ServicePublished } from './destinations.ts';
import { createDelivery, type Delivery } from './index.ts';
import { openSession } from './sessions.ts';
import { DeliveryError, type DeliveryTarget, type TrailObject } from './targets.ts';

export const ACCOUNT = '000000000000';

/** CloudTrail's bucket policy, letting it write under each of `folders` (default: AWSLogs/<ACCOUNT>) */
export const cloudTrailPolicy = (bucket: string, folders: string[] = [`AWSLogs/${ACCOUNT}`]) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AWSCloudTrailAclCheck20150319',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:GetBucketAcl',
        Resource: `arn:aws:s3:::${bucket}`,
      },
      {
        Sid: 'AWSCloudTrailWrite20150319',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: folders.map((f) => `arn:aws:s3:::${bucket}/${f}/*`),
        Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
      },
    ],
  });

export class MemoryTarget implements DeliveryTarget {
  readonly kind = 'embedded' as const;
  readonly objects = new Map<string, TrailObject>();
  readonly buckets = new Map<string, string | undefined>();
  puts = 0;
  /** set to make the next writes fail with this code */
  failWith?: string;
  /** called after an object is stored, before putObject returns: throw here to simulate a crash */
  afterPut?: (key: string) => void;

  /** `null`: a bucket without a policy */
  addBucket(bucket: string, policy: string | null = cloudTrailPolicy(bucket)): this {
    this.buckets.set(bucket, policy ?? undefined);
    return this;
  }

  async bucket(bucket: string) {
    if (this.failWith) throw new DeliveryError(this.failWith, 'unreachable');
    if (!this.buckets.has(bucket)) return { exists: false, policySupported: true };
    const policy = this.buckets.get(bucket);
    return { exists: true, policySupported: true, ...(policy !== undefined ? { policy } : {}) };
  }

  async putObject(bucket: string, key: string, o: TrailObject) {
    if (this.failWith) throw new DeliveryError(this.failWith, 'unreachable');
    if (!this.buckets.has(bucket)) throw new DeliveryError('NoSuchBucket', bucket);
    this.objects.set(`${bucket}/${key}`, o);
    this.puts++;
    this.afterPut?.(key);
  }

  keys(prefix = ''): string[] {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }
}

export async function memoryStore(): Promise<Store> {
  return openSqliteStore(':memory:', new SecretBox(randomBytes(32)));
}

/** Appends a CloudTrail-like record; returns its exact JSON text. */
export async function record(
  store: Store,
  o: {
    name?: string;
    source?: string;
    region?: string;
    readOnly?: boolean;
    time?: Date;
    requestId?: string;
    requestParameters?: Record<string, unknown>;
    errorCode?: string;
    /** the account whose call it is (default ACCOUNT) */
    account?: string;
  } = {},
): Promise<string> {
  const account = o.account ?? ACCOUNT;
  const json = JSON.stringify({
    eventVersion: '1.11',
    userIdentity: { type: 'Root', principalId: account, arn: `arn:aws:iam::${account}:root`, accountId: account },
    eventTime: (o.time ?? new Date('2026-01-01T00:00:00Z')).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: o.source ?? 'codestar.amazonaws.com',
    eventName: o.name ?? 'ListProjects',
    awsRegion: o.region ?? 'us-east-1',
    sourceIPAddress: '127.0.0.1',
    userAgent: 'test',
    ...(o.errorCode ? { errorCode: o.errorCode, errorMessage: 'denied' } : {}),
    requestParameters: o.requestParameters ?? null,
    responseElements: null,
    requestID: o.requestId ?? randomUUID(),
    eventID: randomUUID(),
    readOnly: o.readOnly ?? true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
  });
  await store.forAccount(account).events.append([storedEvent(JSON.parse(json), json)]);
  return json;
}

/** A trail as CreateTrail stores it, logging from `now` (StartLogging). */
export async function loggingTrail(
  store: Store,
  now: Date,
  over: Partial<TrailSettings> & { name?: string; region?: string; account?: string } = {},
): Promise<Trail> {
  const { name = 'main', region = 'us-east-1', account = ACCOUNT, ...settings } = over;
  const trail = await store.trails.createTrail({
    name,
    homeRegion: region,
    arn: `arn:aws:cloudtrail:${region}:${account}:trail/${name}`,
    createdAt: now,
    deleted: false,
    s3BucketName: 'logs',
    includeGlobalServiceEvents: true,
    isMultiRegionTrail: false,
    logFileValidationEnabled: true,
    isOrganizationTrail: false,
    selectors: null,
    tags: [],
    ...settings,
    status: { isLogging: true, startLoggingTime: now, failures: 0 },
  });
  await store.transaction((tx) => openSession(tx, trail, now));
  return trail;
}

export function delivery(store: Store, target: DeliveryTarget, digestIntervalSeconds = 60, destinations?: Destinations): Delivery {
  return createDelivery({
    store,
    target: () => target,
    accountId: ACCOUNT,
    deliveryIntervalSeconds: 1,
    digestIntervalSeconds,
    clock: () => new Date(),
    log: () => {},
    ...(destinations ? { destinations } : {}),
  });
}

export const at = (iso: string) => new Date(iso);
export const plus = (d: Date, seconds: number) => new Date(d.getTime() + seconds * 1000);

/**
 * Queues and topics in memory, standing in for the SQS and SNS services (delivery/destinations.ts):
 * each allows its service principals or not, and keeps what it was sent, in order.
 */
export class MemoryDestinations implements Destinations {
  readonly queues = new Map<string, { allow: boolean; messages: ServiceMessage[] }>();
  readonly topics = new Map<string, { allow: boolean; published: ServicePublish[] }>();
  /** the (principal, source ARN, account) of every policy check, in order */
  readonly checks: [string, string, string][] = [];

  addQueue(arn: string, allow = true): this {
    this.queues.set(arn, { allow, messages: [] });
    return this;
  }

  addTopic(arn: string, allow = true): this {
    this.topics.set(arn, { allow, published: [] });
    return this;
  }

  messages(arn: string): ServiceMessage[] {
    return this.queues.get(arn)?.messages ?? [];
  }

  published(arn: string): ServicePublish[] {
    return this.topics.get(arn)?.published ?? [];
  }

  async deliverServiceMessage(_store: Store, msg: ServiceMessage): Promise<ServiceDelivery> {
    const q = this.queues.get(msg.queueArn);
    if (!q) return { ok: false, reason: 'no-such-queue' };
    if (!q.allow) return { ok: false, reason: 'policy-denied' };
    q.messages.push(msg);
    return { ok: true, messageId: randomUUID() };
  }

  async queueAllowsService(_store: Store, arn: string, principal: string, sourceArn: string, account: string) {
    this.checks.push([principal, sourceArn, account]);
    const q = this.queues.get(arn);
    return !q ? 'no-such-queue' : q.allow ? 'allowed' : 'denied';
  }

  async publishFromService(_store: Store, p: ServicePublish): Promise<ServicePublished> {
    const t = this.topics.get(p.topicArn);
    if (!t) return { ok: false, reason: 'no-such-topic' };
    if (!t.allow) return { ok: false, reason: 'policy-denied' };
    t.published.push(p);
    return { ok: true, messageId: randomUUID() };
  }

  async topicAllowsService(_store: Store, arn: string, principal: string, sourceArn: string, account: string) {
    this.checks.push([principal, sourceArn, account]);
    const t = this.topics.get(arn);
    return !t ? 'no-such-topic' : t.allow ? 'allowed' : 'denied';
  }
}
