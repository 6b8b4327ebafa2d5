/**
 * S3 Versioning, Object Lock and object tagging through the pipeline (docs/s3.md#versioning,
 * #object-lock, #object-tagging): signed requests, AWS's headers and errors, IAM actions, records.
 */
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { allow, harness, type Credentials, type Harness, type SendOptions } from './testing.ts';

let h: Harness;
const s3 = (o: Partial<SendOptions>, credentials?: Credentials) =>
  h.send({ service: 's3', method: 'GET', path: '/', ...o, ...(credentials ? { credentials } : {}) });
const code = (text: string) => /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
const md5 = (body: string) => createHash('md5').update(body).digest('base64');
const xmlBody = (body: string) => ({ body, headers: { 'content-md5': md5(body) } });
const versioning = (status: string) =>
  xmlBody(`<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>${status}</Status></VersioningConfiguration>`);

before(async () => {
  h = await harness();
});
after(async () => {
  await h.close();
});

test('versioning: empty until enabled; version ids on writes; delete markers; reads by version; ListObjectVersions', async () => {
  assert.equal((await s3({ method: 'PUT', path: '/ver-bucket' })).status, 200);
  const before = await s3({ path: '/ver-bucket', query: { versioning: '' } });
  assert.equal(before.status, 200);
  assert.equal(before.xml().VersioningConfiguration, '');
  const legacy = await s3({ method: 'PUT', path: '/ver-bucket/k', body: 'v0' });
  assert.equal(legacy.headers['x-amz-version-id'], undefined);
  assert.equal((await s3({ method: 'PUT', path: '/ver-bucket', query: { versioning: '' }, ...versioning('Enabled') })).status, 200);
  assert.equal((await s3({ path: '/ver-bucket', query: { versioning: '' } })).xml().VersioningConfiguration.Status, 'Enabled');
  const p1 = await s3({ method: 'PUT', path: '/ver-bucket/k', body: 'v1' });
  const v1 = p1.headers['x-amz-version-id'] ?? '';
  assert.match(v1, /^[0-9A-Za-z_-]{32}$/);
  const got = await s3({ path: '/ver-bucket/k' });
  assert.deepEqual([got.text, got.headers['x-amz-version-id']], ['v1', v1]);
  assert.equal((await s3({ path: '/ver-bucket/k', query: { versionId: 'null' } })).text, 'v0');
  const del = await s3({ method: 'DELETE', path: '/ver-bucket/k' });
  assert.deepEqual([del.status, del.headers['x-amz-delete-marker']], [204, 'true']);
  const markerId = del.headers['x-amz-version-id'] ?? '';
  const gone = await s3({ path: '/ver-bucket/k' });
  assert.deepEqual([gone.status, code(gone.text), gone.headers['x-amz-delete-marker'], gone.headers['x-amz-version-id']], [404, 'NoSuchKey', 'true', markerId]);
  const onMarker = await s3({ path: '/ver-bucket/k', query: { versionId: markerId } });
  assert.deepEqual([onMarker.status, code(onMarker.text), onMarker.headers['x-amz-delete-marker']], [405, 'MethodNotAllowed', 'true']);
  const bad = await s3({ path: '/ver-bucket/k', query: { versionId: 'not-a-version' } });
  assert.deepEqual([bad.status, code(bad.text)], [400, 'InvalidArgument']);
  const missing = await s3({ path: '/ver-bucket/k', query: { versionId: 'A'.repeat(32) } });
  assert.deepEqual([missing.status, code(missing.text)], [404, 'NoSuchVersion']);
  assert.equal((await s3({ path: '/ver-bucket/k', query: { versionId: v1 } })).text, 'v1');
  const list = (await s3({ path: '/ver-bucket', query: { versions: '' } })).xml().ListVersionsResult;
  const versions = [list.Version].flat().map((v: any) => [v.VersionId, v.IsLatest]);
  assert.deepEqual(versions, [
    [v1, 'false'],
    ['null', 'false'],
  ]);
  assert.deepEqual([list.DeleteMarker.VersionId, list.DeleteMarker.IsLatest], [markerId, 'true']);
  const listed = (await s3({ path: '/ver-bucket', query: { 'list-type': '2' } })).xml().ListBucketResult;
  assert.equal(listed.KeyCount, '0');
  // copy from an old version
  const copy = await s3({ method: 'PUT', path: '/ver-bucket/copied', headers: { 'x-amz-copy-source': `/ver-bucket/k?versionId=${v1}` } });
  assert.equal(copy.status, 200, copy.text);
  assert.equal(copy.headers['x-amz-copy-source-version-id'], v1);
  assert.equal((await s3({ path: '/ver-bucket/copied' })).text, 'v1');
  const copyMarker = await s3({ method: 'PUT', path: '/ver-bucket/c2', headers: { 'x-amz-copy-source': `/ver-bucket/k?versionId=${markerId}` } });
  assert.deepEqual([copyMarker.status, code(copyMarker.text)], [400, 'InvalidRequest']);
  // removing the delete marker brings the object back
  assert.equal((await s3({ method: 'DELETE', path: '/ver-bucket/k', query: { versionId: markerId } })).headers['x-amz-delete-marker'], 'true');
  assert.equal((await s3({ path: '/ver-bucket/k' })).text, 'v1');
  // DeleteObjects with a version id
  const body = `<Delete><Object><Key>k</Key><VersionId>${v1}</VersionId></Object><Object><Key>copied</Key></Object></Delete>`;
  const multi = await s3({ method: 'POST', path: '/ver-bucket', query: { delete: '' }, ...xmlBody(body) });
  assert.equal(multi.status, 200, multi.text);
  const deleted = [multi.xml().DeleteResult.Deleted].flat();
  assert.deepEqual(deleted[0], { Key: 'k', VersionId: v1 });
  assert.equal(deleted[1].DeleteMarker, 'true');
  assert.equal((await s3({ path: '/ver-bucket/k' })).text, 'v0');
  // records: the version id of the call as S3 records it
  const records = await h.records();
  const getV = records.find((r) => r.eventName === 'GetObject' && r.requestParameters?.versionId === v1);
  assert.equal(getV.eventCategory, 'Data');
  const written = records.find((r) => r.eventName === 'PutObject' && r.responseElements?.['x-amz-version-id'] === v1);
  assert.deepEqual(written.responseElements, { 'x-amz-server-side-encryption': 'AES256', 'x-amz-version-id': v1 });
  const marked = records.find((r) => r.eventName === 'DeleteObject' && r.requestParameters.versionId === undefined && r.requestParameters.key === 'k');
  assert.deepEqual(marked.responseElements, { 'x-amz-delete-marker': 'true', 'x-amz-version-id': markerId });
  const removed = records.find((r) => r.eventName === 'DeleteObject' && r.requestParameters.versionId === markerId);
  assert.equal(removed.responseElements['x-amz-version-id'], markerId);
  assert.equal(records.find((r) => r.eventName === 'ListObjectVersions')?.eventCategory, 'Data');
  const put = records.find((r) => r.eventName === 'PutBucketVersioning');
  assert.equal(put.requestParameters.VersioningConfiguration.Status, 'Enabled');
  assert.equal(put.eventCategory, 'Management');
});

test('versioning: the IAM actions of versioned calls (s3:GetObjectVersion, s3:DeleteObjectVersion, s3:ListBucketVersions)', async () => {
  assert.equal((await s3({ method: 'PUT', path: '/ver-iam' })).status, 200);
  assert.equal((await s3({ method: 'PUT', path: '/ver-iam', query: { versioning: '' }, ...versioning('Enabled') })).status, 200);
  const v = (await s3({ method: 'PUT', path: '/ver-iam/k', body: 'x' })).headers['x-amz-version-id'] ?? '';
  const reader = await h.user('plain-reader', allow(['s3:GetObject', 's3:ListBucket', 's3:DeleteObject']));
  assert.equal((await s3({ path: '/ver-iam/k' }, reader)).status, 200);
  assert.equal((await s3({ path: '/ver-iam/k', query: { versionId: v } }, reader)).status, 403);
  assert.equal((await s3({ path: '/ver-iam', query: { versions: '' } }, reader)).status, 403);
  assert.equal((await s3({ method: 'DELETE', path: '/ver-iam/k', query: { versionId: v } }, reader)).status, 403);
  const versioner = await h.user('versioner', allow(['s3:GetObjectVersion', 's3:ListBucketVersions', 's3:DeleteObjectVersion']));
  assert.equal((await s3({ path: '/ver-iam/k', query: { versionId: v } }, versioner)).text, 'x');
  assert.equal((await s3({ path: '/ver-iam', query: { versions: '' } }, versioner)).status, 200);
  assert.equal((await s3({ method: 'DELETE', path: '/ver-iam/k', query: { versionId: v } }, versioner)).status, 204);
  const bad = await s3({
    method: 'PUT',
    path: '/ver-iam',
    query: { versioning: '' },
    ...xmlBody('<VersioningConfiguration><MFADelete>Disabled</MFADelete></VersioningConfiguration>'),
  });
  assert.deepEqual([bad.status, code(bad.text)], [400, 'MalformedXML']);
});

test('object lock: bucket made with lock, default retention, COMPLIANCE keeps a version until retain-until, GOVERNANCE bypass', async () => {
  const made = await s3({ method: 'PUT', path: '/lock-bucket', headers: { 'x-amz-bucket-object-lock-enabled': 'true' } });
  assert.equal(made.status, 200, made.text);
  assert.equal((await s3({ path: '/lock-bucket', query: { versioning: '' } })).xml().VersioningConfiguration.Status, 'Enabled');
  const suspend = await s3({ method: 'PUT', path: '/lock-bucket', query: { versioning: '' }, ...versioning('Suspended') });
  assert.deepEqual([suspend.status, code(suspend.text)], [409, 'InvalidBucketState']);
  const plain = await s3({ method: 'PUT', path: '/plain-lockless' });
  assert.equal(plain.status, 200);
  const noConfig = await s3({ path: '/plain-lockless', query: { 'object-lock': '' } });
  assert.deepEqual([noConfig.status, code(noConfig.text)], [404, 'ObjectLockConfigurationNotFoundError']);
  assert.equal((await s3({ path: '/lock-bucket', query: { 'object-lock': '' } })).xml().ObjectLockConfiguration.ObjectLockEnabled, 'Enabled');
  const config = `<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>COMPLIANCE</Mode><Days>1</Days></DefaultRetention></Rule></ObjectLockConfiguration>`;
  const put = await s3({ method: 'PUT', path: '/lock-bucket', query: { 'object-lock': '' }, ...xmlBody(config) });
  assert.equal(put.status, 200, put.text);
  const badConfig = `<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>COMPLIANCE</Mode><Days>1</Days><Years>1</Years></DefaultRetention></Rule></ObjectLockConfiguration>`;
  assert.equal(code((await s3({ method: 'PUT', path: '/lock-bucket', query: { 'object-lock': '' }, ...xmlBody(badConfig) })).text), 'MalformedXML');
  // an integrity header is required now
  const noMd5 = await s3({ method: 'PUT', path: '/lock-bucket/log', body: 'x' });
  assert.deepEqual([noMd5.status, code(noMd5.text)], [400, 'InvalidRequest']);
  const mpu = (await s3({ method: 'POST', path: '/lock-bucket/big', query: { uploads: '' } })).xml().InitiateMultipartUploadResult.UploadId;
  const part = await s3({ method: 'PUT', path: '/lock-bucket/big', query: { partNumber: '1', uploadId: mpu }, body: 'p' });
  assert.deepEqual([part.status, code(part.text)], [400, 'InvalidRequest']);
  const partOk = await s3({
    method: 'PUT',
    path: '/lock-bucket/big',
    query: { partNumber: '1', uploadId: mpu },
    body: 'p',
    headers: { 'content-md5': md5('p') },
  });
  assert.equal(partOk.status, 200, partOk.text);
  // the default retention counts from the write: one day after a time between these two
  const before = Math.floor(h.now().getTime() / 1000);
  const w = await s3({ method: 'PUT', path: '/lock-bucket/log', body: 'x', headers: { 'content-md5': md5('x') } });
  const after = Math.floor(h.now().getTime() / 1000);
  assert.equal(w.status, 200, w.text);
  const v = w.headers['x-amz-version-id'] ?? '';
  const head = await s3({ method: 'HEAD', path: '/lock-bucket/log' });
  assert.equal(head.headers['x-amz-object-lock-mode'], 'COMPLIANCE');
  const untilSeconds = Math.floor(new Date(head.headers['x-amz-object-lock-retain-until-date'] ?? 0).getTime() / 1000) - 86400;
  assert.ok(untilSeconds >= before && untilSeconds <= after, `retain-until minus a day ${untilSeconds} within [${before}, ${after}]`);
  const retention = (await s3({ path: '/lock-bucket/log', query: { retention: '', versionId: v } })).xml().Retention;
  assert.equal(retention.Mode, 'COMPLIANCE');
  // root cannot delete it, nor shorten it; a delete marker is allowed
  const denied = await s3({ method: 'DELETE', path: '/lock-bucket/log', query: { versionId: v } });
  assert.deepEqual([denied.status, code(denied.text)], [403, 'AccessDenied']);
  const shorter = `<Retention><Mode>COMPLIANCE</Mode><RetainUntilDate>${new Date(h.now().getTime() + 3600_000).toISOString()}</RetainUntilDate></Retention>`;
  assert.equal((await s3({ method: 'PUT', path: '/lock-bucket/log', query: { retention: '', versionId: v }, ...xmlBody(shorter) })).status, 403);
  assert.equal((await s3({ method: 'DELETE', path: '/lock-bucket/log' })).headers['x-amz-delete-marker'], 'true');
  // legal hold
  const hold = `<LegalHold><Status>ON</Status></LegalHold>`;
  assert.equal((await s3({ method: 'PUT', path: '/lock-bucket/log', query: { 'legal-hold': '', versionId: v }, ...xmlBody(hold) })).status, 200);
  assert.equal((await s3({ path: '/lock-bucket/log', query: { 'legal-hold': '', versionId: v } })).xml().LegalHold.Status, 'ON');
  h.advance(2 * 86400_000);
  assert.equal((await s3({ method: 'DELETE', path: '/lock-bucket/log', query: { versionId: v } })).status, 403); // held
  const off = `<LegalHold><Status>OFF</Status></LegalHold>`;
  assert.equal((await s3({ method: 'PUT', path: '/lock-bucket/log', query: { 'legal-hold': '', versionId: v }, ...xmlBody(off) })).status, 200);
  assert.equal((await s3({ method: 'DELETE', path: '/lock-bucket/log', query: { versionId: v } })).status, 204);
  // GOVERNANCE yields to s3:BypassGovernanceRetention with the header
  const gUntil = new Date(h.now().getTime() + 3600_000).toISOString();
  const g = await s3({
    method: 'PUT',
    path: '/lock-bucket/gov',
    body: 'g',
    headers: { 'content-md5': md5('g'), 'x-amz-object-lock-mode': 'GOVERNANCE', 'x-amz-object-lock-retain-until-date': gUntil },
  });
  assert.equal(g.status, 200, g.text);
  const gv = g.headers['x-amz-version-id'] ?? '';
  assert.equal((await s3({ method: 'HEAD', path: '/lock-bucket/gov' })).headers['x-amz-object-lock-mode'], 'GOVERNANCE');
  const deleter = await h.user('deleter', allow(['s3:DeleteObjectVersion']));
  assert.equal(
    (await s3({ method: 'DELETE', path: '/lock-bucket/gov', query: { versionId: gv }, headers: { 'x-amz-bypass-governance-retention': 'true' } }, deleter))
      .status,
    403,
  );
  const bypasser = await h.user('bypasser', allow(['s3:DeleteObjectVersion', 's3:BypassGovernanceRetention']));
  assert.equal((await s3({ method: 'DELETE', path: '/lock-bucket/gov', query: { versionId: gv } }, bypasser)).status, 403);
  assert.equal(
    (await s3({ method: 'DELETE', path: '/lock-bucket/gov', query: { versionId: gv }, headers: { 'x-amz-bypass-governance-retention': 'true' } }, bypasser))
      .status,
    204,
  );
  // lock headers on a bucket without Object Lock
  const noLock = await s3({
    method: 'PUT',
    path: '/plain-lockless/x',
    body: 'g',
    headers: { 'content-md5': md5('g'), 'x-amz-object-lock-mode': 'GOVERNANCE', 'x-amz-object-lock-retain-until-date': gUntil },
  });
  assert.deepEqual([noLock.status, code(noLock.text)], [400, 'InvalidRequest']);
  const records = await h.records();
  assert.equal(records.find((r) => r.eventName === 'PutObjectRetention')?.eventCategory, 'Data');
  assert.equal(records.find((r) => r.eventName === 'PutObjectLockConfiguration')?.eventCategory, 'Management');
});

test('object tagging: x-amz-tagging, tagging count, Put/Get/DeleteObjectTagging by version, limits', async () => {
  assert.equal((await s3({ method: 'PUT', path: '/tag-bucket' })).status, 200);
  const put = await s3({ method: 'PUT', path: '/tag-bucket/k', body: 'x', headers: { 'x-amz-tagging': 'a=1&b=two%20words' } });
  assert.equal(put.status, 200, put.text);
  assert.equal((await s3({ path: '/tag-bucket/k' })).headers['x-amz-tagging-count'], '2');
  const tags = [(await s3({ path: '/tag-bucket/k', query: { tagging: '' } })).xml().Tagging.TagSet.Tag].flat();
  assert.deepEqual(tags, [
    { Key: 'a', Value: '1' },
    { Key: 'b', Value: 'two words' },
  ]);
  const set = `<Tagging><TagSet><Tag><Key>only</Key><Value>one</Value></Tag></TagSet></Tagging>`;
  assert.equal((await s3({ method: 'PUT', path: '/tag-bucket/k', query: { tagging: '' }, ...xmlBody(set) })).status, 200);
  assert.equal((await s3({ path: '/tag-bucket/k' })).headers['x-amz-tagging-count'], '1');
  assert.equal((await s3({ path: '/tag-bucket/k' })).text, 'x');
  const eleven = `<Tagging><TagSet>${Array.from({ length: 11 }, (_, i) => `<Tag><Key>k${i}</Key><Value>v</Value></Tag>`).join('')}</TagSet></Tagging>`;
  const tooMany = await s3({ method: 'PUT', path: '/tag-bucket/k', query: { tagging: '' }, ...xmlBody(eleven) });
  assert.deepEqual([tooMany.status, code(tooMany.text)], [400, 'InvalidTag']);
  const badHeader = await s3({ method: 'PUT', path: '/tag-bucket/k2', body: 'x', headers: { 'x-amz-tagging': `k=${'v'.repeat(257)}` } });
  assert.deepEqual([badHeader.status, code(badHeader.text)], [400, 'InvalidTag']);
  assert.equal((await s3({ path: '/tag-bucket/k2' })).status, 404);
  assert.equal((await s3({ method: 'DELETE', path: '/tag-bucket/k', query: { tagging: '' } })).status, 204);
  assert.equal((await s3({ path: '/tag-bucket/k' })).headers['x-amz-tagging-count'], undefined);
  // copies keep the source's tags unless the directive is REPLACE
  assert.equal((await s3({ method: 'PUT', path: '/tag-bucket/src', body: 's', headers: { 'x-amz-tagging': 'from=src' } })).status, 200);
  assert.equal((await s3({ method: 'PUT', path: '/tag-bucket/c1', headers: { 'x-amz-copy-source': '/tag-bucket/src' } })).status, 200);
  assert.equal((await s3({ path: '/tag-bucket/c1' })).headers['x-amz-tagging-count'], '1');
  const c2 = await s3({
    method: 'PUT',
    path: '/tag-bucket/c2',
    headers: { 'x-amz-copy-source': '/tag-bucket/src', 'x-amz-tagging-directive': 'REPLACE', 'x-amz-tagging': 'x=1&y=2' },
  });
  assert.equal(c2.status, 200, c2.text);
  assert.equal((await s3({ path: '/tag-bucket/c2' })).headers['x-amz-tagging-count'], '2');
  // by version
  assert.equal((await s3({ method: 'PUT', path: '/tag-bucket', query: { versioning: '' }, ...versioning('Enabled') })).status, 200);
  const v1 = (await s3({ method: 'PUT', path: '/tag-bucket/v', body: '1', headers: { 'x-amz-tagging': 'gen=1' } })).headers['x-amz-version-id'] ?? '';
  await s3({ method: 'PUT', path: '/tag-bucket/v', body: '2' });
  const old = await s3({ path: '/tag-bucket/v', query: { tagging: '', versionId: v1 } });
  assert.deepEqual([old.headers['x-amz-version-id'], old.xml().Tagging.TagSet.Tag], [v1, { Key: 'gen', Value: '1' }]);
  assert.equal((await s3({ path: '/tag-bucket/v', query: { tagging: '' } })).xml().Tagging.TagSet, '');
  const records = await h.records();
  const r = records.find((x) => x.eventName === 'PutObjectTagging');
  assert.deepEqual([r.eventCategory, r.requestParameters.tagging, r.requestParameters.key], ['Data', '', 'k']);
});

test('lifecycle: Put/Get/DeleteBucketLifecycleConfiguration, NoSuchLifecycleConfiguration, MalformedXML, management events', async () => {
  assert.equal((await s3({ method: 'PUT', path: '/lc-bucket' })).status, 200);
  const none = await s3({ path: '/lc-bucket', query: { lifecycle: '' } });
  assert.deepEqual([none.status, code(none.text)], [404, 'NoSuchLifecycleConfiguration']);
  const doc =
    '<LifecycleConfiguration><Rule><ID>logs</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>30</Days></Expiration>' +
    '<Transition><Days>10</Days><StorageClass>GLACIER</StorageClass></Transition></Rule>' +
    '<Rule><Filter><And><Prefix>tmp/</Prefix><Tag><Key>t</Key><Value>1</Value></Tag></And></Filter><Status>Disabled</Status>' +
    '<NoncurrentVersionExpiration><NoncurrentDays>5</NoncurrentDays><NewerNoncurrentVersions>2</NewerNoncurrentVersions></NoncurrentVersionExpiration></Rule></LifecycleConfiguration>';
  const put = await s3({ method: 'PUT', path: '/lc-bucket', query: { lifecycle: '' }, ...xmlBody(doc) });
  assert.equal(put.status, 200, put.text);
  const got = await s3({ path: '/lc-bucket', query: { lifecycle: '' } });
  const rules = [got.xml().LifecycleConfiguration.Rule].flat();
  assert.deepEqual(
    rules.map((r: any) => [r.ID.length > 0, r.Status]),
    [
      [true, 'Enabled'],
      [true, 'Disabled'],
    ],
  );
  assert.deepEqual(
    [rules[0].Expiration.Days, rules[0].Transition.StorageClass, rules[1].NoncurrentVersionExpiration.NewerNoncurrentVersions],
    ['30', 'GLACIER', '2'],
  );
  const noAction = '<LifecycleConfiguration><Rule><ID>x</ID><Filter><Prefix>a</Prefix></Filter><Status>Enabled</Status></Rule></LifecycleConfiguration>';
  const bad = await s3({ method: 'PUT', path: '/lc-bucket', query: { lifecycle: '' }, ...xmlBody(noAction) });
  assert.deepEqual([bad.status, code(bad.text)], [400, 'MalformedXML']);
  const zero = doc.replace('<Days>30</Days>', '<Days>0</Days>');
  const z = await s3({ method: 'PUT', path: '/lc-bucket', query: { lifecycle: '' }, ...xmlBody(zero) });
  assert.deepEqual([z.status, code(z.text)], [400, 'InvalidArgument']);
  assert.equal((await s3({ path: '/lc-bucket', query: { lifecycle: '' } })).status, 200); // unchanged by the refusals
  assert.equal((await s3({ method: 'DELETE', path: '/lc-bucket', query: { lifecycle: '' } })).status, 204);
  assert.equal((await s3({ path: '/lc-bucket', query: { lifecycle: '' } })).status, 404);
  const records = await h.records();
  const r = records.find((x) => x.eventName === 'PutBucketLifecycleConfiguration' && !x.errorCode);
  assert.deepEqual([r.eventCategory, r.requestParameters.lifecycle, r.readOnly], ['Management', '', false]);
  assert.equal(records.find((x) => x.eventName === 'DeleteBucketLifecycle')?.eventCategory, 'Management');
});

test('object lock: CreateBucket with x-amz-bucket-object-lock-enabled also needs s3:PutBucketObjectLockConfiguration and s3:PutBucketVersioning', async () => {
  // API_CreateBucket.html, Permissions
  const lockHeader = { 'x-amz-bucket-object-lock-enabled': 'true' };
  const creator = await h.user('lock-creator', allow(['s3:CreateBucket', 's3:ListBucket']));
  const refused = await s3({ method: 'PUT', path: '/lock-refused', headers: lockHeader }, creator);
  assert.deepEqual([refused.status, code(refused.text)], [403, 'AccessDenied']);
  assert.equal((await s3({ method: 'HEAD', path: '/lock-refused' })).status, 404);
  const halfway = await h.user('lock-halfway', allow(['s3:CreateBucket', 's3:PutBucketObjectLockConfiguration']));
  assert.equal((await s3({ method: 'PUT', path: '/lock-refused', headers: lockHeader }, halfway)).status, 403);
  assert.equal((await s3({ method: 'HEAD', path: '/lock-refused' })).status, 404);
  // without Object Lock s3:CreateBucket is enough
  assert.equal((await s3({ method: 'PUT', path: '/lock-plain-by-creator' }, creator)).status, 200);
  const locker = await h.user('lock-locker', allow(['s3:CreateBucket', 's3:PutBucketObjectLockConfiguration', 's3:PutBucketVersioning']));
  const made = await s3({ method: 'PUT', path: '/lock-allowed', headers: lockHeader }, locker);
  assert.equal(made.status, 200, made.text);
  assert.equal((await s3({ path: '/lock-allowed', query: { 'object-lock': '' } })).xml().ObjectLockConfiguration.ObjectLockEnabled, 'Enabled');
  const records = (await h.records()).filter((r) => r.eventName === 'CreateBucket');
  const denied = records.filter((r) => r.requestParameters?.bucketName === 'lock-refused');
  assert.deepEqual(
    denied.map((r) => r.errorCode),
    ['AccessDenied', 'AccessDenied'],
  );
  assert.equal(records.find((r) => r.requestParameters?.bucketName === 'lock-allowed')?.errorCode, undefined);
});
