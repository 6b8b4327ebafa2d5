/**
 * Team members: AssociateTeamMember, UpdateTeamMember, DisassociateTeamMember, ListTeamMembers
 * (https://docs.aws.amazon.com/codestar/latest/userguide/working-with-teams.html, limits). A member's role is the CodeStar_<id>_<Role> policy
 * attached to the IAM user; associating attaches it, changing the role swaps it, disassociating detaches it.
 */
import type { AwsError } from '../../errors/aws-error.ts';
import type { ProjectRole, TeamMember } from '../../store/types.ts';
import type { OperationDefs, OperationContext } from '../types.ts';
import type { Input, Operations as Ops, Output } from './model.generated.ts';
import { claimProject, onProject, recordProject, requireProject } from './access.ts';
import {
  iamLimit,
  LIMITS,
  memberLimit,
  noSuchUser,
  otherAccount,
  ownRoleDenied,
  projectConfiguration,
  teamMemberAlreadyAssociated,
  teamMemberNotFound,
  userProjectLimit,
} from './errors.ts';
import { once } from './idempotency.ts';
import { page } from './pagination.ts';
import { attachRole, detachRole, userNameOf } from './policies.ts';

/** The validator has matched the model's pattern, (Owner|Contributor|Viewer). */
const roleOf = (role: string) => role as ProjectRole;

/** The userArn must be an IAM user of this account, named exactly (ARNs are case-sensitive). */
export async function requireIamUser(ctx: OperationContext, userArn: string): Promise<void> {
  if (userArn.split(':')[4] !== ctx.accountId) throw otherAccount(userArn);
  const user = await ctx.store.identities.getUser(userNameOf(userArn));
  if (!user || user.arn !== userArn) throw noSuchUser(userArn);
}

/** IAM's refusals while changing a member's policies: its quota is a limit, anything else a broken project. */
const iamRefused = (projectId: string) => (e: AwsError) => (e.code === 'LimitExceeded' ? iamLimit(e.message) : projectConfiguration(projectId, e.message));

const memberOut = (m: TeamMember) => ({ userArn: m.userArn, projectRole: m.projectRole, remoteAccessAllowed: m.remoteAccessAllowed });

async function associate(input: Input<'AssociateTeamMember'>, ctx: OperationContext): Promise<Output<'AssociateTeamMember'>> {
  const store = ctx.store.projects;
  const p = await claimProject(ctx, input, input.projectId);
  const userArn = input.userArn;
  await requireIamUser(ctx, userArn);
  const existing = await store.getMember(p.id, userArn);
  if (existing) throw teamMemberAlreadyAssociated(userArn, p.id, existing.projectRole);
  if ((await store.countMembers(p.id)) >= LIMITS.membersPerProject) throw memberLimit(p.id);
  if ((await store.countMemberships(userArn)) >= LIMITS.projectsPerUser) throw userProjectLimit(userArn);
  const projectRole = roleOf(input.projectRole);
  await attachRole(ctx, userArn, p.id, projectRole, iamRefused(p.id));
  await store.addMember({ projectId: p.id, userArn, projectRole, remoteAccessAllowed: input.remoteAccessAllowed === true });
  return { clientRequestToken: input.clientRequestToken };
}

export const teamMembers = {
  AssociateTeamMember: {
    readOnly: false,
    authorize: onProject('projectId'),
    handler: (input, ctx): Promise<Output<'AssociateTeamMember'>> => once(ctx, 'AssociateTeamMember', input, () => associate(input, ctx)),
    resources: recordProject('projectId'),
  },

  UpdateTeamMember: {
    readOnly: false,
    authorize: onProject('projectId'),
    async handler(input, ctx): Promise<Output<'UpdateTeamMember'>> {
      const p = await claimProject(ctx, input, input.projectId);
      const m = await ctx.store.projects.getMember(p.id, input.userArn);
      if (!m) throw teamMemberNotFound(input.userArn, p.id);
      const role = input.projectRole === undefined ? m.projectRole : roleOf(input.projectRole);
      // Whatever else the caller's policies allow, a member who is not an Owner cannot change their own role.
      if (role !== m.projectRole && m.projectRole !== 'Owner' && ctx.principal.type === 'IAMUser' && ctx.principal.arn === m.userArn)
        throw ownRoleDenied(ctx.principal.arn, p.arn);
      if (role !== m.projectRole) {
        await detachRole(ctx, m.userArn, p.id, m.projectRole, iamRefused(p.id));
        await attachRole(ctx, m.userArn, p.id, role, iamRefused(p.id));
      }
      const updated: TeamMember = { ...m, projectRole: role, remoteAccessAllowed: input.remoteAccessAllowed ?? m.remoteAccessAllowed };
      await ctx.store.projects.updateMember(updated);
      return memberOut(updated);
    },
    resources: recordProject('projectId'),
  },

  DisassociateTeamMember: {
    readOnly: false,
    authorize: onProject('projectId'),
    // The model lists no TeamMemberNotFoundException here: removing a user who is not on the team succeeds.
    async handler(input, ctx): Promise<Output<'DisassociateTeamMember'>> {
      const p = await claimProject(ctx, input, input.projectId);
      const m = await ctx.store.projects.getMember(p.id, input.userArn);
      if (m) {
        await detachRole(ctx, m.userArn, p.id, m.projectRole, iamRefused(p.id));
        await ctx.store.projects.removeMember(p.id, m.userArn);
      }
      return {};
    },
    resources: recordProject('projectId'),
  },

  ListTeamMembers: {
    readOnly: true,
    authorize: onProject('projectId'),
    async handler(input, ctx): Promise<Output<'ListTeamMembers'>> {
      const p = await requireProject(ctx, input.projectId);
      const r = await page(input, 'teamMembers', p.id, (after, limit) => ctx.store.projects.listMembers(p.id, after, limit));
      return { teamMembers: r.items.map(memberOut), ...(r.nextToken ? { nextToken: r.nextToken } : {}) };
    },
    resources: recordProject('projectId'),
  },
} satisfies OperationDefs<Ops, 'AssociateTeamMember' | 'UpdateTeamMember' | 'DisassociateTeamMember' | 'ListTeamMembers'>;
