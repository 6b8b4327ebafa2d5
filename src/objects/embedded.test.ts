/** The embedded object store passes the ObjectStore conformance suite, keeps its data across reopen, and stays inside its root. */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runObjectStoreConformance } from './conformance.ts';
import { EmbeddedObjectStore } from './embedded.ts';
import { objectSegments } from './files.ts';

runObjectStoreConformance('embedded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'objects-'));
  return { store: await EmbeddedObjectStore.open(dir), close: async () => rmSync(dir, { recursive: true, force: true }) };
});

test('embedded: objects and policies survive reopening the store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'objects-'));
  try {
    const a = await EmbeddedObjectStore.open(dir);
    await a.createBucket('persist', 'us-east-1', new Date('2026-01-01T00:00:00Z'));
    await a.putObject('persist', 'k', { body: Buffer.from('hello'), metadata: { m: 'v' } }, new Date('2026-01-02T00:00:00Z'));
    await a.putBucketPolicy('persist', '{"x":1}');
    const b = await EmbeddedObjectStore.open(dir);
    const o = await b.getObject('persist', 'k');
    assert.deepEqual([o?.body.toString(), o?.info.metadata, o?.info.lastModified.toISOString()], ['hello', { m: 'v' }, '2026-01-02T00:00:00.000Z']);
    assert.equal(await b.getBucketPolicy('persist'), '{"x":1}');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('embedded: every key becomes hex path segments of at most 202 characters; no temp files remain', async () => {
  for (const key of ['../../etc/passwd', 'x'.repeat(1024), '/']) {
    const segs = objectSegments(key);
    assert.ok(
      segs.every((s) => /^[0-9a-f]+(\.o)?$/.test(s) && s.length <= 202),
      key,
    );
    assert.equal(segs.join('').replace(/\.o$/, ''), Buffer.from(key).toString('hex'));
  }
  const dir = mkdtempSync(join(tmpdir(), 'objects-'));
  try {
    const s = await EmbeddedObjectStore.open(dir);
    await s.createBucket('tidy', 'us-east-1', new Date());
    await s.putObject('tidy', '../../escape', { body: Buffer.from('x') }, new Date());
    assert.deepEqual(readdirSync(join(dir, '.tmp')), []);
    assert.deepEqual(readdirSync(dir).sort(), ['.tmp', 'tidy']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('embedded: opening sweeps temp files older than an hour and keeps fresh ones (a sibling may be writing)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'objects-'));
  try {
    await EmbeddedObjectStore.open(dir);
    writeFileSync(join(dir, '.tmp', 'old'), 'x');
    writeFileSync(join(dir, '.tmp', 'fresh'), 'x');
    const past = new Date(Date.now() - 2 * 3600_000);
    utimesSync(join(dir, '.tmp', 'old'), past, past);
    await EmbeddedObjectStore.open(dir);
    assert.equal(existsSync(join(dir, '.tmp', 'old')), false);
    assert.equal(existsSync(join(dir, '.tmp', 'fresh')), true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('embedded: an upload and its parts live under the bucket until completed or aborted, across reopening; no temp files remain', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'objects-'));
  try {
    const s = await EmbeddedObjectStore.open(dir);
    await s.createBucket('uploads', 'us-east-1', new Date());
    const kept = await s.createMultipartUpload('uploads', 'k', { metadata: { m: 'v' } }, new Date());
    const part = await s.uploadPart('uploads', 'k', kept.uploadId, 1, Buffer.from('part'), undefined, new Date());
    const dropped = await s.createMultipartUpload('uploads', 'k', {}, new Date());
    assert.deepEqual(readdirSync(join(dir, 'uploads', 'uploads')).sort(), [kept.uploadId, dropped.uploadId].sort());
    const again = await EmbeddedObjectStore.open(dir);
    assert.deepEqual(
      (await again.listParts('uploads', 'k', kept.uploadId, { maxParts: 10 })).parts.map((p) => p.etag),
      [part.etag],
    );
    await again.abortMultipartUpload('uploads', 'k', dropped.uploadId);
    const info = await again.completeMultipartUpload('uploads', 'k', kept.uploadId, [{ partNumber: 1, etag: part.etag }], new Date());
    assert.deepEqual([info.size, info.metadata], [4, { m: 'v' }]);
    assert.deepEqual(readdirSync(join(dir, 'uploads', 'uploads')), []);
    assert.deepEqual(readdirSync(join(dir, '.tmp')), []);
    await again.deleteObject('uploads', 'k');
    await again.deleteBucket('uploads');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('embedded: a bucket comes with its initial configurations in its directory, or not at all', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'objects-'));
  try {
    const s = await EmbeddedObjectStore.open(dir);
    await s.createBucket('with-config', 'us-east-1', new Date(), undefined, { configs: { encryption: '{"e":1}', 'ownership-controls': '{"o":1}' } });
    // on disk before anything else is written: config/<name>.json beside bucket.json (docs/s3.md#bucket-configuration)
    assert.deepEqual(readdirSync(join(dir, 'with-config', 'config')).sort(), ['encryption.json', 'ownership-controls.json']);
    // a configuration that cannot be written: no bucket, and no temp directory left
    await assert.rejects(s.createBucket('bad-config', 'us-east-1', new Date(), undefined, { configs: { 'Not A Name': '{}' } as never }));
    assert.equal(await s.getBucket('bad-config'), undefined);
    assert.deepEqual(readdirSync(join(dir, '.tmp')), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
