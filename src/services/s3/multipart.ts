/**
 * Multipart upload (S3 API Reference CreateMultipartUpload, UploadPart, CompleteMultipartUpload,
 * AbortMultipartUpload, ListParts, ListMultipartUploads; User Guide "Multipart upload and
 * permissions", https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html): starting, uploading and completing need s3:PutObject on the
 * object, aborting s3:AbortMultipartUpload, ListParts s3:ListMultipartUploadParts, and
 * ListMultipartUploads s3:ListBucketMultipartUploads on the bucket. Parts are numbered 1–10000 and
 * staged in the object store; completing checks them there (order, ETags, 5 MiB minimum: see
 * objects/multipart.ts) and writes the object in one step. Every call is a data event.
 */
import { hasDefaultRetention, requestedLock, requireIntegrity } from './object-lock.ts';
import { parseTaggingHeader } from './object-tagging.ts';
import { versionHeader } from './versioning.ts';
import {
  MAX_PART_NUMBER,
  type ChecksumAlgorithm,
  type ListPartsPage,
  type MultipartUpload,
  type ObjectStore,
  type UploadInitiator,
} from '../../objects/index.ts';
import { noDestinations, type Destinations } from '../../delivery/destinations.ts';
import type { OperationContext, OperationDefs } from '../types.ts';
import type { ChecksumAlgorithm as WireAlgorithm, Operations as Ops, Output } from './model.generated.ts';
import { bucketResources, objectResources, target } from './access.ts';
import { newObjectAcl } from './acl.ts';
import { defaultEncryptionOf } from './bucket-config.ts';
import { owner } from './buckets.ts';
import { invalidArgument, malformedXml, store } from './errors.ts';
import { urlEncodeKey } from './listing.ts';
import { announceCall } from './notifications.ts';
import { checkKey, checkMetadata, checksumMember, sentChecksum, storedHeaders, writeKeys } from './objects.ts';

const MAX_LISTED = 1000;

export function checkPartNumber(n: number | undefined): number {
  if (n === undefined || !Number.isInteger(n) || n < 1 || n > MAX_PART_NUMBER) {
    throw invalidArgument(`Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`, 'partNumber', String(n));
  }
  return n;
}

/** max-parts / max-uploads: default and cap 1000; negative is InvalidArgument. */
function maxListed(value: number | undefined, name: string): number {
  if (value === undefined) return MAX_LISTED;
  if (value < 0) throw invalidArgument(`Argument ${name} must be an integer between 0 and 2147483647`, name, String(value));
  return Math.min(value, MAX_LISTED);
}

/** The Initiator S3 names: the account's canonical user for root, else the caller's ARN and name. */
function initiatorOf(ctx: OperationContext): UploadInitiator {
  if (ctx.principal.type === 'Root') {
    const o = owner(ctx.accountId);
    return { id: o.ID, displayName: o.DisplayName };
  }
  return { id: ctx.principal.arn, displayName: ctx.principal.userName ?? ctx.principal.displayName };
}

const initiator = (u: MultipartUpload, ctx: OperationContext) => {
  const i = u.initiator ?? initiatorOf(ctx);
  return { ID: i.id, DisplayName: i.displayName };
};

/** A stored upload's algorithm, which came from the request's ChecksumAlgorithm (the model's enum). */
const wireAlgorithm = (a: ChecksumAlgorithm) => a as WireAlgorithm;

const locationOf = (bucket: string, key: string) => `/${bucket}/${encodeURIComponent(key).replace(/%2F/g, '/')}`;

type MultipartOperation = 'CreateMultipartUpload' | 'UploadPart' | 'CompleteMultipartUpload' | 'AbortMultipartUpload' | 'ListParts' | 'ListMultipartUploads';

export function multipartOperations(objects: ObjectStore, destinations: Destinations = noDestinations): OperationDefs<Ops, MultipartOperation> {
  return {
    CreateMultipartUpload: {
      eventCategory: 'Data',
      readOnly: false,
      authorize: target(objects, 's3:PutObject', { object: true, keys: writeKeys }),
      async handler(input, ctx): Promise<Output<'CreateMultipartUpload'>> {
        checkKey(input.Key);
        checkMetadata(input.Metadata);
        const tags = parseTaggingHeader(input.Tagging);
        const lock = await requestedLock(objects, input.Bucket, input, ctx.now);
        const acl = await newObjectAcl(objects, ctx.store, input.Bucket, input, ctx.accountId, ctx.config.accountId);
        const u = await store(
          objects.createMultipartUpload(
            input.Bucket,
            input.Key,
            {
              ...storedHeaders(input),
              contentType: input.ContentType ?? 'binary/octet-stream',
              checksumAlgorithm: input.ChecksumAlgorithm,
              initiator: initiatorOf(ctx),
              ...(tags?.length ? { tags } : {}),
              ...(lock ? { lock } : {}),
              ...(acl !== undefined ? { acl } : {}),
            },
            ctx.now,
          ),
          { bucket: input.Bucket },
        );
        return {
          Bucket: input.Bucket,
          Key: input.Key,
          UploadId: u.uploadId,
          ...(u.checksumAlgorithm ? { ChecksumAlgorithm: wireAlgorithm(u.checksumAlgorithm) } : {}),
        };
      },
      resources: objectResources,
    },

    UploadPart: {
      eventCategory: 'Data',
      readOnly: false,
      authorize: target(objects, 's3:PutObject', { object: true }),
      async handler(input, ctx): Promise<Output<'UploadPart'>> {
        checkKey(input.Key);
        const checksum = sentChecksum(input);
        // parts of an upload into a bucket with default retention need an integrity header too (docs/s3.md#object-lock)
        if (await hasDefaultRetention(objects, input.Bucket)) requireIntegrity(input, 'Put Part');
        const part = await store(
          objects.uploadPart(input.Bucket, input.Key, input.UploadId, checkPartNumber(input.PartNumber), input.Body ?? Buffer.alloc(0), checksum, ctx.now),
          { bucket: input.Bucket, uploadId: input.UploadId },
        );
        return { ETag: part.etag, ...checksumMember(checksum) };
      },
      resources: objectResources,
    },

    CompleteMultipartUpload: {
      eventCategory: 'Data',
      readOnly: false,
      authorize: target(objects, 's3:PutObject', { object: true }),
      async handler(input, ctx): Promise<Output<'CompleteMultipartUpload'>> {
        checkKey(input.Key);
        const parts = input.MultipartUpload?.Parts;
        if (!parts?.length || parts.some((p) => typeof p.ETag !== 'string' || !Number.isInteger(p.PartNumber))) throw malformedXml();
        for (const p of parts) checkPartNumber(p.PartNumber);
        const refs = parts.map((p) => {
          const c = sentChecksum(p);
          return { partNumber: p.PartNumber as number, etag: p.ETag as string, ...(c ? { checksum: c } : {}) };
        });
        const info = await store(objects.completeMultipartUpload(input.Bucket, input.Key, input.UploadId, refs, ctx.now), {
          bucket: input.Bucket,
          uploadId: input.UploadId,
        });
        await announceCall(objects, destinations, ctx, 'ObjectCreated:CompleteMultipartUpload', input.Bucket, [
          { key: input.Key, size: info.size, eTag: info.etag },
        ]);
        return {
          Location: locationOf(input.Bucket, input.Key),
          Bucket: input.Bucket,
          Key: input.Key,
          ETag: info.etag,
          ...checksumMember(info.checksum),
          ...(await defaultEncryptionOf(objects, input.Bucket)),
          ...versionHeader(info.versionId),
        };
      },
      resources: objectResources,
    },

    AbortMultipartUpload: {
      eventCategory: 'Data',
      readOnly: false,
      authorize: target(objects, 's3:AbortMultipartUpload', { object: true }),
      async handler(input): Promise<Output<'AbortMultipartUpload'>> {
        checkKey(input.Key);
        await store(objects.abortMultipartUpload(input.Bucket, input.Key, input.UploadId), { bucket: input.Bucket, uploadId: input.UploadId });
        return {};
      },
      resources: objectResources,
    },

    ListParts: {
      eventCategory: 'Data',
      readOnly: true,
      authorize: target(objects, 's3:ListMultipartUploadParts', { object: true }),
      async handler(input, ctx): Promise<Output<'ListParts'>> {
        checkKey(input.Key);
        const max = maxListed(input.MaxParts, 'max-parts');
        const marker = input.PartNumberMarker ?? 0;
        if (marker < 0) throw invalidArgument('Argument partNumberMarker must be an integer between 0 and 2147483647', 'part-number-marker', String(marker));
        const page: ListPartsPage = await store(objects.listParts(input.Bucket, input.Key, input.UploadId, { maxParts: max, partNumberMarker: marker }), {
          bucket: input.Bucket,
          uploadId: input.UploadId,
        });
        const o = owner(ctx.accountId);
        return {
          Bucket: input.Bucket,
          Key: input.Key,
          UploadId: input.UploadId,
          PartNumberMarker: marker,
          NextPartNumberMarker: page.nextPartNumberMarker ?? 0,
          MaxParts: max,
          IsTruncated: page.isTruncated,
          Parts: page.parts.map((p) => ({ PartNumber: p.partNumber, LastModified: p.lastModified, ETag: p.etag, Size: p.size, ...checksumMember(p.checksum) })),
          Initiator: initiator(page.upload, ctx),
          Owner: { ID: o.ID, DisplayName: o.DisplayName },
          StorageClass: 'STANDARD',
          ...(page.upload.checksumAlgorithm ? { ChecksumAlgorithm: wireAlgorithm(page.upload.checksumAlgorithm) } : {}),
        };
      },
      resources: objectResources,
    },

    ListMultipartUploads: {
      eventCategory: 'Data',
      readOnly: true,
      authorize: target(objects, 's3:ListBucketMultipartUploads'),
      async handler(input, ctx): Promise<Output<'ListMultipartUploads'>> {
        const max = maxListed(input.MaxUploads, 'max-uploads');
        const enc = input.EncodingType === 'url' ? urlEncodeKey : (s: string) => s;
        const page = await store(
          objects.listMultipartUploads(input.Bucket, {
            prefix: input.Prefix,
            delimiter: input.Delimiter || undefined,
            keyMarker: input.KeyMarker || undefined,
            uploadIdMarker: input.KeyMarker ? input.UploadIdMarker || undefined : undefined,
            maxUploads: max,
          }),
          { bucket: input.Bucket },
        );
        const o = owner(ctx.accountId);
        return {
          Bucket: input.Bucket,
          KeyMarker: enc(input.KeyMarker ?? ''),
          UploadIdMarker: input.UploadIdMarker ?? '',
          ...(page.nextKeyMarker !== undefined ? { NextKeyMarker: enc(page.nextKeyMarker) } : {}),
          ...(input.Prefix !== undefined ? { Prefix: enc(input.Prefix) } : {}),
          ...(input.Delimiter ? { Delimiter: enc(input.Delimiter) } : {}),
          NextUploadIdMarker: page.nextUploadIdMarker,
          MaxUploads: max,
          IsTruncated: page.isTruncated,
          Uploads: page.uploads.map((u) => ({
            UploadId: u.uploadId,
            Key: enc(u.key),
            Initiated: u.initiated,
            StorageClass: 'STANDARD',
            Owner: { ID: o.ID, DisplayName: o.DisplayName },
            Initiator: initiator(u, ctx),
            ...(u.checksumAlgorithm ? { ChecksumAlgorithm: wireAlgorithm(u.checksumAlgorithm) } : {}),
          })),
          CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: enc(p) })),
          ...(input.EncodingType ? { EncodingType: input.EncodingType } : {}),
        };
      },
      resources: bucketResources,
    },
  };
}
