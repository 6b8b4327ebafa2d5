/**
 * IAM groups, permissions boundaries and tags end to end with the official clients only
 * (@aws-sdk/client-iam, /usr/bin/aws): a user whose only permission comes through a group acts, and
 * loses it when removed from the group; a boundary denies what an attached AdministratorAccess would
 * allow; a condition on aws:ResourceTag/team allows one tagged role and denies another; the calls are
 * in CloudTrail; all of it survives a restart.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups.html ;
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html ;
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_iam-tags.html
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeletePolicyCommand,
  GetGroupCommand,
  GetRoleCommand,
  GetUserCommand,
  IAMClient,
  ListRolesCommand,
  ListUsersCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  TagRoleCommand,
} from '@aws-sdk/client-iam';
import { CloudTrailClient, GetTrailStatusCommand, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { startServer, type Credentials, type TestServer } from './helpers/server.ts';
import { awsCli, sdkConfig } from './helpers/clients.ts';

const ACCOUNT = '000000000000';
let server: TestServer;
let admin: IAMClient;
const iam = (c: Credentials) => new IAMClient(sdkConfig(server.endpoint, c));
const cli = (args: string[], c: Credentials = server.root) => awsCli(server.endpoint, c, args);
const doc = (statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statement });
const allow = (action: string | string[]) => doc([{ Effect: 'Allow', Action: action, Resource: '*' }]);

async function newUser(name: string): Promise<Credentials> {
  await admin.send(new CreateUserCommand({ UserName: name }));
  const k = (await admin.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
  return { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
}
async function denied(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e: any) {
    assert.equal(e.name, 'AccessDenied', e.message);
    assert.equal(e.$metadata?.httpStatusCode, 403);
    return e.message;
  }
  assert.fail('expected AccessDenied');
}

before(async () => {
  server = await startServer();
  admin = iam(server.root);
});
after(async () => {
  await server?.dispose();
});

test('a group made with the CLI grants its members what its policy allows, and no more once they leave; recorded in CloudTrail', async () => {
  const creds = await newUser('gwen');
  await denied(iam(creds).send(new ListUsersCommand({})));
  const created = cli(['iam', 'create-group', '--group-name', 'auditors', '--path', '/sec/']);
  assert.equal(created.status, 0, created.stderr);
  assert.equal(created.json.Group.Arn, `arn:aws:iam::${ACCOUNT}:group/sec/auditors`);
  assert.equal(cli(['iam', 'attach-group-policy', '--group-name', 'auditors', '--policy-arn', 'arn:aws:iam::aws:policy/IAMReadOnlyAccess']).status, 0);
  assert.equal(cli(['iam', 'add-user-to-group', '--group-name', 'auditors', '--user-name', 'gwen']).status, 0);
  const listed = await iam(creds).send(new ListUsersCommand({}));
  assert.ok(listed.Users?.some((u) => u.UserName === 'gwen'));
  const got = cli(['iam', 'get-group', '--group-name', 'auditors']);
  assert.deepEqual(
    got.json.Users.map((u: any) => u.UserName),
    ['gwen'],
  );
  const groups = cli(['iam', 'list-groups-for-user', '--user-name', 'gwen']);
  assert.deepEqual(
    groups.json.Groups.map((g: any) => g.GroupName),
    ['auditors'],
  );
  await admin.send(new RemoveUserFromGroupCommand({ GroupName: 'auditors', UserName: 'gwen' }));
  await denied(iam(creds).send(new ListUsersCommand({})));
  const conflict = cli(['iam', 'delete-group', '--group-name', 'auditors']);
  assert.equal(
    conflict.stderr.trim().replace(/ \(reached max retries: \d+\)/, ''),
    'An error occurred (DeleteConflict) when calling the DeleteGroup operation: Cannot delete entity, must detach all policies first.',
  );
  const ct = new CloudTrailClient(sdkConfig(server.endpoint, server.root));
  const events = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AddUserToGroup' }] }));
  const record = JSON.parse(events.Events?.[0]?.CloudTrailEvent ?? '{}');
  assert.deepEqual(
    [record.eventSource, record.awsRegion, record.requestParameters],
    ['iam.amazonaws.com', 'us-east-1', { groupName: 'auditors', userName: 'gwen' }],
  );
});

test('a permissions boundary denies what AdministratorAccess would allow, survives a restart, and keeps its policy from deletion', async () => {
  const boundary = (await admin.send(new CreatePolicyCommand({ PolicyName: 'read-users', PolicyDocument: allow(['iam:GetUser', 'iam:ListUsers']) }))).Policy!
    .Arn!;
  await admin.send(new CreateUserCommand({ UserName: 'bounded', PermissionsBoundary: boundary }));
  await admin.send(new AttachUserPolicyCommand({ UserName: 'bounded', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
  const k = (await admin.send(new CreateAccessKeyCommand({ UserName: 'bounded' }))).AccessKey!;
  const creds = { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
  await server.restart();
  admin = iam(server.root);
  assert.equal((await admin.send(new GetUserCommand({ UserName: 'bounded' }))).User?.PermissionsBoundary?.PermissionsBoundaryArn, boundary);
  assert.ok((await iam(creds).send(new ListUsersCommand({}))).Users?.length);
  assert.equal(
    await denied(iam(creds).send(new ListRolesCommand({}))),
    `User: arn:aws:iam::${ACCOUNT}:user/bounded is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::${ACCOUNT}:role/ because no permissions boundary allows the iam:ListRoles action`,
  );
  try {
    await admin.send(new DeletePolicyCommand({ PolicyArn: boundary }));
    assert.fail('a boundary in use cannot be deleted');
  } catch (e: any) {
    assert.deepEqual([e.name, e.message], ['DeleteConflictException', 'Cannot delete a policy attached to entities.']);
  }
  const cliBoundary = cli(['iam', 'delete-user-permissions-boundary', '--user-name', 'bounded']);
  assert.equal(cliBoundary.status, 0, cliBoundary.stderr);
  assert.ok((await iam(creds).send(new ListRolesCommand({}))).Roles);
});

test('a condition on aws:ResourceTag/team allows the role tagged for the team and denies the other', async () => {
  const trust = doc([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }]);
  await admin.send(new CreateRoleCommand({ RoleName: 'blue-app', AssumeRolePolicyDocument: trust, Tags: [{ Key: 'team', Value: 'blue' }] }));
  await admin.send(new CreateRoleCommand({ RoleName: 'red-app', AssumeRolePolicyDocument: trust }));
  await admin.send(new TagRoleCommand({ RoleName: 'red-app', Tags: [{ Key: 'team', Value: 'red' }] }));
  const tags = cli(['iam', 'list-role-tags', '--role-name', 'red-app']);
  assert.deepEqual(tags.json.Tags, [{ Key: 'team', Value: 'red' }]);
  const creds = await newUser('blue-dev');
  await admin.send(
    new PutUserPolicyCommand({
      UserName: 'blue-dev',
      PolicyName: 'blue-only',
      PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:GetRole', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': 'blue' } } }]),
    }),
  );
  assert.equal((await iam(creds).send(new GetRoleCommand({ RoleName: 'blue-app' }))).Role?.RoleName, 'blue-app');
  assert.match(await denied(iam(creds).send(new GetRoleCommand({ RoleName: 'red-app' }))), /iam:GetRole on resource: arn:aws:iam::000000000000:role\/red-app/);
  // group membership through the SDK, for the record
  await admin.send(new AttachGroupPolicyCommand({ GroupName: 'auditors', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
  await admin.send(new AddUserToGroupCommand({ GroupName: 'auditors', UserName: 'blue-dev' }));
  assert.equal((await iam(creds).send(new GetRoleCommand({ RoleName: 'red-app' }))).Role?.RoleName, 'red-app');
  assert.deepEqual(
    (await admin.send(new GetGroupCommand({ GroupName: 'auditors' }))).Users?.map((u) => u.UserName),
    ['blue-dev'],
  );
});

test("fidelity with real calls: IAM's name and path messages, an IAM ARN of no IAM resource type, GetPolicy's Tags, GetTrailStatus of an unknown name", async () => {
  const nameMessage = cli(['iam', 'create-group', '--group-name', 'a b']);
  assert.equal(
    nameMessage.stderr.trim().replace(/ \(reached max retries: \d+\)/, ''),
    'An error occurred (ValidationError) when calling the CreateGroup operation: The specified value for groupName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-',
  );
  const pathMessage = cli(['iam', 'create-user', '--user-name', 'pathless', '--path', 'nope']);
  assert.equal(
    pathMessage.stderr.trim().replace(/ \(reached max retries: \d+\)/, ''),
    'An error occurred (ValidationError) when calling the CreateUser operation: The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.',
  );
  try {
    await admin.send(
      new CreatePolicyCommand({
        PolicyName: 'bad-iam-arn',
        PolicyDocument: doc([{ Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:iam::${ACCOUNT}:example_bucket` }]),
      }),
    );
    assert.fail('refused');
  } catch (e: any) {
    assert.deepEqual(
      [e.name, e.message],
      [
        'MalformedPolicyDocumentException',
        'IAM resource path must either be "*", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.',
      ],
    );
  }
  const created = (await admin.send(new CreatePolicyCommand({ PolicyName: 'untagged', PolicyDocument: allow('s3:GetObject') }))).Policy!;
  const got = cli(['iam', 'get-policy', '--policy-arn', created.Arn!]);
  assert.deepEqual(got.json.Policy.Tags, []);
  const ct = new CloudTrailClient(sdkConfig(server.endpoint, server.root));
  try {
    await ct.send(new GetTrailStatusCommand({ Name: 'ghost-trail' }));
    assert.fail('refused');
  } catch (e: any) {
    assert.deepEqual(
      [e.name, e.message],
      ['TrailNotFoundException', `Unknown trail: arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/ghost-trail for the user: ${ACCOUNT}`],
    );
  }
});
