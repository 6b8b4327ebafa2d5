/**
 * Projects: CreateProject, DescribeProject, ListProjects, UpdateProject, DeleteProject
 * (https://docs.aws.amazon.com/codestar/latest/APIReference/API_CreateProject.html; roles as IAM policies, docs/architecture.md#request-path). Projects are created complete: there is no
 * stack, so DescribeProject reports CreateComplete and neither stackId nor projectTemplateId.
 */
import type { OperationDefs, OperationContext } from '../types.ts';
import type { Input, Operations as Ops, Output } from './model.generated.ts';
import { anyResource, claimProject, onProject, projectArn, recordProject, requestTags, requireProject } from './access.ts';
import {
  accountProjectLimit,
  iamLimit,
  LIMITS,
  oneDestination,
  policyInUse,
  projectAlreadyExists,
  projectConfiguration,
  projectCreationFailed,
  sourceWithoutToolchain,
  tagLimit,
  userProjectLimit,
} from './errors.ts';
import { once } from './idempotency.ts';
import { page } from './pagination.ts';
import { attachRole, createRolePolicies, deleteRolePolicy, detachRole } from './policies.ts';

/** sourceCode and toolchain come together or not at all; each destination names one repository. */
function checkSource(input: Input<'CreateProject'>): void {
  if ((input.sourceCode === undefined) !== (input.toolchain === undefined)) throw sourceWithoutToolchain();
  input.sourceCode?.forEach((code, i) => {
    const d = code.destination ?? {};
    if ((d.codeCommit === undefined) === (d.gitHub === undefined)) throw oneDestination(i + 1);
  });
}

async function create(input: Input<'CreateProject'>, ctx: OperationContext): Promise<Output<'CreateProject'>> {
  const store = ctx.store.projects;
  const id = input.id;
  checkSource(input);
  if (await store.get(id)) throw projectAlreadyExists(id);
  if ((await store.count()) >= LIMITS.projectsPerAccount) throw accountProjectLimit();
  if (Object.keys(input.tags ?? {}).length > LIMITS.tagsPerProject) throw tagLimit(id);
  // An IAM user who creates a project becomes its Owner: the Owner policy is attached to them and they are
  // a team member. Root (and a role or federated session) has no IAM user to attach a policy to: it is
  // recorded as the project's creator only and is not a team member — root needs no policy anyway.
  const owner = ctx.principal.type === 'IAMUser' ? ctx.principal.arn : undefined;
  if (owner && (await store.countMemberships(owner)) >= LIMITS.projectsPerUser) throw userProjectLimit(owner);

  const arn = projectArn(ctx, id);
  const created = await store.create({
    id,
    arn,
    name: input.name,
    creatorArn: ctx.principal.arn,
    state: 'CreateComplete',
    createdAt: ctx.now,
    version: 1,
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.clientRequestToken !== undefined ? { clientRequestToken: input.clientRequestToken } : {}),
    ...(input.sourceCode !== undefined ? { source: { sourceCode: input.sourceCode, toolchain: input.toolchain } } : {}),
  });
  if (!created) throw projectAlreadyExists(id);
  // e.g. the policies of an earlier project with this id, deleted without deleteStack, are still there
  for (const policy of await createRolePolicies(ctx, id, arn, (e) => projectCreationFailed(id, e.message))) await store.addResource(id, policy);
  await store.putTags(id, input.tags ?? {});
  if (owner) {
    await attachRole(ctx, owner, id, 'Owner', (e) => (e.code === 'LimitExceeded' ? iamLimit(e.message) : projectCreationFailed(id, e.message)));
    await store.addMember({ projectId: id, userArn: owner, projectRole: 'Owner', remoteAccessAllowed: false });
  }
  return { id, arn, clientRequestToken: input.clientRequestToken };
}

/** deleteStack: the project's IAM resources go too — detached from the team, then deleted. */
async function deleteResources(ctx: OperationContext, id: string): Promise<void> {
  const store = ctx.store.projects;
  for (const m of await store.listMembers(id)) await detachRole(ctx, m.userArn, id, m.projectRole, (e) => projectConfiguration(id, e.message));
  for (const { arn } of await store.listResources(id)) {
    if ((await ctx.store.identities.countPolicyAttachments(arn)) > 0) throw policyInUse(arn);
    await deleteRolePolicy(ctx, arn, (e) => projectConfiguration(id, e.message));
  }
}

export const projects = {
  CreateProject: {
    readOnly: false,
    authorize: (input) => ({ resource: '*', keys: requestTags(input) }),
    handler: (input, ctx): Promise<Output<'CreateProject'>> => once(ctx, 'CreateProject', input, () => create(input, ctx)),
    resources: recordProject('id'),
  },

  DescribeProject: {
    readOnly: true,
    authorize: onProject('id'),
    async handler(input, ctx): Promise<Output<'DescribeProject'>> {
      const p = await requireProject(ctx, input.id);
      return {
        name: p.name,
        id: p.id,
        arn: p.arn,
        description: p.description,
        clientRequestToken: p.clientRequestToken,
        createdTimeStamp: p.createdAt,
        status: { state: p.state },
      };
    },
    resources: recordProject('id'),
  },

  ListProjects: {
    readOnly: true,
    authorize: anyResource,
    // Every caller sees all of the account's projects, as AWS listed them.
    async handler(input, ctx): Promise<Output<'ListProjects'>> {
      const p = await page(input, 'projects', '', (after, limit) => ctx.store.projects.list(after, limit));
      return { projects: p.items.map((x) => ({ projectId: x.id, projectArn: x.arn })), ...(p.nextToken ? { nextToken: p.nextToken } : {}) };
    },
  },

  UpdateProject: {
    readOnly: false,
    authorize: onProject('id'),
    async handler(input, ctx): Promise<Output<'UpdateProject'>> {
      await claimProject(ctx, input, input.id);
      await ctx.store.projects.update(input.id, { name: input.name, description: input.description });
      return {};
    },
    resources: recordProject('id'),
  },

  DeleteProject: {
    readOnly: false,
    authorize: onProject('id'),
    handler: (input, ctx): Promise<Output<'DeleteProject'>> =>
      once(ctx, 'DeleteProject', input, async () => {
        // The model lists no ProjectNotFoundException: deleting a project that is not there succeeds.
        if (!(await ctx.store.projects.get(input.id))) return {};
        const p = await claimProject(ctx, input, input.id);
        // Without deleteStack the project's policies stay in IAM, attached as they are (AWS kept the stack's resources).
        if (input.deleteStack === true) await deleteResources(ctx, p.id);
        await ctx.store.projects.delete(p.id);
        return { projectArn: p.arn };
      }),
    resources: recordProject('id'),
  },
} satisfies OperationDefs<Ops, 'CreateProject' | 'DescribeProject' | 'ListProjects' | 'UpdateProject' | 'DeleteProject'>;
