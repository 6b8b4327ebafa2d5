/** A user's inline policies: PutUserPolicy, GetUserPolicy, DeleteUserPolicy, ListUserPolicies (spec iam-sts §3, §5; 2048 characters per user). */
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
