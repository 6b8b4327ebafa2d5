/**
 * Inline policies of a user, a role or a group: Put/Get/Delete/List<Owner>Policies, built once for every owner
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html: authorized on the owner; quotas (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): aggregate size per user 2048, per role 10240, per group 5120 characters
 * without white space). Documents are identity policies, returned URL-encoded as IAM does.
 */
import type { OperationContext } from '../types.ts';
import { groupResource, on, roleResource, userResource } from './access.ts';
import { encodeDocument, parseDocument, policySize, QUOTAS } from './documents.ts';
import { inlinePolicySizeExceeded, noSuchInlinePolicy } from './errors.ts';
import { pageMembers, pageOf } from './pagination.ts';
import { requireGroup } from './group-lookup.ts';
import { requireRole } from './roles.ts';
import { requireUser } from './users.ts';
import { forOwner, type Named, ownerNamed, type Owner, type OwnerOutput } from './owners.ts';

const OWNER = {
  User: {
    kind: 'user',
    param: 'UserName',
    maxSize: QUOTAS.inlineUser,
    resource: userResource,
    name: async (ctx: OperationContext, n: string) => (await requireUser(ctx, n)).userName,
  },
  Role: {
    kind: 'role',
    param: 'RoleName',
    maxSize: QUOTAS.inlineRole,
    resource: roleResource,
    name: async (ctx: OperationContext, n: string) => (await requireRole(ctx, n)).roleName,
  },
  Group: {
    kind: 'group',
    param: 'GroupName',
    maxSize: QUOTAS.inlineGroup,
    resource: groupResource,
    name: async (ctx: OperationContext, n: string) => (await requireGroup(ctx, n)).groupName,
  },
} as const;

export function inlinePolicyOperations<W extends Owner>(owner: W) {
  const o = OWNER[owner];
  const authorize = (op: string) => on(op, (i: Named, ctx) => o.resource(ctx, ownerNamed(i)));
  const ownerName = (input: Named, ctx: OperationContext) => o.name(ctx, ownerNamed(input));

  return forOwner<W, 'put' | 'get' | 'del' | 'list'>({
    put: {
      readOnly: false,
      authorize: authorize(`Put${owner}Policy`),
      async handler(input, ctx): Promise<OwnerOutput<'put'>> {
        const name = await ownerName(input, ctx);
        parseDocument(input.PolicyDocument, 'identity');
        const others = (await ctx.store.identities.listInlinePolicies(o.kind, name)).filter((p) => p.policyName !== input.PolicyName);
        const total = others.reduce((n, p) => n + policySize(p.document), policySize(input.PolicyDocument));
        if (total > o.maxSize) throw inlinePolicySizeExceeded(o.kind, name, o.maxSize);
        await ctx.store.identities.putInlinePolicy({ ownerKind: o.kind, ownerName: name, policyName: input.PolicyName, document: input.PolicyDocument });
        return {};
      },
    },
    get: {
      readOnly: true,
      authorize: authorize(`Get${owner}Policy`),
      async handler(input, ctx): Promise<OwnerOutput<'get'>> {
        const name = await ownerName(input, ctx);
        const p = await ctx.store.identities.getInlinePolicy(o.kind, name, input.PolicyName);
        if (!p) throw noSuchInlinePolicy(o.kind, input.PolicyName);
        const rest = { PolicyName: p.policyName, PolicyDocument: encodeDocument(p.document) };
        return o.kind === 'user' ? { UserName: name, ...rest } : o.kind === 'role' ? { RoleName: name, ...rest } : { GroupName: name, ...rest };
      },
    },
    del: {
      readOnly: false,
      authorize: authorize(`Delete${owner}Policy`),
      async handler(input, ctx): Promise<OwnerOutput<'del'>> {
        const name = await ownerName(input, ctx);
        if (!(await ctx.store.identities.getInlinePolicy(o.kind, name, input.PolicyName))) throw noSuchInlinePolicy(o.kind, input.PolicyName);
        await ctx.store.identities.deleteInlinePolicy(o.kind, name, input.PolicyName);
        return {};
      },
    },
    list: {
      readOnly: true,
      authorize: authorize(`List${owner}Policies`),
      async handler(input, ctx): Promise<OwnerOutput<'list'>> {
        const name = await ownerName(input, ctx);
        const page = pageOf(
          (await ctx.store.identities.listInlinePolicies(o.kind, name)).map((p) => p.policyName),
          (n) => n,
          input,
        );
        return { PolicyNames: page.items, ...pageMembers(page) };
      },
    },
  });
}
