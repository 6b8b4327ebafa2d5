/**
 * Managed policies: CreatePolicy, GetPolicy, GetPolicyVersion, DeletePolicy, ListPolicies (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html ; https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html ; https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
 * Customer policies are identity policies that must say Version 2012-10-17, at most 6144 characters without
 * white space, one version (v1). ListPolicies includes the AWS managed policies with their AttachmentCount.
 */
import type { ManagedPolicy } from '../../store/types.ts';
import type { OperationDefs, OperationContext } from '../types.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import { on, policyPath, tagKeys } from './access.ts';
import { encodeDocument, parseDocument, policySize, QUOTAS } from './documents.ts';
import { awsManagedReadOnly, deleteConflict, limitExceeded, noSuchPolicyVersion, policyAlreadyExists } from './errors.ts';
import { pageMembers, pageOf } from './pagination.ts';
import { AWS_MANAGED, policyOut, requirePolicy } from './policies.ts';
import { createdNow, tagsOf, underPath } from './values.ts';

const policyArn = (ctx: OperationContext, path: string, name: string) => `arn:aws:iam::${ctx.accountId}:policy${path}${name}`;
const byPolicyArn = (i: { PolicyArn?: string }) => i.PolicyArn ?? '';

export const managedPolicies = {
  CreatePolicy: {
    readOnly: false,
    authorize: on('CreatePolicy', (i, ctx) => policyArn(ctx, i.Path ?? '/', i.PolicyName ?? ''), tagKeys),
    async handler(input, ctx): Promise<Output<'CreatePolicy'>> {
      const tags = tagsOf(input);
      const ids = ctx.store.identities;
      parseDocument(input.PolicyDocument, 'identity', true);
      if (policySize(input.PolicyDocument) > QUOTAS.managedPolicy) throw limitExceeded('PolicySize', QUOTAS.managedPolicy);
      // Policy names are not distinguished by case, whatever the path (M-IAM CreatePolicy).
      const lower = String(input.PolicyName).toLowerCase();
      if ((await ids.listManagedPolicies({})).some((p) => p.policyName.toLowerCase() === lower)) throw policyAlreadyExists(input.PolicyName);
      const path = input.Path ?? '/';
      const now = createdNow(ctx);
      const policy: ManagedPolicy = {
        arn: policyArn(ctx, path, input.PolicyName),
        policyId: ctx.ids.uniqueId('ANPA'),
        policyName: input.PolicyName,
        path,
        document: input.PolicyDocument,
        defaultVersionId: 'v1',
        createDate: now,
        updateDate: now,
        tags,
        awsManaged: false,
        ...(input.Description !== undefined ? { description: input.Description } : {}),
      };
      await ids.createManagedPolicy(policy);
      return { Policy: policyOut(policy, 0, 'create') };
    },
  },

  GetPolicy: {
    readOnly: true,
    authorize: on('GetPolicy', byPolicyArn),
    async handler(input, ctx): Promise<Output<'GetPolicy'>> {
      const p = await requirePolicy(ctx, input.PolicyArn);
      const ids = ctx.store.identities;
      return { Policy: policyOut(p, await ids.countPolicyAttachments(p.arn), 'get', await ids.countBoundaryUses(p.arn)) };
    },
  },

  GetPolicyVersion: {
    readOnly: true,
    authorize: on('GetPolicyVersion', byPolicyArn),
    async handler(input, ctx): Promise<Output<'GetPolicyVersion'>> {
      const p = await requirePolicy(ctx, input.PolicyArn);
      // An AWS managed policy has one version here, dated as AWS publishes it (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html).
      const versions = p.awsManaged
        ? [{ versionId: p.defaultVersionId, document: p.document, createDate: p.updateDate }]
        : await ctx.store.identities.listPolicyVersions(p.arn);
      const v = versions.find((x) => x.versionId === input.VersionId);
      if (!v) throw noSuchPolicyVersion(p.arn, input.VersionId);
      return {
        PolicyVersion: {
          Document: encodeDocument(v.document),
          VersionId: v.versionId,
          IsDefaultVersion: v.versionId === p.defaultVersionId,
          CreateDate: v.createDate,
        },
      };
    },
  },

  DeletePolicy: {
    readOnly: false,
    authorize: on('DeletePolicy', byPolicyArn),
    async handler(input, ctx): Promise<Output<'DeletePolicy'>> {
      const p = await requirePolicy(ctx, input.PolicyArn);
      if (p.awsManaged) throw awsManagedReadOnly(ctx.principal.arn, 'iam:DeletePolicy', p.arn);
      // in use as a permissions boundary counts as attached (observed: gruntwork-io/cloud-nuke#972)
      const ids = ctx.store.identities;
      if ((await ids.countPolicyAttachments(p.arn)) + (await ids.countBoundaryUses(p.arn)) > 0) throw deleteConflict('policyAttached');
      if ((await ids.listPolicyVersions(p.arn)).length > 1) throw deleteConflict('versions');
      await ctx.store.identities.deleteManagedPolicy(p.arn);
      return {};
    },
  },

  ListPolicies: {
    readOnly: true,
    authorize: on('ListPolicies', policyPath),
    async handler(input, ctx): Promise<Output<'ListPolicies'>> {
      const ids = ctx.store.identities;
      const scope: string = input.Scope ?? 'All';
      const local = scope === 'AWS' ? [] : await ids.listManagedPolicies({});
      const candidates = [...(scope === 'Local' ? [] : AWS_MANAGED), ...local].filter((p) => underPath(p.path, input.PathPrefix));
      const counted = await Promise.all(
        candidates.map(async (p) => ({ p, n: await ids.countPolicyAttachments(p.arn), b: await ids.countBoundaryUses(p.arn) })),
      );
      // OnlyAttached: in use as the usage filter says — attached (PermissionsPolicy), as a boundary, or either
      const inUse = (c: (typeof counted)[number]) =>
        input.PolicyUsageFilter === 'PermissionsPolicy' ? c.n > 0 : input.PolicyUsageFilter === 'PermissionsBoundary' ? c.b > 0 : c.n + c.b > 0;
      const listed = counted.filter((c) => !input.OnlyAttached || inUse(c));
      const page = pageOf(listed, (c) => `${c.p.policyName.toLowerCase()}\n${c.p.arn}`, input);
      return { Policies: page.items.map((c) => policyOut(c.p, c.n, 'list', c.b)), ...pageMembers(page) };
    },
  },
} satisfies OperationDefs<Ops, 'CreatePolicy' | 'GetPolicy' | 'GetPolicyVersion' | 'DeletePolicy' | 'ListPolicies'>;
