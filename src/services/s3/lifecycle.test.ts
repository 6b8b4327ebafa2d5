/** Lifecycle rules (lifecycle.ts): S3's checks, and the sweep (lifecycle-sweep.ts) on an injected clock over the embedded store. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EmbeddedObjectStore } from '../../objects/index.ts';
import { checkLifecycle } from './lifecycle.ts';
import { dueAt, sweepLifecycle } from './lifecycle-sweep.ts';
import type { LifecycleRule } from './model.generated.ts';

const T0 = new Date('2026-11-24T10:00:00.000Z');
const days = (n: number) => new Date(T0.getTime() + n * 86_400_000);
const ids = () => 'generated-id';
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as { code: string }).code;
  }
  return 'ok';
};
const rule = (r: Partial<LifecycleRule>): LifecycleRule => ({ Status: 'Enabled', Filter: { Prefix: '' }, ...r });

test('lifecycle configuration: S3’s checks (MalformedXML, InvalidArgument, InvalidRequest); rules get an ID', () => {
  assert.deepEqual(checkLifecycle({ Rules: [rule({ Expiration: { Days: 1 } })] }, ids).Rules[0]?.ID, 'generated-id');
  const bad: [Partial<LifecycleRule>[], string][] = [
    [[], 'MalformedXML'],
    [[{ Status: 'On' as never, Expiration: { Days: 1 } }], 'MalformedXML'],
    [[{ Filter: { Prefix: 'a' } }], 'MalformedXML'],
    [[{ Expiration: { Days: 1, ExpiredObjectDeleteMarker: true } }], 'MalformedXML'],
    [[{ Filter: { Prefix: 'a', Tag: { Key: 'k', Value: 'v' } }, Expiration: { Days: 1 } }], 'MalformedXML'],
    [[{ Expiration: { Days: 0 } }], 'InvalidArgument'],
    [[{ Expiration: { Date: new Date('2026-12-01T10:00:00Z') } }], 'InvalidArgument'],
    [[{ NoncurrentVersionExpiration: { NoncurrentDays: 1, NewerNoncurrentVersions: 101 } }], 'InvalidArgument'],
    [[{ Filter: { Tag: { Key: 'k', Value: 'v' } }, Expiration: { ExpiredObjectDeleteMarker: true } }], 'InvalidRequest'],
    [[{ Filter: { Tag: { Key: 'k', Value: 'v' } }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }], 'InvalidRequest'],
    [[{ Filter: { And: { ObjectSizeGreaterThan: 10, ObjectSizeLessThan: 5 } }, Expiration: { Days: 1 } }], 'InvalidArgument'],
    [[{ Transitions: [{ Days: 30, StorageClass: 'STANDARD' as never }] }], 'MalformedXML'],
    [
      [
        { ID: 'same', Expiration: { Days: 1 } },
        { ID: 'same', Expiration: { Days: 2 } },
      ],
      'InvalidArgument',
    ],
  ];
  for (const [rules, expected] of bad)
    assert.equal(
      code(() => checkLifecycle({ Rules: rules.map(rule) }, ids)),
      expected,
      JSON.stringify(rules),
    );
  assert.equal(
    code(() => checkLifecycle({ Rules: [rule({ Transitions: [{ Days: 30, StorageClass: 'GLACIER' }] })] }, ids)),
    'ok',
  );
});

test('dueAt: creation plus days, rounded up to the next midnight UTC', () => {
  assert.equal(dueAt(T0, 1).toISOString(), '2026-11-26T00:00:00.000Z');
  assert.equal(dueAt(new Date('2026-11-24T00:00:00Z'), 1).toISOString(), '2026-11-25T00:00:00.000Z');
});

test('the sweep: expiration (marker in versioned buckets), noncurrent versions, expired delete markers, uploads, filters, Object Lock', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lifecycle-'));
  try {
    const s = await EmbeddedObjectStore.open(dir);
    const put = (b: string, key: string, at: Date, extra: object = {}) => s.putObject(b, key, { body: Buffer.from(key), ...extra }, at);
    const config = (b: string, rules: Partial<LifecycleRule>[]) =>
      s.putBucketConfig(b, 'lifecycle', JSON.stringify(checkLifecycle({ Rules: rules.map(rule) }, ids)));
    // unversioned: logs/ expire after 1 day, big objects only under big/, tagged ones under tagged/
    await s.createBucket('lc-plain', 'us-east-1', T0);
    await config('lc-plain', [
      { ID: 'logs', Filter: { Prefix: 'logs/' }, Expiration: { Days: 1 } },
      { ID: 'big', Filter: { And: { Prefix: 'big/', ObjectSizeGreaterThan: 3 } }, Expiration: { Days: 1 } },
      { ID: 'tagged', Filter: { Tag: { Key: 'temp', Value: 'yes' } }, Expiration: { Days: 1 } },
      { ID: 'off', Status: 'Disabled', Filter: { Prefix: 'keep/' }, Expiration: { Days: 1 } },
      { ID: 'mpu', Filter: { Prefix: '' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 } },
    ]);
    for (const k of ['logs/a', 'keep/a', 'big/abcdef', 'other']) await put('lc-plain', k, T0);
    await put('lc-plain', 'big/a', T0, { body: Buffer.from('x') });
    await put('lc-plain', 'tmp', T0, { tags: [{ key: 'temp', value: 'yes' }] });
    const upload = await s.createMultipartUpload('lc-plain', 'mpu', {}, T0);
    assert.deepEqual(await sweepLifecycle(s, days(1)), { expired: 0, markersRemoved: 0, noncurrentRemoved: 0, uploadsAborted: 0, keptByLock: 0 });
    const r = await sweepLifecycle(s, days(2));
    assert.deepEqual([r.expired, r.uploadsAborted], [3, 0]);
    assert.deepEqual(
      (await s.listObjects('lc-plain', { maxKeys: 100 })).objects.map((o) => o.key),
      ['big/a', 'keep/a', 'other'],
    );
    assert.equal((await sweepLifecycle(s, days(3))).uploadsAborted, 1);
    assert.deepEqual((await s.listMultipartUploads('lc-plain', { maxUploads: 10 })).uploads, []);
    assert.ok(upload.uploadId);

    // versioned: expiration adds a marker; noncurrent versions go after NoncurrentDays keeping 1 newer; then the lone marker goes
    await s.createBucket('lc-versioned', 'us-east-1', T0);
    await s.putBucketVersioning('lc-versioned', 'Enabled');
    await config('lc-versioned', [
      { ID: 'exp', Expiration: { Days: 10 } },
      { ID: 'nc', NoncurrentVersionExpiration: { NoncurrentDays: 1, NewerNoncurrentVersions: 1 } },
      { ID: 'markers', Expiration: { ExpiredObjectDeleteMarker: true } },
    ]);
    const v1 = await put('lc-versioned', 'k', T0);
    const v2 = await put('lc-versioned', 'k', days(1));
    const v3 = await put('lc-versioned', 'k', days(2));
    const versions = async () => (await s.listObjectVersions('lc-versioned', { maxKeys: 100 })).versions.map((v) => (v.deleteMarker ? 'marker' : v.versionId));
    assert.equal((await sweepLifecycle(s, days(3))).noncurrentRemoved, 1); // v1 (noncurrent since day 1), one newer noncurrent (v2) kept
    assert.deepEqual(await versions(), [v3.versionId, v2.versionId]);
    assert.ok(!(await versions()).includes(v1.versionId ?? ''));
    assert.equal((await sweepLifecycle(s, days(13))).expired, 1);
    assert.deepEqual(await versions(), ['marker', v3.versionId, v2.versionId]);
    await sweepLifecycle(s, days(16));
    assert.deepEqual(await versions(), ['marker', v3.versionId]);
    // the last noncurrent version is kept (NewerNoncurrentVersions: 1 is about newer ones only; v3 has none newer) until it goes the same way
    await s.deleteObject('lc-versioned', 'k', { versionId: v3.versionId });
    assert.equal((await sweepLifecycle(s, days(17))).markersRemoved, 1);
    assert.deepEqual(await versions(), []);

    // Object Lock: a version under retention is kept
    await s.createBucket('lc-locked', 'us-east-1', T0, undefined, { objectLock: true });
    await config('lc-locked', [{ ID: 'nc', NoncurrentVersionExpiration: { NoncurrentDays: 1 } }]);
    const locked = await put('lc-locked', 'k', T0, { lock: { mode: 'COMPLIANCE', retainUntil: days(30) } });
    await put('lc-locked', 'k', T0);
    const kept = await sweepLifecycle(s, days(5));
    assert.deepEqual([kept.noncurrentRemoved, kept.keptByLock], [0, 1]);
    assert.equal((await s.headObject('lc-locked', 'k', { versionId: locked.versionId }))?.size, 1);
    assert.equal((await sweepLifecycle(s, days(31))).noncurrentRemoved, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
