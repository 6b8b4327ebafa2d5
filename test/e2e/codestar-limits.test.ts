/**
 * CodeStar's quotas from real calls (https://docs.aws.amazon.com/codestar/latest/userguide/limits.html): 100 team members per
 * project, 10 projects per IAM user, 333 projects per account — each LimitExceededException from the SDK
 * and the CLI, and IAM's own quota (10 managed policies per user) surfacing as LimitExceededException with
 * the whole CreateProject rolled back.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CodeStarClient,
  CreateProjectCommand,
  DescribeProjectCommand,
  ListProjectsCommand,
  AssociateTeamMemberCommand,
  DeleteProjectCommand,
  ListTeamMembersCommand,
} from '@aws-sdk/client-codestar';
import {
  IAMClient,
  CreateUserCommand,
  CreateAccessKeyCommand,
  AttachUserPolicyCommand,
  GetPolicyCommand,
  ListAttachedUserPoliciesCommand,
} from '@aws-sdk/client-iam';
import { startServer, type Credentials, type TestServer } from './helpers/server.ts';
import { awsCli, sdkConfig } from './helpers/clients.ts';

const ACCOUNT = '000000000000';
const U = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;

let server: TestServer;
let root: CodeStarClient;
let admin: IAMClient;

async function refused(p: Promise<unknown>, code: string, message: string): Promise<void> {
  let e: any;
  try {
    await p;
  } catch (x) {
    e = x;
  }
  assert.ok(e, `expected ${code}`);
  assert.equal(e.name, code, e.message);
  assert.equal(e.$metadata?.httpStatusCode, 400);
  assert.equal(e.message, message);
}

function cliRefused(args: string[], code: string, operation: string, message: string): void {
  const r = awsCli(server.endpoint, server.root, args);
  assert.equal(r.status, 254, r.stdout);
  assert.equal(r.stderr.trim().replace(/ \(reached max retries: \d+\)/, ''), `An error occurred (${code}) when calling the ${operation} operation: ${message}`);
}

async function countProjects(): Promise<number> {
  let n = 0;
  let nextToken: string | undefined;
  do {
    const page = await root.send(new ListProjectsCommand({ maxResults: 100, nextToken }));
    n += page.projects?.length ?? 0;
    nextToken = page.nextToken;
  } while (nextToken);
  return n;
}

before(async () => {
  server = await startServer();
  root = new CodeStarClient(sdkConfig(server.endpoint, server.root));
  admin = new IAMClient(sdkConfig(server.endpoint, server.root));
});

after(async () => {
  await server?.dispose();
});

test('100 team members per project', async () => {
  await root.send(new CreateProjectCommand({ id: 'crowd', name: 'Crowd' }));
  for (let i = 0; i <= 100; i++) await admin.send(new CreateUserCommand({ UserName: `m${i}` }));
  for (let i = 0; i < 100; i++)
    await root.send(new AssociateTeamMemberCommand({ projectId: 'crowd', userArn: U(`m${i}`), projectRole: i % 2 ? 'Viewer' : 'Contributor' }));
  const message = 'Project crowd already has the maximum number of team members (100).';
  await refused(
    root.send(new AssociateTeamMemberCommand({ projectId: 'crowd', userArn: U('m100'), projectRole: 'Viewer' })),
    'LimitExceededException',
    message,
  );
  cliRefused(
    ['codestar', 'associate-team-member', '--project-id', 'crowd', '--user-arn', U('m100'), '--project-role', 'Viewer'],
    'LimitExceededException',
    'AssociateTeamMember',
    message,
  );
  const listed = await root.send(new ListTeamMembersCommand({ projectId: 'crowd', maxResults: 100 }));
  assert.equal(listed.teamMembers?.length, 100);
  assert.equal(listed.nextToken, undefined);
  assert.deepEqual((await admin.send(new ListAttachedUserPoliciesCommand({ UserName: 'm100' }))).AttachedPolicies, []);
});

test('10 projects per IAM user', async () => {
  await admin.send(new CreateUserCommand({ UserName: 'busy' }));
  for (let i = 0; i <= 10; i++) await root.send(new CreateProjectCommand({ id: `busy-${i}`, name: `Busy ${i}` }));
  for (let i = 0; i < 10; i++) await root.send(new AssociateTeamMemberCommand({ projectId: `busy-${i}`, userArn: U('busy'), projectRole: 'Viewer' }));
  const message = `User ${U('busy')} is already a team member of the maximum number of projects (10).`;
  await refused(
    root.send(new AssociateTeamMemberCommand({ projectId: 'busy-10', userArn: U('busy'), projectRole: 'Viewer' })),
    'LimitExceededException',
    message,
  );
  cliRefused(
    ['codestar', 'associate-team-member', '--project-id', 'busy-10', '--user-arn', U('busy'), '--project-role', 'Owner'],
    'LimitExceededException',
    'AssociateTeamMember',
    message,
  );
  assert.equal((await admin.send(new ListAttachedUserPoliciesCommand({ UserName: 'busy' }))).AttachedPolicies?.length, 10);
});

test("IAM's quota of 10 managed policies per user refuses a creator's 10th project, and nothing of it is left", async () => {
  await admin.send(new CreateUserCommand({ UserName: 'maker' }));
  await admin.send(new AttachUserPolicyCommand({ UserName: 'maker', PolicyArn: 'arn:aws:iam::aws:policy/AWSCodeStarFullAccess' }));
  const k = (await admin.send(new CreateAccessKeyCommand({ UserName: 'maker' }))).AccessKey!;
  const maker = new CodeStarClient(sdkConfig(server.endpoint, { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! } as Credentials));
  for (let i = 0; i < 9; i++) await maker.send(new CreateProjectCommand({ id: `maker-${i}`, name: `Maker ${i}` }));
  await refused(
    maker.send(new CreateProjectCommand({ id: 'maker-9', name: 'One too many' })),
    'LimitExceededException',
    'Cannot exceed quota for PoliciesPerUser: 10',
  );
  await refused(root.send(new DescribeProjectCommand({ id: 'maker-9' })), 'ProjectNotFoundException', 'Project maker-9 not found');
  let e: any;
  try {
    await admin.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/CodeStar_maker-9_Owner` }));
  } catch (x) {
    e = x;
  }
  assert.equal(e?.name, 'NoSuchEntityException');
});

test('333 projects per account', async () => {
  const existing = await countProjects();
  for (let i = existing; i < 333; i++) await root.send(new CreateProjectCommand({ id: `bulk-${i}`, name: `Bulk ${i}` }));
  assert.equal(await countProjects(), 333);
  const message = 'The maximum number of projects for this account (333) has been reached.';
  await refused(root.send(new CreateProjectCommand({ id: 'one-more', name: 'One more' })), 'LimitExceededException', message);
  cliRefused(['codestar', 'create-project', '--id', 'one-more', '--name', 'One more'], 'LimitExceededException', 'CreateProject', message);
  await root.send(new DeleteProjectCommand({ id: 'bulk-332', deleteStack: true }));
  assert.equal((await root.send(new CreateProjectCommand({ id: 'one-more', name: 'One more' }))).id, 'one-more');
  assert.equal((await root.send(new ListProjectsCommand({ maxResults: 100 }))).projects?.length, 100);
});
