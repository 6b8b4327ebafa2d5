/**
 * S3 Versioning, Object Lock and object tagging (docs/s3.md#versioning, #object-lock,
 * #object-tagging) with /usr/bin/aws s3api and @aws-sdk/client-s3, across a kill -9; and a trail
 * delivering into a bucket with Object Lock: its log files are kept (COMPLIANCE: not even root may
 * delete them) until retain-until, which a node with a shifted clock passes; `aws cloudtrail
 * validate-logs` validates them.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  S3Client,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
  PutObjectTaggingCommand,
} from '@aws-sdk/client-s3';
import { startServer, type TestServer } from './helpers/server.ts';
import { awsCli, sdkConfig } from './helpers/clients.ts';
import { cloudTrailBucketPolicy, listKeys, officialValidateLogs, waitFor } from './helpers/delivery.ts';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const ACCOUNT = '000000000000';
let server: TestServer;
const s3 = (endpoint = server.endpoint, clockOffsetMs = 0) =>
  new S3Client({ ...sdkConfig(endpoint, server.root), forcePathStyle: true, ...(clockOffsetMs ? { systemClockOffset: clockOffsetMs } : {}) });
const cli = (args: string[]) => awsCli(server.endpoint, server.root, args);
const ok = (args: string[]) => {
  const r = cli(args);
  assert.equal(r.status, 0, r.stderr);
  return r.json;
};
const rejects = async (p: Promise<unknown>) =>
  p.then(
    () => assert.fail('expected a failure'),
    (e) => e as { name: string; $metadata: { httpStatusCode?: number } },
  );

before(async () => {
  server = await startServer({ STARTRAIL_DELIVERY_INTERVAL: '1', STARTRAIL_DIGEST_INTERVAL: '3' });
});
after(async () => {
  await server?.dispose();
});

test('versioning with the CLI and the SDK: version ids, delete markers, reads and deletes by version, ListObjectVersions, tags; kept across kill -9', async () => {
  const c = s3();
  ok(['s3api', 'create-bucket', '--bucket', 'e2e-versions']);
  assert.equal(cli(['s3api', 'get-bucket-versioning', '--bucket', 'e2e-versions']).stdout.trim(), '');
  ok(['s3api', 'put-object', '--bucket', 'e2e-versions', '--key', 'doc.txt', '--body', '/etc/hostname']);
  ok(['s3api', 'put-bucket-versioning', '--bucket', 'e2e-versions', '--versioning-configuration', 'Status=Enabled']);
  assert.equal(ok(['s3api', 'get-bucket-versioning', '--bucket', 'e2e-versions']).Status, 'Enabled');
  const v1 = (await c.send(new PutObjectCommand({ Bucket: 'e2e-versions', Key: 'doc.txt', Body: 'one', Tagging: 'gen=1' }))).VersionId ?? '';
  const v2 = ok(['s3api', 'put-object', '--bucket', 'e2e-versions', '--key', 'doc.txt', '--body', '/etc/hostname']).VersionId;
  assert.match(v1, /^[0-9A-Za-z_-]{32}$/);
  assert.notEqual(v1, v2);
  const got = await c.send(new GetObjectCommand({ Bucket: 'e2e-versions', Key: 'doc.txt', VersionId: v1 }));
  assert.deepEqual([await got.Body?.transformToString(), got.VersionId, got.TagCount], ['one', v1, 1]);
  assert.deepEqual((await c.send(new GetObjectTaggingCommand({ Bucket: 'e2e-versions', Key: 'doc.txt', VersionId: v1 }))).TagSet, [{ Key: 'gen', Value: '1' }]);
  ok(['s3api', 'put-object-tagging', '--bucket', 'e2e-versions', '--key', 'doc.txt', '--version-id', v2, '--tagging', 'TagSet=[{Key=gen,Value=2}]']);
  assert.deepEqual(ok(['s3api', 'get-object-tagging', '--bucket', 'e2e-versions', '--key', 'doc.txt']).TagSet, [{ Key: 'gen', Value: '2' }]);
  const bad = await rejects(
    c.send(new PutObjectTaggingCommand({ Bucket: 'e2e-versions', Key: 'doc.txt', Tagging: { TagSet: [{ Key: 'aws:x', Value: '1' }] } })),
  );
  assert.equal(bad.name, 'InvalidTag');

  const marker = ok(['s3api', 'delete-object', '--bucket', 'e2e-versions', '--key', 'doc.txt']);
  assert.equal(marker.DeleteMarker, true);
  const gone = await rejects(c.send(new GetObjectCommand({ Bucket: 'e2e-versions', Key: 'doc.txt' })));
  assert.equal(gone.name, 'NoSuchKey');
  assert.match(cli(['s3api', 'head-object', '--bucket', 'e2e-versions', '--key', 'doc.txt', '--version-id', marker.VersionId]).stderr, /405/);
  const list = ok(['s3api', 'list-object-versions', '--bucket', 'e2e-versions']);
  assert.deepEqual(
    list.Versions.map((v: { VersionId: string; IsLatest: boolean }) => [v.VersionId, v.IsLatest]),
    [
      [v2, false],
      [v1, false],
      ['null', false],
    ],
  );
  assert.deepEqual([list.DeleteMarkers[0].VersionId, list.DeleteMarkers[0].IsLatest], [marker.VersionId, true]);
  assert.equal(ok(['s3api', 'list-objects-v2', '--bucket', 'e2e-versions'])?.Contents, undefined);
  // copy an old version back as the newest
  const copied = ok(['s3api', 'copy-object', '--bucket', 'e2e-versions', '--key', 'doc.txt', '--copy-source', `e2e-versions/doc.txt?versionId=${v1}`]);
  assert.equal(copied.CopySourceVersionId, v1);
  c.destroy();

  await server.kill();
  await server.restart();
  const d = s3();
  const current = await d.send(new GetObjectCommand({ Bucket: 'e2e-versions', Key: 'doc.txt' }));
  assert.deepEqual([await current.Body?.transformToString(), current.VersionId], ['one', copied.VersionId]);
  const pages: string[] = [];
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    const p = await d.send(new ListObjectVersionsCommand({ Bucket: 'e2e-versions', MaxKeys: 2, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }));
    pages.push(...(p.Versions ?? []).map((v) => v.VersionId ?? ''), ...(p.DeleteMarkers ?? []).map((m) => `marker:${m.VersionId}`));
    if (!p.IsTruncated) break;
    keyMarker = p.NextKeyMarker;
    versionIdMarker = p.NextVersionIdMarker;
  }
  assert.deepEqual(pages.sort(), [copied.VersionId, v2, v1, 'null', `marker:${marker.VersionId}`].sort());
  await d.send(new DeleteObjectCommand({ Bucket: 'e2e-versions', Key: 'doc.txt', VersionId: copied.VersionId }));
  assert.equal((await rejects(d.send(new HeadObjectCommand({ Bucket: 'e2e-versions', Key: 'doc.txt' })))).$metadata.httpStatusCode, 404);
  assert.equal(ok(['s3api', 'put-bucket-versioning', '--bucket', 'e2e-versions', '--versioning-configuration', 'Status=Suspended']) ?? null, null);
  const suspended = await d.send(new PutObjectCommand({ Bucket: 'e2e-versions', Key: 'doc.txt', Body: 'null again' }));
  assert.equal(suspended.VersionId, 'null');
  // lifecycle rules with the CLI (the sweep itself: src/services/s3/lifecycle.test.ts)
  assert.match(cli(['s3api', 'get-bucket-lifecycle-configuration', '--bucket', 'e2e-versions']).stderr, /NoSuchLifecycleConfiguration/);
  const rules = JSON.stringify({
    Rules: [
      { ID: 'old-versions', Status: 'Enabled', Filter: { Prefix: '' }, NoncurrentVersionExpiration: { NoncurrentDays: 30, NewerNoncurrentVersions: 3 } },
      { ID: 'uploads', Status: 'Enabled', Filter: { Prefix: '' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } },
    ],
  });
  ok(['s3api', 'put-bucket-lifecycle-configuration', '--bucket', 'e2e-versions', '--lifecycle-configuration', rules]);
  const lc = ok(['s3api', 'get-bucket-lifecycle-configuration', '--bucket', 'e2e-versions']);
  assert.deepEqual(
    lc.Rules.map((r: { ID: string }) => r.ID),
    ['old-versions', 'uploads'],
  );
  assert.equal(lc.Rules[0].NoncurrentVersionExpiration.NewerNoncurrentVersions, 3);
  const badRules = JSON.stringify({ Rules: [{ ID: 'x', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 0 } }] });
  assert.match(
    cli(['s3api', 'put-bucket-lifecycle-configuration', '--bucket', 'e2e-versions', '--lifecycle-configuration', badRules]).stderr,
    /InvalidArgument/,
  );
  d.destroy();
});

test('a trail delivers into a bucket with Object Lock: COMPLIANCE log files root cannot delete until retain-until (a node with a shifted clock), validate-logs valid', async () => {
  const BUCKET = 'e2e-locked-trail';
  const TRAIL = 'locked-trail';
  const c = s3();
  await c.send(new CreateBucketCommand({ Bucket: BUCKET, ObjectLockEnabledForBucket: true }));
  assert.equal(ok(['s3api', 'get-object-lock-configuration', '--bucket', BUCKET]).ObjectLockConfiguration.ObjectLockEnabled, 'Enabled');
  assert.match(cli(['s3api', 'put-bucket-versioning', '--bucket', BUCKET, '--versioning-configuration', 'Status=Suspended']).stderr, /InvalidBucketState/);
  await c.send(
    new PutObjectLockConfigurationCommand({
      Bucket: BUCKET,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 1 } } },
    }),
  );
  assert.deepEqual(ok(['s3api', 'get-object-lock-configuration', '--bucket', BUCKET]).ObjectLockConfiguration.Rule.DefaultRetention, {
    Mode: 'COMPLIANCE',
    Days: 1,
  });
  // a PutObject into it needs an integrity header, as on AWS: the CLI sends Content-MD5, the SDK a checksum
  const md5 = createHash('md5').update('x').digest('base64');
  ok(['s3api', 'put-object', '--bucket', BUCKET, '--key', 'by-cli', '--body', '/etc/hostname']);
  await c.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'manual', Body: 'x', ContentMD5: md5 }));
  const held = ok(['s3api', 'get-object-retention', '--bucket', BUCKET, '--key', 'manual']);
  assert.equal(held.Retention.Mode, 'COMPLIANCE');

  ok(['s3api', 'put-bucket-policy', '--bucket', BUCKET, '--policy', cloudTrailBucketPolicy(BUCKET, ACCOUNT)]);
  ok(['cloudtrail', 'create-trail', '--name', TRAIL, '--s3-bucket-name', BUCKET, '--enable-log-file-validation']);
  const started = new Date(Date.now() - 60_000);
  ok(['cloudtrail', 'start-logging', '--name', TRAIL]);
  for (let i = 0; i < 3; i++) ok(['s3api', 'list-buckets']);
  const prefix = `AWSLogs/${ACCOUNT}/CloudTrail/`;
  const logKey = await waitFor('a delivered log file', async () => (await listKeys(c, BUCKET, prefix))[0]);
  await waitFor('a digest', async () => (await listKeys(c, BUCKET, `AWSLogs/${ACCOUNT}/CloudTrail-Digest/`)).length > 0);
  ok(['cloudtrail', 'stop-logging', '--name', TRAIL]);

  const versions = ok(['s3api', 'list-object-versions', '--bucket', BUCKET, '--prefix', logKey]).Versions;
  assert.equal(versions.length, 1);
  const logVersion = versions[0].VersionId as string;
  const retention = ok(['s3api', 'get-object-retention', '--bucket', BUCKET, '--key', logKey, '--version-id', logVersion]).Retention;
  assert.equal(retention.Mode, 'COMPLIANCE');
  const denied = cli(['s3api', 'delete-object', '--bucket', BUCKET, '--key', logKey, '--version-id', logVersion, '--bypass-governance-retention']);
  assert.match(denied.stderr, /AccessDenied/);
  assert.match(
    cli([
      's3api',
      'put-object-retention',
      '--bucket',
      BUCKET,
      '--key',
      logKey,
      '--version-id',
      logVersion,
      '--retention',
      `Mode=GOVERNANCE,RetainUntilDate=${new Date(Date.now() + 3600_000).toISOString()}`,
    ]).stderr,
    /AccessDenied/,
  );
  // a delete marker is allowed, and the chain still validates (validate-logs reads the versions it names)
  const marker = await c.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'manual' }));
  assert.equal(marker.DeleteMarker, true);
  const v = officialValidateLogs(server.endpoint, server.endpoint, server.root, [
    '--trail-arn',
    `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${TRAIL}`,
    '--start-time',
    started.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  ]);
  assert.equal(v.status, 0, v.stdout + v.stderr);
  assert.match(v.stdout, /(\d+)\/\1 log files valid/);
  c.destroy();

  // two days later (a node whose clock is ahead; the client signs with the same offset), root may delete it
  const offset = 2 * 86400;
  const later = await server.startSibling({ STARTRAIL_CLOCK_OFFSET_SECONDS: String(offset) });
  try {
    // one client per call: the SDK resets its clock offset from each reply's Date header (the real time)
    const ahead = () => s3(later.endpoint, offset * 1000);
    await ahead().send(new DeleteObjectCommand({ Bucket: BUCKET, Key: logKey, VersionId: logVersion }));
    const after = await ahead().send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: logKey }));
    assert.equal(after.Versions, undefined);
  } finally {
    await later.stop();
  }
});
