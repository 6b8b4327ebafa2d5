/**
 * Delivery with many accounts (docs/accounts.md#trails): each account's trail delivers its own
 * account's records only, under AWSLogs/<its account>/, into a bucket any account may own; the
 * bucket policy decides per account folder; an organization trail delivers every account of its
 * organization under AWSLogs/<o-id>/<account>/, with a digest chain per account, and an account that
 * joins is covered from its next batch on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { ACCOUNT, MemoryTarget, at, cloudTrailPolicy, delivery, loggingTrail, memoryStore, plus, record } from './testing.ts';
import type { Store } from '../store/types.ts';

const T0 = at('2026-05-06T07:08:09Z');
const A = '111111111111';
const B = '222222222222';
const C = '333333333333';
const ORG = 'o-abcdefghij';

const body = (t: MemoryTarget, key: string) => JSON.parse(gunzipSync(t.objects.get(key)!.body).toString('utf8'));
const recordsUnder = (t: MemoryTarget, prefix: string) =>
  t
    .keys(prefix)
    .flatMap((k) => (body(t, k).Records as { eventName: string; recipientAccountId: string }[]).map((r) => `${r.recipientAccountId}:${r.eventName}`));

async function organization(store: Store, members: string[]): Promise<void> {
  const at0 = T0;
  assert.equal(
    await store.organizations.create(
      {
        id: ORG,
        arn: `arn:aws:organizations::${ACCOUNT}:organization/${ORG}`,
        featureSet: 'ALL',
        managementAccountId: ACCOUNT,
        rootId: 'r-ab12',
        createdAt: at0,
      },
      'CREATED',
      at0,
    ),
    true,
  );
  for (const m of members)
    assert.equal(await store.organizations.addMember({ accountId: m, orgId: ORG, parentId: 'r-ab12', joinedMethod: 'CREATED', joinedAt: at0 }), true);
}

test("three accounts' trails deliver into one bucket of a fourth, each its own account's records under its own folder", async () => {
  const store = await memoryStore();
  const target = new MemoryTarget().addBucket('central', cloudTrailPolicy('central', [`AWSLogs/${A}`, `AWSLogs/${B}`, `AWSLogs/${ACCOUNT}`]));
  for (const account of [A, B, ACCOUNT]) await loggingTrail(store, T0, { account, s3BucketName: 'central' });
  await record(store, { account: A, name: 'CallOfA' });
  await record(store, { account: B, name: 'CallOfB' });
  await record(store, { name: 'CallOfOwn' });
  await record(store, { account: C, name: 'CallOfC' });
  const d = delivery(store, target, 60);
  const report = await d.tick(plus(T0, 1));
  assert.deepEqual(report.failed, []);
  assert.equal(report.records, 3, 'one record per trail; the fourth account has no trail');
  assert.deepEqual(recordsUnder(target, `central/AWSLogs/${A}/CloudTrail/`), [`${A}:CallOfA`]);
  assert.deepEqual(recordsUnder(target, `central/AWSLogs/${B}/CloudTrail/`), [`${B}:CallOfB`]);
  assert.deepEqual(recordsUnder(target, `central/AWSLogs/${ACCOUNT}/CloudTrail/`), [`${ACCOUNT}:CallOfOwn`]);
  assert.deepEqual(recordsUnder(target, `central/AWSLogs/${C}/`), []);
  for (const k of target.keys(`central/AWSLogs/${A}/CloudTrail/`)) assert.match(k, new RegExp(`/${A}_CloudTrail_us-east-1_`));
  await d.tick(plus(T0, 61));
  for (const account of [A, B, ACCOUNT]) {
    const [digest, ...more] = target.keys(`central/AWSLogs/${account}/CloudTrail-Digest/`);
    assert.equal(more.length, 0);
    const json = body(target, digest!);
    assert.equal(json.awsAccountId, account);
    assert.deepEqual(
      json.logFiles.map((f: { s3Object: string }) => f.s3Object.split('/')[1]),
      [account],
    );
  }
  await store.close();
});

test('a trail whose account folder the bucket policy does not name is not delivered, and says AccessDenied', async () => {
  const store = await memoryStore();
  const target = new MemoryTarget().addBucket('central', cloudTrailPolicy('central', [`AWSLogs/${A}`]));
  const a = await loggingTrail(store, T0, { account: A, s3BucketName: 'central', name: 'a' });
  const b = await loggingTrail(store, T0, { account: B, s3BucketName: 'central', name: 'b' });
  await record(store, { account: A });
  await record(store, { account: B });
  const report = await delivery(store, target, 60).tick(plus(T0, 1));
  assert.deepEqual(report.failed, [b.arn]);
  assert.equal(recordsUnder(target, `central/AWSLogs/${A}/CloudTrail/`).length, 1);
  assert.deepEqual(target.keys(`central/AWSLogs/${B}/`), []);
  assert.equal((await store.trails.getTrail(b.id))!.status.latestDeliveryError, 'AccessDenied');
  assert.equal((await store.trails.getTrail(a.id))!.status.latestDeliveryError, undefined);
  await store.close();
});

test('an organization trail delivers each account of the organization under AWSLogs/<o-id>/<account>/, exactly once, with a digest chain per account', async () => {
  const store = await memoryStore();
  await organization(store, [A, B]);
  const target = new MemoryTarget().addBucket('org-logs', cloudTrailPolicy('org-logs', [`AWSLogs/${ORG}`]));
  await loggingTrail(store, T0, { s3BucketName: 'org-logs', isOrganizationTrail: true, isMultiRegionTrail: true });
  await record(store, { name: 'Management' });
  await record(store, { account: A, name: 'MemberA' });
  await record(store, { account: B, name: 'MemberB', region: 'eu-west-1' });
  await record(store, { account: C, name: 'Outsider' });
  const d = delivery(store, target, 60);
  const first = await d.tick(plus(T0, 1));
  assert.deepEqual(first.failed, []);
  assert.equal(first.records, 3);
  assert.deepEqual(recordsUnder(target, `org-logs/AWSLogs/${ORG}/${ACCOUNT}/CloudTrail/us-east-1/`), [`${ACCOUNT}:Management`]);
  assert.deepEqual(recordsUnder(target, `org-logs/AWSLogs/${ORG}/${A}/CloudTrail/us-east-1/`), [`${A}:MemberA`]);
  assert.deepEqual(recordsUnder(target, `org-logs/AWSLogs/${ORG}/${B}/CloudTrail/eu-west-1/`), [`${B}:MemberB`]);
  assert.deepEqual(recordsUnder(target, `org-logs/AWSLogs/${C}/`), []);
  assert.deepEqual(recordsUnder(target, `org-logs/AWSLogs/${ACCOUNT}/`), [], 'nothing outside the organization folder');
  assert.match(target.keys(`org-logs/AWSLogs/${ORG}/${B}/`)[0]!, new RegExp(`/${B}_CloudTrail_eu-west-1_\\d{8}T\\d{4}Z_[A-Za-z0-9]{16}\\.json\\.gz$`));
  assert.equal((await d.tick(plus(T0, 2))).records, 0, 'nothing twice');

  // an account that joins is covered from its next batch on
  assert.equal(await store.organizations.addMember({ accountId: C, orgId: ORG, parentId: 'r-ab12', joinedMethod: 'INVITED', joinedAt: plus(T0, 3) }), true);
  await record(store, { account: C, name: 'Joined' });
  assert.equal((await d.tick(plus(T0, 4))).records, 1);
  assert.deepEqual(recordsUnder(target, `org-logs/AWSLogs/${ORG}/${C}/CloudTrail/`), [`${C}:Joined`]);

  await d.tick(plus(T0, 61));
  const digests = target.keys(`org-logs/AWSLogs/${ORG}/`).filter((k) => k.includes('/CloudTrail-Digest/'));
  const byAccount = digests.map((k) => {
    const json = body(target, k);
    assert.equal(json.digestS3Object, k.slice('org-logs/'.length));
    return [k.split('/')[3], k.split('/')[5], json.awsAccountId, json.logFiles.length];
  });
  assert.deepEqual(byAccount, [
    [ACCOUNT, 'us-east-1', ACCOUNT, 1],
    [A, 'us-east-1', A, 1],
    [B, 'eu-west-1', B, 1],
    [C, 'us-east-1', C, 1],
  ]);
  for (const k of digests) assert.match(k, /_CloudTrail-Digest_[a-z0-9-]+_main_us-east-1_\d{8}T\d{6}Z\.json\.gz$/);
  await store.close();
});

test('an organization trail needs the bucket policy to allow AWSLogs/<o-id>/', async () => {
  const store = await memoryStore();
  await organization(store, [A]);
  const target = new MemoryTarget().addBucket('org-logs', cloudTrailPolicy('org-logs', [`AWSLogs/${ACCOUNT}`]));
  const trail = await loggingTrail(store, T0, { s3BucketName: 'org-logs', isOrganizationTrail: true });
  await record(store, { account: A });
  const report = await delivery(store, target, 60).tick(plus(T0, 1));
  assert.deepEqual(report.failed, [trail.arn]);
  assert.deepEqual(target.keys('org-logs/'), []);
  await store.close();
});
