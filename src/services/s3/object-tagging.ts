/**
 * Object tagging (docs/s3.md#object-tagging; https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html):
 * Put/Get/DeleteObjectTagging of the current version or of `versionId`, the `x-amz-tagging` header
 * of PutObject, CreateMultipartUpload and CopyObject (with x-amz-tagging-directive), and
 * `x-amz-tagging-count` on GET/HEAD. S3's limits: at most 10 tags, unique keys of 1–128 and values
 * of 0–256 characters (InvalidTag), no `aws:` prefix. The tags are kept in the version's header.
 */
import type { ObjectStore, ObjectTags } from '../../objects/index.ts';
import type { OperationDefs } from '../types.ts';
import type { Operations as Ops, Output, Tag } from './model.generated.ts';
import { missingKey, objectResources } from './access.ts';
import { invalidArgument, noSuchVersion, S3Error, store } from './errors.ts';
import { checkKey } from './objects.ts';
import { checkVersionId, versioned, versionHeader } from './versioning.ts';

const invalidTag = (message: string) => new S3Error('InvalidTag', message, 400);
const MAX_TAGS = 10;

/** A tag set as S3 checks an object's (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html). */
export function checkObjectTags(tags: { Key?: string; Value?: string }[]): ObjectTags {
  if (tags.length > MAX_TAGS) throw invalidTag('Object tags cannot be greater than 10');
  const seen = new Set<string>();
  const out: ObjectTags = [];
  for (const t of tags) {
    const key = t.Key ?? '';
    const value = t.Value ?? '';
    if (key.length < 1 || key.length > 128) throw invalidTag('The TagKey you have provided is invalid');
    if (value.length > 256) throw invalidTag('The TagValue you have provided is invalid');
    if (key.toLowerCase().startsWith('aws:')) throw invalidTag('Your TagKey cannot be prefixed with aws:');
    if (seen.has(key)) throw invalidTag('Cannot provide multiple Tags with the same key');
    seen.add(key);
    out.push({ key, value });
  }
  return out;
}

/** The `x-amz-tagging` header: a URL query string (`k1=v1&k2=v2`). */
export function parseTaggingHeader(header: string | undefined): ObjectTags | undefined {
  if (header === undefined) return undefined;
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(header);
  } catch {
    throw invalidArgument(
      'The header x-amz-tagging shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.',
      'x-amz-tagging',
      header,
    );
  }
  const keys = [...params.keys()];
  if (new Set(keys).size !== keys.length) throw invalidTag('Cannot provide multiple Tags with the same key');
  return checkObjectTags([...params.entries()].map(([Key, Value]) => ({ Key, Value })));
}

/** x-amz-tagging-count of GET and HEAD. */
export const tagCount = (tags: ObjectTags | undefined) => (tags?.length ? { TagCount: tags.length } : {});

const toTagSet = (tags: ObjectTags | undefined): Tag[] => (tags ?? []).map((t) => ({ Key: t.key, Value: t.value }));

export function objectTaggingOperations(objects: ObjectStore): OperationDefs<Ops, 'GetObjectTagging' | 'PutObjectTagging' | 'DeleteObjectTagging'> {
  const update = async (input: { Bucket: string; Key: string; VersionId?: string }, tags: ObjectTags, ctx: Parameters<typeof missingKey>[1]) => {
    checkKey(input.Key);
    checkVersionId(input.VersionId);
    const info = await store(objects.updateObject(input.Bucket, input.Key, input.VersionId, { tags }), {
      bucket: input.Bucket,
      key: input.Key,
      ...(input.VersionId !== undefined ? { versionId: input.VersionId } : {}),
    });
    if (!info) {
      if (input.VersionId !== undefined) throw noSuchVersion(input.Key, input.VersionId);
      return missingKey(objects, ctx, input.Bucket, input.Key);
    }
    return versionHeader(info.versionId);
  };
  return {
    GetObjectTagging: {
      eventCategory: 'Data',
      readOnly: true,
      authorize: versioned(objects, 's3:GetObjectTagging', 's3:GetObjectVersionTagging'),
      async handler(input, ctx): Promise<Output<'GetObjectTagging'>> {
        checkKey(input.Key);
        checkVersionId(input.VersionId);
        const info = await store(objects.headObject(input.Bucket, input.Key, input.VersionId !== undefined ? { versionId: input.VersionId } : {}), {
          bucket: input.Bucket,
          key: input.Key,
        });
        if (!info) {
          if (input.VersionId !== undefined) throw noSuchVersion(input.Key, input.VersionId);
          return missingKey(objects, ctx, input.Bucket, input.Key);
        }
        return { ...versionHeader(info.versionId), TagSet: toTagSet(info.tags) };
      },
      resources: objectResources,
    },

    PutObjectTagging: {
      eventCategory: 'Data',
      readOnly: false,
      authorize: versioned(objects, 's3:PutObjectTagging', 's3:PutObjectVersionTagging'),
      async handler(input, ctx): Promise<Output<'PutObjectTagging'>> {
        const tags = checkObjectTags(input.Tagging?.TagSet ?? []);
        return update(input, tags, ctx);
      },
      resources: objectResources,
    },

    DeleteObjectTagging: {
      eventCategory: 'Data',
      readOnly: false,
      authorize: versioned(objects, 's3:DeleteObjectTagging', 's3:DeleteObjectVersionTagging'),
      async handler(input, ctx): Promise<Output<'DeleteObjectTagging'>> {
        return update(input, [], ctx);
      },
      resources: objectResources,
    },
  };
}
