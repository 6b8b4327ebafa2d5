/** CopyObject and UploadPartCopy without HTTP: the copy source header, directives, conditions, the source's authorization. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EmbeddedObjectStore } from '../../objects/index.ts';
import { copyRange, parseCopySource } from './copy.ts';
import { handlers } from './handlers.ts';
import type { OperationName } from './model.generated.ts';
import { callHandler, rootContext, userContext } from './testing.ts';

let dir: string;
let ops: ReturnType<typeof handlers>;
const root = rootContext;
/** An IAM user whose one inline policy allows reading `readable/*` only. */
const carol = userContext('carol', { Action: 's3:GetObject', Resource: 'arn:aws:s3:::copy-b/readable/*' });
const call = <O extends OperationName>(op: O, input: object, ctx = root) => callHandler(ops, op, input, ctx);
const fails = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    const x = e as { code: string; status: number; details?: object; message: string };
    return [x.code, x.status, x.details ?? x.message];
  }
  return 'no error';
};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 's3-copy-'));
  ops = handlers(await EmbeddedObjectStore.open(dir));
  await call('CreateBucket', { Bucket: 'copy-b' });
  await call('CreateBucket', { Bucket: 'copy-other' });
  await call('PutObject', { Bucket: 'copy-b', Key: 'src/a b.txt', Body: Buffer.from('0123456789'), ContentType: 'text/plain', Metadata: { m: '1' } });
  await call('PutObject', { Bucket: 'copy-b', Key: 'readable/x', Body: Buffer.from('readable') });
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('parseCopySource: bucket/key with or without the leading slash, URL-encoded; ?versionId= a version id S3 could have made', () => {
  assert.deepEqual(parseCopySource('copy-b/src/a%20b.txt'), { bucket: 'copy-b', key: 'src/a b.txt' });
  assert.deepEqual(parseCopySource('/copy-b/k%2Bplus?versionId=null'), { bucket: 'copy-b', key: 'k+plus', versionId: 'null' });
  assert.deepEqual(parseCopySource(`copy-b/k?versionId=${'a'.repeat(32)}`), { bucket: 'copy-b', key: 'k', versionId: 'a'.repeat(32) });
  for (const bad of ['copy-b', 'copy-b/', '/k', '%E0%A4%A/x']) assert.throws(() => parseCopySource(bad), { code: 'InvalidArgument', status: 400 }, bad);
  assert.throws(() => parseCopySource('b/k?versionId=3HL4kqtJlcpXroDTDmJ'), { code: 'InvalidArgument', message: 'Invalid version id specified' });
});

test('copyRange: bytes=first-last inside the source, else InvalidArgument', () => {
  assert.deepEqual(copyRange('bytes=0-4', 10), { first: 0, last: 4 });
  assert.equal(copyRange(undefined, 10), undefined);
  assert.throws(() => copyRange('bytes=5-10', 10), { code: 'InvalidArgument', message: 'Range specified is not valid for source object of size: 10' });
  assert.throws(() => copyRange('bytes=0-', 10), { code: 'InvalidArgument' });
});

test("CopyObject keeps the source metadata (COPY), or takes the request's (REPLACE); the result has the ETag and time", async () => {
  const r = await call('CopyObject', { Bucket: 'copy-other', Key: 'dst', CopySource: 'copy-b/src/a%20b.txt' });
  assert.deepEqual(r, { CopyObjectResult: { ETag: `"${createHash('md5').update('0123456789').digest('hex')}"`, LastModified: root.now } });
  const kept = await call('HeadObject', { Bucket: 'copy-other', Key: 'dst' });
  assert.deepEqual([kept.ContentType, kept.Metadata, kept.ContentLength], ['text/plain', { m: '1' }, 10]);
  await call('CopyObject', {
    Bucket: 'copy-b',
    Key: 'src/a b.txt',
    CopySource: '/copy-b/src/a%20b.txt',
    MetadataDirective: 'REPLACE',
    Metadata: { n: '2' },
    ContentType: 'text/csv',
  });
  const replaced = await call('HeadObject', { Bucket: 'copy-b', Key: 'src/a b.txt' });
  assert.deepEqual([replaced.ContentType, replaced.Metadata], ['text/csv', { n: '2' }]);
});

test('CopyObject refuses a copy onto itself that changes nothing, a missing source, and failed conditions (412)', async () => {
  assert.deepEqual(((await fails(call('CopyObject', { Bucket: 'copy-b', Key: 'src/a b.txt', CopySource: 'copy-b/src/a%20b.txt' }))) as unknown[]).slice(0, 2), [
    'InvalidRequest',
    400,
  ]);
  assert.deepEqual(await fails(call('CopyObject', { Bucket: 'copy-b', Key: 'x', CopySource: 'copy-b/missing' })), ['NoSuchKey', 404, { Key: 'missing' }]);
  assert.deepEqual(await fails(call('CopyObject', { Bucket: 'copy-b', Key: 'x', CopySource: 'no-such-bucket/k' })), [
    'NoSuchBucket',
    404,
    { BucketName: 'no-such-bucket' },
  ]);
  assert.deepEqual(
    ((await fails(call('CopyObject', { Bucket: 'copy-b', Key: 'x', CopySource: 'copy-b/readable/x', CopySourceIfMatch: '"nope"' }))) as unknown[]).slice(0, 2),
    ['PreconditionFailed', 412],
  );
  assert.deepEqual(
    ((await fails(call('CopyObject', { Bucket: 'copy-b', Key: 'x', CopySource: 'copy-b/readable/x', CopySourceIfNoneMatch: '*' }))) as unknown[]).slice(0, 2),
    ['PreconditionFailed', 412],
  );
  assert.deepEqual(((await fails(call('CopyObject', { Bucket: 'copy-b', Key: 'x', CopySource: 'copy-b' }))) as unknown[]).slice(0, 2), [
    'InvalidArgument',
    400,
  ]);
});

test("CopyObject needs s3:GetObject on the source: denied with AWS's message naming the source", async () => {
  const denied = await fails(call('CopyObject', { Bucket: 'copy-b', Key: 'y', CopySource: 'copy-b/src/a%20b.txt' }, carol));
  assert.deepEqual((denied as unknown[]).slice(0, 2), ['AccessDenied', 403]);
  assert.match(
    String(denied[2]),
    /^User: arn:aws:iam::000000000000:user\/carol is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::copy-b\/src\/a b.txt" because no identity-based policy allows the s3:GetObject action$/,
  );
  const ok = await call('CopyObject', { Bucket: 'copy-b', Key: 'y', CopySource: 'copy-b/readable/x' }, carol);
  assert.equal(ok.CopyObjectResult.ETag, `"${createHash('md5').update('readable').digest('hex')}"`);
});

test('UploadPartCopy copies the source or a byte range of it as a part', async () => {
  const { UploadId } = await call('CreateMultipartUpload', { Bucket: 'copy-other', Key: 'joined' });
  const p1 = await call('UploadPartCopy', {
    Bucket: 'copy-other',
    Key: 'joined',
    UploadId,
    PartNumber: 1,
    CopySource: 'copy-b/readable/x',
    CopySourceRange: 'bytes=0-3',
  });
  assert.deepEqual(p1, { CopyPartResult: { ETag: `"${createHash('md5').update('read').digest('hex')}"`, LastModified: root.now } });
  const listed = await call('ListParts', { Bucket: 'copy-other', Key: 'joined', UploadId });
  assert.deepEqual(
    listed.Parts.map((p: { Size: number }) => p.Size),
    [4],
  );
  const done = await call('CompleteMultipartUpload', {
    Bucket: 'copy-other',
    Key: 'joined',
    UploadId,
    MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.CopyPartResult.ETag }] },
  });
  assert.match(done.ETag, /-1"$/);
  assert.equal((await call('GetObject', { Bucket: 'copy-other', Key: 'joined' })).Body.toString(), 'read');
  assert.deepEqual(
    (
      (await fails(call('UploadPartCopy', { Bucket: 'copy-other', Key: 'joined', UploadId, PartNumber: 1, CopySource: 'copy-b/readable/x' }))) as unknown[]
    ).slice(0, 2),
    ['NoSuchUpload', 404],
  );
});
