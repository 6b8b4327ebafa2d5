/**
 * Every AWS Organizations operation startrail serves (docs/organizations.md), each as its page of the
 * API reference describes it (https://docs.aws.amazon.com/organizations/latest/APIReference/API_<Operation>.html).
 * Authorization is `organizations:<Operation>` on `*`; who may call is context.ts's.
 */
import type { Organization as StoredOrganization, OrganizationalUnit as StoredUnit } from '../../store/types.ts';
import type { OperationContext, OperationDefs } from '../types.ts';
import { ORGANIZATION_ACCESS_ROLE } from '../../accounts/provision.ts';
import { managed, memberOf, parentExists, requireParent } from './context.ts';
import {
  accountNotFound,
  alreadyInOrganization,
  childNotFound,
  depthExceeded,
  destinationParentNotFound,
  duplicateAccount,
  duplicateUnit,
  organizationNotEmpty,
  requestNotFound,
  sourceParentNotFound,
  unitNotEmpty,
  unitNotFound,
  unrecognizedPrincipal,
} from './errors.ts';
import type { Child, Operations as Ops, Output, Parent } from './model.generated.ts';
import { page } from './paging.ts';
import { accountOut, newOrganizationId, newRequestId, newRootId, newUnitId, organizationArn, organizationOut, requestOut, rootOut, unitOut } from './shapes.ts';

/** An OU tree is at most five levels deep (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html). */
const MAX_OU_DEPTH = 5;

async function managementEmail(ctx: OperationContext, org: StoredOrganization): Promise<string> {
  return (await ctx.store.accounts.get(org.managementAccountId))?.email ?? '';
}

async function unitOf(ctx: OperationContext, org: StoredOrganization, ouId: string): Promise<StoredUnit> {
  const ou = await ctx.store.organizations.getUnit(ouId);
  if (!ou || ou.orgId !== org.id) throw unitNotFound();
  return ou;
}

/** Levels of OUs from the root down to `parentId` (the root: 0). */
async function depthOf(ctx: OperationContext, org: StoredOrganization, parentId: string): Promise<number> {
  let depth = 0;
  for (let id = parentId; id !== org.rootId && depth <= MAX_OU_DEPTH; depth++) {
    const ou = await ctx.store.organizations.getUnit(id);
    if (!ou) break;
    id = ou.parentId;
  }
  return depth;
}

async function accountsOut(ctx: OperationContext, org: StoredOrganization, parentId?: string) {
  const members = await ctx.store.organizations.listMembers(org.id, parentId !== undefined ? { parentId } : {});
  return Promise.all(members.map(async (m) => accountOut(org, m, await ctx.store.accounts.get(m.accountId))));
}

const servicePrincipal = (p: string) => {
  // a service principal is <service>.amazonaws.com (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_integrate_services_list.html)
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/.test(p)) throw unrecognizedPrincipal();
  return p;
};

export const handlers = {
  CreateOrganization: {
    readOnly: false,
    async handler(input, ctx): Promise<Output<'CreateOrganization'>> {
      if (await ctx.store.organizations.ofAccount(ctx.accountId)) throw alreadyInOrganization();
      const id = newOrganizationId();
      const org: StoredOrganization = {
        id,
        arn: organizationArn(ctx.accountId, id),
        featureSet: input.FeatureSet ?? 'ALL',
        managementAccountId: ctx.accountId,
        rootId: newRootId(),
        createdAt: ctx.now,
      };
      // the management account is listed with JoinedMethod INVITED, as AWS lists it (docs/organizations.md#accounts)
      if (!(await ctx.store.organizations.create(org, 'INVITED', ctx.now))) throw alreadyInOrganization();
      return { Organization: organizationOut(org, await managementEmail(ctx, org)) };
    },
  },

  DescribeOrganization: {
    readOnly: true,
    async handler(_input, ctx): Promise<Output<'DescribeOrganization'>> {
      // any member account may describe its organization (API_DescribeOrganization.html)
      const { org } = await memberOf(ctx);
      return { Organization: organizationOut(org, await managementEmail(ctx, org)) };
    },
  },

  DeleteOrganization: {
    readOnly: false,
    async handler(_input, ctx): Promise<Output<'DeleteOrganization'>> {
      const org = await managed(ctx);
      const members = await ctx.store.organizations.listMembers(org.id);
      if (members.some((m) => m.accountId !== org.managementAccountId)) throw organizationNotEmpty();
      await ctx.store.organizations.delete(org.id);
      return {};
    },
  },

  ListRoots: {
    readOnly: true,
    async handler(input, ctx): Promise<Output<'ListRoots'>> {
      const org = await managed(ctx);
      const p = page([rootOut(org)], input, 'ListRoots');
      return { Roots: p.items, ...(p.NextToken ? { NextToken: p.NextToken } : {}) };
    },
  },

  CreateAccount: {
    readOnly: false,
    async handler(input, ctx): Promise<Output<'CreateAccount'>> {
      const org = await managed(ctx);
      const request = {
        id: newRequestId(),
        orgId: org.id,
        accountName: input.AccountName,
        email: input.Email,
        roleName: input.RoleName ?? ORGANIZATION_ACCESS_ROLE,
        state: 'IN_PROGRESS' as const,
        requestedAt: ctx.now,
      };
      await ctx.store.organizations.createAccountRequest(request);
      return { CreateAccountStatus: requestOut(request) };
    },
  },

  DescribeCreateAccountStatus: {
    readOnly: true,
    async handler(input, ctx): Promise<Output<'DescribeCreateAccountStatus'>> {
      const org = await managed(ctx);
      const q = await ctx.store.organizations.getAccountRequest(input.CreateAccountRequestId);
      if (!q || q.orgId !== org.id) throw requestNotFound();
      return { CreateAccountStatus: requestOut(q) };
    },
  },

  ListCreateAccountStatus: {
    readOnly: true,
    async handler(input, ctx): Promise<Output<'ListCreateAccountStatus'>> {
      const org = await managed(ctx);
      const all = await ctx.store.organizations.listAccountRequests(org.id, input.States ? { states: input.States } : {});
      const p = page(all.map(requestOut), input, `ListCreateAccountStatus/${(input.States ?? []).join(',')}`);
      return { CreateAccountStatuses: p.items, ...(p.NextToken ? { NextToken: p.NextToken } : {}) };
    },
  },

  ListAccounts: {
    readOnly: true,
    async handler(input, ctx): Promise<Output<'ListAccounts'>> {
      const org = await managed(ctx);
      const p = page(await accountsOut(ctx, org), input, 'ListAccounts');
      return { Accounts: p.items, ...(p.NextToken ? { NextToken: p.NextToken } : {}) };
    },
  },

  DescribeAccount: {
    readOnly: true,
    async handler(input, ctx): Promise<Output<'DescribeAccount'>> {
      const org = await managed(ctx);
      const found = await ctx.store.organizations.ofAccount(input.AccountId);
      if (!found || found.org.id !== org.id) throw accountNotFound();
      return { Account: accountOut(org, found.member, await ctx.store.accounts.get(input.AccountId)) };
    },
  },

  ListAccountsForParent: {
    readOnly: true,
    async handler(input, ctx): Promise<Output<'ListAccountsForParent'>> {
      const org = await managed(ctx);
      await requireParent(ctx, org, input.ParentId);
      const p = page(await accountsOut(ctx, org, input.ParentId), input, `ListAccountsForParent/${input.ParentId}`);
      return { Accounts: p.items, ...(p.NextToken ? { NextToken: p.NextToken } : {}) };
    },
  },

  CreateOrganizationalUnit: {
    readOnly: false,
    async handler(input, ctx): Promise<Output<'CreateOrganizationalUnit'>> {
      const org = await managed(ctx);
      await requireParent(ctx, org, input.ParentId);
      if ((await depthOf(ctx, org, input.ParentId)) >= MAX_OU_DEPTH) throw depthExceeded();
      const ou: StoredUnit = { id: newUnitId(org.rootId), orgId: org.id, parentId: input.ParentId, name: input.Name, createdAt: ctx.now };
      if (!(await ctx.store.organizations.createUnit(ou))) throw duplicateUnit();
      return { OrganizationalUnit: unitOut(org, ou) };
    },
  },

  DescribeOrganizationalUnit: {
    readOnly: true,
    async handler(input, ctx): Promise<Output<'DescribeOrganizationalUnit'>> {
      const org = await managed(ctx);
      return { OrganizationalUnit: unitOut(org, await unitOf(ctx, org, input.OrganizationalUnitId)) };
    },
  },

  ListOrganizationalUnitsForParent: {
    readOnly: true,
    async handler(input, ctx): Promise<Output<'ListOrganizationalUnitsForParent'>> {
      const org = await managed(ctx);
      await requireParent(ctx, org, input.ParentId);
      const units = await ctx.store.organizations.listUnits(org.id, { parentId: input.ParentId });
      const p = page(
        units.map((u) => unitOut(org, u)),
        input,
        `ListOrganizationalUnitsForParent/${input.ParentId}`,
      );
      return { OrganizationalUnits: p.items, ...(p.NextToken ? { NextToken: p.NextToken } : {}) };
    },
  },

  UpdateOrganizationalUnit: {
    readOnly: false,
    async handler(input, ctx): Promise<Output<'UpdateOrganizationalUnit'>> {
      const org = await managed(ctx);
      const ou = await unitOf(ctx, org, input.OrganizationalUnitId);
      if (input.Name === undefined) return { OrganizationalUnit: unitOut(org, ou) };
      if (!(await ctx.store.organizations.renameUnit(ou.id, input.Name))) throw duplicateUnit();
      return { OrganizationalUnit: unitOut(org, { ...ou, name: input.Name }) };
    },
  },

  DeleteOrganizationalUnit: {
    readOnly: false,
    async handler(input, ctx): Promise<Output<'DeleteOrganizationalUnit'>> {
      const org = await managed(ctx);
      const ou = await unitOf(ctx, org, input.OrganizationalUnitId);
      const accounts = await ctx.store.organizations.listMembers(org.id, { parentId: ou.id });
      const units = await ctx.store.organizations.listUnits(org.id, { parentId: ou.id });
      if (accounts.length > 0 || units.length > 0) throw unitNotEmpty();
      await ctx.store.organizations.deleteUnit(ou.id);
      return {};
    },
  },

  MoveAccount: {
    readOnly: false,
    async handler(input, ctx): Promise<Output<'MoveAccount'>> {
      const org = await managed(ctx);
      const found = await ctx.store.organizations.ofAccount(input.AccountId);
      if (!found || found.org.id !== org.id) throw accountNotFound();
      if (!(await parentExists(ctx, org, input.SourceParentId))) throw sourceParentNotFound();
      if (!(await parentExists(ctx, org, input.DestinationParentId))) throw destinationParentNotFound();
      if (found.member.parentId === input.DestinationParentId) throw duplicateAccount();
      // the account is not where the call says it is
      if (found.member.parentId !== input.SourceParentId) throw sourceParentNotFound();
      await ctx.store.organizations.moveMember(input.AccountId, input.DestinationParentId);
      return {};
    },
  },

  ListParents: {
    readOnly: true,
    async handler(input, ctx): Promise<Output<'ListParents'>> {
      const org = await managed(ctx);
      let parentId: string;
      if (/^\d{12}$/.test(input.ChildId)) {
        const found = await ctx.store.organizations.ofAccount(input.ChildId);
        if (!found || found.org.id !== org.id) throw childNotFound();
        parentId = found.member.parentId;
      } else {
        const ou = await ctx.store.organizations.getUnit(input.ChildId);
        if (!ou || ou.orgId !== org.id) throw childNotFound();
        parentId = ou.parentId;
      }
      const parents: Parent[] = [{ Id: parentId, Type: parentId === org.rootId ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }];
      const p = page(parents, input, `ListParents/${input.ChildId}`);
      return { Parents: p.items, ...(p.NextToken ? { NextToken: p.NextToken } : {}) };
    },
  },

  ListChildren: {
    readOnly: true,
    async handler(input, ctx): Promise<Output<'ListChildren'>> {
      const org = await managed(ctx);
      await requireParent(ctx, org, input.ParentId);
      const children: Child[] =
        input.ChildType === 'ACCOUNT'
          ? (await ctx.store.organizations.listMembers(org.id, { parentId: input.ParentId })).map((m) => ({ Id: m.accountId, Type: 'ACCOUNT' }))
          : (await ctx.store.organizations.listUnits(org.id, { parentId: input.ParentId })).map((u) => ({ Id: u.id, Type: 'ORGANIZATIONAL_UNIT' }));
      const p = page(children, input, `ListChildren/${input.ParentId}/${input.ChildType}`);
      return { Children: p.items, ...(p.NextToken ? { NextToken: p.NextToken } : {}) };
    },
  },

  EnableAWSServiceAccess: {
    readOnly: false,
    async handler(input, ctx): Promise<Output<'EnableAWSServiceAccess'>> {
      const org = await managed(ctx);
      await ctx.store.organizations.enableServiceAccess(org.id, servicePrincipal(input.ServicePrincipal), ctx.now);
      return {};
    },
  },

  DisableAWSServiceAccess: {
    readOnly: false,
    async handler(input, ctx): Promise<Output<'DisableAWSServiceAccess'>> {
      const org = await managed(ctx);
      await ctx.store.organizations.disableServiceAccess(org.id, servicePrincipal(input.ServicePrincipal));
      return {};
    },
  },

  ListAWSServiceAccessForOrganization: {
    readOnly: true,
    async handler(input, ctx): Promise<Output<'ListAWSServiceAccessForOrganization'>> {
      const org = await managed(ctx);
      const all = (await ctx.store.organizations.listServiceAccess(org.id)).map((s) => ({ ServicePrincipal: s.servicePrincipal, DateEnabled: s.enabledAt }));
      const p = page(all, input, 'ListAWSServiceAccessForOrganization');
      return { EnabledServicePrincipals: p.items, ...(p.NextToken ? { NextToken: p.NextToken } : {}) };
    },
  },
} satisfies OperationDefs<Ops>;
