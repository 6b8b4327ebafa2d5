/**
 * Who may call what (docs/organizations.md#callers): every operation but CreateOrganization needs the
 * caller's account in an organization (else AWSOrganizationsNotInUseException); all but
 * DescribeOrganization need it to be the management account (else AccessDeniedException), as the API
 * reference says of each ("This operation can be called only from the organization's management
 * account", https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html).
 * IAM authorization (`organizations:<Operation>`) is the pipeline's, before any of this.
 */
import type { Organization, OrganizationMember } from '../../store/types.ts';
import type { OperationContext } from '../types.ts';
import { settleAccountRequests } from './create-account.ts';
import { notInUse, notManagement, parentNotFound } from './errors.ts';

/** The caller's organization and membership, or AWSOrganizationsNotInUseException. */
export async function memberOf(ctx: OperationContext): Promise<{ org: Organization; member: OrganizationMember }> {
  const found = await ctx.store.organizations.ofAccount(ctx.accountId);
  if (!found) throw notInUse();
  return found;
}

/** The caller's organization when the caller is its management account; due CreateAccount requests are completed first. */
export async function managed(ctx: OperationContext): Promise<Organization> {
  const { org } = await memberOf(ctx);
  if (org.managementAccountId !== ctx.accountId) throw notManagement();
  await settleAccountRequests(ctx.store, ctx.ids, ctx.now, org.id);
  return org;
}

/** Whether `parentId` names the organization's root or one of its OUs. */
export async function parentExists(ctx: OperationContext, org: Organization, parentId: string): Promise<boolean> {
  if (parentId === org.rootId) return true;
  const ou = await ctx.store.organizations.getUnit(parentId);
  return ou !== undefined && ou.orgId === org.id;
}

/** The root or an OU of the organization, else ParentNotFoundException. */
export async function requireParent(ctx: OperationContext, org: Organization, parentId: string): Promise<void> {
  if (!(await parentExists(ctx, org, parentId))) throw parentNotFound();
}
