/**
 * GetAccountAuthorizationDetails (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html):
 * every user, group and role with their inline policies, attached policies, groups, boundaries and
 * tags, and the managed policies with all their versions — what audit tools read to map an account's
 * permissions. `Filter` picks the kinds (User, Role, Group, LocalManagedPolicy, AWSManagedPolicy);
 * AWS managed policies are listed only when something uses them. Documents are URL-encoded, as IAM
 * returns them. One page runs over users, then groups, then roles, then policies, each by name.
 */
import type { ManagedPolicy, PrincipalKind } from '../../store/types.ts';
import type { OperationDefs, OperationContext } from '../types.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import { anyResource, on } from './access.ts';
import { boundaryMember } from './boundaries.ts';
import { encodeDocument } from './documents.ts';
import { roleLastUsed } from './last-used.ts';
import { pageMembers, pageOf } from './pagination.ts';
import { AWS_MANAGED } from './policies.ts';
import { tagsMember } from './values.ts';

type Output_ = Output<'GetAccountAuthorizationDetails'>;
type Item =
  | { key: string; user: NonNullable<Output_['UserDetailList']>[number] }
  | { key: string; group: NonNullable<Output_['GroupDetailList']>[number] }
  | { key: string; role: NonNullable<Output_['RoleDetailList']>[number] }
  | { key: string; policy: NonNullable<Output_['Policies']>[number] };

async function ownedPolicies(ctx: OperationContext, kind: PrincipalKind, name: string) {
  const ids = ctx.store.identities;
  const inline = (await ids.listInlinePolicies(kind, name)).map((p) => ({ PolicyName: p.policyName, PolicyDocument: encodeDocument(p.document) }));
  const attached = (await ids.listAttachedPolicies(kind, name)).map((arn) => ({ PolicyName: arn.slice(arn.lastIndexOf('/') + 1), PolicyArn: arn }));
  return { inline, attached };
}

async function all<T>(list: (o: { after?: string; limit: number }) => Promise<T[]>, name: (t: T) => string): Promise<T[]> {
  const out: T[] = [];
  for (let after: string | undefined; ; ) {
    const page = await list({ limit: 500, ...(after ? { after } : {}) });
    out.push(...page);
    const last = page[page.length - 1];
    if (page.length < 500 || !last) return out;
    after = name(last);
  }
}

export const authorizationDetails = {
  GetAccountAuthorizationDetails: {
    readOnly: true,
    authorize: on('GetAccountAuthorizationDetails', anyResource),
    async handler(input, ctx): Promise<Output<'GetAccountAuthorizationDetails'>> {
      const ids = ctx.store.identities;
      const filter = new Set(input.Filter?.length ? input.Filter : ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy']);
      const items: Item[] = [];
      if (filter.has('User')) {
        for (const u of await all(
          (o) => ids.listUsers(o),
          (x) => x.userName,
        )) {
          const { inline, attached } = await ownedPolicies(ctx, 'user', u.userName);
          items.push({
            key: `1\n${u.userName.toLowerCase()}`,
            user: {
              Path: u.path,
              UserName: u.userName,
              UserId: u.userId,
              Arn: u.arn,
              CreateDate: u.createDate,
              UserPolicyList: inline,
              GroupList: (await ids.listGroupsForUser(u.userName)).map((g) => g.groupName),
              AttachedManagedPolicies: attached,
              ...boundaryMember(u.permissionsBoundary),
              ...tagsMember(u.tags),
            },
          });
        }
      }
      if (filter.has('Group')) {
        for (const g of await all(
          (o) => ids.listGroups(o),
          (x) => x.groupName,
        )) {
          const { inline, attached } = await ownedPolicies(ctx, 'group', g.groupName);
          items.push({
            key: `2\n${g.groupName.toLowerCase()}`,
            group: {
              Path: g.path,
              GroupName: g.groupName,
              GroupId: g.groupId,
              Arn: g.arn,
              CreateDate: g.createDate,
              GroupPolicyList: inline,
              AttachedManagedPolicies: attached,
            },
          });
        }
      }
      if (filter.has('Role')) {
        for (const r of await all(
          (o) => ids.listRoles(o),
          (x) => x.roleName,
        )) {
          const { inline, attached } = await ownedPolicies(ctx, 'role', r.roleName);
          const used = await roleLastUsed(ctx.store, r.arn);
          items.push({
            key: `3\n${r.roleName.toLowerCase()}`,
            role: {
              Path: r.path,
              RoleName: r.roleName,
              RoleId: r.roleId,
              Arn: r.arn,
              CreateDate: r.createDate,
              AssumeRolePolicyDocument: encodeDocument(r.assumeRolePolicyDocument),
              InstanceProfileList: [],
              RolePolicyList: inline,
              AttachedManagedPolicies: attached,
              ...boundaryMember(r.permissionsBoundary),
              ...tagsMember(r.tags),
              RoleLastUsed: used ? { LastUsedDate: used.date, Region: used.region } : {},
            },
          });
        }
      }
      const policies: ManagedPolicy[] = [];
      if (filter.has('LocalManagedPolicy')) policies.push(...(await ids.listManagedPolicies({})));
      if (filter.has('AWSManagedPolicy')) {
        for (const p of AWS_MANAGED) if ((await ids.countPolicyAttachments(p.arn)) + (await ids.countBoundaryUses(p.arn)) > 0) policies.push(p);
      }
      for (const p of policies) {
        const versions = p.awsManaged
          ? [{ versionId: p.defaultVersionId, document: p.document, createDate: p.updateDate }]
          : await ids.listPolicyVersions(p.arn);
        items.push({
          key: `4\n${p.policyName.toLowerCase()}\n${p.arn}`,
          policy: {
            PolicyName: p.policyName,
            PolicyId: p.policyId,
            Arn: p.arn,
            Path: p.path,
            DefaultVersionId: p.defaultVersionId,
            AttachmentCount: await ids.countPolicyAttachments(p.arn),
            PermissionsBoundaryUsageCount: await ids.countBoundaryUses(p.arn),
            IsAttachable: true,
            ...(p.description !== undefined ? { Description: p.description } : {}),
            CreateDate: p.createDate,
            UpdateDate: p.updateDate,
            PolicyVersionList: versions.map((v) => ({
              Document: encodeDocument(v.document),
              VersionId: v.versionId,
              IsDefaultVersion: v.versionId === p.defaultVersionId,
              CreateDate: v.createDate,
            })),
          },
        });
      }
      const page = pageOf(items, (i) => i.key, input);
      return {
        UserDetailList: page.items.flatMap((i) => ('user' in i ? [i.user] : [])),
        GroupDetailList: page.items.flatMap((i) => ('group' in i ? [i.group] : [])),
        RoleDetailList: page.items.flatMap((i) => ('role' in i ? [i.role] : [])),
        Policies: page.items.flatMap((i) => ('policy' in i ? [i.policy] : [])),
        ...pageMembers(page),
      };
    },
  },
} satisfies OperationDefs<Ops, 'GetAccountAuthorizationDetails'>;
