/**
 * Versions of customer managed policies: CreatePolicyVersion, DeletePolicyVersion, ListPolicyVersions,
 * SetDefaultPolicyVersion, and ListEntitiesForPolicy
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html): at most 5
 * versions, ids v1, v2, … never reused, the default version's document is the policy's; the default
 * cannot be deleted (make another the default first); AWS managed policies cannot be changed from an
 * account. GetPolicyVersion lives with the policies (managed-policies.ts).
 */
import type { PrincipalKind } from '../../store/types.ts';
import type { OperationDefs, OperationContext } from '../types.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import { on } from './access.ts';
import { parseDocument, policySize, QUOTAS } from './documents.ts';
import { awsManagedReadOnly, deleteConflict, limitExceeded, noSuchPolicyVersion, policyVersionsLimit } from './errors.ts';
import { pageMembers, pageOf } from './pagination.ts';
import { requirePolicy } from './policies.ts';
import { createdNow, underPath } from './values.ts';

const MAX_VERSIONS = 5;
const byPolicyArn = (i: { PolicyArn?: string }) => i.PolicyArn ?? '';

/** A customer managed policy this account may change. */
async function ownPolicy(ctx: OperationContext, arn: string, action: string) {
  const p = await requirePolicy(ctx, arn);
  if (p.awsManaged) throw awsManagedReadOnly(ctx.principal.arn, action, p.arn);
  return p;
}

export const policyVersions = {
  CreatePolicyVersion: {
    readOnly: false,
    authorize: on('CreatePolicyVersion', byPolicyArn),
    async handler(input, ctx): Promise<Output<'CreatePolicyVersion'>> {
      const p = await ownPolicy(ctx, input.PolicyArn, 'iam:CreatePolicyVersion');
      parseDocument(input.PolicyDocument, 'identity', true);
      if (policySize(input.PolicyDocument) > QUOTAS.managedPolicy) throw limitExceeded('PolicySize', QUOTAS.managedPolicy);
      const ids = ctx.store.identities;
      if ((await ids.listPolicyVersions(p.arn)).length >= MAX_VERSIONS) throw policyVersionsLimit();
      const created = createdNow(ctx);
      const setAsDefault = input.SetAsDefault === true;
      const versionId = await ids.addPolicyVersion(p.arn, input.PolicyDocument, created, setAsDefault);
      return { PolicyVersion: { VersionId: versionId, IsDefaultVersion: setAsDefault, CreateDate: created } };
    },
  },

  DeletePolicyVersion: {
    readOnly: false,
    authorize: on('DeletePolicyVersion', byPolicyArn),
    async handler(input, ctx): Promise<Output<'DeletePolicyVersion'>> {
      const p = await ownPolicy(ctx, input.PolicyArn, 'iam:DeletePolicyVersion');
      const ids = ctx.store.identities;
      if (!(await ids.listPolicyVersions(p.arn)).some((v) => v.versionId === input.VersionId)) throw noSuchPolicyVersion(p.arn, input.VersionId);
      if (input.VersionId === p.defaultVersionId) throw deleteConflict('defaultVersion');
      await ids.deletePolicyVersion(p.arn, input.VersionId);
      return {};
    },
  },

  ListPolicyVersions: {
    readOnly: true,
    authorize: on('ListPolicyVersions', byPolicyArn),
    async handler(input, ctx): Promise<Output<'ListPolicyVersions'>> {
      const p = await requirePolicy(ctx, input.PolicyArn);
      const versions = p.awsManaged ? [{ versionId: p.defaultVersionId, createDate: p.updateDate }] : await ctx.store.identities.listPolicyVersions(p.arn);
      // newest first, as listed; the marker is the version's number, zero-padded so it sorts
      const key = (v: { versionId: string }) => String(1e9 - Number(v.versionId.slice(1))).padStart(10, '0');
      const page = pageOf(versions, key, input);
      return {
        Versions: page.items.map((v) => ({ VersionId: v.versionId, IsDefaultVersion: v.versionId === p.defaultVersionId, CreateDate: v.createDate })),
        ...pageMembers(page),
      };
    },
  },

  SetDefaultPolicyVersion: {
    readOnly: false,
    authorize: on('SetDefaultPolicyVersion', byPolicyArn),
    async handler(input, ctx): Promise<Output<'SetDefaultPolicyVersion'>> {
      const p = await ownPolicy(ctx, input.PolicyArn, 'iam:SetDefaultPolicyVersion');
      const ids = ctx.store.identities;
      if (!(await ids.listPolicyVersions(p.arn)).some((v) => v.versionId === input.VersionId)) throw noSuchPolicyVersion(p.arn, input.VersionId);
      await ids.setDefaultPolicyVersion(p.arn, input.VersionId);
      return {};
    },
  },

  ListEntitiesForPolicy: {
    readOnly: true,
    authorize: on('ListEntitiesForPolicy', byPolicyArn),
    async handler(input, ctx): Promise<Output<'ListEntitiesForPolicy'>> {
      const p = await requirePolicy(ctx, input.PolicyArn);
      const ids = ctx.store.identities;
      const uses = await ids.listPolicyUses(p.arn);
      const usage = input.PolicyUsageFilter;
      const named: { kind: PrincipalKind; name: string }[] = [
        ...(usage === 'PermissionsBoundary' ? [] : uses.attached),
        ...(usage === 'PermissionsPolicy' ? [] : uses.boundaryOf),
      ];
      // EntityFilter User, Role or Group keeps that kind; the policy kinds filter nothing here
      const only = ({ User: 'user', Role: 'role', Group: 'group' } as const)[input.EntityFilter as 'User' | 'Role' | 'Group'];
      const users: { UserName: string; UserId: string }[] = [];
      const roles: { RoleName: string; RoleId: string }[] = [];
      const groups: { GroupName: string; GroupId: string }[] = [];
      for (const { kind, name } of named) {
        if (only && kind !== only) continue;
        if (kind === 'user') {
          const u = await ids.getUser(name);
          if (u && underPath(u.path, input.PathPrefix) && !users.some((x) => x.UserId === u.userId)) users.push({ UserName: u.userName, UserId: u.userId });
        } else if (kind === 'role') {
          const r = await ids.getRole(name);
          if (r && underPath(r.path, input.PathPrefix) && !roles.some((x) => x.RoleId === r.roleId)) roles.push({ RoleName: r.roleName, RoleId: r.roleId });
        } else {
          const g = await ids.getGroup(name);
          if (g && underPath(g.path, input.PathPrefix)) groups.push({ GroupName: g.groupName, GroupId: g.groupId });
        }
      }
      // one page over the three lists together: groups, then users, then roles, each by name
      const all = [
        ...groups.map((g) => ({ key: `1\n${g.GroupName.toLowerCase()}`, g })),
        ...users.map((u) => ({ key: `2\n${u.UserName.toLowerCase()}`, u })),
        ...roles.map((r) => ({ key: `3\n${r.RoleName.toLowerCase()}`, r })),
      ];
      const page = pageOf(all, (e) => e.key, input);
      return {
        PolicyGroups: page.items.flatMap((e) => ('g' in e ? [e.g] : [])),
        PolicyUsers: page.items.flatMap((e) => ('u' in e ? [e.u] : [])),
        PolicyRoles: page.items.flatMap((e) => ('r' in e ? [e.r] : [])),
        ...pageMembers(page),
      };
    },
  },
} satisfies OperationDefs<Ops, 'CreatePolicyVersion' | 'DeletePolicyVersion' | 'ListPolicyVersions' | 'SetDefaultPolicyVersion' | 'ListEntitiesForPolicy'>;
