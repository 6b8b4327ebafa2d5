/**
 * Trails of many accounts, without HTTP (docs/accounts.md#trails): each account sees and changes its
 * own trails only; an organization trail needs the management account, all features and CloudTrail's
 * trusted access; its members list it but cannot change it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AwsError } from '../../errors/aws-error.ts';
import { ACCOUNT, MemoryTarget, cloudTrailPolicy, memoryStore } from '../../delivery/testing.ts';
import type { Answer } from '../testing.ts';
import type { OperationContext, OperationDefs } from '../types.ts';
import { handlers } from './handlers.ts';
import type { Input, OperationName, Operations as Ops, Output } from './model.generated.ts';

const MEMBER = '111111111111';
const OUTSIDER = '222222222222';
const ORG = 'o-abcdefghij';
const T = new Date('2026-05-06T07:08:09Z');

async function setup() {
  const store = await memoryStore();
  const target = new MemoryTarget()
    .addBucket('logs', cloudTrailPolicy('logs', [`AWSLogs/${ACCOUNT}`, `AWSLogs/${MEMBER}`, `AWSLogs/${OUTSIDER}`]))
    .addBucket('org-logs', cloudTrailPolicy('org-logs', [`AWSLogs/${ORG}`]));
  const ops: OperationDefs<Ops> = handlers({ target: () => target });
  const call = async <O extends OperationName>(op: O, input: object, accountId = ACCOUNT) => {
    const ctx = { store, region: 'us-east-1', accountId, now: new Date(), requestId: randomUUID() } as unknown as OperationContext;
    return store.transaction((tx) => ops[op].handler(input as Input<O>, { ...ctx, store: tx.forAccount(accountId) }) as Promise<Answer<Output<O>>>);
  };
  const error = (op: OperationName, input: object, accountId?: string) =>
    call(op, input, accountId).then(
      () => 'ok',
      (e: AwsError) => `${e.code}: ${e.message}`,
    );
  const organization = async (featureSet: 'ALL' | 'CONSOLIDATED_BILLING' = 'ALL') => {
    const org = {
      id: ORG,
      arn: `arn:aws:organizations::${ACCOUNT}:organization/${ORG}`,
      featureSet,
      managementAccountId: ACCOUNT,
      rootId: 'r-ab12',
      createdAt: T,
    };
    assert.equal(await store.organizations.create(org, 'CREATED', T), true);
    assert.equal(await store.organizations.addMember({ accountId: MEMBER, orgId: ORG, parentId: 'r-ab12', joinedMethod: 'CREATED', joinedAt: T }), true);
  };
  return { store, call, error, organization };
}

test('trails are per account: another account neither lists nor finds them, and may use the same name', async () => {
  const { store, call, error } = await setup();
  await call('CreateTrail', { Name: 'main', S3BucketName: 'logs' });
  assert.deepEqual((await call('ListTrails', {}, OUTSIDER)).Trails, []);
  assert.deepEqual((await call('DescribeTrails', {}, OUTSIDER)).trailList, []);
  assert.equal(await error('GetTrail', { Name: 'main' }, OUTSIDER), `TrailNotFoundException: Unknown trail: main for the user: ${OUTSIDER}`);
  const own = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`;
  assert.equal(
    await error('DeleteTrail', { Name: own }, OUTSIDER),
    `CloudTrailARNInvalidException: AccountID in ARN is wrong, you can only access resources with AccountID ${OUTSIDER}.`,
  );
  const theirs = await call('CreateTrail', { Name: 'main', S3BucketName: 'logs' }, OUTSIDER);
  assert.equal(theirs.TrailARN, `arn:aws:cloudtrail:us-east-1:${OUTSIDER}:trail/main`);
  assert.deepEqual(
    (await call('ListTrails', {})).Trails?.map((t) => t.TrailARN),
    [own],
  );
  assert.deepEqual(
    (await call('ListTrails', {}, OUTSIDER)).Trails?.map((t) => t.TrailARN),
    [theirs.TrailARN],
  );
  await store.close();
});

test("a trail of another account's bucket: the bucket policy must name the trail's account folder", async () => {
  const { store, call, error } = await setup();
  assert.equal((await call('CreateTrail', { Name: 'member', S3BucketName: 'logs' }, MEMBER)).S3BucketName, 'logs');
  assert.equal(
    await error('CreateTrail', { Name: 'unnamed', S3BucketName: 'logs' }, '444444444444'),
    'InsufficientS3BucketPolicyException: Incorrect S3 bucket policy is detected for bucket: logs',
  );
  await store.close();
});

test('IsOrganizationTrail: needs an organization, its management account, all features and CloudTrail trusted access', async () => {
  const { store, call, error, organization } = await setup();
  const create = (account = ACCOUNT, bucket = 'org-logs') => error('CreateTrail', { Name: 'org', S3BucketName: bucket, IsOrganizationTrail: true }, account);
  assert.equal(await create(), 'OrganizationsNotInUseException: This account is not a member of an organization.');
  await organization();
  assert.match(await create(MEMBER), /^NotOrganizationMasterAccountException: /);
  assert.match(await create(), /^CloudTrailAccessNotEnabledException: /);
  await store.organizations.enableServiceAccess(ORG, 'cloudtrail.amazonaws.com', T);
  assert.equal(
    await create(ACCOUNT, 'logs'),
    'InsufficientS3BucketPolicyException: Incorrect S3 bucket policy is detected for bucket: logs',
    'the policy must allow AWSLogs/<o-id>/',
  );
  assert.equal(await create(), 'ok');
  const trail = (await call('GetTrail', { Name: 'org' })).Trail!;
  assert.equal(trail.IsOrganizationTrail, true);
  await store.close();
});

test('an organization trail: members list and read it, but cannot change, stop or delete it', async () => {
  const { store, call, error, organization } = await setup();
  await organization();
  await store.organizations.enableServiceAccess(ORG, 'cloudtrail.amazonaws.com', T);
  const { TrailARN: arn } = await call('CreateTrail', { Name: 'org', S3BucketName: 'org-logs', IsOrganizationTrail: true });
  await call('StartLogging', { Name: 'org' });
  assert.deepEqual(
    (await call('DescribeTrails', {}, MEMBER)).trailList?.map((t) => [t.TrailARN, t.IsOrganizationTrail]),
    [[arn, true]],
  );
  assert.deepEqual(
    (await call('ListTrails', {}, MEMBER)).Trails?.map((t) => t.TrailARN),
    [arn],
  );
  assert.equal((await call('GetTrail', { Name: arn }, MEMBER)).Trail?.TrailARN, arn);
  assert.equal((await call('GetTrailStatus', { Name: arn }, MEMBER)).IsLogging, true);
  assert.deepEqual((await call('DescribeTrails', {}, OUTSIDER)).trailList, [], 'not outside the organization');
  const wrong = `CloudTrailARNInvalidException: AccountID in ARN is wrong, you can only access resources with AccountID ${MEMBER}.`;
  for (const [op, input] of [
    ['UpdateTrail', { Name: arn, S3BucketName: 'logs' }],
    ['DeleteTrail', { Name: arn }],
    ['StopLogging', { Name: arn }],
    ['PutEventSelectors', { TrailName: arn, EventSelectors: [{ ReadWriteType: 'All' }] }],
    ['AddTags', { ResourceId: arn, TagsList: [{ Key: 'k', Value: 'v' }] }],
  ] as const)
    assert.equal(await error(op, input, MEMBER), wrong, op);
  assert.equal(await error('DeleteTrail', { Name: 'org' }, MEMBER), `TrailNotFoundException: Unknown trail: org for the user: ${MEMBER}`);
  assert.equal((await call('GetTrailStatus', { Name: 'org' })).IsLogging, true, 'still logging');
  // the management account may turn it back into its own account's trail; members then no longer see it
  await call('UpdateTrail', { Name: 'org', IsOrganizationTrail: false, S3BucketName: 'logs' });
  assert.deepEqual((await call('DescribeTrails', {}, MEMBER)).trailList, []);
  await store.close();
});

test('an organization of consolidated billing only cannot have organization trails', async () => {
  const { store, error, organization } = await setup();
  await organization('CONSOLIDATED_BILLING');
  assert.match(
    await error('CreateTrail', { Name: 'org', S3BucketName: 'org-logs', IsOrganizationTrail: true }),
    /^OrganizationNotInAllFeaturesModeException: /,
  );
  await store.close();
});
