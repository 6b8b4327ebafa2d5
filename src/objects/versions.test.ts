/** Versions in the embedded store (versions.ts): ids, null versions, delete markers, listing pages, Object Lock, reopening. */
import assert from 'node:assert/strict';
import { linkSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EmbeddedObjectStore } from './embedded.ts';
import { objectPath } from './files.ts';
import { newVersionId, VERSION_ID, versionDir } from './versions.ts';
import { ObjectStoreError } from './types.ts';

const T0 = new Date('2026-11-24T10:00:00.000Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);

async function withStore(fn: (s: EmbeddedObjectStore, dir: string) => Promise<void>) {
  const dir = mkdtempSync(join(tmpdir(), 'versions-'));
  try {
    await fn(await EmbeddedObjectStore.open(dir), dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const text = async (s: EmbeddedObjectStore, key: string, versionId?: string) =>
  (await s.getObject('vbk', key, undefined, versionId ? { versionId } : undefined))?.body.toString();

test('versions: an existing object becomes the null version; each write adds a version; reads by id', async () => {
  await withStore(async (s, dir) => {
    await s.createBucket('vbk', 'us-east-1', T0);
    const legacy = await s.putObject('vbk', 'k', { body: Buffer.from('v0') }, T0);
    assert.equal(legacy.versionId, undefined);
    await s.putBucketVersioning('vbk', 'Enabled');
    assert.equal((await s.getBucket('vbk'))?.versioning, 'Enabled');
    assert.equal((await s.headObject('vbk', 'k'))?.versionId, 'null');
    const v1 = await s.putObject('vbk', 'k', { body: Buffer.from('v1') }, at(1));
    const v2 = await s.putObject('vbk', 'k', { body: Buffer.from('v2') }, at(2));
    assert.match(v1.versionId!, /^[0-9A-Za-z_-]{32}$/);
    assert.notEqual(v1.versionId, v2.versionId);
    assert.deepEqual([await text(s, 'k'), await text(s, 'k', 'null'), await text(s, 'k', v1.versionId)], ['v2', 'v0', 'v1']);
    const page = await s.listObjectVersions('vbk', { maxKeys: 1000 });
    assert.deepEqual(
      page.versions.map((v) => [v.versionId, v.isLatest, v.size]),
      [
        [v2.versionId, true, 2],
        [v1.versionId, false, 2],
        ['null', false, 2],
      ],
    );
    // survives reopening the store
    const again = await EmbeddedObjectStore.open(dir);
    assert.equal((await again.listObjectVersions('vbk', { maxKeys: 1000 })).versions.length, 3);
    assert.equal((await again.getObject('vbk', 'k'))?.body.toString(), 'v2');
  });
});

test('versions: delete markers hide the key from reads and listing; deleting the marker brings it back', async () => {
  await withStore(async (s) => {
    await s.createBucket('vbk', 'us-east-1', T0);
    await s.putBucketVersioning('vbk', 'Enabled');
    const v1 = await s.putObject('vbk', 'a/k', { body: Buffer.from('one') }, at(1));
    const del = await s.deleteObject('vbk', 'a/k', { now: at(2) });
    assert.equal(del.deleteMarker, true);
    assert.match(del.versionId!, /^[0-9A-Za-z_-]{32}$/);
    assert.equal(await s.getObject('vbk', 'a/k'), undefined);
    const marker = await s.headObject('vbk', 'a/k', { deleteMarkers: true });
    assert.deepEqual([marker?.deleteMarker, marker?.versionId], [true, del.versionId]);
    assert.deepEqual((await s.listObjects('vbk', { maxKeys: 1000 })).objects, []);
    assert.deepEqual((await s.listObjects('vbk', { maxKeys: 1000, delimiter: '/' })).commonPrefixes, []);
    assert.equal(await text(s, 'a/k', v1.versionId), 'one');
    const page = await s.listObjectVersions('vbk', { maxKeys: 1000 });
    assert.deepEqual(
      page.versions.map((v) => [v.versionId, v.isLatest, v.deleteMarker === true]),
      [
        [del.versionId, true, true],
        [v1.versionId, false, false],
      ],
    );
    assert.equal((await s.deleteObject('vbk', 'a/k', { versionId: del.versionId })).deleteMarker, true);
    assert.equal(await text(s, 'a/k'), 'one');
    await s.deleteObject('vbk', 'a/k', { versionId: v1.versionId });
    assert.equal(await s.getObject('vbk', 'a/k'), undefined);
    await s.deleteBucket('vbk');
  });
});

test('versions: a bucket with versions or markers left is not empty', async () => {
  await withStore(async (s) => {
    await s.createBucket('vbk', 'us-east-1', T0);
    await s.putBucketVersioning('vbk', 'Enabled');
    await s.putObject('vbk', 'k', { body: Buffer.from('x') }, at(1));
    await s.deleteObject('vbk', 'k', { now: at(2) });
    await assert.rejects(s.deleteBucket('vbk'), (e: unknown) => e instanceof ObjectStoreError && e.code === 'BucketNotEmpty');
  });
});

test('versions: Suspended writes and deletes replace the null version', async () => {
  await withStore(async (s) => {
    await s.createBucket('vbk', 'us-east-1', T0);
    await s.putBucketVersioning('vbk', 'Enabled');
    const v1 = await s.putObject('vbk', 'k', { body: Buffer.from('v1') }, at(1));
    await s.putBucketVersioning('vbk', 'Suspended');
    const n1 = await s.putObject('vbk', 'k', { body: Buffer.from('n1') }, at(2));
    const n2 = await s.putObject('vbk', 'k', { body: Buffer.from('n2') }, at(3));
    assert.deepEqual([n1.versionId, n2.versionId], ['null', 'null']);
    const versions = async () => (await s.listObjectVersions('vbk', { maxKeys: 1000 })).versions.map((v) => [v.versionId, v.deleteMarker === true]);
    assert.deepEqual(await versions(), [
      ['null', false],
      [v1.versionId, false],
    ]);
    assert.equal(await text(s, 'k'), 'n2');
    const d = await s.deleteObject('vbk', 'k', { now: at(4) });
    assert.deepEqual(d, { versionId: 'null', deleteMarker: true });
    assert.deepEqual(await versions(), [
      ['null', true],
      [v1.versionId, false],
    ]);
  });
});

test('versions: ListObjectVersions pages by key and version id markers, and rolls up common prefixes', async () => {
  await withStore(async (s) => {
    await s.createBucket('vbk', 'us-east-1', T0);
    await s.putBucketVersioning('vbk', 'Enabled');
    const ids: string[] = [];
    for (const [i, key] of ['a', 'a', 'b', 'd/1', 'd/2', 'e'].entries())
      ids.push((await s.putObject('vbk', key, { body: Buffer.from(key) }, at(i))).versionId!);
    const seen: string[] = [];
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    for (let n = 0; n < 10; n++) {
      const p = await s.listObjectVersions('vbk', {
        maxKeys: 2,
        delimiter: '/',
        ...(keyMarker ? { keyMarker } : {}),
        ...(versionIdMarker ? { versionIdMarker } : {}),
      });
      seen.push(...p.versions.map((v) => `${v.key}@${v.versionId}`), ...p.commonPrefixes);
      if (!p.isTruncated) break;
      keyMarker = p.nextKeyMarker;
      versionIdMarker = p.nextVersionIdMarker;
    }
    assert.deepEqual(seen, [`a@${ids[1]}`, `a@${ids[0]}`, `b@${ids[2]}`, 'd/', `e@${ids[5]}`]);
  });
});

test('versions: Object Lock default retention applies to new versions; locked versions cannot be deleted until retain-until', async () => {
  await withStore(async (s, dir) => {
    await s.createBucket('vbk', 'us-east-1', T0, undefined, { objectLock: true });
    assert.deepEqual([(await s.getBucket('vbk'))?.versioning, (await s.getBucket('vbk'))?.objectLock], ['Enabled', true]);
    await s.putBucketConfig(
      'vbk',
      'object-lock',
      JSON.stringify({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 1 } } }),
    );
    const v = await s.putObject('vbk', 'log', { body: Buffer.from('x') }, T0);
    assert.deepEqual(v.lock, { mode: 'COMPLIANCE', retainUntil: new Date('2026-11-25T10:00:00.000Z') });
    const locked = (p: Promise<unknown>) => assert.rejects(p, (e: unknown) => e instanceof ObjectStoreError && e.code === 'ObjectLocked');
    await locked(s.deleteObject('vbk', 'log', { versionId: v.versionId, now: at(3600), bypassGovernance: true }));
    // a delete marker is allowed, and the version stays
    assert.equal((await s.deleteObject('vbk', 'log', { now: at(10) })).deleteMarker, true);
    assert.equal(await text(s, 'log', v.versionId), 'x');
    const g = await s.putObject('vbk', 'gov', { body: Buffer.from('g'), lock: { mode: 'GOVERNANCE', retainUntil: at(60) } }, T0);
    await locked(s.deleteObject('vbk', 'gov', { versionId: g.versionId, now: at(1) }));
    await s.deleteObject('vbk', 'gov', { versionId: g.versionId, now: at(1), bypassGovernance: true });
    const h = await s.putObject('vbk', 'held', { body: Buffer.from('h'), lock: { legalHold: true } }, T0);
    assert.equal(h.lock?.mode, 'COMPLIANCE'); // the default retention still applies
    await s.updateObject('vbk', 'held', h.versionId, { lock: { legalHold: false } });
    await locked(s.deleteObject('vbk', 'held', { versionId: h.versionId, now: at(3600) }));
    await s.deleteObject('vbk', 'held', { versionId: h.versionId, now: at(86400) });
    await s.deleteObject('vbk', 'log', { versionId: v.versionId, now: at(86400) });
    assert.equal(await text(s, 'log', v.versionId), undefined);
    assert.deepEqual(readdirSync(join(dir, '.tmp')), []);
  });
});

test('versions: tags are kept per version and rewritten in place', async () => {
  await withStore(async (s) => {
    await s.createBucket('vbk', 'us-east-1', T0);
    const plain = await s.putObject('vbk', 'p', { body: Buffer.from('p'), tags: [{ key: 'a', value: '1' }] }, T0);
    assert.deepEqual(plain.tags, [{ key: 'a', value: '1' }]);
    await s.updateObject('vbk', 'p', undefined, { tags: [] });
    assert.equal((await s.headObject('vbk', 'p'))?.tags, undefined);
    assert.equal(await text(s, 'p'), 'p');
    await s.putBucketVersioning('vbk', 'Enabled');
    const v1 = await s.putObject('vbk', 'k', { body: Buffer.from('1') }, at(1));
    await s.putObject('vbk', 'k', { body: Buffer.from('2') }, at(2));
    await s.updateObject('vbk', 'k', v1.versionId, { tags: [{ key: 'old', value: 'yes' }] });
    assert.deepEqual((await s.headObject('vbk', 'k', { versionId: v1.versionId }))?.tags, [{ key: 'old', value: 'yes' }]);
    assert.equal((await s.headObject('vbk', 'k'))?.tags, undefined);
    await s.updateObject('vbk', 'k', undefined, { tags: [{ key: 'new', value: 'yes' }] });
    assert.deepEqual((await s.headObject('vbk', 'k'))?.tags, [{ key: 'new', value: 'yes' }]);
    assert.equal(await text(s, 'k'), '2');
  });
});

test('versions: a crash between writing a version and linking keys/ to it is repaired when the store opens', async () => {
  await withStore(async (s, dir) => {
    assert.equal(await s.recovered, 0);
    await s.createBucket('vbk', 'us-east-1', T0);
    await s.putBucketVersioning('vbk', 'Enabled');
    await s.createBucket('plain', 'us-east-1', T0);
    await s.putObject('plain', 'p', { body: Buffer.from('p') }, T0);
    // the state a kill -9 between the two steps leaves: the version file there, keys/ as before it
    const oldest = (key: string) => readdirSync(versionDir(dir, 'vbk', key)).sort()[0]!;
    const linkTo = (key: string, name: string) => {
      const current = objectPath(dir, 'vbk', key);
      linkSync(join(versionDir(dir, 'vbk', key), name), `${current}.crash`);
      renameSync(`${current}.crash`, current);
    };
    await s.putObject('vbk', 'k', { body: Buffer.from('v1') }, at(1));
    const v2 = await s.putObject('vbk', 'k', { body: Buffer.from('v2') }, at(2));
    linkTo('k', oldest('k')); // a new version, keys/ still on v1
    await s.putObject('vbk', 'new', { body: Buffer.from('first') }, at(3));
    rmSync(objectPath(dir, 'vbk', 'new')); // a key's first version, never linked
    await s.putObject('vbk', 'gone', { body: Buffer.from('g') }, at(4));
    const object = oldest('gone');
    await s.deleteObject('vbk', 'gone', { now: at(5) });
    linkTo('gone', object); // a delete marker, keys/ still on the object
    assert.deepEqual([await text(s, 'k'), await text(s, 'new'), await text(s, 'gone')], ['v1', undefined, 'g']);
    await s.deleteObject('vbk', 'marked', { now: at(6) }); // a key whose only version is a marker: nothing to link

    const again = await EmbeddedObjectStore.open(dir);
    assert.equal(await again.recovered, 3);
    assert.equal((await again.getObject('vbk', 'k'))?.info.versionId, v2.versionId);
    assert.deepEqual(
      [
        (await again.getObject('vbk', 'k'))?.body.toString(),
        (await again.getObject('vbk', 'new'))?.body.toString(),
        await again.getObject('vbk', 'gone'),
        (await again.getObject('plain', 'p'))?.body.toString(),
      ],
      ['v2', 'first', undefined, 'p'],
    );
    assert.deepEqual(
      (await again.listObjects('vbk', { maxKeys: 10 })).objects.map((o) => o.key),
      ['k', 'new'],
    );
    // once repaired, nothing more to do
    assert.equal(await (await EmbeddedObjectStore.open(dir)).recovered, 0);
  });
});

test('version ids: 32 URL-safe characters, never a leading dash (a command line would read it as an option)', () => {
  const ids = Array.from({ length: 5_000 }, newVersionId);
  for (const id of ids) assert.match(id, VERSION_ID);
  assert.equal(ids.filter((id) => id.startsWith('-')).length, 0);
  assert.equal(new Set(ids).size, ids.length);
});
