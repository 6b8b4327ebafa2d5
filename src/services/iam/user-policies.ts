/** A user's inline policies: PutUserPolicy, GetUserPolicy, DeleteUserPolicy, ListUserPolicies (spec iam-sts §3, §5; 2048 characters per user). */
import type { Handlers } from '../types.ts';
import { inlinePolicyOperations } from './inline-policies.ts';

const ops = inlinePolicyOperations('User');

export const userPolicies = {
  PutUserPolicy: ops.put,
  GetUserPolicy: ops.get,
  DeleteUserPolicy: ops.del,
  ListUserPolicies: ops.list,
} satisfies Handlers<'PutUserPolicy' | 'GetUserPolicy' | 'DeleteUserPolicy' | 'ListUserPolicies'>;
