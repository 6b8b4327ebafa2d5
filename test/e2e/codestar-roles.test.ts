/**
 * The CodeStar role matrix from real calls (https://docs.aws.amazon.com/codestar/latest/userguide/working-with-teams.html): IAM users
 * created through the IAM API as Owner, Contributor and Viewer of a project, a user with no role, and root,
 * each calling all 18 operations with @aws-sdk/client-codestar. Allowed calls must do what they say; denied
 * ones must fail with AccessDeniedException and IAM's message. Roles are nothing but the CodeStar_<id>_<Role>
 * policies, so this is ordinary policy evaluation end to end.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
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
import { IAMClient, CreateUserCommand, CreateAccessKeyCommand, AttachUserPolicyCommand } from '@aws-sdk/client-iam';
import { startServer, type Credentials, type TestServer } from './helpers/server.ts';
import { awsCli, sdkConfig } from './helpers/clients.ts';

const ACCOUNT = '000000000000';
const P = (id: string) => `arn:aws:codestar:us-east-1:${ACCOUNT}:project/${id}`;
const U = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;

type Who = 'owner' | 'contributor' | 'viewer' | 'none' | 'root';
const WHO: Who[] = ['owner', 'contributor', 'viewer', 'none', 'root'];
const ROLE_OF = { owner: 'Owner', contributor: 'Contributor', viewer: 'Viewer' } as const;

const READS = ['DescribeProject', 'ListProjects', 'ListResources', 'ListTagsForProject', 'ListTeamMembers', 'DescribeUserProfile', 'ListUserProfiles'];
const OWN_PROFILE = ['CreateUserProfile', 'UpdateUserProfile', 'DeleteUserProfile'];
const ALL = [
  'CreateProject',
  'DescribeProject',
  'ListProjects',
  'UpdateProject',
  'DeleteProject',
  'ListResources',
  'TagProject',
  'UntagProject',
  'ListTagsForProject',
  'AssociateTeamMember',
  'DisassociateTeamMember',
  'ListTeamMembers',
  'UpdateTeamMember',
  'CreateUserProfile',
  'DescribeUserProfile',
  'ListUserProfiles',
  'UpdateUserProfile',
  'DeleteUserProfile',
];
/** The expected table: which operations each caller may perform on project `matrix` (or its own profile). */
const ALLOWED: Record<Who, string[]> = {
  owner: ALL.filter((o) => o !== 'CreateProject'),
  contributor: [...READS, ...OWN_PROFILE],
  viewer: [...READS, ...OWN_PROFILE],
  none: [],
  root: ALL,
};

let server: TestServer;
let root: CodeStarClient;
let admin: IAMClient;
const creds = {} as Record<Who | 'spare' | 'broad', Credentials>;
const client = (who: keyof typeof creds) => new CodeStarClient(sdkConfig(server.endpoint, creds[who]));
/** The user whose profile a caller works on: its own; root has none and works on `subject`'s. */
const self = (who: Who) => U(who === 'root' ? 'subject' : who);
const deny = (name: string, action: string, resource: string) =>
  `User: ${U(name)} is not authorized to perform: codestar:${action} on resource: ${resource} because no identity-based policy allows the codestar:${action} action`;

async function rejects(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  assert.fail('expected the call to be refused');
}

async function denied(p: Promise<unknown>, message: string): Promise<void> {
  const e = await rejects(p);
  assert.equal(e.name, 'AccessDeniedException', e.message);
  assert.equal(e.$metadata?.httpStatusCode, 400);
  assert.equal(e.message, message);
}

async function newUser(name: string, policyArn?: string): Promise<Credentials> {
  await admin.send(new CreateUserCommand({ UserName: name }));
  if (policyArn) await admin.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: policyArn }));
  const k = (await admin.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
  return { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
}

const members = async (id = 'matrix') =>
  ((await root.send(new ListTeamMembersCommand({ projectId: id }))).teamMembers ?? []).map((m) => `${m.userArn}=${m.projectRole}`);
const removeSpare = () => root.send(new DisassociateTeamMemberCommand({ projectId: 'matrix', userArn: U('spare') }));
const addSpare = () => root.send(new AssociateTeamMemberCommand({ projectId: 'matrix', userArn: U('spare'), projectRole: 'Viewer' }));
async function ensureProfile(userArn: string): Promise<void> {
  await root.send(new DeleteUserProfileCommand({ userArn }));
  await root.send(new CreateUserProfileCommand({ userArn, displayName: 'Before', emailAddress: 'before@example.com' }));
}
const tagsOf = async () => (await root.send(new ListTagsForProjectCommand({ id: 'matrix' }))).tags ?? {};

interface Case {
  /** resource named in the denial message */
  resource: (who: Who) => string;
  prepare?: (who: Who) => Promise<void>;
  call: (c: CodeStarClient, who: Who) => Promise<any>;
  /** what an allowed call must have done */
  check: (out: any, who: Who) => Promise<void> | void;
  cleanup?: (who: Who) => Promise<unknown>;
}

const CASES: Record<string, Case> = {
  CreateProject: {
    resource: () => '*',
    call: (c, who) => c.send(new CreateProjectCommand({ id: `mx-${who}`, name: `By ${who}` })),
    check: async (out, who) => {
      assert.equal(out.arn, P(`mx-${who}`));
      assert.equal((await root.send(new DescribeProjectCommand({ id: `mx-${who}` }))).name, `By ${who}`);
    },
    cleanup: (who) => root.send(new DeleteProjectCommand({ id: `mx-${who}`, deleteStack: true })),
  },
  DescribeProject: {
    resource: () => P('matrix'),
    call: (c) => c.send(new DescribeProjectCommand({ id: 'matrix' })),
    check: (out) => assert.deepEqual([out.id, out.name], ['matrix', 'Matrix']),
  },
  ListProjects: {
    resource: () => '*',
    call: (c) => c.send(new ListProjectsCommand({})),
    check: (out) => assert.ok(out.projects.some((p: any) => p.projectArn === P('matrix'))),
  },
  UpdateProject: {
    resource: () => P('matrix'),
    call: (c, who) => c.send(new UpdateProjectCommand({ id: 'matrix', description: `by ${who}` })),
    check: async (_, who) => assert.equal((await root.send(new DescribeProjectCommand({ id: 'matrix' }))).description, `by ${who}`),
  },
  DeleteProject: {
    // each caller deletes a project of its own, in which it has the same role as in `matrix`
    resource: (who) => P(`del-${who}`),
    prepare: async (who) => {
      await root.send(new CreateProjectCommand({ id: `del-${who}`, name: 'To delete' }));
      if (who in ROLE_OF)
        await root.send(new AssociateTeamMemberCommand({ projectId: `del-${who}`, userArn: U(who), projectRole: ROLE_OF[who as keyof typeof ROLE_OF] }));
    },
    call: (c, who) => c.send(new DeleteProjectCommand({ id: `del-${who}`, deleteStack: true })),
    check: async (out, who) => {
      assert.equal(out.projectArn, P(`del-${who}`));
      assert.equal((await rejects(root.send(new DescribeProjectCommand({ id: `del-${who}` })))).name, 'ProjectNotFoundException');
    },
    cleanup: (who) => root.send(new DeleteProjectCommand({ id: `del-${who}`, deleteStack: true })),
  },
  ListResources: {
    resource: () => P('matrix'),
    call: (c) => c.send(new ListResourcesCommand({ projectId: 'matrix' })),
    check: (out) => assert.equal(out.resources.length, 3),
  },
  TagProject: {
    resource: () => P('matrix'),
    call: (c, who) => c.send(new TagProjectCommand({ id: 'matrix', tags: { by: who } })),
    check: async (out, who) => {
      assert.equal(out.tags.by, who);
      assert.equal((await tagsOf()).by, who);
    },
  },
  UntagProject: {
    resource: () => P('matrix'),
    prepare: () => root.send(new TagProjectCommand({ id: 'matrix', tags: { gone: 'soon' } })).then(() => {}),
    call: (c) => c.send(new UntagProjectCommand({ id: 'matrix', tags: ['gone'] })),
    check: async () => assert.equal((await tagsOf()).gone, undefined),
    cleanup: () => root.send(new UntagProjectCommand({ id: 'matrix', tags: ['gone'] })),
  },
  ListTagsForProject: {
    resource: () => P('matrix'),
    call: (c) => c.send(new ListTagsForProjectCommand({ id: 'matrix' })),
    check: (out) => assert.equal(out.tags.team, 'matrix'),
  },
  AssociateTeamMember: {
    resource: () => P('matrix'),
    call: (c) => c.send(new AssociateTeamMemberCommand({ projectId: 'matrix', userArn: U('spare'), projectRole: 'Viewer' })),
    check: async () => assert.ok((await members()).includes(`${U('spare')}=Viewer`)),
    cleanup: removeSpare,
  },
  DisassociateTeamMember: {
    resource: () => P('matrix'),
    prepare: () => addSpare().then(() => {}),
    call: (c) => c.send(new DisassociateTeamMemberCommand({ projectId: 'matrix', userArn: U('spare') })),
    check: async () => assert.ok(!(await members()).some((m) => m.startsWith(U('spare')))),
    cleanup: removeSpare,
  },
  ListTeamMembers: {
    resource: () => P('matrix'),
    call: (c) => c.send(new ListTeamMembersCommand({ projectId: 'matrix' })),
    check: (out) =>
      assert.deepEqual(
        out.teamMembers.map((m: any) => m.projectRole),
        ['Owner', 'Contributor', 'Viewer'],
      ),
  },
  UpdateTeamMember: {
    resource: () => P('matrix'),
    prepare: () => addSpare().then(() => {}),
    call: (c) => c.send(new UpdateTeamMemberCommand({ projectId: 'matrix', userArn: U('spare'), projectRole: 'Contributor' })),
    check: async (out) => {
      assert.equal(out.projectRole, 'Contributor');
      assert.ok((await members()).includes(`${U('spare')}=Contributor`));
    },
    cleanup: removeSpare,
  },
  CreateUserProfile: {
    resource: self,
    prepare: (who) => root.send(new DeleteUserProfileCommand({ userArn: self(who) })).then(() => {}),
    call: (c, who) => c.send(new CreateUserProfileCommand({ userArn: self(who), displayName: `Profile of ${who}`, emailAddress: `${who}@example.com` })),
    check: async (_, who) => assert.equal((await root.send(new DescribeUserProfileCommand({ userArn: self(who) }))).displayName, `Profile of ${who}`),
  },
  DescribeUserProfile: {
    resource: () => '*',
    call: (c) => c.send(new DescribeUserProfileCommand({ userArn: U('spare') })),
    check: (out) => assert.equal(out.displayName, 'Spare'),
  },
  ListUserProfiles: {
    resource: () => '*',
    call: (c) => c.send(new ListUserProfilesCommand({})),
    check: (out) => assert.ok(out.userProfiles.some((p: any) => p.userArn === U('spare'))),
  },
  UpdateUserProfile: {
    resource: self,
    prepare: (who) => ensureProfile(self(who)),
    call: (c, who) => c.send(new UpdateUserProfileCommand({ userArn: self(who), displayName: `Updated by ${who}` })),
    check: async (out, who) => {
      assert.equal(out.displayName, `Updated by ${who}`);
      assert.equal((await root.send(new DescribeUserProfileCommand({ userArn: self(who) }))).displayName, `Updated by ${who}`);
    },
  },
  DeleteUserProfile: {
    resource: self,
    prepare: (who) => ensureProfile(self(who)),
    call: (c, who) => c.send(new DeleteUserProfileCommand({ userArn: self(who) })),
    check: async (out, who) => {
      assert.equal(out.userArn, self(who));
      assert.equal((await rejects(root.send(new DescribeUserProfileCommand({ userArn: self(who) })))).name, 'UserProfileNotFoundException');
    },
  },
};

before(async () => {
  server = await startServer();
  creds.root = server.root;
  root = client('root');
  admin = new IAMClient(sdkConfig(server.endpoint, server.root));
  for (const who of ['owner', 'contributor', 'viewer', 'none', 'spare'] as const) creds[who] = await newUser(who);
  creds.broad = await newUser('broad', 'arn:aws:iam::aws:policy/AWSCodeStarFullAccess');
  await newUser('subject');
  await root.send(new CreateProjectCommand({ id: 'matrix', name: 'Matrix', tags: { team: 'matrix' } }));
  for (const who of ['owner', 'contributor', 'viewer'] as const)
    await root.send(new AssociateTeamMemberCommand({ projectId: 'matrix', userArn: U(who), projectRole: ROLE_OF[who] }));
  await root.send(new CreateUserProfileCommand({ userArn: U('spare'), displayName: 'Spare', emailAddress: 'spare@example.com' }));
});

after(async () => {
  await server?.dispose();
});

test('the matrix covers all 18 operations of the model', () => {
  assert.deepEqual(Object.keys(CASES).sort(), [...ALL].sort());
});

for (const op of ALL) {
  test(`${op}: Owner, Contributor, Viewer, no role, root`, async (t) => {
    const c = CASES[op]!;
    for (const who of WHO) {
      await t.test(`${who} is ${ALLOWED[who].includes(op) ? 'allowed' : 'denied'}`, async () => {
        await c.prepare?.(who);
        try {
          if (ALLOWED[who].includes(op)) await c.check(await c.call(client(who), who), who);
          else await denied(c.call(client(who), who), deny(who, op, c.resource(who)));
        } finally {
          await c.cleanup?.(who);
        }
      });
    }
  });
}

test('a member may edit only their own profile', async () => {
  for (const who of ['owner', 'contributor', 'viewer'] as const) {
    await denied(client(who).send(new UpdateUserProfileCommand({ userArn: U('spare'), displayName: 'Hijacked' })), deny(who, 'UpdateUserProfile', U('spare')));
    await denied(client(who).send(new DeleteUserProfileCommand({ userArn: U('spare') })), deny(who, 'DeleteUserProfile', U('spare')));
    await denied(
      client(who).send(new CreateUserProfileCommand({ userArn: U('subject'), displayName: 'X', emailAddress: 'x@example.com' })),
      deny(who, 'CreateUserProfile', U('subject')),
    );
  }
  assert.equal((await root.send(new DescribeUserProfileCommand({ userArn: U('spare') }))).displayName, 'Spare');
});

test('a non-owner cannot change their own role, even with a policy that allows codestar:* everywhere', async () => {
  for (const who of ['contributor', 'viewer'] as const) {
    await denied(
      client(who).send(new UpdateTeamMemberCommand({ projectId: 'matrix', userArn: U(who), projectRole: 'Owner' })),
      deny(who, 'UpdateTeamMember', P('matrix')),
    );
  }
  await root.send(new AssociateTeamMemberCommand({ projectId: 'matrix', userArn: U('broad'), projectRole: 'Viewer' }));
  await denied(
    client('broad').send(new UpdateTeamMemberCommand({ projectId: 'matrix', userArn: U('broad'), projectRole: 'Owner' })),
    `User: ${U('broad')} is not authorized to perform: codestar:UpdateTeamMember on resource: ${P('matrix')}`,
  );
  // changing nothing but their own remote access is not a role change
  assert.equal(
    (await client('broad').send(new UpdateTeamMemberCommand({ projectId: 'matrix', userArn: U('broad'), remoteAccessAllowed: true }))).projectRole,
    'Viewer',
  );
  // an owner may change their own settings
  assert.equal(
    (await client('owner').send(new UpdateTeamMemberCommand({ projectId: 'matrix', userArn: U('owner'), remoteAccessAllowed: true }))).remoteAccessAllowed,
    true,
  );
  assert.deepEqual(await members(), [`${U('owner')}=Owner`, `${U('contributor')}=Contributor`, `${U('viewer')}=Viewer`, `${U('broad')}=Viewer`]);
  await root.send(new DisassociateTeamMemberCommand({ projectId: 'matrix', userArn: U('broad') }));
});

test('permissions follow the attached role: promoted, demoted and removed members', async () => {
  await root.send(new AssociateTeamMemberCommand({ projectId: 'matrix', userArn: U('spare'), projectRole: 'Viewer' }));
  await denied(client('spare').send(new TagProjectCommand({ id: 'matrix', tags: { t: 'v' } })), deny('spare', 'TagProject', P('matrix')));
  await client('owner').send(new UpdateTeamMemberCommand({ projectId: 'matrix', userArn: U('spare'), projectRole: 'Owner' }));
  assert.deepEqual((await client('spare').send(new TagProjectCommand({ id: 'matrix', tags: { t: 'v' } }))).tags?.t, 'v');
  await client('owner').send(new UpdateTeamMemberCommand({ projectId: 'matrix', userArn: U('spare'), projectRole: 'Contributor' }));
  await denied(client('spare').send(new UntagProjectCommand({ id: 'matrix', tags: ['t'] })), deny('spare', 'UntagProject', P('matrix')));
  assert.equal((await client('spare').send(new DescribeProjectCommand({ id: 'matrix' }))).id, 'matrix');
  await client('owner').send(new DisassociateTeamMemberCommand({ projectId: 'matrix', userArn: U('spare') }));
  await denied(client('spare').send(new DescribeProjectCommand({ id: 'matrix' })), deny('spare', 'DescribeProject', P('matrix')));
});

test('denials from the AWS CLI: exit 254 and AccessDeniedException', () => {
  const r = awsCli(server.endpoint, creds.viewer, ['codestar', 'update-project', '--id', 'matrix', '--name', 'Nope']);
  assert.equal(r.status, 254, r.stdout);
  // the CLI adds "(reached max retries: N)" when it gave up retrying; AWS_MAX_ATTEMPTS is 1 in these tests
  assert.equal(
    r.stderr.trim().replace(/ \(reached max retries: \d+\)/, ''),
    `An error occurred (AccessDeniedException) when calling the UpdateProject operation: ${deny('viewer', 'UpdateProject', P('matrix'))}`,
  );
  const ok = awsCli(server.endpoint, creds.contributor, ['codestar', 'list-team-members', '--project-id', 'matrix']);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.json.teamMembers.length, 3);
});
