/** A user's inline policies: PutUserPolicy, GetUserPolicy, DeleteUserPolicy, ListUserPolicies (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html ; https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html; 2048 characters per user). */
import type { OperationDefs } from '../types.ts';
import type { Operations as Ops } from './model.generated.ts';
import { inlinePolicyOperations } from './inline-policies.ts';

const ops = inlinePolicyOperations('User');

export const userPolicies = {
  PutUserPolicy: ops.put,
  GetUserPolicy: ops.get,
  DeleteUserPolicy: ops.del,
  ListUserPolicies: ops.list,
} satisfies OperationDefs<Ops, 'PutUserPolicy' | 'GetUserPolicy' | 'DeleteUserPolicy' | 'ListUserPolicies'>;
