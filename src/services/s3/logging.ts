/**
 * Server access logging's configuration (docs/s3.md#server-access-logging): PutBucketLogging and
 * GetBucketLogging (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLogging.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLogging.html), kept beside the bucket
 * (`config/logging.json`) and recorded as management events. The log lines themselves are written by
 * access-log-delivery.ts from the record stream.
 *
 * S3's checks (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html, "Both the source
 * and destination buckets must be in the same AWS Region and owned by the same account"; error codes of
 * https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList):
 * - the target bucket exists, else 400 InvalidTargetBucketForLogging;
 * - it has the source bucket's owner, else 400 InvalidTargetBucketForLogging;
 * - it is in the source bucket's Region, else 403 CrossLocationLoggingProhibited;
 * - its policy (or, with ACLs enabled, its ACL's grant to the LogDelivery group) lets the logging
 *   service principal `logging.s3.amazonaws.com` s3:PutObject under the prefix
 *   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html), else 400
 *   InvalidTargetBucketForLogging.
 */
import { evaluate, parsePolicy, type PolicyDocument } from '../../auth/policy/index.ts';
import type { ObjectStore } from '../../objects/index.ts';
import type { OperationDefs } from '../types.ts';
import type { LoggingEnabled, Operations as Ops, Output, PartitionDateSource } from './model.generated.ts';
import { bucketArn, bucketResources, ownerOf, policyOf, target } from './access.ts';
import { aclPolicy } from './acl.ts';
import { malformedXml, noSuchBucket, S3Error, store } from './errors.ts';
import { ensureAccessLogConsumer } from './access-log-delivery.ts';

export const LOGGING_PRINCIPAL = 'logging.s3.amazonaws.com';

/** What config/logging.json keeps: the LoggingEnabled element as given (normalized), and since when. */
export interface StoredLogging {
  TargetBucket: string;
  TargetPrefix: string;
  /** absent or SimplePrefix: `[prefix]YYYY-MM-DD-hh-mm-ss-[unique]`; PartitionedPrefix: by account, Region, bucket and date */
  TargetObjectKeyFormat?: { SimplePrefix?: Record<string, never>; PartitionedPrefix?: { PartitionDateSource?: PartitionDateSource } };
  /** when logging was turned on (ISO): calls before it are not logged */
  since: string;
}

const invalidTarget = (message: string, bucket: string) => new S3Error('InvalidTargetBucketForLogging', message, 400, { TargetBucket: bucket });

export const targetMissing = (bucket: string) => invalidTarget('The target bucket for logging does not exist', bucket);
export const targetOtherOwner = (bucket: string) => invalidTarget('The owner for the bucket to be logged and the target bucket must be the same.', bucket);
export const targetNotPermitted = (bucket: string) =>
  invalidTarget(
    'You must either provide the necessary permissions to the logging service using a bucket policy or give the log-delivery group WRITE and READ_ACP permissions to the target bucket',
    bucket,
  );
export const crossLocation = () =>
  new S3Error(
    'CrossLocationLoggingProhibited',
    'Cross-location logging not allowed. Buckets in one geographic location cannot log information to a bucket in another location.',
    403,
  );

/** The source bucket's logging configuration, or undefined (off, or no such bucket). */
export async function loggingOf(objects: ObjectStore, bucket: string): Promise<StoredLogging | undefined> {
  const text = await objects.getBucketConfig(bucket, 'logging').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as StoredLogging);
}

function parsed(text: string | undefined): PolicyDocument | undefined {
  if (text === undefined) return undefined;
  try {
    return parsePolicy(text, 'resource');
  } catch {
    return undefined;
  }
}

/**
 * Whether the target's policy (with its ACL's grants) lets the logging service write a log object of
 * `source` under `prefix`, with the keys AWS's example policy conditions on (aws:SourceArn: the source
 * bucket, aws:SourceAccount: its owner).
 */
export async function loggingAllowed(objects: ObjectStore, targetBucket: string, prefix: string, source: string, sourceAccount: string): Promise<boolean> {
  const owner = await ownerOf(objects, targetBucket, sourceAccount);
  const doc = parsed(await aclPolicy(objects, targetBucket, undefined, await policyOf(objects, targetBucket), owner));
  if (!doc) return false;
  return (
    evaluate(
      {
        action: 's3:PutObject',
        resource: `${bucketArn(targetBucket)}/${prefix}2026-01-01-00-00-00-0123456789ABCDEF`,
        principalArn: LOGGING_PRINCIPAL,
        principalAccount: sourceAccount,
        isRoot: false,
        servicePrincipal: LOGGING_PRINCIPAL,
        keys: { 'aws:SourceArn': bucketArn(source), 'aws:SourceAccount': sourceAccount },
      },
      { identity: [], resource: doc },
    ).effect === 'Allow'
  );
}

/** A LoggingEnabled element as S3 keeps it; TargetGrants are refused by buckets without ACLs, so they are not kept. */
export function checkLoggingEnabled(l: LoggingEnabled): Omit<StoredLogging, 'since'> {
  if (typeof l.TargetBucket !== 'string' || l.TargetBucket === '') throw malformedXml();
  const f = l.TargetObjectKeyFormat;
  if (f?.SimplePrefix && f.PartitionedPrefix) throw malformedXml();
  const format: StoredLogging['TargetObjectKeyFormat'] = f?.PartitionedPrefix
    ? { PartitionedPrefix: { PartitionDateSource: f.PartitionedPrefix.PartitionDateSource ?? 'EventTime' } }
    : f?.SimplePrefix
      ? { SimplePrefix: {} }
      : undefined;
  return { TargetBucket: l.TargetBucket, TargetPrefix: l.TargetPrefix ?? '', ...(format ? { TargetObjectKeyFormat: format } : {}) };
}

export function loggingOperations(objects: ObjectStore): OperationDefs<Ops, 'PutBucketLogging' | 'GetBucketLogging'> {
  return {
    PutBucketLogging: {
      readOnly: false,
      authorize: target(objects, 's3:PutBucketLogging'),
      async handler(input, ctx): Promise<Output<'PutBucketLogging'>> {
        const source = await objects.getBucket(input.Bucket);
        if (!source) throw noSuchBucket(input.Bucket);
        const status = input.BucketLoggingStatus;
        if (!status || typeof status !== 'object') throw malformedXml();
        // an empty BucketLoggingStatus turns logging off
        if (!status.LoggingEnabled) {
          await store(objects.putBucketConfig(input.Bucket, 'logging', undefined), { bucket: input.Bucket });
          return {};
        }
        const wanted = checkLoggingEnabled(status.LoggingEnabled);
        const sourceOwner = source.owner ?? ctx.config.accountId;
        const dest = await objects.getBucket(wanted.TargetBucket).catch(() => undefined);
        if (!dest) throw targetMissing(wanted.TargetBucket);
        if ((dest.owner ?? ctx.config.accountId) !== sourceOwner) throw targetOtherOwner(wanted.TargetBucket);
        if (dest.region !== source.region) throw crossLocation();
        if (!(await loggingAllowed(objects, wanted.TargetBucket, wanted.TargetPrefix, input.Bucket, sourceOwner)))
          throw targetNotPermitted(wanted.TargetBucket);
        // the log writer's consumer of the record stream (access-log-delivery.ts), made in this call's transaction
        await ensureAccessLogConsumer(ctx.store, ctx.now);
        const stored: StoredLogging = { ...wanted, since: ctx.now.toISOString() };
        await store(objects.putBucketConfig(input.Bucket, 'logging', JSON.stringify(stored)), { bucket: input.Bucket });
        return {};
      },
      resources: bucketResources,
    },
    GetBucketLogging: {
      readOnly: true,
      authorize: target(objects, 's3:GetBucketLogging'),
      async handler(input): Promise<Output<'GetBucketLogging'>> {
        if (!(await objects.getBucket(input.Bucket))) throw noSuchBucket(input.Bucket);
        const l = await loggingOf(objects, input.Bucket);
        if (!l) return {};
        const { since: _since, ...enabled } = l;
        return { LoggingEnabled: enabled };
      },
      resources: bucketResources,
    },
  };
}
