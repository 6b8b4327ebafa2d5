/**
 * IAM groups: CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup, AddUserToGroup,
 * RemoveUserFromGroup, ListGroupsForUser (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups.html ;
 * actions and resources: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html ;
 * quotas: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html — 300 groups per account, 10 groups
 * per user). A group's inline and attached policies apply to every member (auth/authorize.ts). Adding a
 * member twice, or removing a user who is not a member, succeeds and changes nothing, as on AWS.
 */
import type { Group } from '../../store/types.ts';
import type { OperationDefs, OperationContext } from '../types.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import { groupResource, listedPath, on, userResource } from './access.ts';
import { QUOTAS } from './documents.ts';
import { deleteConflict, entityAlreadyExists, limitExceeded } from './errors.ts';
import { groupArn, requireGroup } from './group-lookup.ts';
import { pageByName, pageMembers, pageOf } from './pagination.ts';
import { requireUser, userOut } from './users.ts';
import { createdNow } from './values.ts';

export const groupOut = (g: Group) => ({ Path: g.path, GroupName: g.groupName, GroupId: g.groupId, Arn: g.arn, CreateDate: g.createDate });

const existingGroup = (i: { GroupName?: string }, ctx: OperationContext) => groupResource(ctx, i.GroupName);

export const groups = {
  CreateGroup: {
    readOnly: false,
    authorize: on('CreateGroup', (i, ctx) => groupArn(ctx.accountId, i.Path ?? '/', i.GroupName ?? '')),
    async handler(input, ctx): Promise<Output<'CreateGroup'>> {
      const ids = ctx.store.identities;
      if (await ids.getGroup(input.GroupName)) throw entityAlreadyExists('Group', input.GroupName);
      if ((await ids.listGroups({ limit: QUOTAS.groupsPerAccount })).length >= QUOTAS.groupsPerAccount)
        throw limitExceeded('GroupsPerAccount', QUOTAS.groupsPerAccount);
      const path = input.Path ?? '/';
      const group: Group = {
        groupId: ctx.ids.uniqueId('AGPA'),
        groupName: input.GroupName,
        path,
        arn: groupArn(ctx.accountId, path, input.GroupName),
        createDate: createdNow(ctx),
      };
      await ids.createGroup(group);
      return { Group: groupOut(group) };
    },
  },

  GetGroup: {
    readOnly: true,
    authorize: on('GetGroup', existingGroup),
    async handler(input, ctx): Promise<Output<'GetGroup'>> {
      const group = await requireGroup(ctx, input.GroupName);
      const members = await ctx.store.identities.listGroupMembers(group.groupName);
      const page = pageOf(members, (u) => u.userName.toLowerCase(), input);
      return { Group: groupOut(group), Users: page.items.map((u) => userOut(u, false)), ...pageMembers(page) };
    },
  },

  ListGroups: {
    readOnly: true,
    authorize: on('ListGroups', listedPath('group')),
    async handler(input, ctx): Promise<Output<'ListGroups'>> {
      const page = await pageByName(
        (o) => ctx.store.identities.listGroups(o),
        (g) => g.groupName,
        input,
      );
      return { Groups: page.items.map(groupOut), ...pageMembers(page) };
    },
  },

  UpdateGroup: {
    readOnly: false,
    // Renaming or moving needs the permission on the group as it is and as it will be (API_UpdateGroup).
    authorize: on('UpdateGroup', async (i, ctx) => {
      const arn = await groupResource(ctx, i.GroupName);
      const current = await ctx.store.identities.getGroup(i.GroupName ?? '');
      const renamed = groupArn(ctx.accountId, i.NewPath ?? current?.path ?? '/', i.NewGroupName ?? current?.groupName ?? i.GroupName ?? '');
      return renamed === arn ? arn : [arn, renamed];
    }),
    async handler(input, ctx): Promise<Output<'UpdateGroup'>> {
      const ids = ctx.store.identities;
      const group = await requireGroup(ctx, input.GroupName);
      const name = input.NewGroupName ?? group.groupName;
      const path = input.NewPath ?? group.path;
      if (name.toLowerCase() !== group.groupName.toLowerCase() && (await ids.getGroup(name))) throw entityAlreadyExists('Group', name);
      await ids.updateGroup(group.groupName, { groupName: name, path, arn: groupArn(ctx.accountId, path, name) });
      return {};
    },
  },

  DeleteGroup: {
    readOnly: false,
    authorize: on('DeleteGroup', existingGroup),
    async handler(input, ctx): Promise<Output<'DeleteGroup'>> {
      const ids = ctx.store.identities;
      const group = await requireGroup(ctx, input.GroupName);
      if ((await ids.listGroupMembers(group.groupName)).length) throw deleteConflict('groupMembers');
      if ((await ids.listInlinePolicies('group', group.groupName)).length) throw deleteConflict('inline');
      if ((await ids.listAttachedPolicies('group', group.groupName)).length) throw deleteConflict('attached');
      await ids.deleteGroup(group.groupName);
      return {};
    },
  },

  AddUserToGroup: {
    readOnly: false,
    authorize: on('AddUserToGroup', existingGroup),
    async handler(input, ctx): Promise<Output<'AddUserToGroup'>> {
      const ids = ctx.store.identities;
      const group = await requireGroup(ctx, input.GroupName);
      const user = await requireUser(ctx, input.UserName);
      const current = await ids.listGroupsForUser(user.userName);
      if (current.some((g) => g.groupId === group.groupId)) return {};
      if (current.length >= QUOTAS.groupsPerUser) throw limitExceeded('GroupsPerUser', QUOTAS.groupsPerUser);
      await ids.addUserToGroup(group.groupName, user.userName, ctx.now);
      return {};
    },
  },

  RemoveUserFromGroup: {
    readOnly: false,
    authorize: on('RemoveUserFromGroup', existingGroup),
    async handler(input, ctx): Promise<Output<'RemoveUserFromGroup'>> {
      const group = await requireGroup(ctx, input.GroupName);
      const user = await requireUser(ctx, input.UserName);
      await ctx.store.identities.removeUserFromGroup(group.groupName, user.userName);
      return {};
    },
  },

  ListGroupsForUser: {
    readOnly: true,
    authorize: on('ListGroupsForUser', (i, ctx) => userResource(ctx, i.UserName)),
    async handler(input, ctx): Promise<Output<'ListGroupsForUser'>> {
      const user = await requireUser(ctx, input.UserName);
      const page = pageOf(await ctx.store.identities.listGroupsForUser(user.userName), (g) => g.groupName.toLowerCase(), input);
      return { Groups: page.items.map(groupOut), ...pageMembers(page) };
    },
  },
} satisfies OperationDefs<
  Ops,
  'CreateGroup' | 'GetGroup' | 'ListGroups' | 'UpdateGroup' | 'DeleteGroup' | 'AddUserToGroup' | 'RemoveUserFromGroup' | 'ListGroupsForUser'
>;
