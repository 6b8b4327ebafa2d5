/** S3 handlers without HTTP: listings (v1 marker, v2 tokens, url encoding), bucket regions, objects, errors. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EmbeddedObjectStore } from '../../objects/index.ts';
import { bucketRegion } from './buckets.ts';
import { handlers } from './handlers.ts';
import type { OperationName } from './model.generated.ts';
import { callHandler, rootContext } from './testing.ts';
import { decodeToken, encodeToken, urlEncodeKey } from './listing.ts';

let dir: string;
let ops: ReturnType<typeof handlers>;
const ctx = rootContext;
const call = <O extends OperationName>(op: O, input: object) => callHandler(ops, op, input, ctx);
const fails = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    const x = e as { code: string; status: number; details?: object };
    return [x.code, x.status, x.details];
  }
  return 'no error';
};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 's3-handlers-'));
  ops = handlers(await EmbeddedObjectStore.open(dir));
  await call('CreateBucket', { Bucket: 'list-me' });
  for (const k of ['a b/1', 'a b/2', 'c+d', 'dir/x', 'ü']) await call('PutObject', { Bucket: 'list-me', Key: k, Body: Buffer.from(k) });
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('url encoding of keys: form style (space as +, + as %2B), / kept, undone by unquote_plus', () => {
  assert.equal(urlEncodeKey('a b/c+d/ü(1)'), 'a+b/c%2Bd/%C3%BC%281%29');
  assert.equal(decodeToken(encodeToken('dir/ü')), 'dir/ü');
  assert.throws(() => decodeToken('garbage!'), { code: 'InvalidArgument' });
});

test('ListObjects v1: marker paging, NextMarker only with a delimiter, encoding-type=url', async () => {
  const p1 = await call('ListObjects', { Bucket: 'list-me', MaxKeys: 2, EncodingType: 'url' });
  assert.deepEqual(
    [p1.Contents.map((c: { Key: string }) => c.Key), p1.IsTruncated, p1.NextMarker, p1.EncodingType],
    [['a+b/1', 'a+b/2'], true, undefined, 'url'],
  );
  const p2 = await call('ListObjects', { Bucket: 'list-me', MaxKeys: 2, Marker: 'a b/2', EncodingType: 'url' });
  assert.deepEqual([p2.Contents.map((c: { Key: string }) => c.Key), p2.Marker, p2.IsTruncated], [['c%2Bd', 'dir/x'], 'a+b/2', true]);
  const rolled = await call('ListObjects', { Bucket: 'list-me', Delimiter: '/', MaxKeys: 1 });
  assert.deepEqual([rolled.CommonPrefixes, rolled.Contents, rolled.NextMarker], [[{ Prefix: 'a b/' }], [], 'a b/']);
  assert.equal(p1.Contents[0]!.ETag, `"${createHash('md5').update('a b/1').digest('hex')}"`);
});

test('ListObjectsV2: continuation tokens, start-after, KeyCount, prefix', async () => {
  const seen: string[] = [];
  let token: string | undefined;
  do {
    const page = await call('ListObjectsV2', { Bucket: 'list-me', MaxKeys: 2, ...(token ? { ContinuationToken: token } : {}) });
    assert.equal(page.KeyCount, page.Contents.length);
    seen.push(...page.Contents.map((c: { Key: string }) => c.Key));
    token = page.NextContinuationToken;
  } while (token);
  assert.deepEqual(seen, ['a b/1', 'a b/2', 'c+d', 'dir/x', 'ü']);
  const after = await call('ListObjectsV2', { Bucket: 'list-me', StartAfter: 'c+d', Prefix: 'd' });
  assert.deepEqual([after.Contents.map((c: { Key: string }) => c.Key), after.StartAfter, after.Contents[0]?.Owner], [['dir/x'], 'c+d', undefined]);
  assert.deepEqual(await fails(call('ListObjectsV2', { Bucket: 'list-me', ContinuationToken: 'x' })), [
    'InvalidArgument',
    400,
    { ArgumentName: 'continuation-token', ArgumentValue: 'x' },
  ]);
});

test('bucket region from LocationConstraint, and S3 refusals', () => {
  assert.equal(bucketRegion(undefined, 'us-east-1'), 'us-east-1');
  assert.equal(bucketRegion('eu-west-1', 'us-east-1'), 'eu-west-1');
  assert.equal(bucketRegion('EU', 'eu-west-1'), 'eu-west-1');
  assert.equal(bucketRegion('eu-central-1', 'eu-central-1'), 'eu-central-1');
  assert.throws(() => bucketRegion(undefined, 'eu-west-1'), {
    code: 'IllegalLocationConstraintException',
    message: 'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.',
  });
  assert.throws(() => bucketRegion('us-west-2', 'eu-west-1'), { code: 'IllegalLocationConstraintException' });
  assert.throws(() => bucketRegion('us-east-1', 'us-east-1'), { code: 'InvalidLocationConstraint' });
});

test('objects: metadata, ranges, missing keys and buckets, S3 error details', async () => {
  await call('PutObject', {
    Bucket: 'list-me',
    Key: 'meta',
    Body: Buffer.from('0123456789'),
    Metadata: { a: '1' },
    ContentType: 'text/plain',
    ChecksumCRC32: 'x',
  });
  const g = await call('GetObject', { Bucket: 'list-me', Key: 'meta', Range: 'bytes=2-4', ChecksumMode: 'ENABLED' });
  assert.deepEqual(
    [g.Body.toString(), g.ContentLength, g.ContentRange, g.Metadata, g.ContentType, g.ChecksumCRC32],
    ['234', 3, 'bytes 2-4/10', { a: '1' }, 'text/plain', undefined],
  );
  const whole = await call('GetObject', { Bucket: 'list-me', Key: 'meta', ChecksumMode: 'ENABLED' });
  assert.equal(whole.ChecksumCRC32, 'x');
  assert.deepEqual(await fails(call('GetObject', { Bucket: 'list-me', Key: 'meta', Range: 'bytes=10-' })), [
    'InvalidRange',
    416,
    { RangeRequested: 'bytes=10-', ActualObjectSize: '10' },
  ]);
  assert.deepEqual(await fails(call('GetObject', { Bucket: 'list-me', Key: 'nope' })), ['NoSuchKey', 404, { Key: 'nope' }]);
  assert.deepEqual(await fails(call('HeadObject', { Bucket: 'no-bucket', Key: 'k' })), ['NoSuchBucket', 404, { BucketName: 'no-bucket' }]);
  assert.deepEqual(await fails(call('PutObject', { Bucket: 'list-me', Key: 'k'.repeat(1025), Body: Buffer.alloc(0) })), [
    'KeyTooLongError',
    400,
    { Size: '1025', MaxSizeAllowed: '1024' },
  ]);
  assert.deepEqual(
    ((await fails(call('PutObject', { Bucket: 'list-me', Key: 'm', Body: Buffer.alloc(0), Metadata: { big: 'x'.repeat(2100) } }))) as unknown[]).slice(0, 2),
    ['MetadataTooLarge', 400],
  );
  assert.deepEqual(await fails(call('DeleteBucket', { Bucket: 'list-me' })), ['BucketNotEmpty', 409, { BucketName: 'list-me' }]);
  assert.deepEqual(await fails(call('CreateBucket', { Bucket: 'list-me' })), ['BucketAlreadyOwnedByYou', 409, { BucketName: 'list-me' }]);
  assert.deepEqual(await fails(call('GetBucketPolicy', { Bucket: 'list-me' })), ['NoSuchBucketPolicy', 404, { BucketName: 'list-me' }]);
  const h = await call('HeadObject', { Bucket: 'list-me', Key: 'meta', Range: 'bytes=-2' });
  assert.deepEqual([h.ContentLength, (h as { ContentRange?: string }).ContentRange], [2, 'bytes 8-9/10']);
});

test('GetObjectTagging: an existing object has an empty tag set; a missing key is NoSuchKey (for a caller who may list)', async () => {
  assert.deepEqual(await call('GetObjectTagging', { Bucket: 'list-me', Key: 'c+d' }), { TagSet: [] });
  assert.deepEqual(await fails(call('GetObjectTagging', { Bucket: 'list-me', Key: 'nope' })), ['NoSuchKey', 404, { Key: 'nope' }]);
});
