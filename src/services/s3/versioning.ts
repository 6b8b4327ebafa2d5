/**
 * S3 Versioning (docs/s3.md#versioning; https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html):
 * Put/GetBucketVersioning (Enabled or Suspended; a bucket never versioned answers an empty
 * VersioningConfiguration; a bucket with Object Lock cannot be suspended: InvalidBucketState) and
 * ListObjectVersions (versions and delete markers, each key's newest first, paged by key and
 * version id markers). The versions themselves are the object store's (src/objects/versions.ts).
 */
import type { ObjectStore } from '../../objects/index.ts';
import type { OperationContext, OperationDefs } from '../types.ts';
import type { Input, Operations as Ops, Output } from './model.generated.ts';
import { bucketResources, target } from './access.ts';
import { owner } from './buckets.ts';
import { invalidArgument, invalidBucketState, invalidVersionId, malformedXml, noSuchBucket, store } from './errors.ts';

const VERSION_ID = /^[0-9A-Za-z_-]{32}$/;

/** A versionId parameter as S3 checks it: `null`, or an id S3 could have made. */
export function checkVersionId(versionId: string | undefined): void {
  if (versionId !== undefined && versionId !== 'null' && !VERSION_ID.test(versionId)) throw invalidVersionId(versionId);
}

/** The IAM action of an object call: its *Version* form when the call names a version (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html). */
export function versioned(objects: ObjectStore, action: string, versionAction: string, keys?: (input: never) => Record<string, string | undefined>) {
  return (input: { Bucket?: string; Key?: string; VersionId?: string }, ctx: Pick<OperationContext, 'config' | 'principal'>) =>
    target<never>(objects, input.VersionId !== undefined ? versionAction : action, { object: true, ...(keys ? { keys } : {}) })(input as never, ctx);
}

/** x-amz-version-id of a write or read: only in a bucket that has been versioned. */
export const versionHeader = (versionId: string | undefined) => (versionId !== undefined ? { VersionId: versionId } : {});

export function versioningOperations(objects: ObjectStore): OperationDefs<Ops, 'PutBucketVersioning' | 'GetBucketVersioning' | 'ListObjectVersions'> {
  return {
    PutBucketVersioning: {
      readOnly: false,
      authorize: target(objects, 's3:PutBucketVersioning'),
      async handler(input): Promise<Output<'PutBucketVersioning'>> {
        const status = input.VersioningConfiguration?.Status;
        if (status !== 'Enabled' && status !== 'Suspended') throw malformedXml();
        if (input.VersioningConfiguration.MFADelete === 'Enabled')
          throw invalidArgument('MFA Delete is not supported', 'MFADelete', String(input.VersioningConfiguration.MFADelete));
        const b = await store(objects.getBucket(input.Bucket), { bucket: input.Bucket });
        if (!b) throw noSuchBucket(input.Bucket);
        if (b.objectLock && status === 'Suspended')
          throw invalidBucketState('An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.');
        await store(objects.putBucketVersioning(input.Bucket, status), { bucket: input.Bucket });
        return {};
      },
      resources: bucketResources,
    },

    GetBucketVersioning: {
      readOnly: true,
      authorize: target(objects, 's3:GetBucketVersioning'),
      async handler(input): Promise<Output<'GetBucketVersioning'>> {
        const b = await store(objects.getBucket(input.Bucket), { bucket: input.Bucket });
        if (!b) throw noSuchBucket(input.Bucket);
        return b.versioning ? { Status: b.versioning } : {};
      },
      resources: bucketResources,
    },

    // a data event, as ListObjects (https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html)
    ListObjectVersions: {
      eventCategory: 'Data',
      readOnly: true,
      authorize: target(objects, 's3:ListBucketVersions'),
      async handler(input: Input<'ListObjectVersions'>, ctx): Promise<Output<'ListObjectVersions'>> {
        const maxKeys = input.MaxKeys === undefined ? 1000 : Math.max(0, Math.min(1000, input.MaxKeys));
        if (input.VersionIdMarker !== undefined && input.KeyMarker === undefined)
          throw invalidArgument('A version-id marker cannot be specified without a key marker.', 'version-id-marker', input.VersionIdMarker);
        checkVersionId(input.VersionIdMarker);
        const b = await store(objects.getBucket(input.Bucket), { bucket: input.Bucket });
        if (!b) throw noSuchBucket(input.Bucket);
        const page = await store(
          objects.listObjectVersions(input.Bucket, {
            maxKeys,
            ...(input.Prefix ? { prefix: input.Prefix } : {}),
            ...(input.Delimiter ? { delimiter: input.Delimiter } : {}),
            ...(input.KeyMarker ? { keyMarker: input.KeyMarker } : {}),
            ...(input.VersionIdMarker ? { versionIdMarker: input.VersionIdMarker } : {}),
          }),
          { bucket: input.Bucket },
        );
        const own = owner(b.owner ?? ctx.config.accountId);
        const enc = input.EncodingType === 'url' ? (s: string) => encodeURIComponent(s).replace(/%2F/g, '/') : (s: string) => s;
        return {
          Name: input.Bucket,
          Prefix: enc(input.Prefix ?? ''),
          KeyMarker: enc(input.KeyMarker ?? ''),
          VersionIdMarker: input.VersionIdMarker ?? '',
          MaxKeys: maxKeys,
          ...(input.Delimiter ? { Delimiter: enc(input.Delimiter) } : {}),
          IsTruncated: page.isTruncated,
          ...(page.nextKeyMarker !== undefined ? { NextKeyMarker: enc(page.nextKeyMarker) } : {}),
          ...(page.nextVersionIdMarker !== undefined ? { NextVersionIdMarker: page.nextVersionIdMarker } : {}),
          Versions: page.versions
            .filter((v) => !v.deleteMarker)
            .map((v) => ({
              ETag: v.etag,
              Size: v.size,
              StorageClass: 'STANDARD',
              Key: enc(v.key),
              VersionId: v.versionId,
              IsLatest: v.isLatest,
              LastModified: v.lastModified,
              Owner: own,
            })),
          DeleteMarkers: page.versions
            .filter((v) => v.deleteMarker)
            .map((v) => ({ Owner: own, Key: enc(v.key), VersionId: v.versionId, IsLatest: v.isLatest, LastModified: v.lastModified })),
          CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: enc(p) })),
          ...(input.EncodingType ? { EncodingType: input.EncodingType } : {}),
        };
      },
      resources: bucketResources,
    },
  };
}
