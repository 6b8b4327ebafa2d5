/**
 * Managed policies attached to users, roles and groups: Attach/Detach/ListAttached<Owner>Policies, built once for
 * every owner (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html: authorized on the owner with condition key iam:PolicyARN; quotas (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): 10 per user,
 * 10 per role, 10 per group; an unknown policy is NoSuchEntity "Policy <arn> does not exist or is not attachable.").
 */
import type { OperationDefs, OperationContext } from '../types.ts';
import type { Operations as Ops } from './model.generated.ts';
import { forOwner, type Named, ownerNamed, type Owner, type OwnerOutput } from './owners.ts';
import { groupResource, on, roleResource, userResource } from './access.ts';
import { QUOTAS } from './documents.ts';
import { limitExceeded, policyNotAttachable, policyNotFound } from './errors.ts';
import { pageMembers, pageOf } from './pagination.ts';
import { checkPolicyArn, findPolicy } from './policies.ts';
import { requireGroup } from './group-lookup.ts';
import { requireRole } from './roles.ts';
import { requireUser } from './users.ts';
import { underPath } from './values.ts';

const OWNER = {
  User: {
    kind: 'user',
    param: 'UserName',
    quota: 'PoliciesPerUser',
    max: QUOTAS.policiesPerUser,
    resource: userResource,
    name: async (ctx: OperationContext, n: string) => (await requireUser(ctx, n)).userName,
  },
  Role: {
    kind: 'role',
    param: 'RoleName',
    quota: 'PoliciesPerRole',
    max: QUOTAS.policiesPerRole,
    resource: roleResource,
    name: async (ctx: OperationContext, n: string) => (await requireRole(ctx, n)).roleName,
  },
  Group: {
    kind: 'group',
    param: 'GroupName',
    quota: 'PoliciesPerGroup',
    max: QUOTAS.policiesPerGroup,
    resource: groupResource,
    name: async (ctx: OperationContext, n: string) => (await requireGroup(ctx, n)).groupName,
  },
} as const;

function attachmentOperations<W extends Owner>(owner: W) {
  const o = OWNER[owner];
  const ownerResource = (i: Named & { PolicyArn?: string }, ctx: OperationContext) => o.resource(ctx, ownerNamed(i));
  const policyKey = (i: { PolicyArn?: string }) => ({ 'iam:PolicyARN': i.PolicyArn });
  const ownerName = (input: Named, ctx: OperationContext) => o.name(ctx, ownerNamed(input));

  return forOwner<W, 'attach' | 'detach' | 'listAttached'>({
    attach: {
      readOnly: false,
      authorize: on(`Attach${owner}Policy`, ownerResource, policyKey),
      async handler(input, ctx): Promise<OwnerOutput<'attach'>> {
        const name = await ownerName(input, ctx);
        const policy = await findPolicy(ctx, input.PolicyArn);
        if (!policy) throw policyNotAttachable(input.PolicyArn);
        const attached = await ctx.store.identities.listAttachedPolicies(o.kind, name);
        if (attached.includes(policy.arn)) return {};
        if (attached.length >= o.max) throw limitExceeded(o.quota, o.max);
        await ctx.store.identities.attachPolicy(o.kind, name, policy.arn);
        return {};
      },
    },
    detach: {
      readOnly: false,
      authorize: on(`Detach${owner}Policy`, ownerResource, policyKey),
      async handler(input, ctx): Promise<OwnerOutput<'detach'>> {
        const name = await ownerName(input, ctx);
        checkPolicyArn(input.PolicyArn);
        const attached = await ctx.store.identities.listAttachedPolicies(o.kind, name);
        if (!attached.includes(input.PolicyArn)) throw policyNotFound(input.PolicyArn);
        await ctx.store.identities.detachPolicy(o.kind, name, input.PolicyArn);
        return {};
      },
    },
    listAttached: {
      readOnly: true,
      authorize: on(`ListAttached${owner}Policies`, ownerResource),
      async handler(input, ctx): Promise<OwnerOutput<'listAttached'>> {
        const name = await ownerName(input, ctx);
        const policies = [];
        for (const arn of await ctx.store.identities.listAttachedPolicies(o.kind, name)) {
          const p = await findPolicy(ctx, arn);
          if (p && underPath(p.path, input.PathPrefix)) policies.push({ PolicyName: p.policyName, PolicyArn: p.arn });
        }
        const page = pageOf(policies, (p) => `${p.PolicyName.toLowerCase()}\n${p.PolicyArn}`, input);
        return { AttachedPolicies: page.items, ...pageMembers(page) };
      },
    },
  });
}

const user = attachmentOperations('User');
const role = attachmentOperations('Role');
const group = attachmentOperations('Group');

export const attachments = {
  AttachUserPolicy: user.attach,
  DetachUserPolicy: user.detach,
  ListAttachedUserPolicies: user.listAttached,
  AttachRolePolicy: role.attach,
  DetachRolePolicy: role.detach,
  ListAttachedRolePolicies: role.listAttached,
  AttachGroupPolicy: group.attach,
  DetachGroupPolicy: group.detach,
  ListAttachedGroupPolicies: group.listAttached,
} satisfies OperationDefs<
  Ops,
  | 'AttachUserPolicy'
  | 'DetachUserPolicy'
  | 'ListAttachedUserPolicies'
  | 'AttachRolePolicy'
  | 'DetachRolePolicy'
  | 'ListAttachedRolePolicies'
  | 'AttachGroupPolicy'
  | 'DetachGroupPolicy'
  | 'ListAttachedGroupPolicies'
>;
