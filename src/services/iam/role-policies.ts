/** A role's inline policies: PutRolePolicy, GetRolePolicy, DeleteRolePolicy, ListRolePolicies (spec iam-sts §3, §5; 10240 characters per role). */
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
