/**
 * The ObjectStore contract as one suite that every implementation runs (the embedded store now; the
 * external S3-compatible one against s3rver with trails): S3 semantics for buckets, policies,
 * objects, ranges and listing order, including keys no file system would accept as names.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ObjectStoreError, type ObjectStore } from './types.ts';

export interface ConformanceTarget { store: ObjectStore; close(): Promise<void> }

const T0 = new Date('2026-11-24T10:00:00.000Z');

async function code(p: Promise<unknown>): Promise<string> {
  try { await p; } catch (e) { return e instanceof ObjectStoreError ? e.code : String(e); }
  return 'no error';
}

export function runObjectStoreConformance(name: string, open: () => Promise<ConformanceTarget>): void {
  const withStore = (title: string, fn: (s: ObjectStore) => Promise<void>) =>
    test(`${name}: ${title}`, async () => {
      const t = await open();
      try { await fn(t.store); } finally { await t.close(); }
    });

  withStore('buckets: create, get, list, refuse duplicates and bad names, delete only when empty', async (s) => {
    const b = await s.createBucket('conf-bucket', 'eu-west-1', T0);
    assert.deepEqual(b, { name: 'conf-bucket', region: 'eu-west-1', creationDate: T0 });
    assert.deepEqual(await s.getBucket('conf-bucket'), b);
    assert.equal(await s.getBucket('no-such-bucket'), undefined);
    assert.equal(await code(s.createBucket('conf-bucket', 'us-east-1', T0)), 'BucketAlreadyOwnedByYou');
    assert.equal(await code(s.createBucket('Bad_Name', 'us-east-1', T0)), 'InvalidBucketName');
    await s.createBucket('aaa-first', 'us-east-1', T0);
    assert.deepEqual((await s.listBuckets()).map((x) => x.name), ['aaa-first', 'conf-bucket']);
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

  withStore('objects: bytes, headers, metadata and ETag round-trip; ranges; delete is idempotent', async (s) => {
    await s.createBucket('obj-bucket', 'us-east-1', T0);
    const body = Buffer.from('The quick brown fox jumps over the lazy dog');
    const put = await s.putObject('obj-bucket', 'dir/fox.txt', { body, contentType: 'text/plain', contentEncoding: 'identity', metadata: { signature: 'abc' } }, T0);
    assert.equal(put.etag, '"9e107d9d372bb6826bd81d3542a419d6"');
    const got = await s.getObject('obj-bucket', 'dir/fox.txt');
    assert.ok(got);
    assert.deepEqual(got.body, body);
    assert.deepEqual([got.info.size, got.info.contentType, got.info.contentEncoding, got.info.metadata, got.info.lastModified], [43, 'text/plain', 'identity', { signature: 'abc' }, T0]);
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
    assert.deepEqual(all.objects.map((o) => [o.key, o.size]), [['a/1', 3], ['a/2', 3], ['b', 1], ['c/x/1', 5], ['c/y', 3], ['d', 1]]);
    assert.equal(all.isTruncated, false);
    const rolled = await s.listObjects('list-bucket', { delimiter: '/', maxKeys: 1000 });
    assert.deepEqual([rolled.objects.map((o) => o.key), rolled.commonPrefixes], [['b', 'd'], ['a/', 'c/']]);
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
}
