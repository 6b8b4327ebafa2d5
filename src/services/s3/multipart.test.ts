/** Multipart upload handlers without HTTP: the upload's life, S3's errors with their details, listings. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EmbeddedObjectStore, MIN_PART_SIZE } from '../../objects/index.ts';
import { handlers } from './handlers.ts';
import type { OperationName } from './model.generated.ts';
import { callHandler, rootContext } from './testing.ts';

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
const md5 = (b: Buffer) => createHash('md5').update(b).digest();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 's3-multipart-'));
  ops = handlers(await EmbeddedObjectStore.open(dir));
  await call('CreateBucket', { Bucket: 'mpu' });
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('CreateMultipartUpload → UploadPart ×2 → CompleteMultipartUpload: the object, its headers and the multipart ETag', async () => {
  const created = await call('CreateMultipartUpload', { Bucket: 'mpu', Key: 'dir/big.bin', ContentType: 'application/x-big', Metadata: { origin: 'parts' } });
  assert.deepEqual([created.Bucket, created.Key], ['mpu', 'dir/big.bin']);
  const p1 = Buffer.alloc(MIN_PART_SIZE, 7);
  const p2 = Buffer.from('tail');
  const crc = 'ABCD';
  const u1 = await call('UploadPart', { Bucket: 'mpu', Key: 'dir/big.bin', UploadId: created.UploadId, PartNumber: 1, Body: p1 });
  const u2 = await call('UploadPart', { Bucket: 'mpu', Key: 'dir/big.bin', UploadId: created.UploadId, PartNumber: 2, Body: p2, ChecksumCRC32: crc });
  assert.deepEqual([u1.ETag, u2.ETag, u2.ChecksumCRC32], [`"${md5(p1).toString('hex')}"`, `"${md5(p2).toString('hex')}"`, crc]);
  const done = await call('CompleteMultipartUpload', {
    Bucket: 'mpu',
    Key: 'dir/big.bin',
    UploadId: created.UploadId,
    MultipartUpload: {
      Parts: [
        { PartNumber: 1, ETag: u1.ETag },
        { PartNumber: 2, ETag: u2.ETag },
      ],
    },
  });
  const etag = `"${createHash('md5')
    .update(Buffer.concat([md5(p1), md5(p2)]))
    .digest('hex')}-2"`;
  assert.deepEqual(done, { Location: '/mpu/dir/big.bin', Bucket: 'mpu', Key: 'dir/big.bin', ETag: etag, ServerSideEncryption: 'AES256' });
  const got = await call('GetObject', { Bucket: 'mpu', Key: 'dir/big.bin' });
  assert.deepEqual([got.ETag, got.ContentLength, got.ContentType, got.Metadata], [etag, MIN_PART_SIZE + 4, 'application/x-big', { origin: 'parts' }]);
  assert.ok(got.Body.equals(Buffer.concat([p1, p2])));
  assert.deepEqual(await fails(call('ListParts', { Bucket: 'mpu', Key: 'dir/big.bin', UploadId: created.UploadId })), [
    'NoSuchUpload',
    404,
    { UploadId: created.UploadId },
  ]);
});

test('CompleteMultipartUpload refuses what S3 refuses: InvalidPartOrder, InvalidPart, EntityTooSmall, MalformedXML, NoSuchUpload', async () => {
  const { UploadId } = await call('CreateMultipartUpload', { Bucket: 'mpu', Key: 'k' });
  const a = await call('UploadPart', { Bucket: 'mpu', Key: 'k', UploadId, PartNumber: 1, Body: Buffer.from('a') });
  const b = await call('UploadPart', { Bucket: 'mpu', Key: 'k', UploadId, PartNumber: 2, Body: Buffer.from('b') });
  const complete = (Parts: unknown) =>
    fails(call('CompleteMultipartUpload', { Bucket: 'mpu', Key: 'k', UploadId, MultipartUpload: Parts === undefined ? undefined : { Parts } }));
  assert.deepEqual(
    await complete([
      { PartNumber: 2, ETag: b.ETag },
      { PartNumber: 1, ETag: a.ETag },
    ]),
    ['InvalidPartOrder', 400, { UploadId }],
  );
  assert.deepEqual(await complete([{ PartNumber: 1, ETag: b.ETag }]), ['InvalidPart', 400, { UploadId, PartNumber: '1', ETag: b.ETag }]);
  assert.deepEqual(await complete([{ PartNumber: 5, ETag: a.ETag }]), ['InvalidPart', 400, { UploadId, PartNumber: '5', ETag: a.ETag }]);
  assert.deepEqual(
    await complete([
      { PartNumber: 1, ETag: a.ETag },
      { PartNumber: 2, ETag: b.ETag },
    ]),
    ['EntityTooSmall', 400, { ProposedSize: '1', MinSizeAllowed: '5242880', PartNumber: '1', ETag: a.ETag }],
  );
  assert.deepEqual(((await complete(undefined)) as unknown[]).slice(0, 2), ['MalformedXML', 400]);
  assert.deepEqual(((await complete([])) as unknown[]).slice(0, 2), ['MalformedXML', 400]);
  assert.deepEqual(((await complete([{ PartNumber: 1 }])) as unknown[]).slice(0, 2), ['MalformedXML', 400]);
  assert.deepEqual(((await complete([{ PartNumber: 10001, ETag: a.ETag }])) as unknown[]).slice(0, 2), ['InvalidArgument', 400]);
  assert.deepEqual(
    await fails(
      call('CompleteMultipartUpload', {
        Bucket: 'mpu',
        Key: 'k',
        UploadId: 'no-such-upload-id-0000',
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: a.ETag }] },
      }),
    ),
    ['NoSuchUpload', 404, { UploadId: 'no-such-upload-id-0000' }],
  );
  assert.deepEqual(await fails(call('UploadPart', { Bucket: 'mpu', Key: 'k', UploadId, PartNumber: 0, Body: Buffer.from('x') })), [
    'InvalidArgument',
    400,
    { ArgumentName: 'partNumber', ArgumentValue: '0' },
  ]);
  assert.deepEqual(await fails(call('UploadPart', { Bucket: 'mpu', Key: 'other', UploadId, PartNumber: 1, Body: Buffer.from('x') })), [
    'NoSuchUpload',
    404,
    { UploadId },
  ]);
  assert.deepEqual(await fails(call('CreateMultipartUpload', { Bucket: 'no-such-bucket', Key: 'k' })), ['NoSuchBucket', 404, { BucketName: 'no-such-bucket' }]);
  // the upload survives every refusal; with the last part alone it completes
  const one = await call('CompleteMultipartUpload', {
    Bucket: 'mpu',
    Key: 'k',
    UploadId,
    MultipartUpload: { Parts: [{ PartNumber: 2, ETag: b.ETag.replace(/"/g, '') }] },
  });
  assert.equal(
    one.ETag,
    `"${createHash('md5')
      .update(md5(Buffer.from('b')))
      .digest('hex')}-1"`,
  );
});

test('AbortMultipartUpload removes the upload; a second abort is NoSuchUpload', async () => {
  const { UploadId } = await call('CreateMultipartUpload', { Bucket: 'mpu', Key: 'gone' });
  await call('UploadPart', { Bucket: 'mpu', Key: 'gone', UploadId, PartNumber: 1, Body: Buffer.from('x') });
  assert.deepEqual(await call('AbortMultipartUpload', { Bucket: 'mpu', Key: 'gone', UploadId }), {});
  assert.deepEqual(await fails(call('AbortMultipartUpload', { Bucket: 'mpu', Key: 'gone', UploadId })), ['NoSuchUpload', 404, { UploadId }]);
  assert.deepEqual(
    (await call('ListMultipartUploads', { Bucket: 'mpu' })).Uploads.filter((u: { Key: string }) => u.Key === 'gone'),
    [],
  );
});

test('ListParts and ListMultipartUploads: paging, markers, initiator and owner, url encoding', async () => {
  const { UploadId } = await call('CreateMultipartUpload', { Bucket: 'mpu', Key: 'a b/list', ChecksumAlgorithm: 'SHA256' });
  for (const n of [1, 2, 3]) await call('UploadPart', { Bucket: 'mpu', Key: 'a b/list', UploadId, PartNumber: n, Body: Buffer.from(String(n)) });
  const first = await call('ListParts', { Bucket: 'mpu', Key: 'a b/list', UploadId, MaxParts: 2 });
  assert.deepEqual(
    [first.Parts.map((p: { PartNumber: number }) => p.PartNumber), first.IsTruncated, first.NextPartNumberMarker, first.PartNumberMarker, first.MaxParts],
    [[1, 2], true, 2, 0, 2],
  );
  assert.deepEqual(
    [first.Initiator.DisplayName, first.Owner.DisplayName, first.StorageClass, first.ChecksumAlgorithm, first.Parts[0]!.Size],
    ['000000000000', '000000000000', 'STANDARD', 'SHA256', 1],
  );
  const rest = await call('ListParts', { Bucket: 'mpu', Key: 'a b/list', UploadId, PartNumberMarker: 2 });
  assert.deepEqual([rest.Parts.map((p: { PartNumber: number }) => p.PartNumber), rest.IsTruncated], [[3], false]);
  const second = await call('CreateMultipartUpload', { Bucket: 'mpu', Key: 'z' });
  const all = await call('ListMultipartUploads', { Bucket: 'mpu' });
  assert.deepEqual(
    all.Uploads.map((u: { Key: string }) => u.Key),
    ['a b/list', 'z'],
  );
  const paged = await call('ListMultipartUploads', { Bucket: 'mpu', MaxUploads: 1, EncodingType: 'url' });
  assert.deepEqual(
    [paged.Uploads.map((u: { Key: string }) => u.Key), paged.IsTruncated, paged.NextKeyMarker, paged.NextUploadIdMarker],
    [['a+b/list'], true, 'a+b/list', UploadId],
  );
  const next = await call('ListMultipartUploads', { Bucket: 'mpu', KeyMarker: 'a b/list', UploadIdMarker: UploadId });
  assert.deepEqual(
    next.Uploads.map((u: { UploadId: string }) => u.UploadId),
    [second.UploadId],
  );
  const rolled = await call('ListMultipartUploads', { Bucket: 'mpu', Delimiter: '/' });
  assert.deepEqual([rolled.CommonPrefixes, rolled.Uploads.map((u: { Key: string }) => u.Key)], [[{ Prefix: 'a b/' }], ['z']]);
  assert.deepEqual(await fails(call('ListParts', { Bucket: 'mpu', Key: 'a b/list', UploadId, MaxParts: -1 })), [
    'InvalidArgument',
    400,
    { ArgumentName: 'max-parts', ArgumentValue: '-1' },
  ]);
  for (const id of [UploadId, second.UploadId]) await call('AbortMultipartUpload', { Bucket: 'mpu', Key: id === UploadId ? 'a b/list' : 'z', UploadId: id });
});
