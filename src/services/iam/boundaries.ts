/**
 * Permissions boundaries of users and roles (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html):
 * Put/Delete{User,Role}PermissionsBoundary, and the PermissionsBoundary member of CreateUser/CreateRole.
 * A boundary is a managed policy (AWS managed or this account's) that caps what the identity's own
 * policies can allow (auth/authorize.ts). It is shown by GetUser/GetRole, not by the List operations,
 * and counted in the policy's PermissionsBoundaryUsageCount; a policy in use as a boundary cannot be
 * deleted. Calls that set or remove one carry the condition key iam:PermissionsBoundary
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html).
 */
import type { OperationDefs, OperationContext } from '../types.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import { on, roleResource, userResource } from './access.ts';
import { policyNotAttachable } from './errors.ts';
import { findPolicy } from './policies.ts';
import { requireRole } from './roles.ts';
import { requireUser } from './users.ts';

/** The boundary's ARN after checking that the policy exists; undefined when none is asked for. */
export async function boundaryOf(ctx: OperationContext, arn: string | undefined): Promise<string | undefined> {
  if (arn === undefined) return undefined;
  if (!(await findPolicy(ctx, arn))) throw policyNotAttachable(arn);
  return arn;
}

/** The PermissionsBoundary member of a user or role as Get* shows it. */
export const boundaryMember = (arn: string | undefined) =>
  arn === undefined ? {} : { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy' as const, PermissionsBoundaryArn: arn } };

/** Condition keys of a call that sets a boundary. */
export const boundaryKey = (i: { PermissionsBoundary?: string }) =>
  i.PermissionsBoundary !== undefined ? { 'iam:PermissionsBoundary': i.PermissionsBoundary } : undefined;

export const boundaries = {
  PutUserPermissionsBoundary: {
    readOnly: false,
    authorize: on('PutUserPermissionsBoundary', (i, ctx) => userResource(ctx, i.UserName), boundaryKey),
    async handler(input, ctx): Promise<Output<'PutUserPermissionsBoundary'>> {
      const user = await requireUser(ctx, input.UserName);
      await ctx.store.identities.setPermissionsBoundary('user', user.userName, (await boundaryOf(ctx, input.PermissionsBoundary)) ?? null);
      return {};
    },
  },
  DeleteUserPermissionsBoundary: {
    readOnly: false,
    authorize: on('DeleteUserPermissionsBoundary', (i, ctx) => userResource(ctx, i.UserName)),
    async handler(input, ctx): Promise<Output<'DeleteUserPermissionsBoundary'>> {
      const user = await requireUser(ctx, input.UserName);
      await ctx.store.identities.setPermissionsBoundary('user', user.userName, null);
      return {};
    },
  },
  PutRolePermissionsBoundary: {
    readOnly: false,
    authorize: on('PutRolePermissionsBoundary', (i, ctx) => roleResource(ctx, i.RoleName), boundaryKey),
    async handler(input, ctx): Promise<Output<'PutRolePermissionsBoundary'>> {
      const role = await requireRole(ctx, input.RoleName);
      await ctx.store.identities.setPermissionsBoundary('role', role.roleName, (await boundaryOf(ctx, input.PermissionsBoundary)) ?? null);
      return {};
    },
  },
  DeleteRolePermissionsBoundary: {
    readOnly: false,
    authorize: on('DeleteRolePermissionsBoundary', (i, ctx) => roleResource(ctx, i.RoleName)),
    async handler(input, ctx): Promise<Output<'DeleteRolePermissionsBoundary'>> {
      const role = await requireRole(ctx, input.RoleName);
      await ctx.store.identities.setPermissionsBoundary('role', role.roleName, null);
      return {};
    },
  },
} satisfies OperationDefs<Ops, 'PutUserPermissionsBoundary' | 'DeleteUserPermissionsBoundary' | 'PutRolePermissionsBoundary' | 'DeleteRolePermissionsBoundary'>;
