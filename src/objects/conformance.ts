/**
 * The ObjectStore contract as one suite that every implementation runs (the embedded store now; the
 * external S3-compatible one against s3rver with trails): S3 semantics for buckets, policies,
 * objects, ranges and listing order, including keys no file system would accept as names.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { MIN_PART_SIZE } from './multipart.ts';
import { ObjectStoreError, type ObjectStore } from './types.ts';

export interface ConformanceTarget {
  store: ObjectStore;
  close(): Promise<void>;
}

const T0 = new Date('2026-11-24T10:00:00.000Z');

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return e instanceof ObjectStoreError ? e.code : String(e);
  }
  return 'no error';
}

const md5 = (b: Buffer) => createHash('md5').update(b).digest();

export function runObjectStoreConformance(name: string, open: () => Promise<ConformanceTarget>): void {
  const withStore = (title: string, fn: (s: ObjectStore) => Promise<void>) =>
    test(`${name}: ${title}`, async () => {
      const t = await open();
      try {
        await fn(t.store);
      } finally {
        await t.close();
      }
    });

  withStore('buckets: create, get, list, refuse duplicates and bad names, delete only when empty', async (s) => {
    const b = await s.createBucket('conf-bucket', 'eu-west-1', T0);
    assert.deepEqual(b, { name: 'conf-bucket', region: 'eu-west-1', creationDate: T0 });
    assert.deepEqual(await s.getBucket('conf-bucket'), b);
    assert.equal(await s.getBucket('no-such-bucket'), undefined);
    assert.equal(await code(s.createBucket('conf-bucket', 'us-east-1', T0)), 'BucketAlreadyOwnedByYou');
    assert.equal(await code(s.createBucket('Bad_Name', 'us-east-1', T0)), 'InvalidBucketName');
    await s.createBucket('aaa-first', 'us-east-1', T0);
    assert.deepEqual(
      (await s.listBuckets()).map((x) => x.name),
      ['aaa-first', 'conf-bucket'],
    );
    await s.putObject('conf-bucket', 'k', { body: Buffer.from('x') }, T0);
    assert.equal(await code(s.deleteBucket('conf-bucket')), 'BucketNotEmpty');
    await s.deleteObject('conf-bucket', 'k');
    await s.deleteBucket('conf-bucket');
    assert.equal(await s.getBucket('conf-bucket'), undefined);
    assert.equal(await code(s.deleteBucket('conf-bucket')), 'NoSuchBucket');
    assert.equal(await code(s.putObject('conf-bucket', 'k', { body: Buffer.alloc(0) }, T0)), 'NoSuchBucket');
  });

  withStore('bucket policy: absent, stored verbatim, deleted', async (s) => {
    await s.createBucket('pol-bucket', 'us-east-1', T0);
    assert.equal(await s.getBucketPolicy('pol-bucket'), undefined);
    const text = '{ "Version": "2012-10-17", "Statement": [] }';
    await s.putBucketPolicy('pol-bucket', text);
    assert.equal(await s.getBucketPolicy('pol-bucket'), text);
    await s.deleteBucketPolicy('pol-bucket');
    await s.deleteBucketPolicy('pol-bucket');
    assert.equal(await s.getBucketPolicy('pol-bucket'), undefined);
    assert.equal(await code(s.getBucketPolicy('nope-bucket')), 'NoSuchBucket');
  });

  withStore('bucket configurations: absent, stored verbatim, replaced, removed; gone with the bucket', async (s) => {
    await s.createBucket('cfg-bucket', 'us-east-1', T0);
    assert.equal(await s.getBucketConfig('cfg-bucket', 'tagging'), undefined);
    await s.putBucketConfig('cfg-bucket', 'tagging', '{"TagSet":[]}');
    await s.putBucketConfig('cfg-bucket', 'encryption', '{"a":1}');
    await s.putBucketConfig('cfg-bucket', 'tagging', '{"TagSet":[{"Key":"k","Value":"v"}]}');
    assert.equal(await s.getBucketConfig('cfg-bucket', 'tagging'), '{"TagSet":[{"Key":"k","Value":"v"}]}');
    assert.equal(await s.getBucketConfig('cfg-bucket', 'encryption'), '{"a":1}');
    await s.putBucketConfig('cfg-bucket', 'tagging', undefined);
    await s.putBucketConfig('cfg-bucket', 'tagging', undefined);
    assert.equal(await s.getBucketConfig('cfg-bucket', 'tagging'), undefined);
    assert.equal(await s.getBucketConfig('cfg-bucket', 'encryption'), '{"a":1}');
    assert.equal(await code(s.getBucketConfig('nope-bucket', 'tagging')), 'NoSuchBucket');
    assert.equal(await code(s.putBucketConfig('nope-bucket', 'tagging', '{}')), 'NoSuchBucket');
    await s.deleteBucket('cfg-bucket');
    await s.createBucket('cfg-bucket', 'us-east-1', T0);
    assert.equal(await s.getBucketConfig('cfg-bucket', 'encryption'), undefined);
  });

  withStore('bucket configurations given to createBucket are there as soon as the bucket is', async (s) => {
    const configs = { encryption: '{"e":1}', 'public-access-block': '{"p":true}', acl: '{"a":[]}' };
    await s.createBucket('cfg-initial', 'us-east-1', T0, '111122223333', { configs });
    for (const [name, text] of Object.entries(configs)) assert.equal(await s.getBucketConfig('cfg-initial', name as keyof typeof configs), text);
    assert.equal(await s.getBucketConfig('cfg-initial', 'tagging'), undefined);
    // a refused create leaves the existing bucket's configurations alone
    assert.equal(await code(s.createBucket('cfg-initial', 'us-east-1', T0, undefined, { configs: { encryption: '{"e":2}' } })), 'BucketAlreadyOwnedByYou');
    assert.equal(await s.getBucketConfig('cfg-initial', 'encryption'), '{"e":1}');
    await s.putBucketConfig('cfg-initial', 'encryption', '{"e":3}');
    assert.equal(await s.getBucketConfig('cfg-initial', 'encryption'), '{"e":3}');
  });

  withStore('objects: bytes, headers, metadata and ETag round-trip; ranges; delete is idempotent', async (s) => {
    await s.createBucket('obj-bucket', 'us-east-1', T0);
    const body = Buffer.from('The quick brown fox jumps over the lazy dog');
    const put = await s.putObject(
      'obj-bucket',
      'dir/fox.txt',
      { body, contentType: 'text/plain', contentEncoding: 'identity', metadata: { signature: 'abc' } },
      T0,
    );
    assert.equal(put.etag, '"9e107d9d372bb6826bd81d3542a419d6"');
    const got = await s.getObject('obj-bucket', 'dir/fox.txt');
    assert.ok(got);
    assert.deepEqual(got.body, body);
    assert.deepEqual(
      [got.info.size, got.info.contentType, got.info.contentEncoding, got.info.metadata, got.info.lastModified],
      [43, 'text/plain', 'identity', { signature: 'abc' }, T0],
    );
    assert.deepEqual((await s.headObject('obj-bucket', 'dir/fox.txt'))?.etag, put.etag);
    const part = await s.getObject('obj-bucket', 'dir/fox.txt', { first: 4, last: 8 });
    assert.deepEqual([part?.body.toString(), part?.range], ['quick', { start: 4, end: 8 }]);
    assert.equal((await s.getObject('obj-bucket', 'dir/fox.txt', { suffix: 3 }))?.body.toString(), 'dog');
    assert.equal((await s.getObject('obj-bucket', 'dir/fox.txt', { first: 40 }))?.body.toString(), 'dog');
    assert.equal(await code(s.getObject('obj-bucket', 'dir/fox.txt', { first: 43 })), 'InvalidRange');
    await s.putObject('obj-bucket', 'dir/fox.txt', { body: Buffer.from('v2') }, T0);
    assert.equal((await s.getObject('obj-bucket', 'dir/fox.txt'))?.body.toString(), 'v2');
    assert.deepEqual((await s.headObject('obj-bucket', 'dir/fox.txt'))?.metadata, {});
    await s.deleteObject('obj-bucket', 'dir/fox.txt');
    await s.deleteObject('obj-bucket', 'dir/fox.txt');
    assert.equal(await s.getObject('obj-bucket', 'dir/fox.txt'), undefined);
    assert.equal(await s.headObject('obj-bucket', 'dir/fox.txt'), undefined);
  });

  withStore('keys: any characters, up to 1024 bytes, never escaping the bucket', async (s) => {
    await s.createBucket('key-bucket', 'us-east-1', T0);
    await s.createBucket('key-other', 'us-east-1', T0);
    const keys = ['../key-other/x', '/', '//a//', '.', '..', 'a b+c%20d?e#f', 'ünï/cødé/𝄞', '\u0001ctl', 'x'.repeat(1024), `${'é'.repeat(300)}/tail`];
    for (const [i, k] of keys.entries()) await s.putObject('key-bucket', k, { body: Buffer.from(String(i)) }, T0);
    for (const [i, k] of keys.entries()) assert.equal((await s.getObject('key-bucket', k))?.body.toString(), String(i), k);
    assert.deepEqual((await s.listObjects('key-other', { maxKeys: 1000 })).objects, []);
    const listed = (await s.listObjects('key-bucket', { maxKeys: 1000 })).objects.map((o) => o.key);
    const byBytes = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    assert.deepEqual(listed, byBytes);
    for (const k of keys) await s.deleteObject('key-bucket', k);
    await s.deleteBucket('key-bucket');
  });

  withStore('listing: prefix, delimiter, common prefixes, paging by marker', async (s) => {
    await s.createBucket('list-bucket', 'us-east-1', T0);
    for (const k of ['a/1', 'a/2', 'b', 'c/x/1', 'c/y', 'd']) await s.putObject('list-bucket', k, { body: Buffer.from(k) }, T0);
    const all = await s.listObjects('list-bucket', { maxKeys: 1000 });
    assert.deepEqual(
      all.objects.map((o) => [o.key, o.size]),
      [
        ['a/1', 3],
        ['a/2', 3],
        ['b', 1],
        ['c/x/1', 5],
        ['c/y', 3],
        ['d', 1],
      ],
    );
    assert.equal(all.isTruncated, false);
    const rolled = await s.listObjects('list-bucket', { delimiter: '/', maxKeys: 1000 });
    assert.deepEqual(
      [rolled.objects.map((o) => o.key), rolled.commonPrefixes],
      [
        ['b', 'd'],
        ['a/', 'c/'],
      ],
    );
    const sub = await s.listObjects('list-bucket', { prefix: 'c/', delimiter: '/', maxKeys: 1000 });
    assert.deepEqual([sub.objects.map((o) => o.key), sub.commonPrefixes], [['c/y'], ['c/x/']]);
    const seen: string[] = [];
    let after: string | undefined;
    for (let i = 0; i < 10; i++) {
      const p = await s.listObjects('list-bucket', { delimiter: '/', maxKeys: 1, ...(after !== undefined ? { after } : {}) });
      seen.push(...p.objects.map((o) => o.key), ...p.commonPrefixes);
      if (!p.isTruncated) break;
      after = p.nextMarker;
    }
    assert.deepEqual(seen, ['a/', 'b', 'c/', 'd']);
    const afterB = await s.listObjects('list-bucket', { after: 'b', maxKeys: 2 });
    assert.deepEqual([afterB.objects.map((o) => o.key), afterB.isTruncated, afterB.nextMarker], [['c/x/1', 'c/y'], true, 'c/y']);
    assert.equal(await code(s.listObjects('nope-bucket', { maxKeys: 1 })), 'NoSuchBucket');
  });

  withStore('copy: bytes, headers and metadata kept or replaced; a copy onto itself; missing source', async (s) => {
    await s.createBucket('copy-src', 'us-east-1', T0);
    await s.createBucket('copy-dst', 'us-east-1', T0);
    const body = Buffer.from('copy me, byte for byte');
    const put = await s.putObject(
      'copy-src',
      'a/b',
      { body, contentType: 'text/plain', metadata: { m: '1' }, checksum: { algorithm: 'SHA256', value: createHash('sha256').update(body).digest('base64') } },
      T0,
    );
    const T1 = new Date('2026-11-24T11:00:00.000Z');
    const kept = await s.copyObject('copy-dst', 'c', { source: { bucket: 'copy-src', key: 'a/b' } }, T1);
    assert.deepEqual(
      [kept?.etag, kept?.size, kept?.contentType, kept?.metadata, kept?.lastModified, kept?.checksum?.algorithm],
      [put.etag, body.length, 'text/plain', { m: '1' }, T1, 'SHA256'],
    );
    const got = await s.getObject('copy-dst', 'c');
    assert.deepEqual([got?.body, got?.info.metadata, got?.info.contentType], [body, { m: '1' }, 'text/plain']);
    await s.copyObject('copy-src', 'a/b', { source: { bucket: 'copy-src', key: 'a/b' }, replace: { metadata: { n: '2' } } }, T1);
    const self = await s.getObject('copy-src', 'a/b');
    assert.deepEqual([self?.body, self?.info.metadata, self?.info.contentType], [body, { n: '2' }, 'binary/octet-stream']);
    assert.equal(await s.copyObject('copy-dst', 'x', { source: { bucket: 'copy-src', key: 'nope' } }, T1), undefined);
    assert.equal(await code(s.copyObject('copy-dst', 'x', { source: { bucket: 'nope-bucket', key: 'k' } }, T1)), 'NoSuchBucket');
  });

  withStore('object ACLs: kept with the object, replaced in place (bytes, headers, Last-Modified kept), never copied', async (s) => {
    await s.createBucket('acl-bucket', 'us-east-1', T0);
    const body = Buffer.from('acl me');
    await s.putObject('acl-bucket', 'k', { body, contentType: 'text/plain', metadata: { m: '1' }, acl: '{"a":1}' }, T0);
    assert.equal((await s.headObject('acl-bucket', 'k'))?.acl, '{"a":1}');
    const T1 = new Date('2026-11-24T11:00:00.000Z');
    const replaced = await s.putObjectAcl('acl-bucket', 'k', '{"a":2}');
    assert.equal(replaced?.acl, '{"a":2}');
    const got = await s.getObject('acl-bucket', 'k');
    assert.deepEqual(
      [got?.body, got?.info.acl, got?.info.metadata, got?.info.contentType, got?.info.lastModified],
      [body, '{"a":2}', { m: '1' }, 'text/plain', T0],
    );
    const copy = await s.copyObject('acl-bucket', 'c', { source: { bucket: 'acl-bucket', key: 'k' } }, T1);
    assert.equal(copy?.acl, undefined);
    const copy2 = await s.copyObject('acl-bucket', 'd', { source: { bucket: 'acl-bucket', key: 'k' }, acl: '{"a":3}' }, T1);
    assert.equal((await s.headObject('acl-bucket', 'd'))?.acl, '{"a":3}');
    assert.equal(copy2?.acl, '{"a":3}');
    assert.equal((await s.putObjectAcl('acl-bucket', 'k', undefined))?.acl, undefined);
    assert.equal((await s.headObject('acl-bucket', 'k'))?.acl, undefined);
    assert.equal(await s.putObjectAcl('acl-bucket', 'nope', '{}'), undefined);
    assert.equal(await code(s.putObjectAcl('nope-bucket', 'k', '{}')), 'NoSuchBucket');
    const up = await s.createMultipartUpload('acl-bucket', 'm', { acl: '{"a":4}' }, T0);
    const part = await s.uploadPart('acl-bucket', 'm', up.uploadId, 1, body, undefined, T0);
    await s.completeMultipartUpload('acl-bucket', 'm', up.uploadId, [{ partNumber: 1, etag: part.etag }], T1);
    assert.equal((await s.headObject('acl-bucket', 'm'))?.acl, '{"a":4}');
  });

  withStore('multipart: parts in order make the object atomically, with the multipart ETag; the upload is gone after', async (s) => {
    await s.createBucket('mpu-bucket', 'us-east-1', T0);
    const u = await s.createMultipartUpload('mpu-bucket', 'big/object', { contentType: 'application/x-test', metadata: { origin: 'mpu' } }, T0);
    assert.match(u.uploadId, /^[0-9A-Za-z_-]{16,128}$/);
    const p1 = Buffer.alloc(MIN_PART_SIZE, 1);
    const p2 = Buffer.from('the last part may be small');
    const r2 = await s.uploadPart('mpu-bucket', 'big/object', u.uploadId, 2, p2, undefined, T0);
    const r1 = await s.uploadPart('mpu-bucket', 'big/object', u.uploadId, 1, Buffer.from('replaced below'), undefined, T0);
    assert.equal(r1.etag, `"${md5(Buffer.from('replaced below')).toString('hex')}"`);
    const again = await s.uploadPart('mpu-bucket', 'big/object', u.uploadId, 1, p1, undefined, T0);
    const listed = await s.listParts('mpu-bucket', 'big/object', u.uploadId, { maxParts: 1000 });
    assert.deepEqual(
      listed.parts.map((p) => [p.partNumber, p.etag, p.size]),
      [
        [1, again.etag, MIN_PART_SIZE],
        [2, r2.etag, p2.length],
      ],
    );
    assert.deepEqual(
      (await s.listMultipartUploads('mpu-bucket', { maxUploads: 1000 })).uploads.map((x) => [x.key, x.uploadId]),
      [['big/object', u.uploadId]],
    );
    assert.equal(await s.headObject('mpu-bucket', 'big/object'), undefined, 'no object before completion');
    const T1 = new Date('2026-11-24T12:00:00.000Z');
    const done = await s.completeMultipartUpload(
      'mpu-bucket',
      'big/object',
      u.uploadId,
      [
        { partNumber: 1, etag: again.etag },
        { partNumber: 2, etag: r2.etag.replace(/"/g, '') },
      ],
      T1,
    );
    const expected = `"${createHash('md5')
      .update(Buffer.concat([md5(p1), md5(p2)]))
      .digest('hex')}-2"`;
    assert.deepEqual(
      [done.etag, done.size, done.contentType, done.metadata, done.lastModified],
      [expected, MIN_PART_SIZE + p2.length, 'application/x-test', { origin: 'mpu' }, T1],
    );
    const got = await s.getObject('mpu-bucket', 'big/object');
    assert.ok(got?.body.equals(Buffer.concat([p1, p2])));
    assert.equal(got?.info.etag, expected);
    assert.equal((await s.getObject('mpu-bucket', 'big/object', { suffix: 4 }))?.body.toString(), 'mall');
    assert.deepEqual((await s.listMultipartUploads('mpu-bucket', { maxUploads: 1000 })).uploads, []);
    assert.equal(await code(s.listParts('mpu-bucket', 'big/object', u.uploadId, { maxParts: 10 })), 'NoSuchUpload');
    assert.equal(await code(s.completeMultipartUpload('mpu-bucket', 'big/object', u.uploadId, [{ partNumber: 1, etag: again.etag }], T1)), 'NoSuchUpload');
    // a copy of a multipart object is one plain object: its ETag is the MD5 of the bytes
    const copy = await s.copyObject('mpu-bucket', 'copy', { source: { bucket: 'mpu-bucket', key: 'big/object' } }, T1);
    assert.equal(copy?.etag, `"${md5(Buffer.concat([p1, p2])).toString('hex')}"`);
  });

  withStore('multipart: NoSuchUpload, InvalidPartOrder, InvalidPart, EntityTooSmall; abort removes the parts', async (s) => {
    await s.createBucket('mpu-errors', 'us-east-1', T0);
    const u = await s.createMultipartUpload('mpu-errors', 'k', {}, T0);
    const a = await s.uploadPart('mpu-errors', 'k', u.uploadId, 1, Buffer.from('small'), undefined, T0);
    const b = await s.uploadPart('mpu-errors', 'k', u.uploadId, 2, Buffer.from('tail'), undefined, T0);
    const complete = (parts: { partNumber: number; etag: string }[]) => code(s.completeMultipartUpload('mpu-errors', 'k', u.uploadId, parts, T0));
    assert.equal(
      await complete([
        { partNumber: 2, etag: b.etag },
        { partNumber: 1, etag: a.etag },
      ]),
      'InvalidPartOrder',
    );
    assert.equal(
      await complete([
        { partNumber: 1, etag: a.etag },
        { partNumber: 1, etag: a.etag },
      ]),
      'InvalidPartOrder',
    );
    assert.equal(await complete([{ partNumber: 1, etag: b.etag }]), 'InvalidPart');
    assert.equal(await complete([{ partNumber: 3, etag: b.etag }]), 'InvalidPart');
    assert.equal(
      await complete([
        { partNumber: 1, etag: a.etag },
        { partNumber: 2, etag: b.etag },
      ]),
      'EntityTooSmall',
    );
    const tooSmall = await s
      .completeMultipartUpload(
        'mpu-errors',
        'k',
        u.uploadId,
        [
          { partNumber: 1, etag: a.etag },
          { partNumber: 2, etag: b.etag },
        ],
        T0,
      )
      .catch((e: ObjectStoreError) => e);
    assert.deepEqual((tooSmall as ObjectStoreError).part, { partNumber: 1, etag: a.etag, size: 5 });
    assert.equal(await code(s.uploadPart('mpu-errors', 'other-key', u.uploadId, 1, Buffer.from('x'), undefined, T0)), 'NoSuchUpload');
    assert.equal(await code(s.uploadPart('mpu-errors', 'k', '../../escape-attempt', 1, Buffer.from('x'), undefined, T0)), 'NoSuchUpload');
    assert.equal(await code(s.uploadPart('mpu-errors', 'k', 'AAAAAAAAAAAAAAAAAAAAAAAA', 1, Buffer.from('x'), undefined, T0)), 'NoSuchUpload');
    assert.equal(await code(s.abortMultipartUpload('mpu-errors', 'other-key', u.uploadId)), 'NoSuchUpload');
    await s.abortMultipartUpload('mpu-errors', 'k', u.uploadId);
    assert.equal(await code(s.abortMultipartUpload('mpu-errors', 'k', u.uploadId)), 'NoSuchUpload');
    assert.equal(await code(s.uploadPart('mpu-errors', 'k', u.uploadId, 3, Buffer.from('x'), undefined, T0)), 'NoSuchUpload');
    assert.equal(await code(s.createMultipartUpload('nope-bucket', 'k', {}, T0)), 'NoSuchBucket');
    // a single small part is a whole object
    const one = await s.createMultipartUpload('mpu-errors', 'one', {}, T0);
    const p = await s.uploadPart('mpu-errors', 'one', one.uploadId, 7, Buffer.from('tiny'), undefined, T0);
    assert.equal((await s.completeMultipartUpload('mpu-errors', 'one', one.uploadId, [{ partNumber: 7, etag: p.etag }], T0)).size, 4);
  });

  withStore('multipart listings: parts paged by number, uploads by key then initiation, markers and common prefixes', async (s) => {
    await s.createBucket('mpu-list', 'us-east-1', T0);
    const u = await s.createMultipartUpload('mpu-list', 'k', {}, T0);
    for (const n of [3, 1, 2, 10]) await s.uploadPart('mpu-list', 'k', u.uploadId, n, Buffer.from(String(n)), undefined, T0);
    const first = await s.listParts('mpu-list', 'k', u.uploadId, { maxParts: 2 });
    assert.deepEqual([first.parts.map((p) => p.partNumber), first.isTruncated, first.nextPartNumberMarker], [[1, 2], true, 2]);
    const rest = await s.listParts('mpu-list', 'k', u.uploadId, { maxParts: 2, partNumberMarker: 2 });
    assert.deepEqual([rest.parts.map((p) => p.partNumber), rest.isTruncated], [[3, 10], false]);
    const ids: Record<string, string> = {};
    for (const [key, at] of [
      ['b/2', '2026-11-24T10:00:02Z'],
      ['a', '2026-11-24T10:00:03Z'],
      ['b/1', '2026-11-24T10:00:01Z'],
      ['a', '2026-11-24T10:00:04Z'],
    ] as const) {
      ids[`${key}@${at}`] = (await s.createMultipartUpload('mpu-list', key, {}, new Date(at))).uploadId;
    }
    const all = await s.listMultipartUploads('mpu-list', { maxUploads: 1000 });
    assert.deepEqual(
      all.uploads.map((x) => x.key),
      ['a', 'a', 'b/1', 'b/2', 'k'],
    );
    assert.deepEqual(
      all.uploads.slice(0, 2).map((x) => x.uploadId),
      [ids['a@2026-11-24T10:00:03Z'], ids['a@2026-11-24T10:00:04Z']],
    );
    const page = await s.listMultipartUploads('mpu-list', { maxUploads: 1 });
    assert.deepEqual([page.uploads.length, page.isTruncated, page.nextKeyMarker, page.nextUploadIdMarker], [1, true, 'a', ids['a@2026-11-24T10:00:03Z']]);
    const next = await s.listMultipartUploads('mpu-list', { maxUploads: 2, keyMarker: page.nextKeyMarker!, uploadIdMarker: page.nextUploadIdMarker! });
    assert.deepEqual(
      next.uploads.map((x) => x.uploadId),
      [ids['a@2026-11-24T10:00:04Z'], ids['b/1@2026-11-24T10:00:01Z']],
    );
    const rolled = await s.listMultipartUploads('mpu-list', { delimiter: '/', maxUploads: 1000 });
    assert.deepEqual([rolled.uploads.map((x) => x.key), rolled.commonPrefixes], [['a', 'a', 'k'], ['b/']]);
    assert.deepEqual(
      (await s.listMultipartUploads('mpu-list', { prefix: 'b/', keyMarker: 'b/1', maxUploads: 10 })).uploads.map((x) => x.key),
      ['b/2'],
    );
    assert.equal(await code(s.listMultipartUploads('nope-bucket', { maxUploads: 1 })), 'NoSuchBucket');
  });
}
