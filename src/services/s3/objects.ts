/**
 * Object operations (S3 API Reference PutObject, GetObject, HeadObject, DeleteObject): keys up to
 * 1024 bytes, user metadata up to 2 KB (x-amz-meta-*, names lower-case), Content-Type (default
 * binary/octet-stream) and the other content headers kept, ETag the quoted MD5 of the bytes, one
 * byte range per GET (206 + Content-Range; 416 InvalidRange when unsatisfiable), response-* query
 * overrides, conditional headers, and the uploader's flexible checksum returned when asked
 * (x-amz-checksum-mode: ENABLED) on whole-object reads. Missing keys: https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
 */
import { keyBytes, MAX_KEY_BYTES, resolveRange, type ChecksumAlgorithm, type ObjectChecksum, type ObjectInfo, type ObjectStore } from '../../objects/index.ts';
import { noDestinations, type Destinations } from '../../delivery/destinations.ts';
import type { OperationDefs } from '../types.ts';
import type { Input, Operations as Ops, Output, ServerSideEncryption } from './model.generated.ts';
import { missingKey, objectResources, target } from './access.ts';
import { bypassAllowed, hasDefaultRetention, lockHeaders, requestedLock, requireIntegrity } from './object-lock.ts';
import { parseTaggingHeader, tagCount } from './object-tagging.ts';
import { checkVersionId, versioned, versionHeader } from './versioning.ts';
import { newObjectAcl } from './acl.ts';
import { defaultEncryptionOf } from './bucket-config.ts';
import { deleteMarkerNotAllowed, invalidRange, keyTooLong, metadataTooLarge, noSuchKey, noSuchVersion, S3Error, store } from './errors.ts';
import { announceCall } from './notifications.ts';
import { checkConditions, contentRange, parseRange } from './ranges.ts';

/** Flexible checksum members of the S3 model and their algorithms. */
type ChecksumMember = 'ChecksumCRC32' | 'ChecksumCRC32C' | 'ChecksumSHA1' | 'ChecksumSHA256';
export const CHECKSUMS: [member: ChecksumMember, algorithm: ChecksumAlgorithm][] = [
  ['ChecksumCRC32', 'CRC32'],
  ['ChecksumCRC32C', 'CRC32C'],
  ['ChecksumSHA1', 'SHA1'],
  ['ChecksumSHA256', 'SHA256'],
];
const MAX_METADATA_BYTES = 2048;

/** The checksum an input (or a `<Part>`) carries, as the store keeps it. */
export function sentChecksum(input: { [M in ChecksumMember]?: string }): ObjectChecksum | undefined {
  const found = CHECKSUMS.find(([m]) => input[m] !== undefined);
  return found ? { algorithm: found[1], value: input[found[0]]! } : undefined;
}

/** A stored checksum as its output member (ChecksumCRC32 …), or nothing. */
export function checksumMember(checksum: ObjectChecksum | undefined): { [M in ChecksumMember]?: string } {
  const member = checksum && CHECKSUMS.find(([, a]) => a === checksum.algorithm)?.[0];
  return member ? { [member]: checksum.value } : {};
}

export function checkKey(key: string): void {
  const n = keyBytes(key);
  if (n > MAX_KEY_BYTES) throw keyTooLong(n);
}

/** Condition keys of a write that names an ACL, encryption or storage class (PutObject, CreateMultipartUpload, CopyObject). */
export const writeKeys = (i: { ACL?: string; ServerSideEncryption?: string; StorageClass?: string }) => ({
  's3:x-amz-acl': i.ACL,
  's3:x-amz-server-side-encryption': i.ServerSideEncryption,
  's3:x-amz-storage-class': i.StorageClass,
});

/** The object headers a write stores with the object (PutObject, CreateMultipartUpload, CopyObject with REPLACE). */
export function storedHeaders(
  input: Pick<Input<'PutObject'>, 'Metadata' | 'ContentType' | 'ContentEncoding' | 'ContentDisposition' | 'ContentLanguage' | 'CacheControl' | 'Expires'>,
) {
  return {
    metadata: input.Metadata,
    contentType: input.ContentType,
    contentEncoding: input.ContentEncoding,
    contentDisposition: input.ContentDisposition,
    contentLanguage: input.ContentLanguage,
    cacheControl: input.CacheControl,
    expires: input.Expires,
  };
}

export function checkMetadata(metadata: Record<string, string> | undefined): void {
  const size = Object.entries(metadata ?? {}).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  if (size > MAX_METADATA_BYTES) throw metadataTooLarge(size);
}

/** The headers GET and HEAD return for an object, with the request's response-* overrides. */
function objectOutput(
  info: ObjectInfo,
  input: Pick<
    Input<'GetObject'>,
    | 'ResponseContentType'
    | 'ResponseContentEncoding'
    | 'ResponseCacheControl'
    | 'ResponseContentDisposition'
    | 'ResponseContentLanguage'
    | 'ResponseExpires'
    | 'ChecksumMode'
  >,
  whole: boolean,
): Output<'HeadObject'> & Output<'GetObject'> {
  const out: Output<'HeadObject'> & Output<'GetObject'> = {
    AcceptRanges: 'bytes',
    LastModified: info.lastModified,
    ContentLength: info.size,
    ETag: info.etag,
    ContentType: input.ResponseContentType ?? info.contentType,
    ContentEncoding: input.ResponseContentEncoding ?? info.contentEncoding,
    CacheControl: input.ResponseCacheControl ?? info.cacheControl,
    ContentDisposition: input.ResponseContentDisposition ?? info.contentDisposition,
    ContentLanguage: input.ResponseContentLanguage ?? info.contentLanguage,
    Expires: input.ResponseExpires ?? info.expires,
    ...(Object.keys(info.metadata).length ? { Metadata: info.metadata } : {}),
    ...versionHeader(info.versionId),
    ...tagCount(info.tags),
    ...lockHeaders(info.lock),
  };
  if (whole && input.ChecksumMode === 'ENABLED' && info.checksum) {
    const member = CHECKSUMS.find(([, a]) => a === info.checksum!.algorithm)?.[0];
    if (member) out[member] = info.checksum.value;
  }
  return out;
}

/**
 * x-amz-server-side-encryption (and the KMS key id) of an object: what the request asked for, else
 * the bucket's default encryption (AES256 unless configured, docs/s3.md#default-encryption).
 */
export async function encryptionOf(
  objects: ObjectStore,
  input: { Bucket: string; ServerSideEncryption?: ServerSideEncryption; SSEKMSKeyId?: string },
): Promise<{ ServerSideEncryption?: ServerSideEncryption; SSEKMSKeyId?: string }> {
  if (input.ServerSideEncryption) return { ServerSideEncryption: input.ServerSideEncryption, ...(input.SSEKMSKeyId ? { SSEKMSKeyId: input.SSEKMSKeyId } : {}) };
  return defaultEncryptionOf(objects, input.Bucket);
}

const conditions = (input: Pick<Input<'GetObject'>, 'IfMatch' | 'IfNoneMatch' | 'IfModifiedSince' | 'IfUnmodifiedSince'>) => ({
  IfMatch: input.IfMatch,
  IfNoneMatch: input.IfNoneMatch,
  IfModifiedSince: input.IfModifiedSince,
  IfUnmodifiedSince: input.IfUnmodifiedSince,
});

/**
 * A read that finds no object: NoSuchKey (or AccessDenied without s3:ListBucket), with
 * x-amz-delete-marker when the key's newest version is a delete marker; NoSuchVersion for a version
 * that does not exist; 405 MethodNotAllowed for a delete marker named by its version id
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeleteMarker.html).
 */
async function absent(
  objects: ObjectStore,
  input: { Bucket: string; Key: string; VersionId?: string },
  marker: ObjectInfo | undefined,
  method: string,
  ctx: Parameters<typeof missingKey>[1],
): Promise<never> {
  if (input.VersionId !== undefined) {
    if (marker?.deleteMarker) throw deleteMarkerNotAllowed(method, marker.versionId ?? input.VersionId);
    throw noSuchVersion(input.Key, input.VersionId);
  }
  if (marker?.deleteMarker) {
    const e = noSuchKey(input.Key);
    throw new S3Error(e.code, e.message, e.status, e.details, { 'x-amz-delete-marker': 'true', 'x-amz-version-id': marker.versionId ?? 'null' });
  }
  return missingKey(objects, ctx, input.Bucket, input.Key);
}

export function objectOperations(
  objects: ObjectStore,
  destinations: Destinations = noDestinations,
): OperationDefs<Ops, 'PutObject' | 'GetObject' | 'HeadObject' | 'DeleteObject'> {
  return {
    PutObject: {
      eventCategory: 'Data',
      readOnly: false,
      authorize: target(objects, 's3:PutObject', { object: true, keys: writeKeys }),
      async handler(input, ctx): Promise<Output<'PutObject'>> {
        checkKey(input.Key);
        checkMetadata(input.Metadata);
        const checksum = sentChecksum(input);
        const tags = parseTaggingHeader(input.Tagging);
        const lock = await requestedLock(objects, input.Bucket, input, ctx.now);
        if (lock?.mode || (await hasDefaultRetention(objects, input.Bucket))) requireIntegrity(input);
        const acl = await newObjectAcl(objects, ctx.store, input.Bucket, input, ctx.accountId, ctx.config.accountId);
        const info = await store(
          objects.putObject(
            input.Bucket,
            input.Key,
            {
              body: input.Body ?? Buffer.alloc(0),
              ...storedHeaders(input),
              contentType: input.ContentType ?? 'binary/octet-stream',
              ...(checksum ? { checksum } : {}),
              ...(tags?.length ? { tags } : {}),
              ...(lock ? { lock } : {}),
              ...(acl !== undefined ? { acl } : {}),
            },
            ctx.now,
          ),
          { bucket: input.Bucket },
        );
        await announceCall(objects, destinations, ctx, 'ObjectCreated:Put', input.Bucket, [{ key: input.Key, size: info.size, eTag: info.etag }]);
        return { ETag: info.etag, ...checksumMember(checksum), ...(await encryptionOf(objects, input)), ...versionHeader(info.versionId) };
      },
      resources: objectResources,
    },

    GetObject: {
      eventCategory: 'Data',
      readOnly: true,
      authorize: versioned(objects, 's3:GetObject', 's3:GetObjectVersion'),
      async handler(input, ctx): Promise<Output<'GetObject'>> {
        checkKey(input.Key);
        checkVersionId(input.VersionId);
        const spec = input.Range ? parseRange(input.Range) : undefined;
        const content = await store(objects.getObject(input.Bucket, input.Key, spec, { versionId: input.VersionId, deleteMarkers: true }), {
          bucket: input.Bucket,
          key: input.Key,
          range: input.Range,
        });
        if (!content || content.info.deleteMarker) return absent(objects, input, content?.info, 'GET', ctx);
        checkConditions(content.info, conditions(input));
        const out = objectOutput(content.info, input, !content.range);
        if (content.range) Object.assign(out, { ContentLength: content.body.length, ContentRange: contentRange(content.range, content.info.size) });
        return { ...out, ...(await encryptionOf(objects, input)), Body: content.body };
      },
      resources: objectResources,
    },

    HeadObject: {
      eventCategory: 'Data',
      readOnly: true,
      authorize: versioned(objects, 's3:GetObject', 's3:GetObjectVersion'),
      async handler(input, ctx): Promise<Output<'HeadObject'>> {
        checkKey(input.Key);
        checkVersionId(input.VersionId);
        const info = await store(objects.headObject(input.Bucket, input.Key, { versionId: input.VersionId, deleteMarkers: true }), {
          bucket: input.Bucket,
          key: input.Key,
        });
        if (!info || info.deleteMarker) return absent(objects, input, info, 'HEAD', ctx);
        checkConditions(info, conditions(input));
        const spec = input.Range ? parseRange(input.Range) : undefined;
        const range = spec && resolveRange(spec, info.size);
        if (spec && !range) throw invalidRange(input.Range ?? '', info.size);
        const out = objectOutput(info, input, !range);
        if (range) Object.assign(out, { ContentLength: range.end - range.start + 1, ContentRange: contentRange(range, info.size) });
        return { ...out, ...(await encryptionOf(objects, input)) };
      },
      resources: objectResources,
    },

    DeleteObject: {
      eventCategory: 'Data',
      readOnly: false,
      authorize: versioned(objects, 's3:DeleteObject', 's3:DeleteObjectVersion'),
      async handler(input, ctx): Promise<Output<'DeleteObject'>> {
        checkKey(input.Key);
        checkVersionId(input.VersionId);
        const bypassGovernance = await bypassAllowed(objects, ctx, input.Bucket, input.Key, input.BypassGovernanceRetention);
        const done = await store(
          objects.deleteObject(input.Bucket, input.Key, {
            ...(input.VersionId !== undefined ? { versionId: input.VersionId } : {}),
            now: ctx.now,
            bypassGovernance,
          }),
          { bucket: input.Bucket, key: input.Key },
        );
        await announceCall(
          objects,
          destinations,
          ctx,
          done.deleteMarker && input.VersionId === undefined ? 'ObjectRemoved:DeleteMarkerCreated' : 'ObjectRemoved:Delete',
          input.Bucket,
          [{ key: input.Key }],
        );
        return { ...versionHeader(done.versionId), ...(done.deleteMarker ? { DeleteMarker: true } : {}) };
      },
      resources: objectResources,
    },
  };
}
