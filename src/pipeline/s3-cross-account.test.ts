/**
 * S3 across accounts, in process (testing.ts; docs/accounts.md#cross-account-access): buckets have an
 * owner, names are global, ListBuckets lists one's own, another account's principal needs both the
 * bucket policy and its own identity policy, and its calls are recorded in both accounts.
 */
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { provisionAccount } from '../accounts/provision.ts';
import { randomIds } from '../ids.ts';
import { ACCOUNT, allow, harness, type Credentials, type Harness, type SendOptions } from './testing.ts';

let h: Harness;
let b: string;
let bRoot: Credentials;
let reader: Credentials;
let stranger: Credentials;
const BUCKET = 'b-shared-bucket';
const s3 = (o: Partial<SendOptions>, credentials?: Credentials) =>
  h.send({ service: 's3', method: 'GET', path: '/', ...o, ...(credentials ? { credentials } : {}) });
const code = (text: string) => /<Code>([^<]+)<\/Code>/.exec(text)?.[1];

before(async () => {
  h = await harness();
  const made = await provisionAccount(h.store, randomIds, { name: 'b', email: 'b@example.com', now: h.now() });
  b = made.account.accountId;
  bRoot = { accessKeyId: made.rootKey.accessKeyId, secretAccessKey: made.rootKey.secretAccessKey };
  reader = await h.user('reader', allow(['s3:GetObject', 's3:ListBucket']));
  stranger = await h.user('stranger');
  assert.equal((await s3({ method: 'PUT', path: `/${BUCKET}` }, bRoot)).status, 200);
  assert.equal((await s3({ method: 'PUT', path: `/${BUCKET}/doc.txt`, body: 'hello' }, bRoot)).status, 200);
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
        Action: ['s3:GetObject', 's3:ListBucket'],
        Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
      },
    ],
  };
  const body = JSON.stringify(policy);
  const md5 = createHash('md5').update(body).digest('base64');
  const put = await s3({ method: 'PUT', path: `/${BUCKET}`, query: { policy: '' }, body, headers: { 'content-md5': md5 } }, bRoot);
  assert.equal(put.status, 200, put.text);
});
after(async () => {
  await h.close();
});

test('bucket names are global: BucketAlreadyExists for another account’s, BucketAlreadyOwnedByYou for one’s own', async () => {
  const theirs = await s3({ method: 'PUT', path: `/${BUCKET}` });
  assert.deepEqual([theirs.status, code(theirs.text)], [409, 'BucketAlreadyExists']);
  const mine = await s3({ method: 'PUT', path: `/${BUCKET}` }, bRoot);
  assert.deepEqual([mine.status, code(mine.text)], [409, 'BucketAlreadyOwnedByYou']);
});

test('ListBuckets lists the caller’s account’s buckets only', async () => {
  assert.equal((await s3({ method: 'PUT', path: '/a-own-bucket' })).status, 200);
  const names = (text: string) => [...text.matchAll(/<Name>([^<]+)<\/Name>/g)].map((m) => m[1]);
  assert.deepEqual(names((await s3({})).text), ['a-own-bucket']);
  assert.deepEqual(names((await s3({}, bRoot)).text), [BUCKET]);
});

test('another account’s principal reads only with the bucket policy AND its own identity policy', async () => {
  const got = await s3({ path: `/${BUCKET}/doc.txt` }, reader);
  assert.deepEqual([got.status, got.text], [200, 'hello']);
  const refused = await s3({ path: `/${BUCKET}/doc.txt` }, stranger);
  assert.deepEqual([refused.status, code(refused.text)], [403, 'AccessDenied']);
  // the policy grants reading only
  const write = await s3({ method: 'PUT', path: `/${BUCKET}/new.txt`, body: 'x' }, reader);
  assert.deepEqual([write.status, code(write.text)], [403, 'AccessDenied']);
  // the root user of the granted account needs no identity policy
  assert.equal((await s3({ path: `/${BUCKET}/doc.txt` })).status, 200);
  // a missing key: NoSuchKey, as the granted reader may list
  assert.equal(code((await s3({ path: `/${BUCKET}/none.txt` }, reader)).text), 'NoSuchKey');
});

test('cross-account S3 calls are recorded for the requester and the bucket owner', async () => {
  const before = (await h.records()).length;
  assert.equal((await s3({ path: `/${BUCKET}/doc.txt` }, reader)).status, 200);
  assert.equal((await s3({ path: `/${BUCKET}`, query: { location: '' } }, stranger)).status, 403);
  const records = (await h.records()).slice(before);
  const gets = records.filter((r) => r.eventName === 'GetObject');
  assert.deepEqual(
    gets.map((r) => r.recipientAccountId),
    [ACCOUNT, b],
  );
  assert.equal(gets[0].sharedEventID, gets[1].sharedEventID);
  assert.notEqual(gets[0].eventID, gets[1].eventID);
  // the owner's copy shows the requester in full (S3 data events)
  assert.deepEqual([gets[1].userIdentity.type, gets[1].userIdentity.arn, gets[1].eventCategory], ['IAMUser', `arn:aws:iam::${ACCOUNT}:user/reader`, 'Data']);
  assert.deepEqual(
    gets[0].resources.find((r: any) => r.type === 'AWS::S3::Bucket'),
    { accountId: b, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${BUCKET}` },
  );
  const denied = records.filter((r) => r.eventName === 'GetBucketLocation');
  assert.deepEqual(
    denied.map((r) => [r.recipientAccountId, r.errorCode]),
    [
      [ACCOUNT, 'AccessDenied'],
      [b, 'AccessDenied'],
    ],
  );
});
