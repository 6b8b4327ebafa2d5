/** A role's inline policies: PutRolePolicy, GetRolePolicy, DeleteRolePolicy, ListRolePolicies (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html ; https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html; 10240 characters per role). */
import type { OperationDefs } from '../types.ts';
import type { Operations as Ops } from './model.generated.ts';
import { inlinePolicyOperations } from './inline-policies.ts';

const ops = inlinePolicyOperations('Role');

export const rolePolicies = {
  PutRolePolicy: ops.put,
  GetRolePolicy: ops.get,
  DeleteRolePolicy: ops.del,
  ListRolePolicies: ops.list,
} satisfies OperationDefs<Ops, 'PutRolePolicy' | 'GetRolePolicy' | 'DeleteRolePolicy' | 'ListRolePolicies'>;
