/**
 * Copies (S3 API Reference CopyObject, UploadPartCopy; https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html): the source is the
 * `x-amz-copy-source` header, `bucket/key` with or without a leading slash, URL-encoded, optionally
 * `?versionId=` (the version to copy; s3:GetObjectVersion then). The caller needs s3:PutObject on the
 * target (the pipeline's check) and s3:GetObject on the source (checked here, with the source
 * bucket's policy). CopyObject keeps the source's metadata and content headers (MetadataDirective
 * COPY, the default) or takes the request's (REPLACE); copying an object onto itself must change
 * something. The x-amz-copy-source-if-* conditions fail with 412. UploadPartCopy copies the source,
 * or `bytes=first-last` of it, as one part.
 */
import { noDestinations, type Destinations } from '../../delivery/destinations.ts';
import type { ObjectInfo, ObjectStore } from '../../objects/index.ts';
import type { AuditResource, OperationContext, OperationDefs } from '../types.ts';
import type { Input, Operations as Ops, Output } from './model.generated.ts';
import { bucketArn, checkBucketName, objectArn, objectResources, ownerOf, policyOf, requireAllowed, target } from './access.ts';
import { aclPolicy, newObjectAcl } from './acl.ts';
import { invalidArgument, invalidRequest, noSuchKey, noSuchVersion, preconditionFailed, S3Error, store } from './errors.ts';
import { requestedLock } from './object-lock.ts';
import { parseTaggingHeader } from './object-tagging.ts';
import { versionHeader } from './versioning.ts';
import { checkPartNumber } from './multipart.ts';
import { announceCall } from './notifications.ts';
import { checkKey, checkMetadata, checksumMember, storedHeaders, writeKeys } from './objects.ts';
import { checkConditions } from './ranges.ts';

export interface CopySource {
  bucket: string;
  key: string;
  versionId?: string;
}

/** The largest part UploadPartCopy reads at once: parts are staged whole (as an uploaded part's body is). */
export const MAX_PART_COPY_BYTES = 64 * 1024 * 1024;

const badSource = (value: string) => invalidArgument('Copy Source must mention the source bucket and key: sourcebucket/sourcekey', 'x-amz-copy-source', value);

export function parseCopySource(header: string): CopySource {
  const [path = '', query] = header.split('?', 2);
  let versionId: string | undefined;
  if (query !== undefined) {
    const version = new URLSearchParams(query).get('versionId');
    if (version !== null && version !== 'null' && !/^[0-9A-Za-z_-]{32}$/.test(version))
      throw invalidArgument('Invalid version id specified', 'x-amz-copy-source', header);
    if (version !== null) versionId = version;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(path.replace(/^\//, ''));
  } catch {
    throw badSource(header);
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) throw badSource(header);
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1), ...(versionId !== undefined ? { versionId } : {}) };
}

/** The source, once the caller may read it: s3:GetObject with the source bucket's policy. */
async function readableSource(objects: ObjectStore, ctx: OperationContext, header: string): Promise<CopySource> {
  const src = parseCopySource(header);
  checkBucketName(src.bucket);
  checkKey(src.key);
  const owner = await ownerOf(objects, src.bucket, ctx.config.accountId);
  // the source's ACL grants READ too while its bucket's ACLs are enabled (docs/s3.md#acls)
  await requireAllowed(
    ctx,
    src.versionId !== undefined ? 's3:GetObjectVersion' : 's3:GetObject',
    objectArn(src.bucket, src.key),
    await aclPolicy(objects, src.bucket, src.key, await policyOf(objects, src.bucket), owner),
  );
  return src;
}

/** The source's current version, with the x-amz-copy-source-if-* headers checked (each failure is 412). */
async function sourceInfo(
  objects: ObjectStore,
  src: CopySource,
  input: Pick<Input<'CopyObject'>, 'CopySourceIfMatch' | 'CopySourceIfNoneMatch' | 'CopySourceIfModifiedSince' | 'CopySourceIfUnmodifiedSince'>,
): Promise<ObjectInfo> {
  const info = await store(objects.headObject(src.bucket, src.key, { versionId: src.versionId, deleteMarkers: true }), { bucket: src.bucket });
  if (!info) throw src.versionId !== undefined ? noSuchVersion(src.key, src.versionId) : noSuchKey(src.key);
  if (info.deleteMarker) {
    if (src.versionId !== undefined) throw invalidRequest('The source of a copy request may not specifically refer to a delete marker by version id.');
    throw noSuchKey(src.key);
  }
  try {
    checkConditions(info, {
      IfMatch: input.CopySourceIfMatch,
      IfNoneMatch: input.CopySourceIfNoneMatch,
      IfModifiedSince: input.CopySourceIfModifiedSince,
      IfUnmodifiedSince: input.CopySourceIfUnmodifiedSince,
    });
  } catch (e) {
    if (e instanceof S3Error && e.code === 'NotModified')
      throw preconditionFailed(input.CopySourceIfNoneMatch !== undefined ? 'x-amz-copy-source-If-None-Match' : 'x-amz-copy-source-If-Modified-Since');
    throw e;
  }
  return info;
}

/** CloudTrail resources of a copy: the target object and bucket, then the source object (and its bucket when another). */
function copyResources(input: { Bucket: string; Key: string; CopySource: string }, out: unknown, ctx: OperationContext): AuditResource[] {
  const own = objectResources(input, out, ctx);
  let src: CopySource;
  try {
    src = parseCopySource(input.CopySource);
  } catch {
    return own;
  }
  return [
    ...own,
    { type: 'AWS::S3::Object', ARN: objectArn(src.bucket, src.key) },
    ...(src.bucket !== input.Bucket ? [{ accountId: ctx.accountId, type: 'AWS::S3::Bucket', ARN: bucketArn(src.bucket) }] : []),
  ];
}

/** `bytes=first-last` of an object of `size` bytes, as UploadPartCopy reads it. */
export function copyRange(header: string | undefined, size: number): { first: number; last: number } | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d+)-(\d+)$/.exec(header.trim());
  if (!m)
    throw invalidArgument(
      'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
      'x-amz-copy-source-range',
      header,
    );
  const first = Number(m[1]);
  const last = Number(m[2]);
  if (first > last || last >= size) throw invalidArgument(`Range specified is not valid for source object of size: ${size}`, 'x-amz-copy-source-range', header);
  return { first, last };
}

export function copyOperations(objects: ObjectStore, destinations: Destinations = noDestinations): OperationDefs<Ops, 'CopyObject' | 'UploadPartCopy'> {
  return {
    CopyObject: {
      eventCategory: 'Data',
      readOnly: false,
      authorize: target(objects, 's3:PutObject', { object: true, keys: writeKeys }),
      async handler(input, ctx): Promise<Output<'CopyObject'>> {
        checkKey(input.Key);
        const src = await readableSource(objects, ctx, input.CopySource);
        const replace = input.MetadataDirective === 'REPLACE';
        // copying a named version onto its own key restores it (https://docs.aws.amazon.com/AmazonS3/latest/userguide/RestoringPreviousVersions.html)
        if (
          src.bucket === input.Bucket &&
          src.key === input.Key &&
          src.versionId === undefined &&
          !replace &&
          !input.StorageClass &&
          !input.ServerSideEncryption &&
          !input.WebsiteRedirectLocation
        ) {
          throw invalidRequest(
            "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
          );
        }
        const srcInfo = await sourceInfo(objects, src, input);
        if (replace) checkMetadata(input.Metadata);
        if (input.TaggingDirective !== undefined && input.TaggingDirective !== 'COPY' && input.TaggingDirective !== 'REPLACE')
          throw invalidArgument('Unknown tagging directive.', 'x-amz-tagging-directive', input.TaggingDirective);
        const tags = input.TaggingDirective === 'REPLACE' ? (parseTaggingHeader(input.Tagging) ?? []) : undefined;
        const lock = await requestedLock(objects, input.Bucket, input, ctx.now);
        const acl = await newObjectAcl(objects, ctx.store, input.Bucket, input, ctx.accountId, ctx.config.accountId);
        const info = await store(
          objects.copyObject(
            input.Bucket,
            input.Key,
            {
              source: src,
              ...(tags ? { tags } : {}),
              ...(lock ? { lock } : {}),
              ...(acl !== undefined ? { acl } : {}),
              ...(replace
                ? {
                    replace: storedHeaders(input),
                  }
                : {}),
            },
            ctx.now,
          ),
          { bucket: input.Bucket },
        );
        if (!info) throw noSuchKey(src.key); // deleted since it was checked
        await announceCall(objects, destinations, ctx, 'ObjectCreated:Copy', input.Bucket, [{ key: input.Key, size: info.size, eTag: info.etag }]);
        return {
          CopyObjectResult: { ETag: info.etag, LastModified: info.lastModified, ...checksumMember(info.checksum) },
          ...(srcInfo.versionId !== undefined ? { CopySourceVersionId: srcInfo.versionId } : {}),
          ...versionHeader(info.versionId),
        };
      },
      resources: copyResources,
    },

    UploadPartCopy: {
      eventCategory: 'Data',
      readOnly: false,
      authorize: target(objects, 's3:PutObject', { object: true }),
      async handler(input, ctx): Promise<Output<'UploadPartCopy'>> {
        checkKey(input.Key);
        const partNumber = checkPartNumber(input.PartNumber);
        const src = await readableSource(objects, ctx, input.CopySource);
        const info = await sourceInfo(objects, src, input);
        const range = copyRange(input.CopySourceRange, info.size);
        const length = range ? range.last - range.first + 1 : info.size;
        if (length > MAX_PART_COPY_BYTES)
          throw invalidRequest(`The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_PART_COPY_BYTES}`);
        const content = await store(objects.getObject(src.bucket, src.key, range, { versionId: src.versionId }), { bucket: src.bucket });
        if (!content) throw noSuchKey(src.key);
        const part = await store(objects.uploadPart(input.Bucket, input.Key, input.UploadId, partNumber, content.body, undefined, ctx.now), {
          bucket: input.Bucket,
          uploadId: input.UploadId,
        });
        return { CopyPartResult: { ETag: part.etag, LastModified: part.lastModified } };
      },
      resources: copyResources,
    },
  };
}
