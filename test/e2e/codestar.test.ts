/**
 * AWS CodeStar end to end with the official clients only (@aws-sdk/client-codestar@3.523.0, /usr/bin/aws):
 * all 18 operations from both, project roles as IAM policies, every CodeStar error from a real call,
 * clientRequestToken idempotency, nextToken paging while items are added, ListResources, DeleteProject with
 * and without deleteStack, racing writes, and persistence across a restart.
 * API: https://docs.aws.amazon.com/codestar/latest/APIReference/Welcome.html ; roles: https://docs.aws.amazon.com/codestar/latest/userguide/working-with-teams.html ; audit: docs/architecture.md#audit.
 * Role matrix: codestar-roles.test.ts; quotas: codestar-limits.test.ts.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CodeStarClient,
  CreateProjectCommand,
  DescribeProjectCommand,
  ListProjectsCommand,
  UpdateProjectCommand,
  DeleteProjectCommand,
  ListResourcesCommand,
  TagProjectCommand,
  UntagProjectCommand,
  ListTagsForProjectCommand,
  AssociateTeamMemberCommand,
  DisassociateTeamMemberCommand,
  ListTeamMembersCommand,
  UpdateTeamMemberCommand,
  CreateUserProfileCommand,
  DescribeUserProfileCommand,
  ListUserProfilesCommand,
  UpdateUserProfileCommand,
  DeleteUserProfileCommand,
} from '@aws-sdk/client-codestar';
import {
  IAMClient,
  CreateUserCommand,
  CreateAccessKeyCommand,
  AttachUserPolicyCommand,
  ListAttachedUserPoliciesCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
} from '@aws-sdk/client-iam';
import { startServer, type Credentials, type TestServer } from './helpers/server.ts';
import { awsCli, sdkConfig } from './helpers/clients.ts';

const ACCOUNT = '000000000000';
const P = (id: string) => `arn:aws:codestar:us-east-1:${ACCOUNT}:project/${id}`;
const U = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;
const POLICY = (id: string, role: string) => `arn:aws:iam::${ACCOUNT}:policy/CodeStar_${id}_${role}`;
const ROLES = ['Owner', 'Contributor', 'Viewer'] as const;

let server: TestServer;
let root: CodeStarClient;
let admin: IAMClient;
let alice: Credentials;

const cs = (c: Credentials) => new CodeStarClient(sdkConfig(server.endpoint, c));
/** Output members only, without the SDK's $metadata. */
const out = <T extends object>(o: T) => {
  const { $metadata: _, ...rest } = o as T & { $metadata?: unknown };
  return rest;
};

function cli(args: string[], c: Credentials = server.root): any {
  const r = awsCli(server.endpoint, c, args);
  assert.equal(r.status, 0, r.stderr);
  return r.json;
}

async function refused(p: Promise<unknown>, code: string, message: string | RegExp): Promise<void> {
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
  else assert.match(e.message, message);
}

function cliRefused(args: string[], code: string, operation: string, message: string, c: Credentials = server.root): void {
  const r = awsCli(server.endpoint, c, args);
  assert.equal(r.status, 254, r.stdout);
  assert.equal(r.stderr.trim().replace(/ \(reached max retries: \d+\)/, ''), `An error occurred (${code}) when calling the ${operation} operation: ${message}`);
}

async function newUser(name: string, policyArn?: string): Promise<Credentials> {
  await admin.send(new CreateUserCommand({ UserName: name }));
  if (policyArn) await admin.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: policyArn }));
  const k = (await admin.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
  return { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
}

const attached = async (user: string) =>
  ((await admin.send(new ListAttachedUserPoliciesCommand({ UserName: user }))).AttachedPolicies ?? []).map((p) => p.PolicyArn).sort();

function expectedDocument(id: string, role: (typeof ROLES)[number]) {
  const actions = {
    Owner: ['codestar:*'],
    Contributor: ['codestar:Describe*', 'codestar:Get*', 'codestar:List*', 'codestar:PutExtendedAccess'],
    Viewer: ['codestar:Describe*', 'codestar:Get*', 'codestar:List*'],
  }[role];
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: `${role}ProjectAccess`, Effect: 'Allow', Action: actions, Resource: [P(id)] },
      {
        Sid: 'AccountReadAccess',
        Effect: 'Allow',
        Action: ['codestar:DescribeUserProfile', 'codestar:ListProjects', 'codestar:ListUserProfiles', 'codestar:VerifyServiceRole'],
        Resource: ['*'],
      },
      { Sid: 'OwnUserProfile', Effect: 'Allow', Action: ['codestar:*UserProfile'], Resource: [`arn:aws:iam::${ACCOUNT}:user/\${aws:username}`] },
    ],
  };
}

function recent(d: unknown): void {
  assert.ok(d instanceof Date, `${String(d)} is not a Date`);
  assert.ok(Math.abs(d.getTime() - Date.now()) < 120_000, `${d.toISOString()} is not recent`);
}

async function allPages<T>(
  fetch: (token?: string) => Promise<{ items: T[]; nextToken?: string }>,
  between?: (pageNo: number) => Promise<void>,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const p = await fetch(token);
    items.push(...p.items);
    token = p.nextToken;
    pages++;
    if (token) assert.match(token, /^[\w/+=]{1,512}$/);
    if (token && between) await between(pages);
  } while (token);
  return { items, pages };
}

before(async () => {
  server = await startServer();
  root = cs(server.root);
  admin = new IAMClient(sdkConfig(server.endpoint, server.root));
  alice = await newUser('alice', 'arn:aws:iam::aws:policy/AWSCodeStarFullAccess');
  await newUser('bob');
  await newUser('carol');
});

after(async () => {
  await server?.dispose();
});

test('CreateProject by an IAM user: three role policies in IAM with the documented statements; the creator is Owner', async () => {
  const created = await cs(alice).send(
    new CreateProjectCommand({ id: 'alpha', name: 'Alpha', description: 'First project', clientRequestToken: 'create-alpha-1', tags: { team: 'core' } }),
  );
  assert.deepEqual(out(created), { id: 'alpha', arn: P('alpha'), clientRequestToken: 'create-alpha-1' });

  const d = out(await cs(alice).send(new DescribeProjectCommand({ id: 'alpha' })));
  recent(d.createdTimeStamp);
  assert.deepEqual(
    { ...d, createdTimeStamp: undefined },
    {
      name: 'Alpha',
      id: 'alpha',
      arn: P('alpha'),
      description: 'First project',
      clientRequestToken: 'create-alpha-1',
      createdTimeStamp: undefined,
      status: { state: 'CreateComplete' },
    },
  );

  assert.deepEqual((await root.send(new ListTeamMembersCommand({ projectId: 'alpha' }))).teamMembers, [
    { userArn: U('alice'), projectRole: 'Owner', remoteAccessAllowed: false },
  ]);
  assert.deepEqual(await attached('alice'), ['arn:aws:iam::aws:policy/AWSCodeStarFullAccess', POLICY('alpha', 'Owner')].sort());
  for (const role of ROLES) {
    const v = await admin.send(new GetPolicyVersionCommand({ PolicyArn: POLICY('alpha', role), VersionId: 'v1' }));
    assert.deepEqual(JSON.parse(decodeURIComponent(v.PolicyVersion!.Document!)), expectedDocument('alpha', role));
  }
  assert.deepEqual(
    (await root.send(new ListResourcesCommand({ projectId: 'alpha' }))).resources,
    ROLES.map((r) => ({ id: POLICY('alpha', r) })),
  );
  assert.deepEqual((await root.send(new ListTagsForProjectCommand({ id: 'alpha' }))).tags, { team: 'core' });
});

test('CreateProject by root (CLI): root is the creator and not a team member', async () => {
  assert.deepEqual(cli(['codestar', 'create-project', '--id', 'beta', '--name', 'Beta']), { id: 'beta', arn: P('beta') });
  assert.deepEqual(cli(['codestar', 'list-team-members', '--project-id', 'beta']), { teamMembers: [] });
  const d = cli(['codestar', 'describe-project', '--id', 'beta']);
  assert.match(d.createdTimeStamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$/);
  assert.deepEqual({ ...d, createdTimeStamp: 0 }, { name: 'Beta', id: 'beta', arn: P('beta'), createdTimeStamp: 0, status: { state: 'CreateComplete' } });
});

test('every operation from the AWS CLI', async () => {
  const c = (...args: string[]) => cli(['codestar', ...args]);
  assert.deepEqual(c('create-project', '--id', 'gamma', '--name', 'Gamma', '--description', 'Third one', '--tags', 'env=dev'), {
    id: 'gamma',
    arn: P('gamma'),
  });
  assert.equal(c('describe-project', '--id', 'gamma').description, 'Third one');
  assert.ok(c('list-projects').projects.some((p: any) => p.projectId === 'gamma' && p.projectArn === P('gamma')));
  assert.equal(c('update-project', '--id', 'gamma', '--name', 'Gamma 2', '--description', 'Renamed'), undefined);
  const d = c('describe-project', '--id', 'gamma');
  assert.deepEqual([d.name, d.description], ['Gamma 2', 'Renamed']);
  assert.deepEqual(c('tag-project', '--id', 'gamma', '--tags', 'owner=ops'), { tags: { env: 'dev', owner: 'ops' } });
  assert.equal(c('untag-project', '--id', 'gamma', '--tags', 'env'), undefined);
  assert.deepEqual(c('list-tags-for-project', '--id', 'gamma'), { tags: { owner: 'ops' } });
  assert.deepEqual(c('list-resources', '--project-id', 'gamma'), { resources: ROLES.map((r) => ({ id: POLICY('gamma', r) })) });

  assert.deepEqual(
    c(
      'associate-team-member',
      '--project-id',
      'gamma',
      '--user-arn',
      U('bob'),
      '--project-role',
      'Contributor',
      '--remote-access-allowed',
      '--client-request-token',
      'assoc-gamma-bob',
    ),
    { clientRequestToken: 'assoc-gamma-bob' },
  );
  assert.deepEqual(c('list-team-members', '--project-id', 'gamma'), {
    teamMembers: [{ userArn: U('bob'), projectRole: 'Contributor', remoteAccessAllowed: true }],
  });
  assert.deepEqual(await attached('bob'), [POLICY('gamma', 'Contributor')]);
  assert.deepEqual(c('update-team-member', '--project-id', 'gamma', '--user-arn', U('bob'), '--project-role', 'Viewer', '--no-remote-access-allowed'), {
    userArn: U('bob'),
    projectRole: 'Viewer',
    remoteAccessAllowed: false,
  });
  assert.deepEqual(await attached('bob'), [POLICY('gamma', 'Viewer')]);
  assert.equal(c('disassociate-team-member', '--project-id', 'gamma', '--user-arn', U('bob')), undefined);
  assert.deepEqual(c('list-team-members', '--project-id', 'gamma'), { teamMembers: [] });
  assert.deepEqual(await attached('bob'), []);

  const p = c(
    'create-user-profile',
    '--user-arn',
    U('bob'),
    '--display-name',
    'Bob B',
    '--email-address',
    'bob@example.com',
    '--ssh-public-key',
    'ssh-rsa AAAAB3 bob',
  );
  assert.deepEqual(
    { ...p, createdTimestamp: 0, lastModifiedTimestamp: 0 },
    {
      userArn: U('bob'),
      displayName: 'Bob B',
      emailAddress: 'bob@example.com',
      sshPublicKey: 'ssh-rsa AAAAB3 bob',
      createdTimestamp: 0,
      lastModifiedTimestamp: 0,
    },
  );
  assert.deepEqual(c('describe-user-profile', '--user-arn', U('bob')), p);
  assert.ok(
    c('list-user-profiles').userProfiles.some(
      (x: any) => x.userArn === U('bob') && x.displayName === 'Bob B' && x.emailAddress === 'bob@example.com' && x.sshPublicKey === 'ssh-rsa AAAAB3 bob',
    ),
  );
  const u = c('update-user-profile', '--user-arn', U('bob'), '--display-name', 'Bobby');
  assert.deepEqual([u.displayName, u.emailAddress, u.sshPublicKey, u.createdTimestamp], ['Bobby', 'bob@example.com', 'ssh-rsa AAAAB3 bob', p.createdTimestamp]);
  assert.deepEqual(c('delete-user-profile', '--user-arn', U('bob')), { userArn: U('bob') });
  cliRefused(
    ['codestar', 'describe-user-profile', '--user-arn', U('bob')],
    'UserProfileNotFoundException',
    'DescribeUserProfile',
    `No user profile was found for ${U('bob')}.`,
  );

  assert.deepEqual(c('delete-project', '--id', 'gamma', '--delete-stack'), { projectArn: P('gamma') });
  cliRefused(['codestar', 'describe-project', '--id', 'gamma'], 'ProjectNotFoundException', 'DescribeProject', 'Project gamma not found');
});

test('every operation from @aws-sdk/client-codestar', async () => {
  assert.deepEqual(out(await root.send(new CreateProjectCommand({ id: 'delta', name: 'Delta', tags: { env: 'prod' } }))), { id: 'delta', arn: P('delta') });
  assert.equal((await root.send(new DescribeProjectCommand({ id: 'delta' }))).name, 'Delta');
  assert.ok((await root.send(new ListProjectsCommand({}))).projects!.some((p) => p.projectId === 'delta' && p.projectArn === P('delta')));
  assert.deepEqual(out(await root.send(new UpdateProjectCommand({ id: 'delta', description: 'Now described' }))), {});
  assert.deepEqual(
    [(await root.send(new DescribeProjectCommand({ id: 'delta' }))).name, (await root.send(new DescribeProjectCommand({ id: 'delta' }))).description],
    ['Delta', 'Now described'],
  );
  assert.deepEqual(out(await root.send(new TagProjectCommand({ id: 'delta', tags: { cost: '42', env: 'staging' } }))), {
    tags: { env: 'staging', cost: '42' },
  });
  assert.deepEqual(out(await root.send(new UntagProjectCommand({ id: 'delta', tags: ['cost', 'absent'] }))), {});
  assert.deepEqual(out(await root.send(new ListTagsForProjectCommand({ id: 'delta' }))), { tags: { env: 'staging' } });
  assert.deepEqual(out(await root.send(new ListResourcesCommand({ projectId: 'delta' }))), { resources: ROLES.map((r) => ({ id: POLICY('delta', r) })) });

  assert.deepEqual(out(await root.send(new AssociateTeamMemberCommand({ projectId: 'delta', userArn: U('carol'), projectRole: 'Viewer' }))), {});
  assert.deepEqual(out(await root.send(new ListTeamMembersCommand({ projectId: 'delta' }))), {
    teamMembers: [{ userArn: U('carol'), projectRole: 'Viewer', remoteAccessAllowed: false }],
  });
  assert.deepEqual(out(await root.send(new UpdateTeamMemberCommand({ projectId: 'delta', userArn: U('carol'), remoteAccessAllowed: true }))), {
    userArn: U('carol'),
    projectRole: 'Viewer',
    remoteAccessAllowed: true,
  });
  assert.deepEqual(out(await root.send(new UpdateTeamMemberCommand({ projectId: 'delta', userArn: U('carol'), projectRole: 'Owner' }))), {
    userArn: U('carol'),
    projectRole: 'Owner',
    remoteAccessAllowed: true,
  });
  assert.deepEqual(await attached('carol'), [POLICY('delta', 'Owner')]);
  assert.deepEqual(out(await root.send(new DisassociateTeamMemberCommand({ projectId: 'delta', userArn: U('carol') }))), {});
  assert.deepEqual(await attached('carol'), []);

  const created = out(await root.send(new CreateUserProfileCommand({ userArn: U('carol'), displayName: 'Carol C', emailAddress: 'carol@example.com' })));
  recent(created.createdTimestamp);
  assert.deepEqual(created.lastModifiedTimestamp, created.createdTimestamp);
  assert.deepEqual(
    { ...created, createdTimestamp: 0, lastModifiedTimestamp: 0 },
    { userArn: U('carol'), displayName: 'Carol C', emailAddress: 'carol@example.com', createdTimestamp: 0, lastModifiedTimestamp: 0 },
  );
  assert.deepEqual(out(await root.send(new DescribeUserProfileCommand({ userArn: U('carol') }))), created);
  assert.ok(
    (await root.send(new ListUserProfilesCommand({}))).userProfiles!.some(
      (p) => p.userArn === U('carol') && p.displayName === 'Carol C' && p.sshPublicKey === undefined,
    ),
  );
  await new Promise((r) => setTimeout(r, 20));
  const updated = out(
    await root.send(new UpdateUserProfileCommand({ userArn: U('carol'), emailAddress: 'c@example.org', sshPublicKey: 'ssh-ed25519 AAAAC3 carol' })),
  );
  assert.deepEqual([updated.displayName, updated.emailAddress, updated.sshPublicKey], ['Carol C', 'c@example.org', 'ssh-ed25519 AAAAC3 carol']);
  assert.deepEqual(updated.createdTimestamp, created.createdTimestamp);
  assert.ok(updated.lastModifiedTimestamp! > created.lastModifiedTimestamp!);
  assert.deepEqual(out(await root.send(new DeleteUserProfileCommand({ userArn: U('carol') }))), { userArn: U('carol') });
  await refused(
    root.send(new DescribeUserProfileCommand({ userArn: U('carol') })),
    'UserProfileNotFoundException',
    `No user profile was found for ${U('carol')}.`,
  );

  assert.deepEqual(out(await root.send(new DeleteProjectCommand({ id: 'delta', deleteStack: true }))), { projectArn: P('delta') });
  await refused(root.send(new DescribeProjectCommand({ id: 'delta' })), 'ProjectNotFoundException', 'Project delta not found');
});

test("ValidationException in AWS's message form, from the SDK and the CLI", async () => {
  const v = (m: string) => `1 validation error detected: ${m}`;
  await refused(
    root.send(new CreateProjectCommand({ id: 'abcdefghijklmnop', name: 'x' })),
    'ValidationException',
    v("Value 'abcdefghijklmnop' at 'id' failed to satisfy constraint: Member must have length less than or equal to 15"),
  );
  await refused(
    root.send(new CreateProjectCommand({ id: '9lives', name: 'x' })),
    'ValidationException',
    v("Value '9lives' at 'id' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z][a-z0-9-]+$"),
  );
  await refused(
    root.send(new CreateProjectCommand({ id: 'ok-id', name: 'n'.repeat(101) })),
    'ValidationException',
    v("Value at 'name' failed to satisfy constraint: Member must have length less than or equal to 100"),
  );
  await refused(
    root.send(new CreateProjectCommand({ id: 'ok-id', name: 'x', description: 'd'.repeat(1025) })),
    'ValidationException',
    v("Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 1024"),
  );
  await refused(
    root.send(new CreateProjectCommand({ id: 'ok-id', name: 'x', tags: { k: 'bad#value' } })),
    'ValidationException',
    v("Value 'bad#value' at 'tags.k' failed to satisfy constraint: Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$"),
  );
  await refused(
    root.send(new TagProjectCommand({ id: 'alpha', tags: { ['k'.repeat(129)]: 'v' } })),
    'ValidationException',
    v("Value at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 128]"),
  );
  await refused(
    root.send(new AssociateTeamMemberCommand({ projectId: 'alpha', userArn: U('bob'), projectRole: 'Admin' })),
    'ValidationException',
    v("Value 'Admin' at 'projectRole' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(Owner|Viewer|Contributor)$"),
  );
  await refused(
    root.send(new ListProjectsCommand({ maxResults: 101 })),
    'ValidationException',
    v("Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100"),
  );
  await refused(
    root.send(new CreateUserProfileCommand({ userArn: U('bob'), displayName: 'Bob', emailAddress: 'not-an-email' })),
    'ValidationException',
    v("Value at 'emailAddress' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\w-.+]+@[\\w-.+]+$"),
  );
  // (the CLI checks minimum lengths itself, exit 252; maxima and patterns reach the server)
  cliRefused(
    ['codestar', 'describe-project', '--id', 'abcdefghijklmnop'],
    'ValidationException',
    'DescribeProject',
    v("Value 'abcdefghijklmnop' at 'id' failed to satisfy constraint: Member must have length less than or equal to 15"),
  );
  cliRefused(
    ['codestar', 'create-project', '--id', 'ok-id', '--name', ' padded '],
    'ValidationException',
    'CreateProject',
    v("Value at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^\\S(.*\\S)?$"),
  );
  await refused(
    root.send(new DescribeProjectCommand({ id: 'x' })),
    'ValidationException',
    "2 validation errors detected: Value 'x' at 'id' failed to satisfy constraint: Member must have length greater than or equal to 2; Value 'x' at 'id' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z][a-z0-9-]+$",
  );
  // rules the model's constraints cannot express
  await refused(
    root.send(
      new CreateProjectCommand({
        id: 'src',
        name: 'x',
        sourceCode: [{ source: { s3: { bucketName: 'bucket', bucketKey: 'src.zip' } }, destination: { codeCommit: { name: 'repo' } } }],
      }),
    ),
    'ValidationException',
    'The sourceCode and toolchain parameters must be specified together.',
  );
  await refused(
    root.send(new AssociateTeamMemberCommand({ projectId: 'alpha', userArn: U('nobody'), projectRole: 'Viewer' })),
    'ValidationException',
    `The IAM user ${U('nobody')} does not exist.`,
  );
  await refused(
    root.send(new CreateUserProfileCommand({ userArn: 'arn:aws:iam::123456789012:user/bob', displayName: 'Bob', emailAddress: 'bob@example.com' })),
    'ValidationException',
    'The IAM user arn:aws:iam::123456789012:user/bob is not in this account.',
  );
});

test('sourceCode and toolchain: validated as the model says, stored, and sealed at rest', async () => {
  const s3 = { bucketName: 'my-bucket', bucketKey: 'app.zip' };
  const toolchain = {
    source: { s3: { bucketName: 'my-bucket', bucketKey: 'toolchain.yml' } },
    roleArn: `arn:aws:iam::${ACCOUNT}:role/CodeStarWorker`,
    stackParameters: { ProjectId: 'source' },
  };
  const gitHub = { name: 'app', type: 'user', owner: 'octo', privateRepository: true, issuesEnabled: false, token: 'ghp_TOKENNEVERINCLEAR0001' };
  assert.deepEqual(
    out(
      await root.send(
        new CreateProjectCommand({
          id: 'source',
          name: 'With source',
          sourceCode: [
            { source: { s3 }, destination: { gitHub } },
            { source: { s3 }, destination: { codeCommit: { name: 'mirror' } } },
          ],
          toolchain,
        }),
      ),
    ),
    { id: 'source', arn: P('source') },
  );
  assert.equal((await root.send(new DescribeProjectCommand({ id: 'source' }))).status?.state, 'CreateComplete');
  if (process.env.STARTRAIL_E2E_BACKEND !== 'postgres') {
    for (const f of readdirSync(server.dataDir)) {
      if (f.includes('db'))
        assert.ok(!readFileSync(join(server.dataDir, f)).toString('latin1').includes('ghp_TOKENNEVERINCLEAR0001'), `${f} holds the GitHub token`);
    }
  }
  await refused(
    root.send(
      new CreateProjectCommand({ id: 'source2', name: 'x', sourceCode: [{ source: { s3 }, destination: { gitHub, codeCommit: { name: 'two' } } }], toolchain }),
    ),
    'ValidationException',
    'sourceCode.1.member.destination must specify exactly one of codeCommit or gitHub.',
  );
  await refused(
    root.send(
      new CreateProjectCommand({
        id: 'source2',
        name: 'x',
        sourceCode: [{ source: { s3: { bucketName: 'ab' } }, destination: { codeCommit: { name: 'r' } } }],
        toolchain,
      }),
    ),
    'ValidationException',
    "1 validation error detected: Value 'ab' at 'sourceCode.1.member.source.s3.bucketName' failed to satisfy constraint: Member must have length greater than or equal to 3",
  );
  await refused(
    root.send(new CreateProjectCommand({ id: 'source2', name: 'x', sourceCode: [], toolchain: { source: { s3 }, stackParameters: { P: '' } } })),
    'ValidationException',
    "2 validation errors detected: Value at 'toolchain.stackParameters.P' failed to satisfy constraint: Member must have length greater than or equal to 1; Value at 'toolchain.stackParameters.P' failed to satisfy constraint: Member must satisfy regular expression pattern: ^\\S(.*\\S)?$",
  );
  await refused(root.send(new DescribeProjectCommand({ id: 'source2' })), 'ProjectNotFoundException', 'Project source2 not found');
});

test('ProjectAlreadyExistsException and ProjectNotFoundException from every project operation', async () => {
  await refused(
    root.send(new CreateProjectCommand({ id: 'alpha', name: 'Again' })),
    'ProjectAlreadyExistsException',
    'A project with the ID alpha already exists in this region for the AWS account. AWS CodeStar project IDs must be unique within a region for the AWS account.',
  );
  cliRefused(
    ['codestar', 'create-project', '--id', 'alpha', '--name', 'Again'],
    'ProjectAlreadyExistsException',
    'CreateProject',
    'A project with the ID alpha already exists in this region for the AWS account. AWS CodeStar project IDs must be unique within a region for the AWS account.',
  );
  const missing = 'Project nosuch not found';
  const calls: (() => Promise<unknown>)[] = [
    () => root.send(new DescribeProjectCommand({ id: 'nosuch' })),
    () => root.send(new UpdateProjectCommand({ id: 'nosuch', name: 'n' })),
    () => root.send(new ListResourcesCommand({ projectId: 'nosuch' })),
    () => root.send(new TagProjectCommand({ id: 'nosuch', tags: { a: 'b' } })),
    () => root.send(new UntagProjectCommand({ id: 'nosuch', tags: ['a'] })),
    () => root.send(new ListTagsForProjectCommand({ id: 'nosuch' })),
    () => root.send(new AssociateTeamMemberCommand({ projectId: 'nosuch', userArn: U('bob'), projectRole: 'Viewer' })),
    () => root.send(new DisassociateTeamMemberCommand({ projectId: 'nosuch', userArn: U('bob') })),
    () => root.send(new ListTeamMembersCommand({ projectId: 'nosuch' })),
    () => root.send(new UpdateTeamMemberCommand({ projectId: 'nosuch', userArn: U('bob'), projectRole: 'Viewer' })),
  ];
  for (const call of calls) await refused(call(), 'ProjectNotFoundException', missing);
  cliRefused(['codestar', 'list-team-members', '--project-id', 'nosuch'], 'ProjectNotFoundException', 'ListTeamMembers', missing);
  // the model lists no ProjectNotFoundException for DeleteProject: deleting what is not there succeeds
  assert.deepEqual(out(await root.send(new DeleteProjectCommand({ id: 'nosuch' }))), {});
});

test('team member and user profile errors', async () => {
  await root.send(new AssociateTeamMemberCommand({ projectId: 'alpha', userArn: U('bob'), projectRole: 'Viewer' }));
  await refused(
    root.send(new AssociateTeamMemberCommand({ projectId: 'alpha', userArn: U('bob'), projectRole: 'Contributor' })),
    'TeamMemberAlreadyAssociatedException',
    `User ${U('bob')} is already associated with project alpha in the role Viewer.`,
  );
  cliRefused(
    ['codestar', 'associate-team-member', '--project-id', 'alpha', '--user-arn', U('bob'), '--project-role', 'Viewer'],
    'TeamMemberAlreadyAssociatedException',
    'AssociateTeamMember',
    `User ${U('bob')} is already associated with project alpha in the role Viewer.`,
  );
  await refused(
    root.send(new UpdateTeamMemberCommand({ projectId: 'alpha', userArn: U('carol'), projectRole: 'Viewer' })),
    'TeamMemberNotFoundException',
    `User ${U('carol')} is not a team member of project alpha.`,
  );
  cliRefused(
    ['codestar', 'update-team-member', '--project-id', 'alpha', '--user-arn', U('carol'), '--project-role', 'Viewer'],
    'TeamMemberNotFoundException',
    'UpdateTeamMember',
    `User ${U('carol')} is not a team member of project alpha.`,
  );
  // the model lists no TeamMemberNotFoundException for DisassociateTeamMember
  assert.deepEqual(out(await root.send(new DisassociateTeamMemberCommand({ projectId: 'alpha', userArn: U('carol') }))), {});

  await root.send(new CreateUserProfileCommand({ userArn: U('bob'), displayName: 'Bob', emailAddress: 'bob@example.com' }));
  await refused(
    root.send(new CreateUserProfileCommand({ userArn: U('bob'), displayName: 'Bob', emailAddress: 'bob@example.com' })),
    'UserProfileAlreadyExistsException',
    `A user profile already exists for ${U('bob')}.`,
  );
  cliRefused(
    ['codestar', 'create-user-profile', '--user-arn', U('bob'), '--display-name', 'B', '--email-address', 'b@example.com'],
    'UserProfileAlreadyExistsException',
    'CreateUserProfile',
    `A user profile already exists for ${U('bob')}.`,
  );
  await refused(
    root.send(new UpdateUserProfileCommand({ userArn: U('carol'), displayName: 'C' })),
    'UserProfileNotFoundException',
    `No user profile was found for ${U('carol')}.`,
  );
  cliRefused(
    ['codestar', 'update-user-profile', '--user-arn', U('carol'), '--display-name', 'C'],
    'UserProfileNotFoundException',
    'UpdateUserProfile',
    `No user profile was found for ${U('carol')}.`,
  );
  // the model lists no UserProfileNotFoundException for DeleteUserProfile
  assert.deepEqual(out(await root.send(new DeleteUserProfileCommand({ userArn: U('carol') }))), { userArn: U('carol') });
});

test('InvalidNextTokenException for a token that is garbled, from another listing or from another project', async () => {
  await refused(root.send(new ListProjectsCommand({ nextToken: 'garbage' })), 'InvalidNextTokenException', 'The next token is not valid.');
  cliRefused(
    ['codestar', 'list-user-profiles', '--starting-token', 'Zm9vYmFy'],
    'InvalidNextTokenException',
    'ListUserProfiles',
    'The next token is not valid.',
  );
  const alphaPage = await root.send(new ListResourcesCommand({ projectId: 'alpha', maxResults: 1 }));
  assert.ok(alphaPage.nextToken);
  await refused(
    root.send(new ListResourcesCommand({ projectId: 'beta', nextToken: alphaPage.nextToken })),
    'InvalidNextTokenException',
    'The next token is not valid.',
  );
  await refused(
    root.send(new ListTeamMembersCommand({ projectId: 'alpha', nextToken: alphaPage.nextToken })),
    'InvalidNextTokenException',
    'The next token is not valid.',
  );
  await refused(
    root.send(new ListTagsForProjectCommand({ id: 'alpha', nextToken: 'dGFncwphbHBoYQox' + 'AA==' })),
    'InvalidNextTokenException',
    'The next token is not valid.',
  );
});

test('clientRequestToken: the same token and input repeat the result; the same token with other input is refused', async () => {
  const input = { id: 'idem', name: 'Idempotent', clientRequestToken: 'idem-token-1', tags: { a: '1' } };
  const first = out(await root.send(new CreateProjectCommand(input)));
  assert.deepEqual(first, { id: 'idem', arn: P('idem'), clientRequestToken: 'idem-token-1' });
  assert.deepEqual(
    out(await root.send(new CreateProjectCommand({ tags: { a: '1' }, clientRequestToken: 'idem-token-1', name: 'Idempotent', id: 'idem' }))),
    first,
  );
  assert.deepEqual(
    cli(['codestar', 'create-project', '--id', 'idem', '--name', 'Idempotent', '--client-request-token', 'idem-token-1', '--tags', 'a=1']),
    first,
  );
  assert.equal((await root.send(new ListProjectsCommand({}))).projects!.filter((p) => p.projectId === 'idem').length, 1);
  assert.equal((await admin.send(new GetPolicyCommand({ PolicyArn: POLICY('idem', 'Owner') }))).Policy?.PolicyName, 'CodeStar_idem_Owner');
  await refused(
    root.send(new CreateProjectCommand({ ...input, name: 'Different' })),
    'ValidationException',
    'The clientRequestToken idem-token-1 was already used for a CreateProject request with different parameters.',
  );
  await refused(
    root.send(new CreateProjectCommand({ ...input, clientRequestToken: 'idem-token-2' })),
    'ProjectAlreadyExistsException',
    /^A project with the ID idem already exists/,
  );

  const assoc = { projectId: 'idem', userArn: U('carol'), projectRole: 'Contributor', clientRequestToken: 'idem-assoc' };
  assert.deepEqual(out(await root.send(new AssociateTeamMemberCommand(assoc))), { clientRequestToken: 'idem-assoc' });
  assert.deepEqual(out(await root.send(new AssociateTeamMemberCommand(assoc))), { clientRequestToken: 'idem-assoc' });
  assert.deepEqual((await root.send(new ListTeamMembersCommand({ projectId: 'idem' }))).teamMembers, [
    { userArn: U('carol'), projectRole: 'Contributor', remoteAccessAllowed: false },
  ]);
  await refused(
    root.send(new AssociateTeamMemberCommand({ ...assoc, projectRole: 'Owner' })),
    'ValidationException',
    'The clientRequestToken idem-assoc was already used for a AssociateTeamMember request with different parameters.',
  );
  await refused(
    root.send(new AssociateTeamMemberCommand({ ...assoc, clientRequestToken: undefined })),
    'TeamMemberAlreadyAssociatedException',
    `User ${U('carol')} is already associated with project idem in the role Contributor.`,
  );

  const del = { id: 'idem', deleteStack: true, clientRequestToken: 'idem-delete' };
  assert.deepEqual(out(await root.send(new DeleteProjectCommand(del))), { projectArn: P('idem') });
  assert.deepEqual(out(await root.send(new DeleteProjectCommand(del))), { projectArn: P('idem') });
  assert.deepEqual(out(await root.send(new DeleteProjectCommand({ id: 'idem' }))), {});
  await refused(
    root.send(new DeleteProjectCommand({ ...del, deleteStack: false })),
    'ValidationException',
    'The clientRequestToken idem-delete was already used for a DeleteProject request with different parameters.',
  );
  assert.deepEqual(await attached('carol'), []);
});

test('every List operation pages with nextToken/maxResults and stays stable while items are added', async () => {
  for (let i = 0; i < 5; i++) await root.send(new CreateProjectCommand({ id: `page-${i}`, name: `Page ${i}` }));
  const before = (await root.send(new ListProjectsCommand({}))).projects!.map((p) => p.projectId!);
  let added = 0;
  const projects = await allPages(
    async (t) => {
      const r = await root.send(new ListProjectsCommand({ maxResults: 2, nextToken: t }));
      assert.ok(r.projects!.length <= 2);
      return { items: r.projects!.map((p) => p.projectId!), nextToken: r.nextToken };
    },
    async (n) => {
      if (n <= 2) await root.send(new CreateProjectCommand({ id: `page-new-${added++}`, name: 'New' }));
    },
  );
  assert.deepEqual(projects.items, [...before, 'page-new-0', 'page-new-1']);
  assert.equal(new Set(projects.items).size, projects.items.length);
  // the CLI follows nextToken itself; --max-items/--starting-token page on the client side
  assert.deepEqual(
    cli(['codestar', 'list-projects', '--page-size', '1']).projects.map((p: any) => p.projectId),
    projects.items,
  );
  const firstTwo = cli(['codestar', 'list-projects', '--max-items', '2']);
  assert.deepEqual(
    firstTwo.projects.map((p: any) => p.projectId),
    projects.items.slice(0, 2),
  );
  assert.deepEqual(
    cli(['codestar', 'list-projects', '--starting-token', firstTwo.NextToken]).projects.map((p: any) => p.projectId),
    projects.items.slice(2),
  );

  const users = ['pg-u0', 'pg-u1', 'pg-u2', 'pg-u3'];
  for (const u of users) await newUser(u);
  for (const u of users.slice(0, 3)) await root.send(new AssociateTeamMemberCommand({ projectId: 'page-0', userArn: U(u), projectRole: 'Viewer' }));
  const members = await allPages(
    async (t) => {
      const r = await root.send(new ListTeamMembersCommand({ projectId: 'page-0', maxResults: 2, nextToken: t }));
      return { items: r.teamMembers!.map((m) => m.userArn!), nextToken: r.nextToken };
    },
    async () => {
      await root.send(new AssociateTeamMemberCommand({ projectId: 'page-0', userArn: U('pg-u3'), projectRole: 'Contributor' }));
    },
  );
  assert.deepEqual(members.items, users.map(U));

  const profilesBefore = (await root.send(new ListUserProfilesCommand({}))).userProfiles!.map((p) => p.userArn!);
  for (const u of users.slice(0, 3)) await root.send(new CreateUserProfileCommand({ userArn: U(u), displayName: u, emailAddress: `${u}@example.com` }));
  const profiles = await allPages(
    async (t) => {
      const r = await root.send(new ListUserProfilesCommand({ maxResults: 1, nextToken: t }));
      return { items: r.userProfiles!.map((p) => p.userArn!), nextToken: r.nextToken };
    },
    async (n) => {
      if (n === 1) await root.send(new CreateUserProfileCommand({ userArn: U('pg-u3'), displayName: 'late', emailAddress: 'late@example.com' }));
    },
  );
  assert.deepEqual(profiles.items, [...profilesBefore, ...users.map(U)]);

  await root.send(new TagProjectCommand({ id: 'page-1', tags: { t1: 'a', t2: 'b', t3: 'c' } }));
  const tags = await allPages(
    async (t) => {
      const r = await root.send(new ListTagsForProjectCommand({ id: 'page-1', maxResults: 2, nextToken: t }));
      return { items: Object.entries(r.tags ?? {}), nextToken: r.nextToken };
    },
    async () => {
      await root.send(new TagProjectCommand({ id: 'page-1', tags: { t4: 'd', t1: 'changed' } }));
    },
  );
  assert.deepEqual(tags.items, [
    ['t1', 'a'],
    ['t2', 'b'],
    ['t3', 'c'],
    ['t4', 'd'],
  ]);

  const resources = await allPages(async (t) => {
    const r = await root.send(new ListResourcesCommand({ projectId: 'page-1', maxResults: 1, nextToken: t }));
    return { items: r.resources!.map((x) => x.id!), nextToken: r.nextToken };
  });
  assert.deepEqual(resources, { items: ROLES.map((r) => POLICY('page-1', r)), pages: 3 });
});

test('DeleteProject: deleteStack removes the role policies; without it they stay in IAM and the id cannot be reused', async () => {
  for (const id of ['keep', 'drop']) {
    await root.send(new CreateProjectCommand({ id, name: id }));
    await root.send(new AssociateTeamMemberCommand({ projectId: id, userArn: U('carol'), projectRole: 'Contributor' }));
  }
  assert.deepEqual(await attached('carol'), [POLICY('drop', 'Contributor'), POLICY('keep', 'Contributor')]);

  assert.deepEqual(cli(['codestar', 'delete-project', '--id', 'keep']), { projectArn: P('keep') });
  await refused(root.send(new ListResourcesCommand({ projectId: 'keep' })), 'ProjectNotFoundException', 'Project keep not found');
  for (const role of ROLES) assert.equal((await admin.send(new GetPolicyCommand({ PolicyArn: POLICY('keep', role) }))).Policy?.Arn, POLICY('keep', role));
  assert.deepEqual(await attached('carol'), [POLICY('drop', 'Contributor'), POLICY('keep', 'Contributor')]);
  await refused(
    root.send(new CreateProjectCommand({ id: 'keep', name: 'again' })),
    'ProjectCreationFailedException',
    'Project keep could not be created: A policy called CodeStar_keep_Owner already exists. Duplicate names are not allowed.',
  );
  cliRefused(
    ['codestar', 'create-project', '--id', 'keep', '--name', 'again'],
    'ProjectCreationFailedException',
    'CreateProject',
    'Project keep could not be created: A policy called CodeStar_keep_Owner already exists. Duplicate names are not allowed.',
  );
  await refused(root.send(new DescribeProjectCommand({ id: 'keep' })), 'ProjectNotFoundException', 'Project keep not found');

  assert.deepEqual(out(await root.send(new DeleteProjectCommand({ id: 'drop', deleteStack: true }))), { projectArn: P('drop') });
  for (const role of ROLES) {
    let e: any;
    try {
      await admin.send(new GetPolicyCommand({ PolicyArn: POLICY('drop', role) }));
    } catch (x) {
      e = x;
    }
    assert.equal(e?.name, 'NoSuchEntityException');
  }
  assert.deepEqual(await attached('carol'), [POLICY('keep', 'Contributor')]);
  assert.deepEqual(out(await root.send(new CreateProjectCommand({ id: 'drop', name: 'reborn' }))), { id: 'drop', arn: P('drop') });
  assert.deepEqual(
    (await root.send(new ListResourcesCommand({ projectId: 'drop' }))).resources,
    ROLES.map((r) => ({ id: POLICY('drop', r) })),
  );
});

test('ConcurrentModificationException: of writes racing on one project from two nodes, the losers are refused and nothing is lost', async () => {
  await root.send(new CreateProjectCommand({ id: 'race', name: 'Race' }));
  // One node runs a call's steps one after another; two nodes on one database really race.
  const sibling = await server.startSibling({});
  try {
    const nodes = [cs(server.root), new CodeStarClient(sdkConfig(sibling.endpoint, server.root))];
    let won = 0;
    let lost = 0;
    for (let round = 0; round < 30 && lost === 0; round++) {
      const keys = Array.from({ length: 8 }, (_, i) => `r${round}-${i}`);
      const results = await Promise.allSettled(keys.map((k, i) => nodes[i % 2]!.send(new TagProjectCommand({ id: 'race', tags: { [k]: 'v' } }))));
      const winners: string[] = [];
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') {
          winners.push(keys[i]!);
          return;
        }
        const e = r.reason;
        assert.equal(e.name, 'ConcurrentModificationException', e.message);
        assert.equal(e.$metadata?.httpStatusCode, 400);
        assert.equal(e.message, 'Another modification is being made to project race. That modification must complete before you can make your change.');
        lost++;
      });
      // every write that succeeded is there, and nothing else
      assert.deepEqual(Object.keys((await root.send(new ListTagsForProjectCommand({ id: 'race' }))).tags ?? {}).sort(), winners.sort());
      await root.send(new UntagProjectCommand({ id: 'race', tags: winners }));
      won += winners.length;
    }
    assert.ok(lost > 0, 'no racing write was refused');
    assert.ok(won > 0);
  } finally {
    await sibling.stop();
  }
});

test('projects, members, tags and profiles survive a restart', async () => {
  const snapshot = async () => ({
    projects: (await root.send(new ListProjectsCommand({}))).projects,
    alpha: out(await root.send(new DescribeProjectCommand({ id: 'alpha' }))),
    tags: (await root.send(new ListTagsForProjectCommand({ id: 'alpha' }))).tags,
    members: (await root.send(new ListTeamMembersCommand({ projectId: 'alpha' }))).teamMembers,
    resources: (await root.send(new ListResourcesCommand({ projectId: 'alpha' }))).resources,
    profiles: (await root.send(new ListUserProfilesCommand({}))).userProfiles,
    bob: out(await root.send(new DescribeUserProfileCommand({ userArn: U('bob') }))),
  });
  await root.send(new UpdateTeamMemberCommand({ projectId: 'alpha', userArn: U('bob'), remoteAccessAllowed: true }));
  const was = await snapshot();
  assert.deepEqual(was.members, [
    { userArn: U('alice'), projectRole: 'Owner', remoteAccessAllowed: false },
    { userArn: U('bob'), projectRole: 'Viewer', remoteAccessAllowed: true },
  ]);
  assert.deepEqual(was.tags, { team: 'core' });
  await server.restart();
  root = cs(server.root);
  assert.deepEqual(await snapshot(), was);
  // the roles still work: alice (Owner) may update, and a project id stays taken
  assert.deepEqual(out(await cs(alice).send(new UpdateProjectCommand({ id: 'alpha', name: 'Alpha after restart' }))), {});
  await refused(
    root.send(new CreateProjectCommand({ id: 'alpha', name: 'x' })),
    'ProjectAlreadyExistsException',
    /^A project with the ID alpha already exists/,
  );
});
