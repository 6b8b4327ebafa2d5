/** A group's inline policies: PutGroupPolicy, GetGroupPolicy, DeleteGroupPolicy, ListGroupPolicies (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html: 5120 characters per group). */
import type { OperationDefs } from '../types.ts';
import type { Operations as Ops } from './model.generated.ts';
import { inlinePolicyOperations } from './inline-policies.ts';

const ops = inlinePolicyOperations('Group');

export const groupPolicies = {
  PutGroupPolicy: ops.put,
  GetGroupPolicy: ops.get,
  DeleteGroupPolicy: ops.del,
  ListGroupPolicies: ops.list,
} satisfies OperationDefs<Ops, 'PutGroupPolicy' | 'GetGroupPolicy' | 'DeleteGroupPolicy' | 'ListGroupPolicies'>;
