/**
 * LookupEvents through the official clients (docs/architecture.md#event-history): read-your-
 * writes, newest first, paging by the CLI and the SDK paginator, NextToken bound to its query,
 * every error LookupEvents documents, AND of attributes, insight, and no 2-TPS throttle.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { IAMClient, CreateUserCommand, CreateAccessKeyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { CloudTrailClient, LookupEventsCommand, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import { startServer, type Credentials, type TestServer } from './helpers/server.ts';
import { awsCli, sdkConfig } from './helpers/clients.ts';
import { cliLookup, sdkLookup } from './helpers/history.ts';

let server: TestServer;
let alice: Credentials;
/** request ids of the GetCallerIdentity calls, in the order made */
const made: string[] = [];
const ct = (c: Credentials = server.root) => new CloudTrailClient(sdkConfig(server.endpoint, c));
const byName = (v: string) => [{ AttributeKey: 'EventName' as const, AttributeValue: v }];
async function code(input: LookupEventsCommandInput): Promise<string> {
  try {
    await ct().send(new LookupEventsCommand(input));
  } catch (e: any) {
    assert.equal(e.$metadata.httpStatusCode, 400);
    return e.name;
  }
  return 'none';
}
const requestIdOf = (e: { CloudTrailEvent?: string }) => JSON.parse(e.CloudTrailEvent!).requestID as string;

before(async () => {
  server = await startServer();
  const iam = new IAMClient(sdkConfig(server.endpoint, server.root));
  await iam.send(new CreateUserCommand({ UserName: 'alice' }));
  const k = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
  alice = { accessKeyId: k.AccessKey!.AccessKeyId!, secretAccessKey: k.AccessKey!.SecretAccessKey! };
  await iam.send(
    new PutUserPolicyCommand({
      UserName: 'alice',
      PolicyName: 'p',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'cloudtrail:LookupEvents', Resource: '*' }] }),
    }),
  );
  const sts = new STSClient(sdkConfig(server.endpoint, server.root));
  for (let i = 0; i < 57; i++) made.push((await sts.send(new GetCallerIdentityCommand({}))).$metadata.requestId!);
  made.push((await new STSClient(sdkConfig(server.endpoint, alice)).send(new GetCallerIdentityCommand({}))).$metadata.requestId!);
});

after(async () => {
  await server?.dispose();
});

test('read-your-writes, newest first: the SDK paginator and the CLI see every call once, in the same order', async () => {
  const newestFirst = [...made].reverse();
  const sdk = await sdkLookup(server.endpoint, server.root, byName('GetCallerIdentity'));
  assert.deepEqual(sdk.map(requestIdOf), newestFirst);
  const cli = cliLookup(server.endpoint, server.root, byName('GetCallerIdentity'));
  assert.deepEqual(cli.map(requestIdOf), newestFirst);
  const times = sdk.map((e) => e.EventTime!.getTime());
  assert.deepEqual(
    times,
    [...times].sort((a, b) => b - a),
  );
});

test('pages: MaxResults 1–50 (default 50); NextToken until the last page; the CLI follows it and also pages with --max-items', async () => {
  const first = await ct().send(new LookupEventsCommand({ LookupAttributes: byName('GetCallerIdentity') }));
  assert.equal(first.Events!.length, 50);
  assert.equal(typeof first.NextToken, 'string');
  const second = await ct().send(new LookupEventsCommand({ LookupAttributes: byName('GetCallerIdentity'), NextToken: first.NextToken, MaxResults: 50 }));
  assert.equal(second.Events!.length, 8);
  assert.equal(second.NextToken, undefined);
  assert.deepEqual([...first.Events!, ...second.Events!].map(requestIdOf), [...made].reverse());

  const args = ['cloudtrail', 'lookup-events', '--lookup-attributes', 'AttributeKey=EventName,AttributeValue=GetCallerIdentity', '--max-items', '10'];
  const p1 = awsCli(server.endpoint, server.root, args);
  assert.equal(p1.json.Events.length, 10);
  const p2 = awsCli(server.endpoint, server.root, [...args, '--starting-token', p1.json.NextToken]);
  assert.deepEqual([...p1.json.Events, ...p2.json.Events].map(requestIdOf), [...made].reverse().slice(0, 20));
  const small = awsCli(server.endpoint, server.root, ['cloudtrail', 'lookup-events', '--max-results', '3', '--no-paginate']);
  assert.equal(small.json.Events.length, 3);
});

test('a NextToken replayed with other parameters, or made up, is InvalidNextTokenException', async () => {
  const first = await ct().send(new LookupEventsCommand({ LookupAttributes: byName('GetCallerIdentity'), MaxResults: 5 }));
  assert.equal(await code({ LookupAttributes: byName('CreateUser'), NextToken: first.NextToken }), 'InvalidNextTokenException');
  assert.equal(await code({ LookupAttributes: byName('GetCallerIdentity'), EndTime: new Date(), NextToken: first.NextToken }), 'InvalidNextTokenException');
  assert.equal(await code({ NextToken: 'bm90IGEgdG9rZW4' }), 'InvalidNextTokenException');
});

test('errors: MaxResults out of range, start after end, bad attribute key or value, bad category', async () => {
  assert.equal(await code({ MaxResults: 51 }), 'InvalidMaxResultsException');
  assert.equal(await code({ StartTime: new Date('2026-02-01T00:00:00Z'), EndTime: new Date('2026-01-01T00:00:00Z') }), 'InvalidTimeRangeException');
  assert.equal(await code({ LookupAttributes: [{ AttributeKey: 'UserName' as any, AttributeValue: 'alice' }] }), 'InvalidLookupAttributesException');
  assert.equal(await code({ LookupAttributes: byName(`${'_'.repeat(1000)}x`) }), 'InvalidLookupAttributesException');
  assert.equal(await code({ EventCategory: 'management' as any }), 'InvalidEventCategoryException');
  const cli = awsCli(server.endpoint, server.root, [
    'cloudtrail',
    'lookup-events',
    '--start-time',
    '2026-02-01T00:00:00Z',
    '--end-time',
    '2026-01-01T00:00:00Z',
  ]);
  assert.equal(cli.status, 254);
  assert.match(cli.stderr, /An error occurred \(InvalidTimeRangeException\) when calling the LookupEvents operation/);
  const big = awsCli(server.endpoint, server.root, ['cloudtrail', 'lookup-events', '--max-results', '51', '--no-paginate']);
  assert.match(big.stderr, /\(InvalidMaxResultsException\).*MaxResults 51 is not valid\. MaxResults must be between 1 and 50\./);
});

test('beyond AWS: attributes combine with AND; EventCategory insight answers an empty list', async () => {
  const both = await sdkLookup(server.endpoint, server.root, [...byName('GetCallerIdentity'), { AttributeKey: 'Username', AttributeValue: 'alice' }]);
  assert.deepEqual(both.map(requestIdOf), [made.at(-1)]);
  assert.deepEqual(await sdkLookup(server.endpoint, server.root, [...byName('GetCallerIdentity'), { AttributeKey: 'ReadOnly', AttributeValue: 'false' }]), []);
  const insight = awsCli(server.endpoint, server.root, ['cloudtrail', 'lookup-events', '--event-category', 'insight']);
  assert.deepEqual(insight.json, { Events: [] });
});

test('no 2-TPS throttle: 20 concurrent lookups all answer', async () => {
  const all = await Promise.all(
    Array.from({ length: 20 }, () => ct(alice).send(new LookupEventsCommand({ LookupAttributes: byName('GetCallerIdentity'), MaxResults: 1 }))),
  );
  assert.deepEqual(
    all.map((r) => r.Events!.length),
    Array(20).fill(1),
  );
});

test('the lookups themselves are in history, with their parameters (the NextToken too)', async () => {
  const mine = await sdkLookup(server.endpoint, server.root, [
    { AttributeKey: 'EventName', AttributeValue: 'LookupEvents' },
    { AttributeKey: 'Username', AttributeValue: 'alice' },
  ]);
  assert.equal(mine.length, 20);
  assert.deepEqual(JSON.parse(mine[0]!.CloudTrailEvent!).requestParameters, {
    lookupAttributes: [{ attributeKey: 'EventName', attributeValue: 'GetCallerIdentity' }],
    maxResults: 1,
  });
  const paged = (
    await sdkLookup(server.endpoint, server.root, [
      { AttributeKey: 'EventName', AttributeValue: 'LookupEvents' },
      { AttributeKey: 'Username', AttributeValue: 'root' },
    ])
  )
    .map((e) => JSON.parse(e.CloudTrailEvent!).requestParameters)
    .filter((p) => p?.nextToken);
  assert.ok(paged.length >= 3);
  assert.ok(paged.every((p) => typeof p.nextToken === 'string'));
});

test("Event history is per Region: eu-west-1 shows eu-west-1's calls only; us-east-1 also IAM's and STS's", async () => {
  const west = new STSClient(sdkConfig(server.endpoint, server.root, 'eu-west-1'));
  const { $metadata: stsCall } = await west.send(new GetCallerIdentityCommand({}));
  // a regional call in eu-west-1: LookupEvents itself
  const { $metadata: westCall } = await new CloudTrailClient(sdkConfig(server.endpoint, server.root, 'eu-west-1')).send(
    new LookupEventsCommand({ MaxResults: 1 }),
  );
  const { $metadata: iamCall } = await new IAMClient(sdkConfig(server.endpoint, server.root)).send(new CreateUserCommand({ UserName: 'regional-check' }));
  const ids = async (region: string) => new Set((await sdkLookup(server.endpoint, server.root, [], {}, region)).map(requestIdOf));
  const [inWest, inEast] = [await ids('eu-west-1'), await ids('us-east-1')];
  assert.ok(inWest.has(westCall.requestId!), 'the eu-west-1 call is in eu-west-1');
  assert.ok(!inEast.has(westCall.requestId!), 'and not in us-east-1');
  for (const global of [stsCall.requestId!, iamCall.requestId!]) {
    assert.ok(inEast.has(global), 'IAM and STS calls are recorded in us-east-1');
    assert.ok(!inWest.has(global), "and are not in eu-west-1's history");
  }
  // a token from one Region's lookup does not continue another's
  const page = await new CloudTrailClient(sdkConfig(server.endpoint, server.root, 'us-east-1')).send(new LookupEventsCommand({ MaxResults: 1 }));
  assert.ok(page.NextToken);
  await assert.rejects(
    new CloudTrailClient(sdkConfig(server.endpoint, server.root, 'eu-west-1')).send(new LookupEventsCommand({ MaxResults: 1, NextToken: page.NextToken })),
    (e: Error) => e.name === 'InvalidNextTokenException',
  );
});
