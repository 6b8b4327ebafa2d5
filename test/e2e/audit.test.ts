/**
 * The audit trail end to end with the official clients: calls as root, an IAM user, an assumed role and a
 * federated user, made with /usr/bin/aws and the SDKs, are each found in Event history by each of
 * the eight lookup attributes through both clients, and their records are exactly what CloudTrail
 * writes (record contents: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html ;
 * userIdentity: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html ; IAM and STS: https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html): compared as text, so every field, value, type
 * and the key order are checked. Each caller type makes at least one call that names a resource
 * (AssumeRole's role, a CodeStar project), so ResourceType and ResourceName are exercised for all.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { IAMClient, CreateAccessKeyCommand, PutUserPolicyCommand, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { STSClient, AssumeRoleCommand, GetFederationTokenCommand } from '@aws-sdk/client-sts';
import { CloudTrailClient, LookupEventsCommand, type Event } from '@aws-sdk/client-cloudtrail';
import { CodeStarClient, CreateProjectCommand } from '@aws-sdk/client-codestar';
import { startServer, type Credentials, type TestServer } from './helpers/server.ts';
import { sdkConfig } from './helpers/clients.ts';
import { cliLookup, cliWithRequestId, iamDate, isoSeconds, javaDate, sdkLookup } from './helpers/history.ts';

const ACCT = '000000000000';
const CLI_UA = (command: string) => new RegExp(`^aws-cli/2\\.\\d+\\.\\d+ Python/\\S+ .*command/${command.replace('.', '\\.')}$`);
const SDK_UA = (api: string) => new RegExp(`^aws-sdk-js/3\\.\\d+\\.\\d+ .*api/${api}#3\\.\\d+\\.\\d+`);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const allow = (Action: string[], Resource = '*') => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action, Resource }] });
const keyOf = (k: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string }): Credentials => ({
  accessKeyId: k.AccessKeyId!,
  secretAccessKey: k.SecretAccessKey!,
  ...(k.SessionToken ? { sessionToken: k.SessionToken } : {}),
});

/** One call under test: what the record must say, minus what only the server knows until it answers. */
interface Target {
  label: string;
  requestId: string;
  started: Date;
  finished: Date;
  userAgent: RegExp;
  /** builds the whole expected record from the record's eventID, eventTime and userAgent (checked separately) */
  expected: (eventId: string, eventTime: string, userAgent: string) => Record<string, unknown>;
  item: {
    EventName: string;
    ReadOnly: string;
    AccessKeyId: string;
    EventSource: string;
    Username: string;
    Resources: { ResourceType: string; ResourceName: string }[];
  };
}

let server: TestServer;
const targets: Target[] = [];
const tail = (requestID: string, eventID: string, readOnly: boolean, resources?: unknown[]) => ({
  requestID,
  eventID,
  readOnly,
  ...(resources ? { resources } : {}),
  eventType: 'AwsApiCall',
  managementEvent: true,
  recipientAccountId: ACCT,
  eventCategory: 'Management',
});
const timed = async <T>(fn: () => Promise<T> | T) => {
  const started = new Date();
  const r = await fn();
  return { r, started, finished: new Date() };
};

before(async () => {
  server = await startServer();
  const root = server.root;
  const rootIdentity = { type: 'Root', principalId: ACCT, arn: `arn:aws:iam::${ACCT}:root`, accountId: ACCT, accessKeyId: root.accessKeyId };

  // Root, with the CLI: CreateUser (mutating: the user is in responseElements, IAM's date form).
  const cu = await timed(() => cliWithRequestId(server.endpoint, root, ['iam', 'create-user', '--user-name', 'alice']));
  assert.equal(cu.r.status, 0, cu.r.stderr);
  const user = cu.r.json.User;
  targets.push({
    label: 'root CreateUser (CLI)',
    requestId: cu.r.requestId,
    started: cu.started,
    finished: cu.finished,
    userAgent: CLI_UA('iam.create-user'),
    item: { EventName: 'CreateUser', ReadOnly: 'false', AccessKeyId: root.accessKeyId, EventSource: 'iam.amazonaws.com', Username: 'root', Resources: [] },
    expected: (eventID, eventTime, userAgent) => ({
      eventVersion: '1.11',
      userIdentity: rootIdentity,
      eventTime,
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateUser',
      awsRegion: 'us-east-1',
      sourceIPAddress: '127.0.0.1',
      userAgent,
      requestParameters: { userName: 'alice' },
      responseElements: {
        user: { path: '/', userName: 'alice', userId: user.UserId, arn: `arn:aws:iam::${ACCT}:user/alice`, createDate: iamDate(new Date(user.CreateDate)) },
      },
      ...tail(cu.r.requestId, eventID, false),
    }),
  });

  // Root, with the SDK in eu-west-1: CreateProject (a regional call naming its project; name is model-sensitive).
  const projectArn = `arn:aws:codestar:eu-west-1:${ACCT}:project/web`;
  const projectResource = [{ accountId: ACCT, type: 'AWS::CodeStar::Project', ARN: projectArn }];
  const cp = await timed(() =>
    new CodeStarClient(sdkConfig(server.endpoint, root, 'eu-west-1')).send(
      new CreateProjectCommand({ id: 'web', name: 'Web site', clientRequestToken: 'tok-1' }),
    ),
  );
  targets.push({
    label: 'root CreateProject (SDK, eu-west-1)',
    requestId: cp.r.$metadata.requestId!,
    started: cp.started,
    finished: cp.finished,
    userAgent: SDK_UA('codestar'),
    item: {
      EventName: 'CreateProject',
      ReadOnly: 'false',
      AccessKeyId: root.accessKeyId,
      EventSource: 'codestar.amazonaws.com',
      Username: 'root',
      Resources: [{ ResourceType: 'AWS::CodeStar::Project', ResourceName: projectArn }],
    },
    expected: (eventID, eventTime, userAgent) => ({
      eventVersion: '1.11',
      userIdentity: rootIdentity,
      eventTime,
      eventSource: 'codestar.amazonaws.com',
      eventName: 'CreateProject',
      awsRegion: 'eu-west-1',
      sourceIPAddress: '127.0.0.1',
      userAgent,
      requestParameters: { name: 'HIDDEN_DUE_TO_SECURITY_REASONS', id: 'web', clientRequestToken: 'tok-1' },
      responseElements: { id: 'web', arn: projectArn, clientRequestToken: 'tok-1' },
      ...tail(cp.r.$metadata.requestId!, eventID, false, projectResource),
    }),
  });

  const iam = new IAMClient(sdkConfig(server.endpoint, root));
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
  const alice = keyOf(key.AccessKey!);
  await iam.send(
    new PutUserPolicyCommand({
      UserName: 'alice',
      PolicyName: 'work',
      PolicyDocument: allow(['sts:AssumeRole', 'sts:GetFederationToken', 'cloudtrail:LookupEvents', 'iam:ListUsers', 'codestar:DescribeProject']),
    }),
  );
  const dev = await iam.send(
    new CreateRoleCommand({
      RoleName: 'dev',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCT}:user/alice` }, Action: 'sts:AssumeRole' }],
      }),
    }),
  );
  await iam.send(new PutRolePolicyCommand({ RoleName: 'dev', PolicyName: 'p', PolicyDocument: allow(['sts:AssumeRole', 'iam:ListUsers']) }));
  const ops = await iam.send(
    new CreateRoleCommand({
      RoleName: 'ops',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCT}:root` }, Action: 'sts:AssumeRole' }],
      }),
    }),
  );
  const aliceIdentity = {
    type: 'IAMUser',
    principalId: user.UserId,
    arn: `arn:aws:iam::${ACCT}:user/alice`,
    accountId: ACCT,
    accessKeyId: alice.accessKeyId,
    userName: 'alice',
  };

  // The IAM user, with the SDK: AssumeRole (read-only, yet records the credentials it issued; names the role).
  const devArn = `arn:aws:iam::${ACCT}:role/dev`;
  const ar = await timed(() =>
    new STSClient(sdkConfig(server.endpoint, alice)).send(new AssumeRoleCommand({ RoleArn: devArn, RoleSessionName: 's1', DurationSeconds: 900 })),
  );
  const s1 = keyOf(ar.r.Credentials!);
  const roleResource = (arn: string) => [{ accountId: ACCT, type: 'AWS::IAM::Role', ARN: arn }];
  const assumeResponse = (c: typeof ar.r) => ({
    credentials: { accessKeyId: c.Credentials!.AccessKeyId, sessionToken: c.Credentials!.SessionToken, expiration: javaDate(c.Credentials!.Expiration!) },
    assumedRoleUser: { assumedRoleId: c.AssumedRoleUser!.AssumedRoleId, arn: c.AssumedRoleUser!.Arn },
  });
  targets.push({
    label: 'IAM user AssumeRole (SDK)',
    requestId: ar.r.$metadata.requestId!,
    started: ar.started,
    finished: ar.finished,
    userAgent: SDK_UA('sts'),
    item: {
      EventName: 'AssumeRole',
      ReadOnly: 'true',
      AccessKeyId: alice.accessKeyId,
      EventSource: 'sts.amazonaws.com',
      Username: 'alice',
      Resources: [{ ResourceType: 'AWS::IAM::Role', ResourceName: devArn }],
    },
    expected: (eventID, eventTime, userAgent) => ({
      eventVersion: '1.11',
      userIdentity: aliceIdentity,
      eventTime,
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      awsRegion: 'us-east-1',
      sourceIPAddress: '127.0.0.1',
      userAgent,
      requestParameters: { roleArn: devArn, roleSessionName: 's1', durationSeconds: 900 },
      responseElements: assumeResponse(ar.r),
      ...tail(ar.r.$metadata.requestId!, eventID, true, roleResource(devArn)),
    }),
  });

  // The assumed role, with the SDK: AssumeRole again (role chaining), and with the CLI: ListUsers (read-only: no responseElements).
  const s1Expiry = ar.r.Credentials!.Expiration!;
  const s1Identity = {
    type: 'AssumedRole',
    principalId: `${dev.Role!.RoleId}:s1`,
    arn: `arn:aws:sts::${ACCT}:assumed-role/dev/s1`,
    accountId: ACCT,
    accessKeyId: s1.accessKeyId,
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: dev.Role!.RoleId, arn: devArn, accountId: ACCT, userName: 'dev' },
      webIdFederationData: {},
      attributes: { creationDate: isoSeconds(new Date(s1Expiry.getTime() - 900_000)), mfaAuthenticated: 'false' },
    },
  };
  const opsArn = `arn:aws:iam::${ACCT}:role/ops`;
  const chain = await timed(() => new STSClient(sdkConfig(server.endpoint, s1)).send(new AssumeRoleCommand({ RoleArn: opsArn, RoleSessionName: 'chain' })));
  targets.push({
    label: 'assumed role AssumeRole (SDK)',
    requestId: chain.r.$metadata.requestId!,
    started: chain.started,
    finished: chain.finished,
    userAgent: SDK_UA('sts'),
    item: {
      EventName: 'AssumeRole',
      ReadOnly: 'true',
      AccessKeyId: s1.accessKeyId,
      EventSource: 'sts.amazonaws.com',
      Username: 's1',
      Resources: [{ ResourceType: 'AWS::IAM::Role', ResourceName: opsArn }],
    },
    expected: (eventID, eventTime, userAgent) => ({
      eventVersion: '1.11',
      userIdentity: s1Identity,
      eventTime,
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      awsRegion: 'us-east-1',
      sourceIPAddress: '127.0.0.1',
      userAgent,
      requestParameters: { roleArn: opsArn, roleSessionName: 'chain' },
      responseElements: assumeResponse(chain.r),
      ...tail(chain.r.$metadata.requestId!, eventID, true, roleResource(opsArn)),
    }),
  });
  assert.ok(ops.Role!.RoleId);
  const lu = await timed(() => cliWithRequestId(server.endpoint, s1, ['iam', 'list-users']));
  assert.equal(lu.r.status, 0, lu.r.stderr);
  targets.push({
    label: 'assumed role ListUsers (CLI)',
    requestId: lu.r.requestId,
    started: lu.started,
    finished: lu.finished,
    userAgent: CLI_UA('iam.list-users'),
    item: { EventName: 'ListUsers', ReadOnly: 'true', AccessKeyId: s1.accessKeyId, EventSource: 'iam.amazonaws.com', Username: 's1', Resources: [] },
    expected: (eventID, eventTime, userAgent) => ({
      eventVersion: '1.11',
      userIdentity: s1Identity,
      eventTime,
      eventSource: 'iam.amazonaws.com',
      eventName: 'ListUsers',
      awsRegion: 'us-east-1',
      sourceIPAddress: '127.0.0.1',
      userAgent,
      requestParameters: null,
      responseElements: null,
      ...tail(lu.r.requestId, eventID, true),
    }),
  });

  // The federated user (issued to alice), with the CLI: GetCallerIdentity and DescribeProject; with the SDK: LookupEvents itself.
  const fedPolicy = allow(['cloudtrail:LookupEvents', 'codestar:DescribeProject']);
  const gf = await new STSClient(sdkConfig(server.endpoint, alice)).send(
    new GetFederationTokenCommand({ Name: 'bob', Policy: fedPolicy, DurationSeconds: 900 }),
  );
  const bob = keyOf(gf.Credentials!);
  const bobIdentity = {
    type: 'FederatedUser',
    principalId: `${ACCT}:bob`,
    arn: `arn:aws:sts::${ACCT}:federated-user/bob`,
    accountId: ACCT,
    accessKeyId: bob.accessKeyId,
    sessionContext: {
      sessionIssuer: { type: 'IAMUser', principalId: user.UserId, arn: `arn:aws:iam::${ACCT}:user/alice`, accountId: ACCT, userName: 'alice' },
      webIdFederationData: {},
      attributes: { creationDate: isoSeconds(new Date(gf.Credentials!.Expiration!.getTime() - 900_000)), mfaAuthenticated: 'false' },
    },
  };
  const gci = await timed(() => cliWithRequestId(server.endpoint, bob, ['sts', 'get-caller-identity']));
  assert.equal(gci.r.status, 0, gci.r.stderr);
  targets.push({
    label: 'federated user GetCallerIdentity (CLI)',
    requestId: gci.r.requestId,
    started: gci.started,
    finished: gci.finished,
    userAgent: CLI_UA('sts.get-caller-identity'),
    item: { EventName: 'GetCallerIdentity', ReadOnly: 'true', AccessKeyId: bob.accessKeyId, EventSource: 'sts.amazonaws.com', Username: 'bob', Resources: [] },
    expected: (eventID, eventTime, userAgent) => ({
      eventVersion: '1.11',
      userIdentity: bobIdentity,
      eventTime,
      eventSource: 'sts.amazonaws.com',
      eventName: 'GetCallerIdentity',
      awsRegion: 'us-east-1',
      sourceIPAddress: '127.0.0.1',
      userAgent,
      requestParameters: null,
      responseElements: null,
      ...tail(gci.r.requestId, eventID, true),
    }),
  });
  const dp = await timed(() => cliWithRequestId(server.endpoint, bob, ['codestar', 'describe-project', '--id', 'web'], 'eu-west-1'));
  assert.equal(dp.r.status, 0, dp.r.stderr);
  targets.push({
    label: 'federated user DescribeProject (CLI, eu-west-1)',
    requestId: dp.r.requestId,
    started: dp.started,
    finished: dp.finished,
    userAgent: CLI_UA('codestar.describe-project'),
    item: {
      EventName: 'DescribeProject',
      ReadOnly: 'true',
      AccessKeyId: bob.accessKeyId,
      EventSource: 'codestar.amazonaws.com',
      Username: 'bob',
      Resources: [{ ResourceType: 'AWS::CodeStar::Project', ResourceName: projectArn }],
    },
    expected: (eventID, eventTime, userAgent) => ({
      eventVersion: '1.11',
      userIdentity: bobIdentity,
      eventTime,
      eventSource: 'codestar.amazonaws.com',
      eventName: 'DescribeProject',
      awsRegion: 'eu-west-1',
      sourceIPAddress: '127.0.0.1',
      userAgent,
      requestParameters: { id: 'web' },
      responseElements: null,
      ...tail(dp.r.requestId, eventID, true, projectResource),
    }),
  });
  const since = new Date('2026-01-01T00:00:00Z');
  const le = await timed(() =>
    new CloudTrailClient(sdkConfig(server.endpoint, bob, 'eu-west-1')).send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'alice' }],
        StartTime: since,
        MaxResults: 5,
      }),
    ),
  );
  targets.push({
    label: 'federated user LookupEvents (SDK, eu-west-1)',
    requestId: le.r.$metadata.requestId!,
    started: le.started,
    finished: le.finished,
    userAgent: SDK_UA('cloudtrail'),
    item: {
      EventName: 'LookupEvents',
      ReadOnly: 'true',
      AccessKeyId: bob.accessKeyId,
      EventSource: 'cloudtrail.amazonaws.com',
      Username: 'bob',
      Resources: [],
    },
    expected: (eventID, eventTime, userAgent) => ({
      eventVersion: '1.11',
      userIdentity: bobIdentity,
      eventTime,
      eventSource: 'cloudtrail.amazonaws.com',
      eventName: 'LookupEvents',
      awsRegion: 'eu-west-1',
      sourceIPAddress: '127.0.0.1',
      userAgent,
      requestParameters: { lookupAttributes: [{ attributeKey: 'Username', attributeValue: 'alice' }], startTime: javaDate(since), maxResults: 5 },
      responseElements: null,
      ...tail(le.r.$metadata.requestId!, eventID, true),
    }),
  });
});

after(async () => {
  await server?.dispose();
});

/** The Region whose Event history holds a target's record: its awsRegion. */
const regionOf = (t: Target): string => (t.expected('', '', '') as { awsRegion: string }).awsRegion;

/** The one record of a target call: found by its name and key, picked by the request id the caller saw. */
async function recordOf(t: Target): Promise<Event> {
  const found = (
    await sdkLookup(
      server.endpoint,
      server.root,
      [
        { AttributeKey: 'EventName', AttributeValue: t.item.EventName },
        { AttributeKey: 'AccessKeyId', AttributeValue: t.item.AccessKeyId },
      ],
      {},
      regionOf(t),
    )
  ).filter((e) => JSON.parse(e.CloudTrailEvent!).requestID === t.requestId);
  assert.equal(found.length, 1, `${t.label}: exactly one record`);
  return found[0]!;
}

test('each call has exactly one record, and the record is exactly what CloudTrail writes', async () => {
  for (const t of targets) {
    const e = await recordOf(t);
    const r = JSON.parse(e.CloudTrailEvent!);
    assert.match(r.eventID, UUID, t.label);
    assert.match(r.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, t.label);
    const at = Date.parse(r.eventTime);
    assert.ok(at >= Math.floor(t.started.getTime() / 1000) * 1000 && at <= t.finished.getTime(), `${t.label}: eventTime ${r.eventTime} within the call`);
    assert.match(r.userAgent, t.userAgent, t.label);
    assert.equal(e.CloudTrailEvent, JSON.stringify(t.expected(r.eventID, r.eventTime, r.userAgent)), t.label);
  }
});

test('each record is found by each of the eight attributes, through the SDK and the CLI, as the same Event item', async () => {
  for (const t of targets) {
    const e = await recordOf(t);
    const r = JSON.parse(e.CloudTrailEvent!);
    const item = { EventId: r.eventID, ...t.item, EventTime: new Date(r.eventTime), CloudTrailEvent: e.CloudTrailEvent };
    const order = ['EventId', 'EventName', 'ReadOnly', 'AccessKeyId', 'EventTime', 'EventSource', 'Username', 'Resources', 'CloudTrailEvent'];
    const attrs: [string, string][] = [
      ['EventId', r.eventID],
      ['EventName', t.item.EventName],
      ['ReadOnly', t.item.ReadOnly],
      ['Username', t.item.Username],
      ['EventSource', t.item.EventSource],
      ['AccessKeyId', t.item.AccessKeyId],
    ];
    for (const res of t.item.Resources) attrs.push(['ResourceType', res.ResourceType], ['ResourceName', res.ResourceName]);
    // Inclusive bounds: a window of exactly the event's second still holds it.
    const w = { start: item.EventTime, end: item.EventTime };
    for (const [AttributeKey, AttributeValue] of attrs) {
      const what = `${t.label} by ${AttributeKey}`;
      const sdk = (await sdkLookup(server.endpoint, server.root, [{ AttributeKey: AttributeKey as any, AttributeValue }], w, regionOf(t))).filter(
        (x) => x.EventId === r.eventID,
      );
      assert.equal(sdk.length, 1, what);
      assert.deepEqual(sdk[0], item, what);
      assert.deepEqual(Object.keys(sdk[0]!), order, what);
      const cli = cliLookup(server.endpoint, server.root, [{ AttributeKey: AttributeKey as any, AttributeValue }], w, regionOf(t)).filter(
        (x) => x.EventId === r.eventID,
      );
      assert.equal(cli.length, 1, what);
      assert.deepEqual(cli[0], { ...item, EventTime: `${r.eventTime.slice(0, -1)}+00:00` }, what);
    }
    assert.ok(attrs.length >= 6);
  }
  // All four caller types, each also with a call that names a resource.
  assert.deepEqual([...new Set(targets.map((t) => t.label.split(' ')[0]))], ['root', 'IAM', 'assumed', 'federated']);
  assert.deepEqual([...new Set(targets.filter((t) => t.item.Resources.length).map((t) => t.label.split(' ')[0]))], ['root', 'IAM', 'assumed', 'federated']);
});

test("CreateProject's IAM side effects: recorded as codestar.amazonaws.com acting for the caller, in us-east-1", async () => {
  const create = targets.find((t) => t.label.startsWith('root CreateProject'))!;
  const sub = (
    await sdkLookup(server.endpoint, server.root, [
      { AttributeKey: 'EventName', AttributeValue: 'CreatePolicy' },
      { AttributeKey: 'Username', AttributeValue: 'root' },
    ])
  )
    .map((e) => JSON.parse(e.CloudTrailEvent!))
    .reverse();
  assert.deepEqual(
    sub.map((r) => r.requestParameters.policyName),
    ['CodeStar_web_Owner', 'CodeStar_web_Contributor', 'CodeStar_web_Viewer'],
  );
  for (const r of sub) {
    assert.deepEqual(r.userIdentity, {
      type: 'Root',
      principalId: ACCT,
      arn: `arn:aws:iam::${ACCT}:root`,
      accountId: ACCT,
      accessKeyId: server.root.accessKeyId,
      invokedBy: 'codestar.amazonaws.com',
    });
    assert.deepEqual(
      [r.eventSource, r.awsRegion, r.sourceIPAddress, r.userAgent, r.readOnly, r.eventType, r.recipientAccountId],
      ['iam.amazonaws.com', 'us-east-1', 'codestar.amazonaws.com', 'codestar.amazonaws.com', false, 'AwsApiCall', ACCT],
    );
    assert.deepEqual(Object.keys(r.requestParameters), ['policyName', 'policyDocument', 'description']);
    assert.equal(r.responseElements.policy.arn, `arn:aws:iam::${ACCT}:policy/${r.requestParameters.policyName}`);
    assert.match(r.responseElements.policy.createDate, /^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M$/);
    assert.match(r.requestID, UUID);
    assert.notEqual(r.requestID, create.requestId);
    const at = Date.parse(r.eventTime);
    assert.ok(at >= Math.floor(create.started.getTime() / 1000) * 1000 && at <= create.finished.getTime());
  }
});
