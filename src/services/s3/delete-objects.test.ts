/** DeleteObjects without HTTP: deleted and quiet results, per-key errors (IAM, bucket policy, versions), S3's limits. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EmbeddedObjectStore } from '../../objects/index.ts';
import { handlers } from './handlers.ts';
import type { OperationName } from './model.generated.ts';
import { callHandler, rootContext, userContext } from './testing.ts';

let dir: string;
let ops: ReturnType<typeof handlers>;
const root = rootContext;
/** An IAM user allowed s3:DeleteObject under `tmp/` only. */
const dave = userContext('dave', { Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::del-b/tmp/*' });
const call = <O extends OperationName>(op: O, input: object, ctx = root) => callHandler(ops, op, input, ctx);
const fails = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    const x = e as { code: string; status: number };
    return [x.code, x.status];
  }
  return 'no error';
};
const keys = async () => (await call('ListObjectsV2', { Bucket: 'del-b' })).Contents.map((c: { Key: string }) => c.Key);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 's3-delete-'));
  ops = handlers(await EmbeddedObjectStore.open(dir));
  await call('CreateBucket', { Bucket: 'del-b' });
});
after(() => rmSync(dir, { recursive: true, force: true }));

const put = (...ks: string[]) => Promise.all(ks.map((k) => call('PutObject', { Bucket: 'del-b', Key: k, Body: Buffer.from(k) })));

test('DeleteObjects deletes every key, missing ones too, and lists them; Quiet lists none', async () => {
  await put('a', 'b', 'c/d');
  const r = await call('DeleteObjects', { Bucket: 'del-b', Delete: { Objects: [{ Key: 'a' }, { Key: 'c/d' }, { Key: 'never-there' }] } });
  assert.deepEqual(r, { Deleted: [{ Key: 'a' }, { Key: 'c/d' }, { Key: 'never-there' }], Errors: [] });
  assert.deepEqual(await keys(), ['b']);
  assert.deepEqual(await call('DeleteObjects', { Bucket: 'del-b', Delete: { Objects: [{ Key: 'b' }], Quiet: true } }), { Errors: [] });
  assert.deepEqual(await keys(), []);
});

test('DeleteObjects checks s3:DeleteObject per key: a denied key is an Error of a successful call', async () => {
  await put('tmp/1', 'keep/2');
  const r = await call('DeleteObjects', { Bucket: 'del-b', Delete: { Objects: [{ Key: 'tmp/1' }, { Key: 'keep/2' }], Quiet: true } }, dave);
  assert.deepEqual(r, { Errors: [{ Key: 'keep/2', Code: 'AccessDenied', Message: 'Access Denied' }] });
  assert.deepEqual(await keys(), ['keep/2']);
  // an explicit Deny in the bucket policy binds root as well
  await call('PutBucketPolicy', {
    Bucket: 'del-b',
    Policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::del-b/keep/*' }],
    }),
  });
  const denied = await call('DeleteObjects', { Bucket: 'del-b', Delete: { Objects: [{ Key: 'keep/2' }] } });
  assert.deepEqual(denied, { Deleted: [], Errors: [{ Key: 'keep/2', Code: 'AccessDenied', Message: 'Access Denied' }] });
  await call('DeleteBucketPolicy', { Bucket: 'del-b' });
  const versions = await call('DeleteObjects', {
    Bucket: 'del-b',
    Delete: { Objects: [{ Key: 'keep/2', VersionId: 'v1' }, { Key: 'keep/2', VersionId: 'null' }, { Key: 'k'.repeat(1025) }] },
  });
  assert.deepEqual(versions.Deleted, [{ Key: 'keep/2', VersionId: 'null' }]);
  assert.deepEqual(
    versions.Errors.map((e: { Code: string }) => e.Code),
    ['NoSuchVersion', 'KeyTooLongError'],
  );
});

test('DeleteObjects: no keys or more than 1000 is MalformedXML; a missing bucket is NoSuchBucket', async () => {
  assert.deepEqual(await fails(call('DeleteObjects', { Bucket: 'del-b', Delete: { Objects: [] } })), ['MalformedXML', 400]);
  const many = Array.from({ length: 1001 }, (_, i) => ({ Key: `k${i}` }));
  assert.deepEqual(await fails(call('DeleteObjects', { Bucket: 'del-b', Delete: { Objects: many } })), ['MalformedXML', 400]);
  assert.deepEqual((await call('DeleteObjects', { Bucket: 'del-b', Delete: { Objects: many.slice(0, 1000), Quiet: true } })).Errors, []);
  assert.deepEqual(await fails(call('DeleteObjects', { Bucket: 'no-such-bucket', Delete: { Objects: [{ Key: 'k' }] } })), ['NoSuchBucket', 404]);
});
