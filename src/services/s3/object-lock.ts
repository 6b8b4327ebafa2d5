/**
 * S3 Object Lock (docs/s3.md#object-lock; https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html):
 * a bucket made with `x-amz-bucket-object-lock-enabled: true` is versioned for good; its default
 * retention (Put/GetObjectLockConfiguration: GOVERNANCE or COMPLIANCE, Days or Years) applies to each
 * new version; a version's retention (Put/GetObjectRetention, x-amz-object-lock-mode and
 * -retain-until-date on PutObject) and legal hold (Put/GetObjectLegalHold, x-amz-object-lock-legal-hold)
 * keep it from deletion (the object store enforces it: src/objects/locks.ts). A retention can be
 * lengthened, never shortened or removed, except GOVERNANCE by a caller allowed
 * s3:BypassGovernanceRetention who sends `x-amz-bypass-governance-retention: true`; COMPLIANCE yields
 * to no one. Time is startrail's clock (ctx.now).
 */
import type { ObjectLock, ObjectStore } from '../../objects/index.ts';
import type { OperationContext, OperationDefs } from '../types.ts';
import type { ObjectLockConfiguration, Operations as Ops, Output } from './model.generated.ts';
import { bucketResources, objectArn, objectResources, policyOf, ownerOf, requireAllowed, target } from './access.ts';
import { accessDenied, invalidArgument, invalidRequest, malformedXml, noSuchBucket, noSuchKey, noSuchVersion, S3Error, store } from './errors.ts';
import { checkKey } from './objects.ts';
import { checkVersionId } from './versioning.ts';

export const lockConfigurationNotFound = (bucket: string) =>
  new S3Error('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket', 404, { BucketName: bucket });
const noLockConfiguration = () => invalidRequest('Bucket is missing Object Lock Configuration');
const MODES = ['GOVERNANCE', 'COMPLIANCE'];

/** The lock a write's x-amz-object-lock-* headers ask for (PutObject, CopyObject, CreateMultipartUpload), checked as S3 checks them. */
export async function requestedLock(
  objects: ObjectStore,
  bucket: string,
  input: { ObjectLockMode?: string; ObjectLockRetainUntilDate?: Date; ObjectLockLegalHoldStatus?: string },
  now: Date,
): Promise<ObjectLock | undefined> {
  const { ObjectLockMode: mode, ObjectLockRetainUntilDate: until, ObjectLockLegalHoldStatus: hold } = input;
  if (mode === undefined && until === undefined && hold === undefined) return undefined;
  if ((mode === undefined) !== (until === undefined))
    throw invalidArgument(
      'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied',
      mode === undefined ? 'x-amz-object-lock-mode' : 'x-amz-object-lock-retain-until-date',
      '',
    );
  if (mode !== undefined && !MODES.includes(mode)) throw invalidArgument('Unknown wormMode directive.', 'x-amz-object-lock-mode', mode);
  if (hold !== undefined && hold !== 'ON' && hold !== 'OFF')
    throw invalidArgument('Legal Hold must be either of ON or OFF', 'x-amz-object-lock-legal-hold', hold);
  if (until !== undefined && until.getTime() <= now.getTime())
    throw invalidArgument('The retain until date must be in the future!', 'x-amz-object-lock-retain-until-date', until.toISOString());
  const b = await store(objects.getBucket(bucket), { bucket });
  if (!b) throw noSuchBucket(bucket);
  if (!b.objectLock) throw noLockConfiguration();
  return {
    ...(mode !== undefined ? { mode: mode as ObjectLock['mode'], retainUntil: until! } : {}),
    ...(hold !== undefined ? { legalHold: hold === 'ON' } : {}),
  };
}

/** Whether writes to the bucket get a retention period: its default retention (then S3 requires an integrity header). */
export async function hasDefaultRetention(objects: ObjectStore, bucket: string): Promise<boolean> {
  const text = await objects.getBucketConfig(bucket, 'object-lock').catch(() => undefined);
  return text !== undefined && (JSON.parse(text) as ObjectLockConfiguration).Rule?.DefaultRetention !== undefined;
}

/** S3's rule: a PutObject with Object Lock parameters (or into a bucket with default retention) needs Content-MD5 or an x-amz-checksum-*. */
export function requireIntegrity(
  input: { ContentMD5?: string; ChecksumCRC32?: string; ChecksumCRC32C?: string; ChecksumSHA1?: string; ChecksumSHA256?: string },
  what = 'Put Object',
) {
  if (input.ContentMD5 || input.ChecksumCRC32 || input.ChecksumCRC32C || input.ChecksumSHA1 || input.ChecksumSHA256) return;
  throw invalidRequest(`Content-MD5 OR x-amz-checksum- HTTP header is required for ${what} requests with Object Lock parameters`);
}

/** The x-amz-object-lock-* headers GET and HEAD answer for a version. */
export function lockHeaders(lock: ObjectLock | undefined) {
  if (!lock) return {};
  return {
    ...(lock.mode ? { ObjectLockMode: lock.mode, ObjectLockRetainUntilDate: lock.retainUntil } : {}),
    ...(lock.legalHold !== undefined ? { ObjectLockLegalHoldStatus: lock.legalHold ? ('ON' as const) : ('OFF' as const) } : {}),
  };
}

/** An x-amz-bypass-governance-retention: true, once the caller is allowed s3:BypassGovernanceRetention on the object. */
export async function bypassAllowed(objects: ObjectStore, ctx: OperationContext, bucket: string, key: string, asked: boolean | undefined): Promise<boolean> {
  if (asked !== true) return false;
  await requireAllowed(
    ctx,
    's3:BypassGovernanceRetention',
    objectArn(bucket, key),
    await policyOf(objects, bucket),
    await ownerOf(objects, bucket, ctx.config.accountId),
  );
  return true;
}

function checkLockConfiguration(c: ObjectLockConfiguration | undefined): ObjectLockConfiguration {
  if (c?.ObjectLockEnabled !== 'Enabled') throw malformedXml();
  const d = c.Rule?.DefaultRetention;
  if (c.Rule === undefined) return { ObjectLockEnabled: 'Enabled' };
  if (!d?.Mode || !MODES.includes(d.Mode)) throw malformedXml();
  if ((d.Days === undefined) === (d.Years === undefined)) throw malformedXml();
  const n = d.Days ?? d.Years!;
  if (!Number.isInteger(n) || n <= 0)
    throw invalidArgument('Default retention period must be a positive integer value', d.Days !== undefined ? 'Days' : 'Years', String(n));
  if ((d.Days ?? 0) > 36500 || (d.Years ?? 0) > 100)
    throw invalidArgument('Default retention period is too large.', d.Days !== undefined ? 'Days' : 'Years', String(n));
  return { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: d.Mode, ...(d.Days !== undefined ? { Days: d.Days } : { Years: d.Years }) } } };
}

/** The version a retention or legal-hold call is about; NoSuchKey / NoSuchVersion when there is none, 405 for a delete marker. */
async function versionOf(objects: ObjectStore, input: { Bucket: string; Key: string; VersionId?: string }) {
  checkKey(input.Key);
  checkVersionId(input.VersionId);
  const b = await store(objects.getBucket(input.Bucket), { bucket: input.Bucket });
  if (!b) throw noSuchBucket(input.Bucket);
  if (!b.objectLock) throw noLockConfiguration();
  const info = await store(objects.headObject(input.Bucket, input.Key, input.VersionId !== undefined ? { versionId: input.VersionId } : {}), {
    bucket: input.Bucket,
  });
  if (!info) throw input.VersionId !== undefined ? noSuchVersion(input.Key, input.VersionId) : noSuchKey(input.Key);
  return info;
}

export function objectLockOperations(
  objects: ObjectStore,
): OperationDefs<
  Ops,
  'PutObjectLockConfiguration' | 'GetObjectLockConfiguration' | 'PutObjectRetention' | 'GetObjectRetention' | 'PutObjectLegalHold' | 'GetObjectLegalHold'
> {
  return {
    PutObjectLockConfiguration: {
      readOnly: false,
      authorize: target(objects, 's3:PutBucketObjectLockConfiguration'),
      async handler(input): Promise<Output<'PutObjectLockConfiguration'>> {
        const config = checkLockConfiguration(input.ObjectLockConfiguration);
        const b = await store(objects.getBucket(input.Bucket), { bucket: input.Bucket });
        if (!b) throw noSuchBucket(input.Bucket);
        // enabling Object Lock on an existing bucket needs versioning on (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-configure.html)
        if (!b.objectLock) throw new S3Error('InvalidBucketState', 'Object Lock configuration cannot be enabled on existing buckets', 409);
        await store(objects.putBucketConfig(input.Bucket, 'object-lock', JSON.stringify(config)), { bucket: input.Bucket });
        return {};
      },
      resources: bucketResources,
    },

    GetObjectLockConfiguration: {
      readOnly: true,
      authorize: target(objects, 's3:GetBucketObjectLockConfiguration'),
      async handler(input): Promise<Output<'GetObjectLockConfiguration'>> {
        const b = await store(objects.getBucket(input.Bucket), { bucket: input.Bucket });
        if (!b) throw noSuchBucket(input.Bucket);
        if (!b.objectLock) throw lockConfigurationNotFound(input.Bucket);
        const text = await store(objects.getBucketConfig(input.Bucket, 'object-lock'), { bucket: input.Bucket });
        return { ObjectLockConfiguration: text ? (JSON.parse(text) as ObjectLockConfiguration) : { ObjectLockEnabled: 'Enabled' } };
      },
      resources: bucketResources,
    },

    PutObjectRetention: {
      eventCategory: 'Data',
      readOnly: false,
      authorize: target(objects, 's3:PutObjectRetention', { object: true }),
      async handler(input, ctx): Promise<Output<'PutObjectRetention'>> {
        const r = input.Retention;
        if (!r || (r.Mode === undefined) !== (r.RetainUntilDate === undefined)) throw malformedXml();
        if (r.Mode !== undefined && !MODES.includes(r.Mode)) throw malformedXml();
        if (r.RetainUntilDate !== undefined && r.RetainUntilDate.getTime() <= ctx.now.getTime())
          throw invalidArgument('The retain until date must be in the future!', 'RetainUntilDate', r.RetainUntilDate.toISOString());
        const info = await versionOf(objects, input);
        const old = info.lock;
        const active = old?.mode && old.retainUntil && old.retainUntil.getTime() > ctx.now.getTime();
        const weaker =
          active &&
          (r.Mode === undefined || r.RetainUntilDate!.getTime() < old.retainUntil!.getTime() || (old.mode === 'COMPLIANCE' && r.Mode === 'GOVERNANCE'));
        if (weaker) {
          if (old.mode === 'COMPLIANCE') throw accessDenied();
          if (!(await bypassAllowed(objects, ctx, input.Bucket, input.Key, input.BypassGovernanceRetention))) throw accessDenied();
        }
        const lock: ObjectLock = r.Mode !== undefined ? { mode: r.Mode, retainUntil: r.RetainUntilDate! } : { mode: undefined, retainUntil: undefined };
        const done = await store(objects.updateObject(input.Bucket, input.Key, info.versionId, { lock }), {
          bucket: input.Bucket,
          key: input.Key,
          versionId: info.versionId,
        });
        if (!done) throw noSuchKey(input.Key);
        return {};
      },
      resources: objectResources,
    },

    GetObjectRetention: {
      eventCategory: 'Data',
      readOnly: true,
      authorize: target(objects, 's3:GetObjectRetention', { object: true }),
      async handler(input): Promise<Output<'GetObjectRetention'>> {
        const info = await versionOf(objects, input);
        if (!info.lock?.mode) throw new S3Error('NoSuchObjectLockConfiguration', 'The specified object does not have a ObjectLock configuration', 404);
        return { Retention: { Mode: info.lock.mode, RetainUntilDate: info.lock.retainUntil } };
      },
      resources: objectResources,
    },

    PutObjectLegalHold: {
      eventCategory: 'Data',
      readOnly: false,
      authorize: target(objects, 's3:PutObjectLegalHold', { object: true }),
      async handler(input): Promise<Output<'PutObjectLegalHold'>> {
        const status = input.LegalHold?.Status;
        if (status !== 'ON' && status !== 'OFF') throw malformedXml();
        const info = await versionOf(objects, input);
        await store(objects.updateObject(input.Bucket, input.Key, info.versionId, { lock: { legalHold: status === 'ON' } }), {
          bucket: input.Bucket,
          versionId: info.versionId,
        });
        return {};
      },
      resources: objectResources,
    },

    GetObjectLegalHold: {
      eventCategory: 'Data',
      readOnly: true,
      authorize: target(objects, 's3:GetObjectLegalHold', { object: true }),
      async handler(input): Promise<Output<'GetObjectLegalHold'>> {
        const info = await versionOf(objects, input);
        if (info.lock?.legalHold === undefined)
          throw new S3Error('NoSuchObjectLockConfiguration', 'The specified object does not have a ObjectLock configuration', 404);
        return { LegalHold: { Status: info.lock.legalHold ? 'ON' : 'OFF' } };
      },
      resources: objectResources,
    },
  };
}
