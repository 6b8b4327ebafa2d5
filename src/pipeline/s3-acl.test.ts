/**
 * S3 ACLs and Block Public Access, in process (docs/s3.md#acls): new buckets have ACLs disabled and
 * all four Block Public Access settings; with ACLs enabled, canned ACLs and grants are stored, read
 * back, honoured (public-read lets anonymous callers read, a grant to another account lets it read),
 * and Block Public Access refuses (BlockPublicAcls) or ignores (IgnorePublicAcls) public ones.
 */
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { provisionAccount } from '../accounts/provision.ts';
import { randomIds } from '../ids.ts';
import { owner } from '../services/s3/owner.ts';
import { ACCOUNT, harness, type Credentials, type Harness, type SendOptions } from './testing.ts';

let h: Harness;
let b: string;
let bRoot: Credentials;
const s3 = (o: Partial<SendOptions>, credentials?: Credentials | null) =>
  h.send({ service: 's3', method: 'GET', path: '/', ...o, ...(credentials !== undefined ? { credentials } : {}) });
const code = (text: string) => /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
const md5 = (body: string) => createHash('md5').update(body).digest('base64');
/** PUT ?acl (bucket or object) with headers and/or an AccessControlPolicy body. */
const putAcl = (path: string, headers: Record<string, string>, body = '', credentials?: Credentials) =>
  s3({ method: 'PUT', path, query: { acl: '' }, headers: { 'content-md5': md5(body), ...headers }, body }, credentials);
const grants = (text: string) =>
  [
    ...text.matchAll(
      /<Grant><Grantee[^>]*xsi:type="([^"]+)"[^>]*>(?:<DisplayName>[^<]*<\/DisplayName>)?(?:<ID>([^<]*)<\/ID>)?(?:<URI>([^<]*)<\/URI>)?<\/Grantee><Permission>([^<]+)<\/Permission><\/Grant>/g,
    ),
  ].map((m) => [m[1], m[2] ?? m[3], m[4]]);
const ME = owner(ACCOUNT).ID;
const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const pab = (flags: Partial<Record<'BlockPublicAcls' | 'IgnorePublicAcls' | 'BlockPublicPolicy' | 'RestrictPublicBuckets', boolean>>) => {
  const body = `<PublicAccessBlockConfiguration>${Object.entries(flags)
    .map(([k, v]) => `<${k}>${v}</${k}>`)
    .join('')}</PublicAccessBlockConfiguration>`;
  return { method: 'PUT', query: { publicAccessBlock: '' }, body, headers: { 'content-md5': md5(body) } };
};

before(async () => {
  h = await harness();
  const made = await provisionAccount(h.store, randomIds, { name: 'b', email: 'b@example.com', now: h.now() });
  b = made.account.accountId;
  bRoot = { accessKeyId: made.rootKey.accessKeyId, secretAccessKey: made.rootKey.secretAccessKey };
});
after(async () => {
  await h.close();
});

test('a new bucket: ACLs disabled (reads show the owner FULL_CONTROL), Block Public Access all on', async () => {
  assert.equal((await s3({ method: 'PUT', path: '/acl-enforced' })).status, 200);
  const got = await s3({ path: '/acl-enforced', query: { acl: '' } });
  assert.equal(got.status, 200, got.text);
  assert.match(
    got.text,
    new RegExp(`<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><DisplayName>${ACCOUNT}</DisplayName><ID>${ME}</ID></Owner>`),
  );
  assert.match(got.text, /<Grantee xmlns:xsi="http:\/\/www.w3.org\/2001\/XMLSchema-instance" xsi:type="CanonicalUser">/);
  assert.deepEqual(grants(got.text), [['CanonicalUser', ME, 'FULL_CONTROL']]);
  const flags = await s3({ path: '/acl-enforced', query: { publicAccessBlock: '' } });
  assert.deepEqual(flags.xml().PublicAccessBlockConfiguration, {
    BlockPublicAcls: 'true',
    IgnorePublicAcls: 'true',
    BlockPublicPolicy: 'true',
    RestrictPublicBuckets: 'true',
  });
  // ACLs disabled: a public ACL is AccessControlListNotSupported; the owner-only one is accepted
  const pub = await putAcl('/acl-enforced', { 'x-amz-acl': 'public-read' });
  assert.deepEqual([pub.status, code(pub.text)], [400, 'AccessControlListNotSupported']);
  assert.equal((await putAcl('/acl-enforced', { 'x-amz-acl': 'private' })).status, 200);
  const put = await s3({ method: 'PUT', path: '/acl-enforced/k', body: 'x', headers: { 'x-amz-acl': 'public-read' } });
  assert.deepEqual([put.status, code(put.text)], [400, 'AccessControlListNotSupported']);
  assert.equal((await s3({ path: '/acl-enforced/k' })).status, 404, 'nothing written');
  assert.equal((await s3({ method: 'PUT', path: '/acl-enforced/k', body: 'x', headers: { 'x-amz-acl': 'bucket-owner-full-control' } })).status, 200);
  const grant = await s3({ method: 'PUT', path: '/acl-enforced/g', body: 'x', headers: { 'x-amz-grant-read': `uri="${ALL_USERS}"` } });
  assert.deepEqual([grant.status, code(grant.text)], [400, 'AccessControlListNotSupported']);
  const objAcl = await s3({ path: '/acl-enforced/k', query: { acl: '' } });
  assert.deepEqual(grants(objAcl.text), [['CanonicalUser', ME, 'FULL_CONTROL']]);
  const putObjAcl = await putAcl('/acl-enforced/k', { 'x-amz-acl': 'public-read' });
  assert.deepEqual([putObjAcl.status, code(putObjAcl.text)], [400, 'AccessControlListNotSupported']);
});

test('CreateBucket with an ACL: refused with ACLs disabled, refused when public (new buckets block public ACLs)', async () => {
  const enforced = await s3({ method: 'PUT', path: '/acl-create-a', headers: { 'x-amz-acl': 'public-read' } });
  assert.deepEqual([enforced.status, code(enforced.text)], [400, 'InvalidBucketAclWithObjectOwnership']);
  const blocked = await s3({ method: 'PUT', path: '/acl-create-a', headers: { 'x-amz-acl': 'public-read', 'x-amz-object-ownership': 'ObjectWriter' } });
  assert.deepEqual([blocked.status, code(blocked.text)], [400, 'InvalidBucketAclWithBlockPublicAccessError']);
  assert.equal((await s3({ method: 'HEAD', path: '/acl-create-a' })).status, 404, 'no bucket made');
  const bad = await s3({ method: 'PUT', path: '/acl-create-a', headers: { 'x-amz-acl': 'nope', 'x-amz-object-ownership': 'ObjectWriter' } });
  assert.deepEqual([bad.status, code(bad.text)], [400, 'InvalidArgument']);
  const made = await s3({ method: 'PUT', path: '/acl-create-a', headers: { 'x-amz-acl': 'log-delivery-write', 'x-amz-object-ownership': 'ObjectWriter' } });
  assert.equal(made.status, 200, made.text);
  const acl = await s3({ path: '/acl-create-a', query: { acl: '' } });
  assert.deepEqual(grants(acl.text), [
    ['CanonicalUser', ME, 'FULL_CONTROL'],
    ['Group', 'http://acs.amazonaws.com/groups/s3/LogDelivery', 'WRITE'],
    ['Group', 'http://acs.amazonaws.com/groups/s3/LogDelivery', 'READ_ACP'],
  ]);
  const ownership = await s3({ path: '/acl-create-a', query: { ownershipControls: '' } });
  assert.match(ownership.text, /<ObjectOwnership>ObjectWriter<\/ObjectOwnership>/);
  // disabling ACLs needs an owner-only bucket ACL
  const body = '<OwnershipControls><Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule></OwnershipControls>';
  const disable = await s3({ method: 'PUT', path: '/acl-create-a', query: { ownershipControls: '' }, body, headers: { 'content-md5': md5(body) } });
  assert.deepEqual([disable.status, code(disable.text)], [400, 'InvalidBucketAclWithObjectOwnership']);
});

test('ACLs enabled: public-read lets anonymous callers read; BlockPublicAcls refuses it, IgnorePublicAcls ignores it', async () => {
  assert.equal((await s3({ method: 'PUT', path: '/acl-open', headers: { 'x-amz-object-ownership': 'BucketOwnerPreferred' } })).status, 200);
  // Block Public Access is on: a public ACL is AccessDenied, nothing changes
  const blocked = await putAcl('/acl-open', { 'x-amz-acl': 'public-read' });
  assert.deepEqual([blocked.status, code(blocked.text)], [403, 'AccessDenied']);
  assert.deepEqual(grants((await s3({ path: '/acl-open', query: { acl: '' } })).text), [['CanonicalUser', ME, 'FULL_CONTROL']]);
  const blockedPut = await s3({ method: 'PUT', path: '/acl-open/doc', body: 'hello', headers: { 'x-amz-acl': 'public-read' } });
  assert.deepEqual([blockedPut.status, code(blockedPut.text)], [403, 'AccessDenied']);
  assert.equal((await s3({ method: 'DELETE', path: '/acl-open', query: { publicAccessBlock: '' } })).status, 204);

  assert.equal((await s3({ method: 'PUT', path: '/acl-open/doc', body: 'hello', headers: { 'x-amz-acl': 'public-read' } })).status, 200);
  assert.equal((await s3({ method: 'PUT', path: '/acl-open/private', body: 'secret' })).status, 200);
  const before = (await h.records()).length;
  const anon = await s3({ path: '/acl-open/doc' }, null);
  assert.deepEqual([anon.status, anon.text], [200, 'hello']);
  // recorded once, in the bucket owner's account, the caller the account "anonymous"
  const [rec, ...more] = (await h.records()).slice(before);
  assert.deepEqual(more, []);
  assert.deepEqual(
    [rec.eventName, rec.recipientAccountId, rec.userIdentity, rec.eventCategory],
    ['GetObject', ACCOUNT, { type: 'AWSAccount', principalId: '', accountId: 'anonymous' }, 'Data'],
  );
  assert.equal((await s3({ path: '/acl-open/private' }, null)).status, 403);
  assert.equal((await s3({ path: '/acl-open' }, null)).status, 403, 'the bucket ACL grants no listing');
  const acl = await s3({ path: '/acl-open/doc', query: { acl: '' } });
  assert.deepEqual(grants(acl.text), [
    ['CanonicalUser', ME, 'FULL_CONTROL'],
    ['Group', ALL_USERS, 'READ'],
  ]);
  // public-read on the bucket: anonymous listing
  assert.equal((await putAcl('/acl-open', { 'x-amz-acl': 'public-read' })).status, 200);
  assert.equal((await s3({ path: '/acl-open' }, null)).status, 200);

  // IgnorePublicAcls: the grants stay, but grant nothing
  assert.equal((await s3({ path: '/acl-open', ...pab({ IgnorePublicAcls: true }) })).status, 200);
  assert.equal((await s3({ path: '/acl-open/doc' }, null)).status, 403);
  assert.equal((await s3({ path: '/acl-open' }, null)).status, 403);
  assert.deepEqual(grants((await s3({ path: '/acl-open/doc', query: { acl: '' } })).text).length, 2);
  // BlockPublicAcls: PutObjectAcl with a public ACL is refused; a private one is fine
  assert.equal((await s3({ path: '/acl-open', ...pab({ BlockPublicAcls: true }) })).status, 200);
  const refused = await putAcl('/acl-open/private', { 'x-amz-acl': 'public-read-write' });
  assert.deepEqual([refused.status, code(refused.text)], [403, 'AccessDenied']);
  assert.equal((await putAcl('/acl-open/doc', { 'x-amz-acl': 'private' })).status, 200);
  assert.deepEqual(grants((await s3({ path: '/acl-open/doc', query: { acl: '' } })).text), [['CanonicalUser', ME, 'FULL_CONTROL']]);
});

test('grants: x-amz-grant-* and AccessControlPolicy name accounts by canonical id or email; another account reads by its grant', async () => {
  assert.equal((await s3({ method: 'PUT', path: '/acl-grants', headers: { 'x-amz-object-ownership': 'ObjectWriter' } })).status, 200);
  assert.equal((await s3({ method: 'PUT', path: '/acl-grants/doc', body: 'shared' })).status, 200);
  assert.equal((await s3({ path: '/acl-grants/doc' }, bRoot)).status, 403);
  const theirs = owner(b).ID;
  const r145 = await putAcl('/acl-grants/doc', { 'x-amz-grant-read': `id="${theirs}"`, 'x-amz-grant-full-control': `id="${ME}"` });
  assert.equal(r145.status, 200, r145.text);
  const got = await s3({ path: '/acl-grants/doc' }, bRoot);
  assert.deepEqual([got.status, got.text], [200, 'shared']);
  assert.deepEqual(grants((await s3({ path: '/acl-grants/doc', query: { acl: '' } })).text), [
    ['CanonicalUser', ME, 'FULL_CONTROL'],
    ['CanonicalUser', theirs, 'READ'],
  ]);
  // the other account may not change it (no WRITE_ACP)
  const theirAcl = await putAcl('/acl-grants/doc', { 'x-amz-acl': 'private' }, '', bRoot);
  assert.deepEqual([theirAcl.status, code(theirAcl.text)], [403, 'AccessDenied']);

  // an email resolves to its account; an unknown one, or an unknown id, is refused and changes nothing
  assert.equal((await putAcl('/acl-grants/doc', { 'x-amz-grant-read-acp': 'emailAddress="b@example.com"' })).status, 200);
  assert.deepEqual(grants((await s3({ path: '/acl-grants/doc', query: { acl: '' } })).text), [['CanonicalUser', theirs, 'READ_ACP']]);
  const unknown = await putAcl('/acl-grants/doc', { 'x-amz-grant-read': 'emailAddress="nobody@example.com"' });
  assert.deepEqual([unknown.status, code(unknown.text)], [400, 'UnresolvableGrantByEmailAddress']);
  const badId = await putAcl('/acl-grants/doc', { 'x-amz-grant-read': `id="${'0'.repeat(64)}"` });
  assert.deepEqual([badId.status, code(badId.text)], [400, 'InvalidArgument']);
  const malformed = await putAcl('/acl-grants/doc', { 'x-amz-grant-read': 'who=me' });
  assert.deepEqual([malformed.status, code(malformed.text)], [400, 'InvalidArgument']);
  const both = await putAcl('/acl-grants/doc', { 'x-amz-acl': 'private', 'x-amz-grant-read': `id="${theirs}"` });
  assert.deepEqual([both.status, code(both.text)], [400, 'InvalidRequest']);
  assert.deepEqual(grants((await s3({ path: '/acl-grants/doc', query: { acl: '' } })).text), [['CanonicalUser', theirs, 'READ_ACP']]);

  // the XML document
  const doc = `<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>${ME}</ID></Owner><AccessControlList>
    <Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>${ME}</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant>
    <Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>${ALL_USERS}</URI></Grantee><Permission>READ</Permission></Grant>
    </AccessControlList></AccessControlPolicy>`;
  assert.equal((await s3({ method: 'DELETE', path: '/acl-grants', query: { publicAccessBlock: '' } })).status, 204);
  const xmlPut = await putAcl('/acl-grants/doc', {}, doc);
  assert.equal(xmlPut.status, 200, xmlPut.text);
  assert.deepEqual(grants((await s3({ path: '/acl-grants/doc', query: { acl: '' } })).text), [
    ['CanonicalUser', ME, 'FULL_CONTROL'],
    ['Group', ALL_USERS, 'READ'],
  ]);
  assert.equal((await s3({ path: '/acl-grants/doc' }, null)).status, 200);
  const badXml = await putAcl(
    '/acl-grants/doc',
    {},
    '<AccessControlPolicy><AccessControlList><Grant><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>',
  );
  assert.deepEqual([badXml.status, code(badXml.text)], [400, 'MalformedACLError']);
  const withHeader = await putAcl('/acl-grants/doc', { 'x-amz-acl': 'private' }, doc);
  assert.deepEqual([withHeader.status, code(withHeader.text)], [400, 'UnexpectedContent']);
  const missing = await putAcl('/acl-grants/none', { 'x-amz-acl': 'private' });
  assert.deepEqual([missing.status, code(missing.text)], [404, 'NoSuchKey']);
});

test('ACL on writes: CopyObject and multipart uploads take the request’s ACL; a copy never keeps the source’s', async () => {
  assert.equal((await s3({ method: 'PUT', path: '/acl-writes', headers: { 'x-amz-object-ownership': 'ObjectWriter' } })).status, 200);
  assert.equal((await s3({ method: 'DELETE', path: '/acl-writes', query: { publicAccessBlock: '' } })).status, 204);
  assert.equal((await s3({ method: 'PUT', path: '/acl-writes/src', body: 'bytes', headers: { 'x-amz-acl': 'public-read' } })).status, 200);
  const copied = await s3({ method: 'PUT', path: '/acl-writes/copy', headers: { 'x-amz-copy-source': '/acl-writes/src' } });
  assert.equal(copied.status, 200, copied.text);
  assert.deepEqual(grants((await s3({ path: '/acl-writes/copy', query: { acl: '' } })).text), [['CanonicalUser', ME, 'FULL_CONTROL']]);
  assert.equal(
    (await s3({ method: 'PUT', path: '/acl-writes/copy2', headers: { 'x-amz-copy-source': '/acl-writes/src', 'x-amz-acl': 'authenticated-read' } })).status,
    200,
  );
  assert.deepEqual(grants((await s3({ path: '/acl-writes/copy2', query: { acl: '' } })).text)[1], [
    'Group',
    'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
    'READ',
  ]);
  // authenticated-read: any signed-in principal, never anonymous
  assert.equal((await s3({ path: '/acl-writes/copy2' }, bRoot)).status, 200);
  assert.equal((await s3({ path: '/acl-writes/copy2' }, null)).status, 403);
  const started = await s3({ method: 'POST', path: '/acl-writes/mpu', query: { uploads: '' }, headers: { 'x-amz-acl': 'public-read' } });
  assert.equal(started.status, 200, started.text);
  const uploadId = started.xml().InitiateMultipartUploadResult.UploadId;
  const part = await s3({ method: 'PUT', path: '/acl-writes/mpu', query: { partNumber: '1', uploadId }, body: 'part' });
  const body = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${part.headers.etag}</ETag></Part></CompleteMultipartUpload>`;
  assert.equal((await s3({ method: 'POST', path: '/acl-writes/mpu', query: { uploadId }, body })).status, 200);
  assert.equal((await s3({ path: '/acl-writes/mpu' }, null)).status, 200);
});

test('ACL calls are authorized with their IAM actions and recorded: bucket ACLs as management events, object ACLs as data events', async () => {
  const before = (await h.records()).length;
  assert.equal((await s3({ path: '/acl-writes', query: { acl: '' } })).status, 200);
  assert.equal((await putAcl('/acl-writes', { 'x-amz-acl': 'private' })).status, 200);
  assert.equal((await s3({ path: '/acl-writes/src', query: { acl: '' } })).status, 200);
  assert.equal((await putAcl('/acl-writes/src', { 'x-amz-acl': 'private' })).status, 200);
  const records = (await h.records()).slice(before);
  assert.deepEqual(
    records.map((r) => [r.eventName, r.eventCategory, r.managementEvent, r.readOnly]),
    [
      ['GetBucketAcl', 'Management', true, true],
      ['PutBucketAcl', 'Management', true, false],
      ['GetObjectAcl', 'Data', false, true],
      ['PutObjectAcl', 'Data', false, false],
    ],
  );
  const reader = await h.user('acl-reader', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetBucketAcl', Resource: '*' }] });
  assert.equal((await s3({ path: '/acl-writes', query: { acl: '' } }, reader)).status, 200);
  const denied = await s3({ path: '/acl-writes/src', query: { acl: '' } }, reader);
  assert.deepEqual([denied.status, code(denied.text)], [403, 'AccessDenied']);
  assert.match(denied.text, /not authorized to perform: s3:GetObjectAcl/);
});
