/**
 * AWS Organizations end to end with the official clients only (@aws-sdk/client-organizations, -sts,
 * -iam, -codestar, -cloudtrail and /usr/bin/aws `aws organizations …`; docs/organizations.md): an
 * organization, two member accounts made by CreateAccount and polled to SUCCEEDED, each entered through
 * its OrganizationAccountAccessRole, with users and CodeStar projects that the other account does not
 * see (IAM, CodeStar, Event history); OUs, MoveAccount, ListParents/ListChildren; AWS's errors; a
 * CreateAccount acknowledged just before a kill -9 completes after the restart; everything is still
 * there after a restart. Runs on SQLite and PostgreSQL (STARTRAIL_E2E_BACKEND).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CodeStarClient, CreateProjectCommand, ListProjectsCommand } from '@aws-sdk/client-codestar';
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreateUserCommand, IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import {
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  DeleteOrganizationCommand,
  DescribeAccountCommand,
  DescribeCreateAccountStatusCommand,
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListChildrenCommand,
  ListParentsCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startServer, type Credentials, type TestServer } from './helpers/server.ts';
import { awsCli, sdkConfig } from './helpers/clients.ts';
import { waitFor } from './helpers/delivery.ts';

let server: TestServer;
let management: string;
let orgId: string;
let rootId: string;
let admin: Credentials;
const stamp = Date.now();
const members: Record<'a' | 'b', { id: string; creds: Credentials }> = {} as never;

const orgs = (c: Credentials = server.root) => new OrganizationsClient(sdkConfig(server.endpoint, c));
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: Error) => `${e.name}: ${e.message}`,
  );

/** CreateAccount, polled with DescribeCreateAccountStatus until it is no longer IN_PROGRESS. */
async function createAccount(name: string, email: string) {
  const started = (await orgs().send(new CreateAccountCommand({ AccountName: name, Email: email }))).CreateAccountStatus!;
  assert.equal(started.State, 'IN_PROGRESS');
  assert.match(started.Id!, /^car-[a-z0-9]{32}$/);
  return waitFor(`CreateAccount ${name}`, async () => {
    const s = (await orgs().send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: started.Id! }))).CreateAccountStatus!;
    return s.State !== 'IN_PROGRESS' && s;
  });
}

/**
 * Credentials in a member account through its OrganizationAccountAccessRole, assumed by an administrator
 * of the management account (root may not assume roles: "Roles may not be assumed by root accounts.").
 */
async function intoAccount(accountId: string): Promise<Credentials> {
  const c = (
    await new STSClient(sdkConfig(server.endpoint, admin)).send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`, RoleSessionName: 'admin' }),
    )
  ).Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}

before(async () => {
  server = await startServer();
  management = (await new STSClient(sdkConfig(server.endpoint, server.root)).send(new GetCallerIdentityCommand({}))).Account!;
  const iam = new IAMClient(sdkConfig(server.endpoint, server.root));
  await iam.send(new CreateUserCommand({ UserName: 'org-admin' }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'org-admin', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'org-admin' }))).AccessKey!;
  admin = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
});
after(async () => {
  await server?.dispose();
});

test('an organization and two member accounts made by CreateAccount, entered through OrganizationAccountAccessRole', async () => {
  assert.equal(
    await codeOf(orgs().send(new DescribeOrganizationCommand({}))),
    'AWSOrganizationsNotInUseException: Your account is not a member of an organization.',
  );
  const org = (await orgs().send(new CreateOrganizationCommand({}))).Organization!;
  orgId = org.Id!;
  assert.match(orgId, /^o-[a-z0-9]{10}$/);
  assert.equal(org.FeatureSet, 'ALL');
  assert.equal(org.MasterAccountId, management);
  assert.equal(org.Arn, `arn:aws:organizations::${management}:organization/${orgId}`);
  rootId = (await orgs().send(new ListRootsCommand({}))).Roots![0]!.Id!;
  assert.match(rootId, /^r-[0-9a-z]{4}$/);
  for (const name of ['a', 'b'] as const) {
    const done = await createAccount(`member-${name}`, `${name}-${stamp}@example.com`);
    assert.equal(done.State, 'SUCCEEDED');
    assert.match(done.AccountId!, /^\d{12}$/);
    members[name] = { id: done.AccountId!, creds: await intoAccount(done.AccountId!) };
    const who = await new STSClient(sdkConfig(server.endpoint, members[name].creds)).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Account, done.AccountId);
    assert.equal(who.Arn, `arn:aws:sts::${done.AccountId}:assumed-role/OrganizationAccountAccessRole/admin`);
  }
  const listed = (await orgs().send(new ListAccountsCommand({}))).Accounts!;
  assert.deepEqual(listed.map((a) => a.Id).sort(), [management, members.a.id, members.b.id].sort());
  const a = (await orgs().send(new DescribeAccountCommand({ AccountId: members.a.id }))).Account!;
  assert.deepEqual([a.Name, a.Email, a.Status, a.JoinedMethod], ['member-a', `a-${stamp}@example.com`, 'ACTIVE', 'CREATED']);
  // the official CLI too
  const cli = awsCli(server.endpoint, server.root, ['organizations', 'describe-organization']);
  assert.equal(cli.status, 0, cli.stderr);
  assert.equal(cli.json.Organization.Id, orgId);
  const cliAccounts = awsCli(server.endpoint, server.root, ['organizations', 'list-accounts']);
  assert.equal(cliAccounts.status, 0, cliAccounts.stderr);
  assert.equal(cliAccounts.json.Accounts.length, 3);
});

test("each member account's users, CodeStar projects and Event history are its own", async () => {
  for (const name of ['a', 'b'] as const) {
    const c = members[name].creds;
    await new IAMClient(sdkConfig(server.endpoint, c)).send(new CreateUserCommand({ UserName: `user-${name}` }));
    await new CodeStarClient(sdkConfig(server.endpoint, c)).send(new CreateProjectCommand({ id: `proj-${name}-${stamp % 100000}`, name: `Project ${name}` }));
  }
  for (const [mine, theirs] of [
    ['a', 'b'],
    ['b', 'a'],
  ] as const) {
    const c = members[mine].creds;
    const users = (await new IAMClient(sdkConfig(server.endpoint, c)).send(new ListUsersCommand({}))).Users!.map((u) => u.UserName);
    assert.deepEqual(users, [`user-${mine}`]);
    const projects = (await new CodeStarClient(sdkConfig(server.endpoint, c)).send(new ListProjectsCommand({}))).projects!.map((p) => p.projectId);
    assert.deepEqual(projects, [`proj-${mine}-${stamp % 100000}`]);
    const events = (
      await new CloudTrailClient(sdkConfig(server.endpoint, c)).send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateUser' }] }),
      )
    ).Events!;
    const names = events.map((e) => JSON.parse(e.CloudTrailEvent!).requestParameters.userName);
    assert.deepEqual(names, [`user-${mine}`]);
    for (const e of events) assert.equal(JSON.parse(e.CloudTrailEvent!).recipientAccountId, members[mine].id);
    assert.ok(!names.includes(`user-${theirs}`));
  }
  // the management account's own history has its Organizations calls, recorded in us-east-1
  const history = (
    await new CloudTrailClient(sdkConfig(server.endpoint, server.root)).send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'organizations.amazonaws.com' }], MaxResults: 50 }),
    )
  ).Events!.map((e) => JSON.parse(e.CloudTrailEvent!));
  const create = history.find((r) => r.eventName === 'CreateOrganization' && !r.errorCode);
  assert.equal(create.awsRegion, 'us-east-1');
  assert.equal(create.recipientAccountId, management);
  assert.ok(history.some((r) => r.eventName === 'CreateAccount'));
  assert.ok(history.some((r) => r.eventName === 'DescribeCreateAccountStatus'));
  // the outcomes: CreateAccountResult service events in the management account
  const results = (
    await new CloudTrailClient(sdkConfig(server.endpoint, server.root)).send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateAccountResult' }] }),
    )
  ).Events!.map((e) => JSON.parse(e.CloudTrailEvent!));
  assert.deepEqual(
    results.map((r) => [r.eventType, r.serviceEventDetails.createAccountStatus.state, r.serviceEventDetails.createAccountStatus.accountId]).sort(),
    [
      ['AwsServiceEvent', 'SUCCEEDED', members.a.id],
      ['AwsServiceEvent', 'SUCCEEDED', members.b.id],
    ].sort(),
  );
});

test('OUs, MoveAccount, ListParents and ListChildren (SDK and CLI)', async () => {
  const eng = (await orgs().send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'Engineering' }))).OrganizationalUnit!;
  assert.match(eng.Id!, new RegExp(`^ou-${rootId.slice(2)}-[a-z0-9]{8}$`));
  assert.equal(eng.Arn, `arn:aws:organizations::${management}:ou/${orgId}/${eng.Id}`);
  assert.equal(
    await codeOf(orgs().send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'Engineering' }))),
    'DuplicateOrganizationalUnitException: An OU with the same name already exists.',
  );
  const cli = awsCli(server.endpoint, server.root, ['organizations', 'create-organizational-unit', '--parent-id', eng.Id!, '--name', 'Web']);
  assert.equal(cli.status, 0, cli.stderr);
  const web = cli.json.OrganizationalUnit.Id as string;
  await orgs().send(new MoveAccountCommand({ AccountId: members.a.id, SourceParentId: rootId, DestinationParentId: web }));
  assert.equal(
    await codeOf(orgs().send(new MoveAccountCommand({ AccountId: members.a.id, SourceParentId: rootId, DestinationParentId: web }))),
    'DuplicateAccountException: That account is already present in the specified destination.',
  );
  assert.equal(
    await codeOf(orgs().send(new MoveAccountCommand({ AccountId: members.b.id, SourceParentId: rootId, DestinationParentId: 'ou-zzzz-zzzzzzzz' }))),
    "DestinationParentNotFoundException: You specified a destination parent that doesn't exist.",
  );
  assert.deepEqual((await orgs().send(new ListParentsCommand({ ChildId: members.a.id }))).Parents, [{ Id: web, Type: 'ORGANIZATIONAL_UNIT' }]);
  assert.deepEqual((await orgs().send(new ListParentsCommand({ ChildId: web }))).Parents, [{ Id: eng.Id, Type: 'ORGANIZATIONAL_UNIT' }]);
  assert.deepEqual((await orgs().send(new ListParentsCommand({ ChildId: members.b.id }))).Parents, [{ Id: rootId, Type: 'ROOT' }]);
  assert.deepEqual(
    (await orgs().send(new ListChildrenCommand({ ParentId: rootId, ChildType: 'ACCOUNT' }))).Children!.map((c) => c.Id).sort(),
    [management, members.b.id].sort(),
  );
  assert.deepEqual((await orgs().send(new ListChildrenCommand({ ParentId: rootId, ChildType: 'ORGANIZATIONAL_UNIT' }))).Children, [
    { Id: eng.Id, Type: 'ORGANIZATIONAL_UNIT' },
  ]);
  const children = awsCli(server.endpoint, server.root, ['organizations', 'list-children', '--parent-id', web, '--child-type', 'ACCOUNT']);
  assert.equal(children.status, 0, children.stderr);
  assert.deepEqual(children.json.Children, [{ Id: members.a.id, Type: 'ACCOUNT' }]);
  const del = awsCli(server.endpoint, server.root, ['organizations', 'delete-organizational-unit', '--organizational-unit-id', web]);
  assert.notEqual(del.status, 0);
  assert.match(del.stderr, /OrganizationalUnitNotEmptyException/);
});

test('errors: a taken email fails EMAIL_ALREADY_EXISTS; a member account is refused; DeleteOrganization with members', async () => {
  const failed = await createAccount('dup', `A-${stamp}@example.com`);
  assert.equal(failed.State, 'FAILED');
  assert.equal(failed.FailureReason, 'EMAIL_ALREADY_EXISTS');
  const member = members.b.creds;
  assert.equal((await orgs(member).send(new DescribeOrganizationCommand({}))).Organization!.Id, orgId);
  assert.equal(await codeOf(orgs(member).send(new ListAccountsCommand({}))), "AccessDeniedException: You don't have permissions to access this resource.");
  assert.equal(
    await codeOf(orgs(member).send(new CreateAccountCommand({ AccountName: 'x', Email: `x-${stamp}@example.com` }))),
    "AccessDeniedException: You don't have permissions to access this resource.",
  );
  assert.equal(
    await codeOf(orgs().send(new DeleteOrganizationCommand({}))),
    'OrganizationNotEmptyException: To delete an organization you must first remove all member accounts (except the master).',
  );
  const cli = awsCli(server.endpoint, member, ['organizations', 'list-roots']);
  assert.notEqual(cli.status, 0);
  assert.match(cli.stderr, /AccessDeniedException/);
});

test('a CreateAccount acknowledged just before kill -9 completes after the restart; everything is still there', async () => {
  const started = (await orgs().send(new CreateAccountCommand({ AccountName: 'late', Email: `late-${stamp}@example.com` }))).CreateAccountStatus!;
  await server.kill();
  await server.restart();
  const done = await waitFor('the request after the restart', async () => {
    const s = (await orgs().send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: started.Id! }))).CreateAccountStatus!;
    return s.State !== 'IN_PROGRESS' && s;
  });
  assert.equal(done.State, 'SUCCEEDED');
  await intoAccount(done.AccountId!);
  assert.equal((await orgs().send(new DescribeOrganizationCommand({}))).Organization!.Id, orgId);
  assert.equal((await orgs().send(new ListAccountsCommand({}))).Accounts!.length, 4);
  const web = (await orgs().send(new ListParentsCommand({ ChildId: members.a.id }))).Parents![0]!.Id!;
  assert.deepEqual(
    (await orgs().send(new ListAccountsForParentCommand({ ParentId: web }))).Accounts!.map((a) => a.Id),
    [members.a.id],
  );
  const c = await intoAccount(members.a.id);
  const users = (await new IAMClient(sdkConfig(server.endpoint, c)).send(new ListUsersCommand({}))).Users!.map((u) => u.UserName);
  assert.deepEqual(users, ['user-a']);
});
