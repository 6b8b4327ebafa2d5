/**
 * The trail operations on a real store, without HTTP (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html): home region and
 * shadow trails, the 5-per-region quota, name clashes, bucket checks, selectors, tags, status.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AwsError } from '../../errors/aws-error.ts';
import { MemoryTarget, memoryStore, ACCOUNT } from '../../delivery/testing.ts';
import type { Store } from '../../store/types.ts';
import type { Answer } from '../testing.ts';
import type { OperationContext, OperationDefs } from '../types.ts';
import { handlers } from './handlers.ts';
import type { Input, OperationName, Operations as Ops, Output } from './model.generated.ts';

async function setup() {
  const store = await memoryStore();
  const target = new MemoryTarget().addBucket('logs').addBucket('open', null);
  const ops: OperationDefs<Ops> = handlers({ target: () => target });
  const call = async <O extends OperationName>(op: O, input: object, region = 'us-east-1') => {
    const ctx = { store, region, accountId: ACCOUNT, now: new Date(), requestId: randomUUID() } as unknown as OperationContext;
    return store.transaction((tx) => ops[op].handler(input as Input<O>, { ...ctx, store: tx }) as Promise<Answer<Output<O>>>);
  };
  const code = (op: OperationName, input: object, region?: string) =>
    call(op, input, region).then(
      () => 'ok',
      (e: AwsError) => e.code,
    );
  return { store, call, code };
}

const close = (s: Store) => s.close();

test('CreateTrail: defaults, not logging; the bucket must exist and let CloudTrail write', async () => {
  const { store, call, code } = await setup();
  assert.deepEqual(await call('CreateTrail', { Name: 'main', S3BucketName: 'logs' }), {
    Name: 'main',
    S3BucketName: 'logs',
    IncludeGlobalServiceEvents: true,
    IsMultiRegionTrail: false,
    TrailARN: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`,
    LogFileValidationEnabled: false,
    IsOrganizationTrail: false,
  });
  assert.equal((await call('GetTrailStatus', { Name: 'main' })).IsLogging, false);
  assert.equal(await code('CreateTrail', { Name: 'main', S3BucketName: 'logs' }), 'TrailAlreadyExistsException');
  assert.equal(await code('CreateTrail', { Name: 'other', S3BucketName: 'missing' }), 'S3BucketDoesNotExistException');
  assert.equal(await code('CreateTrail', { Name: 'other', S3BucketName: 'open' }), 'InsufficientS3BucketPolicyException');
  assert.equal(await code('CreateTrail', { Name: 'other', S3BucketName: 'Bad_Bucket' }), 'InvalidS3BucketNameException');
  assert.equal(await code('CreateTrail', { Name: 'other', S3BucketName: 'logs', S3KeyPrefix: 'p'.repeat(201) }), 'InvalidS3PrefixException');
  assert.equal(
    await code('CreateTrail', { Name: 'other', S3BucketName: 'logs', IsMultiRegionTrail: true, IncludeGlobalServiceEvents: false }),
    'InvalidParameterCombinationException',
  );
  assert.equal(await code('CreateTrail', { Name: 'other', S3BucketName: 'logs', SnsTopicName: 'topic' }), 'InsufficientSnsTopicPolicyException');
  assert.equal(await code('CreateTrail', { Name: 'other', S3BucketName: 'logs', SnsTopicName: 'bad topic' }), 'InvalidSnsTopicNameException');
  assert.equal(await code('CreateTrail', { Name: 'other', S3BucketName: 'logs', KmsKeyId: 'alias/x' }), 'KmsKeyNotFoundException');
  assert.equal(await code('CreateTrail', { Name: 'other', S3BucketName: 'logs', KmsKeyId: 'not a key' }), 'InvalidKmsKeyIdException');
  assert.equal(
    await code('CreateTrail', { Name: 'other', S3BucketName: 'logs', CloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:000000000000:log-group:g:*' }),
    'InvalidCloudWatchLogsRoleArnException',
  );
  assert.equal(
    await code('CreateTrail', {
      Name: 'other',
      S3BucketName: 'logs',
      CloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:000000000000:log-group:g:*',
      CloudWatchLogsRoleArn: 'arn:aws:iam::000000000000:role/r',
    }),
    'InvalidCloudWatchLogsLogGroupArnException',
    'the group does not exist',
  );
  assert.equal(await code('CreateTrail', { Name: 'other', S3BucketName: 'logs', IsOrganizationTrail: true }), 'OrganizationsNotInUseException');
  assert.equal(
    await code('CreateTrail', { Name: 'other', S3BucketName: 'logs', TagsList: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}` })) }),
    'TagsLimitExceededException',
  );
  assert.equal(await code('CreateTrail', { Name: 'other', S3BucketName: 'logs', TagsList: [{ Key: 'aws:x', Value: 'v' }] }), 'InvalidTagParameterException');
  await close(store);
});

test('home region and shadow trails: visible everywhere, changed only at home', async () => {
  const { store, call, code } = await setup();
  await call('CreateTrail', { Name: 'multi', S3BucketName: 'logs', IsMultiRegionTrail: true });
  await call('CreateTrail', { Name: 'local', S3BucketName: 'logs' });
  const arn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/multi`;
  assert.deepEqual(
    (await call('DescribeTrails', {}, 'eu-west-1')).trailList.map((t) => [t.Name, t.HomeRegion]),
    [['multi', 'us-east-1']],
  );
  assert.deepEqual((await call('DescribeTrails', { includeShadowTrails: false }, 'eu-west-1')).trailList, []);
  assert.deepEqual(
    (await call('DescribeTrails', { trailNameList: ['multi', 'nope', arn] }, 'eu-west-1')).trailList.map((t) => t.Name),
    ['multi'],
  );
  assert.equal((await call('GetTrail', { Name: 'multi' }, 'eu-west-1')).Trail.TrailARN, arn);
  assert.equal(await code('GetTrail', { Name: 'local' }, 'eu-west-1'), 'TrailNotFoundException');
  assert.equal(await code('GetTrailStatus', { Name: 'multi' }, 'eu-west-1'), 'TrailNotFoundException');
  assert.equal(await code('GetTrailStatus', { Name: arn }, 'eu-west-1'), 'ok');
  // a name that finds nothing: GetTrailStatus names the ARN it would have here, GetTrail the name as given
  const message = (op: OperationName, input: object) =>
    call(op, input).then(
      () => 'ok',
      (e: AwsError) => e.message,
    );
  assert.equal(
    await message('GetTrailStatus', { Name: 'ghost' }),
    `Unknown trail: arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/ghost for the user: ${ACCOUNT}`,
  );
  assert.equal(
    await message('GetEventSelectors', { TrailName: 'ghost' }),
    `Unknown trail: arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/ghost for the user: ${ACCOUNT}`,
  );
  assert.equal(await message('GetTrail', { Name: 'ghost' }), `Unknown trail: ghost for the user: ${ACCOUNT}`);
  for (const op of ['StartLogging', 'StopLogging', 'DeleteTrail'] as const) {
    assert.equal(await code(op, { Name: 'multi' }, 'eu-west-1'), 'InvalidHomeRegionException', op);
    assert.equal(await code(op, { Name: arn }, 'eu-west-1'), 'InvalidHomeRegionException', op);
  }
  assert.equal(await code('UpdateTrail', { Name: 'multi', EnableLogFileValidation: true }, 'eu-west-1'), 'InvalidHomeRegionException');
  assert.equal(await code('PutEventSelectors', { TrailName: arn, EventSelectors: [{}] }, 'eu-west-1'), 'InvalidHomeRegionException');
  assert.equal(await code('AddTags', { ResourceId: arn, TagsList: [{ Key: 'k', Value: 'v' }] }, 'eu-west-1'), 'InvalidHomeRegionException');
  assert.equal(await code('CreateTrail', { Name: 'multi', S3BucketName: 'logs' }, 'eu-west-1'), 'TrailAlreadyExistsException');
  assert.equal(await code('CreateTrail', { Name: 'local', S3BucketName: 'logs' }, 'eu-west-1'), 'ok', 'a single-region name is free elsewhere');
  assert.deepEqual(
    (await call('ListTrails', {}, 'ap-south-1')).Trails.map((t) => `${t.Name}@${t.HomeRegion}`),
    ['multi@us-east-1', 'local@us-east-1', 'local@eu-west-1'],
  );
  await close(store);
});

test('at most 5 trails per region, shadow trails included', async () => {
  const { store, call, code } = await setup();
  await call('CreateTrail', { Name: 'multi', S3BucketName: 'logs', IsMultiRegionTrail: true }, 'eu-west-1');
  for (let i = 0; i < 4; i++) await call('CreateTrail', { Name: `t${i}-trail`, S3BucketName: 'logs' });
  const err = await call('CreateTrail', { Name: 'sixth', S3BucketName: 'logs' }).then(
    () => undefined,
    (e: AwsError) => e,
  );
  assert.deepEqual([err?.code, err?.message], ['MaximumNumberOfTrailsExceededException', `User: ${ACCOUNT} already has 5 trails in us-east-1.`]);
  assert.equal(await code('CreateTrail', { Name: 'sixth', S3BucketName: 'logs' }, 'eu-west-1'), 'ok');
  await close(store);
});

test('event selectors: default, basic, advanced, never both, validated', async () => {
  const { store, call, code } = await setup();
  await call('CreateTrail', { Name: 'main', S3BucketName: 'logs' });
  const arn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`;
  assert.deepEqual(await call('GetEventSelectors', { TrailName: 'main' }), {
    TrailARN: arn,
    EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }],
  });
  assert.deepEqual(
    (await call('PutEventSelectors', { TrailName: 'main', EventSelectors: [{ ReadWriteType: 'WriteOnly' }] })).EventSelectors[0]!.ReadWriteType,
    'WriteOnly',
  );
  assert.equal((await call('GetTrail', { Name: 'main' })).Trail.HasCustomEventSelectors, true);
  const adv = [
    {
      Name: 'writes',
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Management'] },
        { Field: 'readOnly', Equals: ['false'] },
      ],
    },
  ];
  assert.deepEqual(await call('PutEventSelectors', { TrailName: 'main', AdvancedEventSelectors: adv }), { TrailARN: arn, AdvancedEventSelectors: adv });
  assert.deepEqual(await call('GetEventSelectors', { TrailName: arn }), { TrailARN: arn, AdvancedEventSelectors: adv });
  const bad = (input: Record<string, unknown>) => code('PutEventSelectors', { TrailName: 'main', ...input });
  assert.equal(await bad({}), 'InvalidEventSelectorsException');
  assert.equal(await bad({ EventSelectors: [{}], AdvancedEventSelectors: adv }), 'InvalidEventSelectorsException');
  assert.equal(await bad({ EventSelectors: Array(6).fill({}) }), 'InvalidEventSelectorsException');
  assert.equal(await bad({ EventSelectors: [{ ExcludeManagementEventSources: ['s3.amazonaws.com'] }] }), 'InvalidEventSelectorsException');
  assert.equal(await bad({ EventSelectors: [{ DataResources: [{ Type: 'AWS::S3::Bucket', Values: [] }] }] }), 'InvalidEventSelectorsException');
  assert.equal(
    await bad({ EventSelectors: [{ DataResources: [{ Type: 'AWS::S3::Object', Values: Array(251).fill('arn:aws:s3:::b/') }] }] }),
    'InvalidEventSelectorsException',
  );
  assert.equal(await bad({ AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'readOnly', Equals: ['true'] }] }] }), 'InvalidEventSelectorsException');
  assert.equal(
    await bad({
      AdvancedEventSelectors: [
        {
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Management'] },
            { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
          ],
        },
      ],
    }),
    'InvalidEventSelectorsException',
  );
  assert.equal(await bad({ AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }] }] }), 'InvalidEventSelectorsException');
  assert.equal(
    await bad({
      AdvancedEventSelectors: [
        {
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Management'] },
            { Field: 'readOnly', Equals: ['yes'] },
          ],
        },
      ],
    }),
    'InvalidEventSelectorsException',
  );
  assert.equal(
    await bad({ AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'eventName' }] }] }),
    'InvalidEventSelectorsException',
  );
  assert.equal(
    await bad({
      AdvancedEventSelectors: [
        {
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
          ],
        },
      ],
    }),
    'ok',
  );
  await close(store);
});

test('tags: add replaces, remove by key, list by ARN; limits and resource errors', async () => {
  const { store, call, code } = await setup();
  await call('CreateTrail', { Name: 'main', S3BucketName: 'logs', TagsList: [{ Key: 'team', Value: 'a' }] });
  const arn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`;
  await call('AddTags', {
    ResourceId: arn,
    TagsList: [
      { Key: 'team', Value: 'b' },
      { Key: 'env', Value: 'dev' },
    ],
  });
  assert.deepEqual(await call('ListTags', { ResourceIdList: [arn] }), {
    ResourceTagList: [
      {
        ResourceId: arn,
        TagsList: [
          { Key: 'team', Value: 'b' },
          { Key: 'env', Value: 'dev' },
        ],
      },
    ],
  });
  await call('RemoveTags', { ResourceId: arn, TagsList: [{ Key: 'team' }] });
  assert.deepEqual((await call('ListTags', { ResourceIdList: [arn] })).ResourceTagList[0]!.TagsList, [{ Key: 'env', Value: 'dev' }]);
  assert.equal(
    await code('AddTags', { ResourceId: arn, TagsList: Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) }),
    'TagsLimitExceededException',
  );
  assert.equal(await code('AddTags', { ResourceId: 'main', TagsList: [{ Key: 'k' }] }), 'CloudTrailARNInvalidException');
  assert.equal(await code('AddTags', { ResourceId: `${arn}x`, TagsList: [{ Key: 'k' }] }), 'ResourceNotFoundException');
  assert.equal(
    await code('AddTags', { ResourceId: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:dashboard/d`, TagsList: [{ Key: 'k' }] }),
    'ResourceTypeNotSupportedException',
  );
  assert.equal(await code('ListTags', { ResourceIdList: Array(21).fill(arn) }), 'InvalidParameterException');
  assert.equal(
    await code('AddTags', {
      ResourceId: arn,
      TagsList: [
        { Key: 'k', Value: '1' },
        { Key: 'k', Value: '2' },
      ],
    }),
    'InvalidTagParameterException',
  );
  await close(store);
});

test('StartLogging / StopLogging set the status; DeleteTrail of a logging trail keeps it hidden until flushed', async () => {
  const { store, call, code } = await setup();
  await call('CreateTrail', { Name: 'main', S3BucketName: 'logs', EnableLogFileValidation: true });
  await call('StartLogging', { Name: 'main' });
  await call('StartLogging', { Name: 'main' });
  let s = await call('GetTrailStatus', { Name: 'main' });
  assert.equal(s.IsLogging, true);
  assert.ok(s.StartLoggingTime instanceof Date);
  assert.match(s.TimeLoggingStarted, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(s.TimeLoggingStopped, '');
  assert.equal((await store.trails.listSessions(1)).length, 1, 'starting twice opens one session');
  await call('StopLogging', { Name: 'main' });
  s = await call('GetTrailStatus', { Name: 'main' });
  assert.deepEqual([s.IsLogging, s.StopLoggingTime instanceof Date], [false, true]);
  await call('DeleteTrail', { Name: 'main' });
  assert.equal(await code('GetTrail', { Name: 'main' }), 'TrailNotFoundException');
  assert.equal((await store.trails.listTrails({ withDeleted: true })).length, 1, 'kept for its final digest');
  assert.equal(await code('CreateTrail', { Name: 'main', S3BucketName: 'logs' }), 'ok', 'the name is free again');
  await close(store);
});

test("ListPublicKeys: the region's current key by default, a window on request, InvalidTimeRangeException when reversed", async () => {
  const { store, call, code } = await setup();
  const {
    PublicKeyList: [first, ...rest],
  } = await call('ListPublicKeys', {});
  const k = first!;
  assert.equal(rest.length, 0);
  assert.ok(Buffer.isBuffer(k.Value));
  assert.match(k.Fingerprint, /^[0-9a-f]{32}$/);
  assert.ok(k.ValidityEndTime > k.ValidityStartTime);
  assert.notEqual((await call('ListPublicKeys', {}, 'eu-west-1')).PublicKeyList[0]!.Fingerprint, k.Fingerprint);
  assert.equal(
    (await call('ListPublicKeys', { StartTime: new Date(Date.now() - 3600_000), EndTime: new Date(Date.now() + 3600_000) })).PublicKeyList.length,
    1,
  );
  assert.equal(await code('ListPublicKeys', { StartTime: new Date(Date.now() + 1000), EndTime: new Date() }), 'InvalidTimeRangeException');
  await close(store);
});
