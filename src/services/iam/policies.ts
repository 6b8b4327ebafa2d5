/**
 * Managed policies as one view: the AWS managed policies built into the code (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html) and the
 * customer managed ones in the store. Shared by managed-policies.ts and attachments.ts.
 */
import { AWS_MANAGED_POLICIES } from '../../auth/policy/index.ts';
import type { ManagedPolicy } from '../../store/types.ts';
import type { OperationContext } from '../types.ts';
import { invalidArn, policyNotFound } from './errors.ts';

const POLICY_ARN = /^arn:aws:iam::(\d{12}|aws):policy((?:\/[\x21-\x7e]*)?\/)([\w+=,.@-]+)$/;

export const AWS_MANAGED: ReadonlyArray<ManagedPolicy> = AWS_MANAGED_POLICIES.map((p) => ({
  arn: p.arn,
  policyId: p.policyId,
  policyName: p.name,
  path: p.path,
  document: p.document,
  defaultVersionId: p.defaultVersionId,
  description: p.description,
  createDate: new Date(p.createDate),
  updateDate: new Date(p.updateDate),
  tags: [],
  awsManaged: true,
}));
const byArn = new Map(AWS_MANAGED.map((p) => [p.arn, p]));

/** InvalidInput unless the ARN has a policy ARN's form. */
export function checkPolicyArn(arn: string): void {
  if (!POLICY_ARN.test(arn)) throw invalidArn(arn);
}

/** The policy with this ARN, AWS managed or this account's; undefined when there is none. */
export async function findPolicy(ctx: OperationContext, arn: string): Promise<ManagedPolicy | undefined> {
  checkPolicyArn(arn);
  return byArn.get(arn) ?? (await ctx.store.identities.getManagedPolicy(arn));
}

export async function requirePolicy(ctx: OperationContext, arn: string): Promise<ManagedPolicy> {
  const p = await findPolicy(ctx, arn);
  if (!p) throw policyNotFound(arn);
  return p;
}

/**
 * Policy as GetPolicy returns it (Tags always, empty when there are none); ListPolicies leaves out
 * Description and Tags, CreatePolicy Description. `boundaryUses`: users and roles it bounds.
 */
export function policyOut(p: ManagedPolicy, attachments: number, form: 'create' | 'get' | 'list', boundaryUses = 0) {
  return {
    PolicyName: p.policyName,
    PolicyId: p.policyId,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersionId,
    AttachmentCount: attachments,
    PermissionsBoundaryUsageCount: boundaryUses,
    IsAttachable: true,
    ...(form === 'get' && p.description !== undefined ? { Description: p.description } : {}),
    CreateDate: p.createDate,
    UpdateDate: p.updateDate,
    ...(form === 'get' || (form === 'create' && p.tags.length) ? { Tags: p.tags } : {}),
  };
}
