/**
 * The trail API end to end with the official clients only (@aws-sdk/client-cloudtrail, /usr/bin/aws):
 * every trail operation (docs/architecture.md#delivery) from both, DescribeTrails' lower-camel members,
 * home region and shadow trails, the quota, and each error AWS documents for them, from real calls. The
 * buckets are made with the CLI on startrail's own S3 endpoint.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  CloudTrailClient,
  CreateTrailCommand,
  UpdateTrailCommand,
  DeleteTrailCommand,
  DescribeTrailsCommand,
  GetTrailCommand,
  ListTrailsCommand,
  GetTrailStatusCommand,
  StartLoggingCommand,
  StopLoggingCommand,
  PutEventSelectorsCommand,
  GetEventSelectorsCommand,
  AddTagsCommand,
  RemoveTagsCommand,
  ListTagsCommand,
  ListPublicKeysCommand,
  type CreateTrailCommandInput,
} from '@aws-sdk/client-cloudtrail';
import { IAMClient, CreateUserCommand, CreateAccessKeyCommand } from '@aws-sdk/client-iam';
import { startServer, type Credentials, type TestServer } from './helpers/server.ts';
import { awsCli, sdkConfig } from './helpers/clients.ts';
import { cloudTrailBucketPolicy } from './helpers/delivery.ts';

const ACCOUNT = '000000000000';
const ARN = (name: string, region = 'us-east-1') => `arn:aws:cloudtrail:${region}:${ACCOUNT}:trail/${name}`;

let server: TestServer;
let east: CloudTrailClient;
let west: CloudTrailClient;

const out = <T extends object>(o: T) => {
  const { $metadata: _, ...rest } = o as T & { $metadata?: unknown };
  return rest;
};

function cli(args: string[], region = 'us-east-1', c: Credentials = server.root): any {
  const r = awsCli(server.endpoint, c, args, region);
  assert.equal(r.status, 0, r.stderr);
  return r.json;
}

function cliRefused(args: string[], code: string, operation: string, message: string, region = 'us-east-1'): void {
  const r = awsCli(server.endpoint, server.root, args, region);
  assert.equal(r.status, 254, r.stdout);
  assert.equal(r.stderr.trim().replace(/ \(reached max retries: \d+\)/, ''), `An error occurred (${code}) when calling the ${operation} operation: ${message}`);
}

async function refused(p: Promise<unknown>, code: string, message?: string | RegExp): Promise<void> {
  let e: any;
  try {
    await p;
  } catch (x) {
    e = x;
  }
  assert.ok(e, `expected ${code}`);
  assert.equal(e.name, code, e.message);
  assert.equal(e.$metadata?.httpStatusCode, 400);
  if (typeof message === 'string') assert.equal(e.message, message);
  else if (message) assert.match(e.message, message);
}

const create = (Name: string, extra: Partial<CreateTrailCommandInput> = {}, client = east) =>
  client.send(new CreateTrailCommand({ Name, S3BucketName: 'trail-logs', ...extra }));

before(async () => {
  server = await startServer({ STARTRAIL_DELIVERY_INTERVAL: '1', STARTRAIL_DIGEST_INTERVAL: '5' });
  east = new CloudTrailClient(sdkConfig(server.endpoint, server.root));
  west = new CloudTrailClient(sdkConfig(server.endpoint, server.root, 'eu-west-1'));
  cli(['s3', 'mb', 's3://trail-logs']);
  // writes allowed at the bucket's root and under the prefix `audit`
  const policy = JSON.parse(cloudTrailBucketPolicy('trail-logs', ACCOUNT));
  policy.Statement[1].Resource = [`arn:aws:s3:::trail-logs/AWSLogs/${ACCOUNT}/*`, `arn:aws:s3:::trail-logs/audit/AWSLogs/${ACCOUNT}/*`];
  cli(['s3api', 'put-bucket-policy', '--bucket', 'trail-logs', '--policy', JSON.stringify(policy)]);
  cli(['s3', 'mb', 's3://no-policy']);
});

after(async () => {
  await server?.dispose();
});

test('CreateTrail (CLI and SDK): only set members come back; the trail is not logging yet', async () => {
  const created = cli([
    'cloudtrail',
    'create-trail',
    '--name',
    'cli-trail',
    '--s3-bucket-name',
    'trail-logs',
    '--is-multi-region-trail',
    '--enable-log-file-validation',
    '--tags-list',
    'Key=team,Value=audit',
  ]);
  assert.deepEqual(created, {
    Name: 'cli-trail',
    S3BucketName: 'trail-logs',
    IncludeGlobalServiceEvents: true,
    IsMultiRegionTrail: true,
    TrailARN: ARN('cli-trail'),
    LogFileValidationEnabled: true,
    IsOrganizationTrail: false,
  });
  assert.deepEqual(out(await create('sdk-trail', { S3KeyPrefix: 'audit' })), {
    Name: 'sdk-trail',
    S3BucketName: 'trail-logs',
    S3KeyPrefix: 'audit',
    IncludeGlobalServiceEvents: true,
    IsMultiRegionTrail: false,
    TrailARN: ARN('sdk-trail'),
    LogFileValidationEnabled: false,
    IsOrganizationTrail: false,
  });
  assert.equal((await east.send(new GetTrailStatusCommand({ Name: 'sdk-trail' }))).IsLogging, false);
});

test('CreateTrail refuses what AWS refuses, each with its exception', async () => {
  await refused(create('sdk-trail'), 'TrailAlreadyExistsException', `Trail sdk-trail already exists for customer: ${ACCOUNT}`);
  await refused(create('cli-trail', {}, west), 'TrailAlreadyExistsException');
  await refused(create('x-trail', { S3BucketName: 'nowhere-bucket' }), 'S3BucketDoesNotExistException', 'S3 bucket nowhere-bucket does not exist!');
  await refused(
    create('x-trail', { S3BucketName: 'no-policy' }),
    'InsufficientS3BucketPolicyException',
    'Incorrect S3 bucket policy is detected for bucket: no-policy',
  );
  await refused(create('x-trail', { S3BucketName: 'trail-logs', S3KeyPrefix: 'elsewhere' }), 'InsufficientS3BucketPolicyException');
  await refused(create('xy'), 'InvalidTrailNameException', 'Trail name too short. Minimum allowed length: 3 characters. Specified name length: 2 characters.');
  await refused(create('bad--name'), 'InvalidTrailNameException');
  await refused(create('x-trail', { S3BucketName: 'Upper_Case' }), 'InvalidS3BucketNameException');
  await refused(create('x-trail', { S3KeyPrefix: 'p'.repeat(201) }), 'InvalidS3PrefixException');
  await refused(
    create('x-trail', { IsMultiRegionTrail: true, IncludeGlobalServiceEvents: false }),
    'InvalidParameterCombinationException',
    'Multi-Region trail must include global service events.',
  );
  await refused(create('x-trail', { SnsTopicName: 'no topic' }), 'InvalidSnsTopicNameException');
  await refused(
    create('x-trail', { SnsTopicName: 'alerts' }),
    'InsufficientSnsTopicPolicyException',
    'SNS Topic does not exist or the topic policy is incorrect!',
  );
  await refused(create('x-trail', { KmsKeyId: 'not a key' }), 'InvalidKmsKeyIdException');
  await refused(create('x-trail', { KmsKeyId: 'alias/trails' }), 'KmsKeyNotFoundException');
  await refused(
    create('x-trail', { CloudWatchLogsLogGroupArn: 'log-group', CloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/r` }),
    'InvalidCloudWatchLogsLogGroupArnException',
    'CloudTrail cannot validate the specified log group ARN.',
  );
  await refused(
    create('x-trail', { CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:g:*`, CloudWatchLogsRoleArn: 'role' }),
    'InvalidCloudWatchLogsRoleArnException',
  );
  // a well-formed ARN of a group that does not exist (trail-logs.test.ts: groups that do)
  await refused(
    create('x-trail', {
      CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:g:*`,
      CloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/r`,
    }),
    'InvalidCloudWatchLogsLogGroupArnException',
    'CloudTrail cannot validate the specified log group ARN.',
  );
  await refused(create('x-trail', { IsOrganizationTrail: true }), 'OrganizationsNotInUseException');
  await refused(create('x-trail', { TagsList: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) }), 'TagsLimitExceededException');
  await refused(create('x-trail', { TagsList: [{ Key: 'aws:reserved', Value: 'v' }] }), 'InvalidTagParameterException');
  cliRefused(
    ['cloudtrail', 'create-trail', '--name', 'bad-', '--s3-bucket-name', 'trail-logs'],
    'InvalidTrailNameException',
    'CreateTrail',
    'Trail name must ends with a letter or number.',
  );
});

test('DescribeTrails (lower-camel trailNameList / includeShadowTrails), GetTrail, ListTrails: shadow trails seen from every region', async () => {
  assert.deepEqual(
    (await east.send(new DescribeTrailsCommand({}))).trailList!.map((t) => t.Name),
    ['cli-trail', 'sdk-trail'],
  );
  const shadow = (await west.send(new DescribeTrailsCommand({}))).trailList!;
  assert.deepEqual(
    shadow.map((t) => [t.Name, t.HomeRegion, t.TrailARN]),
    [['cli-trail', 'us-east-1', ARN('cli-trail')]],
  );
  assert.deepEqual((await west.send(new DescribeTrailsCommand({ includeShadowTrails: false }))).trailList, []);
  const byName = cli(['cloudtrail', 'describe-trails', '--trail-name-list', 'sdk-trail', ARN('cli-trail'), 'unknown-trail']);
  assert.deepEqual(
    byName.trailList.map((t: any) => t.Name),
    ['sdk-trail', 'cli-trail'],
  );
  assert.deepEqual(byName.trailList[0], {
    Name: 'sdk-trail',
    S3BucketName: 'trail-logs',
    S3KeyPrefix: 'audit',
    IncludeGlobalServiceEvents: true,
    IsMultiRegionTrail: false,
    HomeRegion: 'us-east-1',
    TrailARN: ARN('sdk-trail'),
    LogFileValidationEnabled: false,
    HasCustomEventSelectors: false,
    HasInsightSelectors: false,
    IsOrganizationTrail: false,
  });
  assert.deepEqual(cli(['cloudtrail', 'describe-trails', '--no-include-shadow-trails'], 'eu-west-1'), { trailList: [] });
  assert.equal((await west.send(new GetTrailCommand({ Name: 'cli-trail' }))).Trail!.HomeRegion, 'us-east-1');
  await refused(west.send(new GetTrailCommand({ Name: 'sdk-trail' })), 'TrailNotFoundException', `Unknown trail: sdk-trail for the user: ${ACCOUNT}`);
  await refused(east.send(new GetTrailCommand({ Name: 'arn:aws:cloudtrail:us-east-1:12:trail/x' })), 'CloudTrailARNInvalidException');
  assert.deepEqual(cli(['cloudtrail', 'list-trails'], 'ap-south-1').Trails, [
    { TrailARN: ARN('cli-trail'), Name: 'cli-trail', HomeRegion: 'us-east-1' },
    { TrailARN: ARN('sdk-trail'), Name: 'sdk-trail', HomeRegion: 'us-east-1' },
  ]);
  assert.equal((await west.send(new ListTrailsCommand({}))).Trails!.length, 2);
});

test('UpdateTrail changes only what it is given, at home only', async () => {
  const updated = out(await east.send(new UpdateTrailCommand({ Name: 'sdk-trail', EnableLogFileValidation: true, S3KeyPrefix: '' })));
  assert.deepEqual(updated, {
    Name: 'sdk-trail',
    S3BucketName: 'trail-logs',
    IncludeGlobalServiceEvents: true,
    IsMultiRegionTrail: false,
    TrailARN: ARN('sdk-trail'),
    LogFileValidationEnabled: true,
    IsOrganizationTrail: false,
  });
  await refused(west.send(new UpdateTrailCommand({ Name: 'cli-trail', EnableLogFileValidation: false })), 'InvalidHomeRegionException');
  await refused(west.send(new UpdateTrailCommand({ Name: ARN('cli-trail'), EnableLogFileValidation: false })), 'InvalidHomeRegionException');
  await refused(
    east.send(new UpdateTrailCommand({ Name: 'no-such-trail', EnableLogFileValidation: false })),
    'TrailNotFoundException',
    `Unknown trail: no-such-trail for the user: ${ACCOUNT}`,
  );
  await refused(east.send(new UpdateTrailCommand({ Name: 'sdk-trail', S3BucketName: 'no-policy' })), 'InsufficientS3BucketPolicyException');
  await refused(east.send(new UpdateTrailCommand({ Name: 'cli-trail', IncludeGlobalServiceEvents: false })), 'InvalidParameterCombinationException');
});

test("StartLogging / StopLogging / GetTrailStatus: every field from real events; a shadow trail's status by ARN", async () => {
  cli(['cloudtrail', 'start-logging', '--name', 'cli-trail']);
  const status = await (async () => {
    for (let i = 0; i < 60; i++) {
      const s = await east.send(new GetTrailStatusCommand({ Name: 'cli-trail' }));
      if (s.LatestDeliveryTime && s.LatestDigestDeliveryTime) return s;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error('no delivery');
  })();
  assert.equal(status.IsLogging, true);
  assert.ok(status.StartLoggingTime! <= status.LatestDeliveryTime!);
  assert.equal(status.TimeLoggingStarted, status.StartLoggingTime!.toISOString().replace(/\.\d{3}Z$/, 'Z'));
  assert.match(status.LatestDeliveryAttemptSucceeded!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.deepEqual([status.TimeLoggingStopped, status.LatestNotificationAttemptTime, status.LatestDeliveryError], ['', '', undefined]);
  await refused(
    west.send(new GetTrailStatusCommand({ Name: 'cli-trail' })),
    'TrailNotFoundException',
    `Unknown trail: ${ARN('cli-trail', 'eu-west-1')} for the user: ${ACCOUNT}`,
  );
  assert.equal((await west.send(new GetTrailStatusCommand({ Name: ARN('cli-trail') }))).IsLogging, true);
  await refused(west.send(new StopLoggingCommand({ Name: ARN('cli-trail') })), 'InvalidHomeRegionException');
  await refused(west.send(new StartLoggingCommand({ Name: 'cli-trail' })), 'InvalidHomeRegionException');
  await east.send(new StopLoggingCommand({ Name: 'cli-trail' }));
  const stopped = cli(['cloudtrail', 'get-trail-status', '--name', 'cli-trail']);
  assert.equal(stopped.IsLogging, false);
  assert.match(stopped.TimeLoggingStopped, /Z$/);
  await refused(east.send(new StartLoggingCommand({ Name: 'missing-trail' })), 'TrailNotFoundException');
});

test('PutEventSelectors / GetEventSelectors: basic, advanced, the default, and InvalidEventSelectorsException', async () => {
  assert.deepEqual(cli(['cloudtrail', 'get-event-selectors', '--trail-name', 'sdk-trail']), {
    TrailARN: ARN('sdk-trail'),
    EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }],
  });
  const put = cli([
    'cloudtrail',
    'put-event-selectors',
    '--trail-name',
    'sdk-trail',
    '--event-selectors',
    '[{"ReadWriteType":"WriteOnly","IncludeManagementEvents":true}]',
  ]);
  assert.equal(put.EventSelectors[0].ReadWriteType, 'WriteOnly');
  assert.equal((await east.send(new GetTrailCommand({ Name: 'sdk-trail' }))).Trail!.HasCustomEventSelectors, true);
  const advanced = [
    {
      Name: 'writes',
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Management'] },
        { Field: 'readOnly', Equals: ['false'] },
      ],
    },
  ];
  assert.deepEqual(out(await east.send(new PutEventSelectorsCommand({ TrailName: 'sdk-trail', AdvancedEventSelectors: advanced }))), {
    TrailARN: ARN('sdk-trail'),
    AdvancedEventSelectors: advanced,
  });
  assert.deepEqual(out(await east.send(new GetEventSelectorsCommand({ TrailName: 'sdk-trail' }))), {
    TrailARN: ARN('sdk-trail'),
    AdvancedEventSelectors: advanced,
  });
  await refused(east.send(new PutEventSelectorsCommand({ TrailName: 'sdk-trail' })), 'InvalidEventSelectorsException');
  await refused(
    east.send(new PutEventSelectorsCommand({ TrailName: 'sdk-trail', EventSelectors: [{}], AdvancedEventSelectors: advanced })),
    'InvalidEventSelectorsException',
  );
  await refused(
    east.send(new PutEventSelectorsCommand({ TrailName: 'sdk-trail', EventSelectors: [{ ExcludeManagementEventSources: ['iam.amazonaws.com'] }] })),
    'InvalidEventSelectorsException',
  );
  await refused(
    east.send(
      new PutEventSelectorsCommand({ TrailName: 'sdk-trail', AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'readOnly', Equals: ['true'] }] }] }),
    ),
    'InvalidEventSelectorsException',
  );
  await refused(
    east.send(new PutEventSelectorsCommand({ TrailName: 'sdk-trail', EventSelectors: [{ ReadWriteType: 'Sometimes' as 'All' }] })),
    'ValidationException',
  );
  await refused(west.send(new PutEventSelectorsCommand({ TrailName: 'cli-trail', EventSelectors: [{}] })), 'InvalidHomeRegionException');
  await refused(west.send(new GetEventSelectorsCommand({ TrailName: 'cli-trail' })), 'TrailNotFoundException');
  assert.ok((await west.send(new GetEventSelectorsCommand({ TrailName: ARN('cli-trail') }))).EventSelectors);
});

test('AddTags / RemoveTags / ListTags', async () => {
  cli(['cloudtrail', 'add-tags', '--resource-id', ARN('sdk-trail'), '--tags-list', 'Key=team,Value=a', 'Key=env,Value=dev']);
  await east.send(new AddTagsCommand({ ResourceId: ARN('sdk-trail'), TagsList: [{ Key: 'team', Value: 'b' }] }));
  await east.send(new RemoveTagsCommand({ ResourceId: ARN('sdk-trail'), TagsList: [{ Key: 'env' }] }));
  assert.deepEqual(cli(['cloudtrail', 'list-tags', '--resource-id-list', ARN('sdk-trail'), ARN('cli-trail')]).ResourceTagList, [
    { ResourceId: ARN('sdk-trail'), TagsList: [{ Key: 'team', Value: 'b' }] },
    { ResourceId: ARN('cli-trail'), TagsList: [{ Key: 'team', Value: 'audit' }] },
  ]);
  await refused(east.send(new AddTagsCommand({ ResourceId: ARN('ghost-trail'), TagsList: [{ Key: 'k', Value: 'v' }] })), 'ResourceNotFoundException');
  await refused(east.send(new AddTagsCommand({ ResourceId: 'sdk-trail', TagsList: [{ Key: 'k', Value: 'v' }] })), 'CloudTrailARNInvalidException');
  await refused(
    east.send(new AddTagsCommand({ ResourceId: ARN('sdk-trail'), TagsList: Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) })),
    'TagsLimitExceededException',
  );
  await refused(
    east.send(
      new AddTagsCommand({
        ResourceId: ARN('sdk-trail'),
        TagsList: [
          { Key: 'k', Value: '1' },
          { Key: 'k', Value: '2' },
        ],
      }),
    ),
    'InvalidTagParameterException',
  );
  await refused(west.send(new AddTagsCommand({ ResourceId: ARN('cli-trail'), TagsList: [{ Key: 'k', Value: 'v' }] })), 'InvalidHomeRegionException');
  // an event data store ARN (docs/lake.md#event-data-stores): well formed but unknown, or with an id that is no store id
  await refused(
    east.send(new ListTagsCommand({ ResourceIdList: [`arn:aws:cloudtrail:us-east-1:${ACCOUNT}:eventdatastore/00000000-0000-4000-8000-000000000000`] })),
    'EventDataStoreNotFoundException',
  );
  await refused(
    east.send(new ListTagsCommand({ ResourceIdList: [`arn:aws:cloudtrail:us-east-1:${ACCOUNT}:eventdatastore/x`] })),
    'EventDataStoreARNInvalidException',
  );
});

test('ListPublicKeys: single base64 of DER PKCS#1 whose MD5 is the fingerprint; one key per region; InvalidTimeRangeException', async () => {
  const [key] = cli(['cloudtrail', 'list-public-keys']).PublicKeyList;
  const der = Buffer.from(key.Value, 'base64');
  assert.equal(der[0], 0x30);
  assert.equal(createHash('md5').update(der).digest('hex'), key.Fingerprint);
  const sdk = (await east.send(new ListPublicKeysCommand({ StartTime: new Date(Date.now() - 3600_000), EndTime: new Date(Date.now() + 7200_000) })))
    .PublicKeyList!;
  assert.deepEqual(
    sdk.map((k) => k.Fingerprint),
    [key.Fingerprint],
  );
  assert.deepEqual(Buffer.from(sdk[0]!.Value!), der);
  assert.ok(sdk[0]!.ValidityEndTime! > sdk[0]!.ValidityStartTime!);
  assert.notEqual((await west.send(new ListPublicKeysCommand({}))).PublicKeyList![0]!.Fingerprint, key.Fingerprint);
  await refused(east.send(new ListPublicKeysCommand({ StartTime: new Date(Date.now() + 3600_000), EndTime: new Date() })), 'InvalidTimeRangeException');
});

test('IAM decides on the trail ARN: a user without CloudTrail permissions is refused', async () => {
  const iam = new IAMClient(sdkConfig(server.endpoint, server.root));
  await iam.send(new CreateUserCommand({ UserName: 'nobody' }));
  const k = (await iam.send(new CreateAccessKeyCommand({ UserName: 'nobody' }))).AccessKey!;
  const nobody = new CloudTrailClient(sdkConfig(server.endpoint, { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! }));
  await refused(
    nobody.send(new CreateTrailCommand({ Name: 'mine', S3BucketName: 'trail-logs' })),
    'AccessDeniedException',
    `User: arn:aws:iam::${ACCOUNT}:user/nobody is not authorized to perform: cloudtrail:CreateTrail on resource: ${ARN('mine')} because no identity-based policy allows the cloudtrail:CreateTrail action`,
  );
  await refused(
    nobody.send(new DeleteTrailCommand({ Name: 'sdk-trail' })),
    'AccessDeniedException',
    /cloudtrail:DeleteTrail on resource: arn:aws:cloudtrail:us-east-1:000000000000:trail\/sdk-trail/,
  );
});

test('at most 5 trails per region, the multi-region trail counting everywhere; DeleteTrail at home frees the name', async () => {
  for (const n of ['third', 'fourth', 'fifth']) await create(`${n}-trail`);
  await refused(create('sixth-trail'), 'MaximumNumberOfTrailsExceededException', `User: ${ACCOUNT} already has 5 trails in us-east-1.`);
  for (const n of ['w1', 'w2', 'w3', 'w4']) await create(`${n}-trail`, {}, west);
  await refused(create('w5-trail', {}, west), 'MaximumNumberOfTrailsExceededException', `User: ${ACCOUNT} already has 5 trails in eu-west-1.`);
  await refused(west.send(new DeleteTrailCommand({ Name: 'cli-trail' })), 'InvalidHomeRegionException');
  cli(['cloudtrail', 'delete-trail', '--name', 'cli-trail']);
  await refused(east.send(new GetTrailCommand({ Name: 'cli-trail' })), 'TrailNotFoundException');
  await create('w5-trail', {}, west);
  await east.send(new DeleteTrailCommand({ Name: ARN('fifth-trail') }));
  await refused(east.send(new DeleteTrailCommand({ Name: 'fifth-trail' })), 'TrailNotFoundException');
});
