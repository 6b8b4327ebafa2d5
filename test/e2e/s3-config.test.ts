/**
 * Bucket configuration subresources (docs/s3.md#bucket-configuration) and region hints
 * (docs/s3.md#region-hints) with /usr/bin/aws s3api and @aws-sdk/client-s3, across a restart.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  S3Client,
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketPolicyStatusCommand,
  GetBucketLocationCommand,
  GetBucketTaggingCommand,
  HeadBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { startServer, type TestServer } from './helpers/server.ts';
import { awsCli, sdkConfig } from './helpers/clients.ts';
import { sdkLookup } from './helpers/history.ts';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

let server: TestServer;
const s3 = () => new S3Client({ ...sdkConfig(server.endpoint, server.root), forcePathStyle: true });
const cli = (args: string[]) => awsCli(server.endpoint, server.root, args);
const publicPolicy = (b: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${b}/*` }] });

before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.dispose();
});

test('tagging, encryption, public access block, policy status, ownership controls: defaults, errors, round trips, restart, CloudTrail', async () => {
  const c = s3();
  await c.send(new CreateBucketCommand({ Bucket: 'cfg-bucket' }));
  const enc = await c.send(new GetBucketEncryptionCommand({ Bucket: 'cfg-bucket' }));
  assert.equal(enc.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm, 'AES256');
  const put = await c.send(new PutObjectCommand({ Bucket: 'cfg-bucket', Key: 'k', Body: 'x' }));
  assert.equal(put.ServerSideEncryption, 'AES256');
  assert.equal(
    cli(['s3api', 'get-bucket-ownership-controls', '--bucket', 'cfg-bucket']).json.OwnershipControls.Rules[0].ObjectOwnership,
    'BucketOwnerEnforced',
  );

  const noTags = cli(['s3api', 'get-bucket-tagging', '--bucket', 'cfg-bucket']);
  assert.match(noTags.stderr, /NoSuchTagSet/);
  // since April 2023 a new bucket blocks all public access (docs/s3.md#block-public-access)
  assert.deepEqual(cli(['s3api', 'get-public-access-block', '--bucket', 'cfg-bucket']).json.PublicAccessBlockConfiguration, {
    BlockPublicAcls: true,
    IgnorePublicAcls: true,
    BlockPublicPolicy: true,
    RestrictPublicBuckets: true,
  });
  assert.equal(cli(['s3api', 'delete-public-access-block', '--bucket', 'cfg-bucket']).status, 0);
  assert.match(cli(['s3api', 'get-public-access-block', '--bucket', 'cfg-bucket']).stderr, /NoSuchPublicAccessBlockConfiguration/);
  assert.match(cli(['s3api', 'get-bucket-tagging', '--bucket', 'no-such-cfg-bucket']).stderr, /NoSuchBucket/);
  assert.equal(cli(['s3api', 'put-bucket-tagging', '--bucket', 'cfg-bucket', '--tagging', 'TagSet=[{Key=team,Value=trail}]']).status, 0);
  assert.match(cli(['s3api', 'put-bucket-tagging', '--bucket', 'cfg-bucket', '--tagging', 'TagSet=[{Key=aws:x,Value=1}]']).stderr, /InvalidArgument/);
  await c.send(
    new PutBucketEncryptionCommand({
      Bucket: 'cfg-bucket',
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/trail' } }] },
    }),
  );
  const kms = await c.send(new PutObjectCommand({ Bucket: 'cfg-bucket', Key: 'k2', Body: 'x' }));
  assert.equal(kms.ServerSideEncryption, 'aws:kms');
  assert.equal(kms.SSEKMSKeyId, 'alias/trail');
  assert.equal(cli(['s3api', 'put-public-access-block', '--bucket', 'cfg-bucket', '--public-access-block-configuration', 'BlockPublicPolicy=true']).status, 0);
  const refused = await c.send(new PutBucketPolicyCommand({ Bucket: 'cfg-bucket', Policy: publicPolicy('cfg-bucket') })).catch((e) => e);
  assert.equal(refused.name, 'AccessDenied');
  assert.equal(cli(['s3api', 'delete-public-access-block', '--bucket', 'cfg-bucket']).status, 0);
  await c.send(new PutBucketPolicyCommand({ Bucket: 'cfg-bucket', Policy: publicPolicy('cfg-bucket') }));
  assert.equal((await c.send(new GetBucketPolicyStatusCommand({ Bucket: 'cfg-bucket' }))).PolicyStatus?.IsPublic, true);
  assert.equal(cli(['s3api', 'delete-bucket-ownership-controls', '--bucket', 'cfg-bucket']).status, 0);
  c.destroy();

  await server.kill();
  await server.restart();
  const d = s3();
  assert.deepEqual((await d.send(new GetBucketTaggingCommand({ Bucket: 'cfg-bucket' }))).TagSet, [{ Key: 'team', Value: 'trail' }]);
  assert.equal(
    (await d.send(new GetBucketEncryptionCommand({ Bucket: 'cfg-bucket' }))).ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault
      ?.KMSMasterKeyID,
    'alias/trail',
  );
  assert.match(cli(['s3api', 'get-bucket-ownership-controls', '--bucket', 'cfg-bucket']).stderr, /OwnershipControlsNotFoundError/);
  assert.equal(cli(['s3api', 'delete-bucket-encryption', '--bucket', 'cfg-bucket']).status, 0);
  assert.equal(
    cli(['s3api', 'get-bucket-encryption', '--bucket', 'cfg-bucket']).json.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault
      .SSEAlgorithm,
    'AES256',
  );
  d.destroy();

  const events = await sdkLookup(server.endpoint, server.root, [{ AttributeKey: 'EventName', AttributeValue: 'PutBucketTagging' }]);
  assert.ok(events.length >= 2);
  const rec = JSON.parse(events[0]!.CloudTrailEvent!);
  assert.equal(rec.managementEvent, true);
});

test('region hints: a request signed for another region than the bucket is AuthorizationHeaderMalformed with Region; HeadBucket carries x-amz-bucket-region', async () => {
  const c = s3();
  await c.send(new CreateBucketCommand({ Bucket: 'region-bucket' }));
  const head = await c.send(new HeadBucketCommand({ Bucket: 'region-bucket' }));
  assert.equal(head.$metadata.httpStatusCode, 200);
  c.destroy();
  const wrong = new S3Client({ ...sdkConfig(server.endpoint, server.root, 'eu-west-1'), forcePathStyle: true, followRegionRedirects: false });
  const e = await wrong.send(new GetBucketTaggingCommand({ Bucket: 'region-bucket' })).catch((x) => x);
  assert.equal(e.name, 'AuthorizationHeaderMalformed');
  assert.equal(e.$metadata.httpStatusCode, 400);
  assert.equal(e.message, "The authorization header is malformed; the region 'eu-west-1' is wrong; expecting 'us-east-1'");
  assert.equal(e.Region, 'us-east-1');
  assert.equal(e.$response?.headers?.['x-amz-bucket-region'], 'us-east-1');
  // a bucket of eu-west-1: its requests signed for us-east-1 are refused, but GetBucketLocation, signed for us-east-1, answers
  await wrong.send(new CreateBucketCommand({ Bucket: 'region-bucket-eu', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  const east = new S3Client({ ...sdkConfig(server.endpoint, server.root, 'us-east-1'), forcePathStyle: true, followRegionRedirects: false });
  assert.equal((await east.send(new GetBucketLocationCommand({ Bucket: 'region-bucket-eu' }))).LocationConstraint, 'eu-west-1');
  const refused = await east.send(new GetBucketTaggingCommand({ Bucket: 'region-bucket-eu' })).catch((x) => x);
  assert.equal(refused.message, "The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'");
  east.destroy();
  wrong.destroy();
});
