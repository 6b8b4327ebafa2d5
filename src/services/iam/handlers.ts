/** IAM's 74 operations (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html ; https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), composed from one file per resource; the wire name is the key. */
import type { OperationDefs } from '../types.ts';
import type { Operations as Ops } from './model.generated.ts';
import { accessAdvisor } from './access-advisor.ts';
import { accessKeys } from './access-keys.ts';
import { attachments } from './attachments.ts';
import { authorizationDetails } from './authorization-details.ts';
import { boundaries } from './boundaries.ts';
import { groupPolicies } from './group-policies.ts';
import { credentialReport } from './credential-report.ts';
import { groups } from './groups.ts';
import { lastUsed } from './last-used.ts';
import { managedPolicies } from './managed-policies.ts';
import { policyVersions } from './policy-versions.ts';
import { rolePolicies } from './role-policies.ts';
import { roles } from './roles.ts';
import { simulator } from './simulator.ts';
import { tagging } from './tagging.ts';
import { userPolicies } from './user-policies.ts';
import { users } from './users.ts';

export const handlers: OperationDefs<Ops> = {
  ...users,
  ...accessKeys,
  ...roles,
  ...userPolicies,
  ...rolePolicies,
  ...managedPolicies,
  ...attachments,
  ...groups,
  ...groupPolicies,
  ...boundaries,
  ...tagging,
  ...policyVersions,
  ...lastUsed,
  ...credentialReport,
  ...simulator,
  ...authorizationDetails,
  ...accessAdvisor,
};
