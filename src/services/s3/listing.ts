/**
 * ListObjects (v1: marker, NextMarker only with a delimiter) and ListObjectsV2 (opaque
 * continuation-token, start-after, KeyCount, Owner only with fetch-owner), with prefix, delimiter →
 * CommonPrefixes and max-keys (default and cap 1000). With `encoding-type=url` the key-valued
 * elements are URL-encoded (space as `+`), which botocore undoes with unquote_plus; the elements are
 * those the S3 API Reference lists: v1 Delimiter, Marker, Prefix, NextMarker, Key; v2 Delimiter,
 * Prefix, StartAfter, Key; CommonPrefixes in both.
 */
import type { ListObjectsPage, ObjectStore } from '../../objects/index.ts';
import type { OperationDefs } from '../types.ts';
import type { Object as S3Object, Operations as Ops, Output } from './model.generated.ts';
import { bucketResources, target } from './access.ts';
import { owner } from './buckets.ts';
import { invalidArgument, store } from './errors.ts';

const MAX_KEYS = 1000;

/** S3's URL encoding of keys in listings: form-style, `/` kept. */
export function urlEncodeKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/%2F/g, '/')
    .replace(/%20/g, '+')
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function maxKeys(value: number | undefined): number {
  if (value === undefined) return MAX_KEYS;
  if (value < 0) throw invalidArgument('Argument maxKeys must be an integer between 0 and 2147483647', 'maxKeys', String(value));
  return Math.min(value, MAX_KEYS);
}

/** The v2 continuation token: opaque to clients, the base64 of the next page's exclusive start. */
export const encodeToken = (after: string) => Buffer.from(`1${after}`, 'utf8').toString('base64');

export function decodeToken(token: string): string {
  const raw = Buffer.from(token, 'base64').toString('utf8');
  if (!raw.startsWith('1') || Buffer.from(raw, 'utf8').toString('base64') !== token) {
    throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
  }
  return raw.slice(1);
}

const listKeys = (input: { Prefix?: string; Delimiter?: string; MaxKeys?: number }) => ({
  's3:prefix': input.Prefix,
  's3:delimiter': input.Delimiter,
  's3:max-keys': input.MaxKeys === undefined ? undefined : String(input.MaxKeys),
});

function contents(page: ListObjectsPage, enc: (s: string) => string, withOwner: ReturnType<typeof owner> | undefined): S3Object[] {
  return page.objects.map((o) => ({
    Key: enc(o.key),
    LastModified: o.lastModified,
    ETag: o.etag,
    Size: o.size,
    StorageClass: 'STANDARD',
    ...(withOwner ? { Owner: withOwner } : {}),
  }));
}

export function listingOperations(objects: ObjectStore): OperationDefs<Ops, 'ListObjects' | 'ListObjectsV2'> {
  return {
    ListObjects: {
      eventCategory: 'Data',
      readOnly: true,
      authorize: target(objects, 's3:ListBucket', { keys: listKeys }),
      async handler(input, ctx): Promise<Output<'ListObjects'>> {
        const limit = maxKeys(input.MaxKeys);
        const enc = input.EncodingType === 'url' ? urlEncodeKey : (s: string) => s;
        const page = await store(
          objects.listObjects(input.Bucket, { prefix: input.Prefix, delimiter: input.Delimiter, after: input.Marker || undefined, maxKeys: limit }),
          { bucket: input.Bucket },
        );
        return {
          Name: input.Bucket,
          Prefix: enc(input.Prefix ?? ''),
          Marker: enc(input.Marker ?? ''),
          MaxKeys: limit,
          ...(input.Delimiter ? { Delimiter: enc(input.Delimiter) } : {}),
          IsTruncated: page.isTruncated,
          ...(page.isTruncated && input.Delimiter && page.nextMarker !== undefined ? { NextMarker: enc(page.nextMarker) } : {}),
          Contents: contents(page, enc, owner(ctx.accountId)),
          CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: enc(p) })),
          ...(input.EncodingType ? { EncodingType: input.EncodingType } : {}),
        };
      },
      resources: bucketResources,
    },

    ListObjectsV2: {
      eventCategory: 'Data',
      readOnly: true,
      authorize: target(objects, 's3:ListBucket', { keys: listKeys }),
      async handler(input, ctx): Promise<Output<'ListObjectsV2'>> {
        const limit = maxKeys(input.MaxKeys);
        const enc = input.EncodingType === 'url' ? urlEncodeKey : (s: string) => s;
        const after = input.ContinuationToken !== undefined ? decodeToken(input.ContinuationToken) : input.StartAfter || undefined;
        const page = await store(objects.listObjects(input.Bucket, { prefix: input.Prefix, delimiter: input.Delimiter, after, maxKeys: limit }), {
          bucket: input.Bucket,
        });
        return {
          Name: input.Bucket,
          Prefix: enc(input.Prefix ?? ''),
          MaxKeys: limit,
          KeyCount: page.objects.length + page.commonPrefixes.length,
          ...(input.Delimiter ? { Delimiter: enc(input.Delimiter) } : {}),
          IsTruncated: page.isTruncated,
          ContinuationToken: input.ContinuationToken,
          ...(page.isTruncated && page.nextMarker !== undefined ? { NextContinuationToken: encodeToken(page.nextMarker) } : {}),
          ...(input.StartAfter !== undefined ? { StartAfter: enc(input.StartAfter) } : {}),
          Contents: contents(page, enc, input.FetchOwner ? owner(ctx.accountId) : undefined),
          CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: enc(p) })),
          ...(input.EncodingType ? { EncodingType: input.EncodingType } : {}),
        };
      },
      resources: bucketResources,
    },
  };
}
