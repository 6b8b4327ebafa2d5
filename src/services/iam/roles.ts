/**
 * IAM roles: CreateRole, GetRole, ListRoles, DeleteRole, UpdateAssumeRolePolicy (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html ; https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
 * Trust policies are parsed as kind 'trust', capped at 2048 characters without white space, and may only
 * name users and roles that exist; documents are returned URL-encoded, as IAM does.
 */
import { roleArn } from '../../auth/principal.ts';
import type { Role } from '../../store/types.ts';
import type { OperationDefs, OperationContext } from '../types.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import { listedPath, on, roleResource, tagKeys } from './access.ts';
import { checkTrustPolicy, encodeDocument } from './documents.ts';
import { deleteConflict, entityAlreadyExists, noSuchRole } from './errors.ts';
import { pageByName, pageMembers } from './pagination.ts';
import { createdNow, tagsMember, tagsOf } from './values.ts';
import { boundaryKey, boundaryMember, boundaryOf } from './boundaries.ts';
import { roleLastUsed } from './last-used.ts';

const DEFAULT_MAX_SESSION_DURATION = 3600;

/**
 * A role as each operation returns it: CreateRole without MaxSessionDuration and RoleLastUsed, GetRole with
 * everything, ListRoles without PermissionsBoundary, Tags and RoleLastUsed (https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRoles.html:
 * "not included" in the list).
 */
export const roleOut = (r: Role, form: 'create' | 'get' | 'list', lastUsed?: { date: Date; region: string }) => ({
  Path: r.path,
  RoleName: r.roleName,
  RoleId: r.roleId,
  Arn: r.arn,
  CreateDate: r.createDate,
  AssumeRolePolicyDocument: encodeDocument(r.assumeRolePolicyDocument),
  Description: r.description,
  ...(form !== 'create' ? { MaxSessionDuration: r.maxSessionDuration } : {}),
  ...(form !== 'list' ? boundaryMember(r.permissionsBoundary) : {}),
  ...(form !== 'list' ? tagsMember(r.tags) : {}),
  ...(form === 'get' ? { RoleLastUsed: lastUsed ? { LastUsedDate: lastUsed.date, Region: lastUsed.region } : {} } : {}),
});

export async function requireRole(ctx: OperationContext, name: string): Promise<Role> {
  const r = await ctx.store.identities.getRole(name);
  if (!r) throw noSuchRole(name);
  return r;
}

const existingRole = (i: { RoleName?: string }, ctx: OperationContext) => roleResource(ctx, i.RoleName);

export const roles = {
  CreateRole: {
    readOnly: false,
    authorize: on(
      'CreateRole',
      (i, ctx) => roleArn(ctx.accountId, i.Path ?? '/', i.RoleName ?? ''),
      (i) => ({ ...tagKeys(i), ...boundaryKey(i) }),
    ),
    async handler(input, ctx): Promise<Output<'CreateRole'>> {
      const tags = tagsOf(input);
      const boundary = await boundaryOf(ctx, input.PermissionsBoundary);
      const ids = ctx.store.identities;
      await checkTrustPolicy(ctx, input.AssumeRolePolicyDocument);
      if (await ids.getRole(input.RoleName)) throw entityAlreadyExists('Role', input.RoleName);
      const path = input.Path ?? '/';
      const role: Role = {
        roleId: ctx.ids.uniqueId('AROA'),
        roleName: input.RoleName,
        path,
        arn: roleArn(ctx.accountId, path, input.RoleName),
        assumeRolePolicyDocument: input.AssumeRolePolicyDocument,
        maxSessionDuration: input.MaxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION,
        createDate: createdNow(ctx),
        tags,
        ...(input.Description !== undefined ? { description: input.Description } : {}),
        ...(boundary !== undefined ? { permissionsBoundary: boundary } : {}),
      };
      await ids.createRole(role);
      return { Role: roleOut(role, 'create') };
    },
  },

  GetRole: {
    readOnly: true,
    authorize: on('GetRole', existingRole),
    async handler(input, ctx): Promise<Output<'GetRole'>> {
      const role = await requireRole(ctx, input.RoleName);
      return { Role: roleOut(role, 'get', await roleLastUsed(ctx.store, role.arn)) };
    },
  },

  ListRoles: {
    readOnly: true,
    authorize: on('ListRoles', listedPath('role')),
    async handler(input, ctx): Promise<Output<'ListRoles'>> {
      const page = await pageByName(
        (o) => ctx.store.identities.listRoles(o),
        (r) => r.roleName,
        input,
      );
      return { Roles: page.items.map((r) => roleOut(r, 'list')), ...pageMembers(page) };
    },
  },

  DeleteRole: {
    readOnly: false,
    authorize: on('DeleteRole', existingRole),
    async handler(input, ctx): Promise<Output<'DeleteRole'>> {
      const ids = ctx.store.identities;
      const role = await requireRole(ctx, input.RoleName);
      if ((await ids.listInlinePolicies('role', role.roleName)).length) throw deleteConflict('inline');
      if ((await ids.listAttachedPolicies('role', role.roleName)).length) throw deleteConflict('attached');
      await ids.deleteRole(role.roleName);
      return {};
    },
  },

  UpdateAssumeRolePolicy: {
    readOnly: false,
    authorize: on('UpdateAssumeRolePolicy', existingRole),
    async handler(input, ctx): Promise<Output<'UpdateAssumeRolePolicy'>> {
      const role = await requireRole(ctx, input.RoleName);
      await checkTrustPolicy(ctx, input.PolicyDocument);
      await ctx.store.identities.updateRoleTrustPolicy(role.roleName, input.PolicyDocument);
      return {};
    },
  },
} satisfies OperationDefs<Ops, 'CreateRole' | 'GetRole' | 'ListRoles' | 'DeleteRole' | 'UpdateAssumeRolePolicy'>;
