/**
 * AWS's AccessDenied message texts: the grammar of https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html,
 * and the strings AWS returns.
 * `User: <caller ARN> is not authorized to perform: <action> on resource: <resource> <context>`; the word stays
 * `User:` for every principal type, and resource-less actions say `on resource: *` (observed in 2024 records).
 */
import type { Decision, DenyingPolicyType } from './types.ts';

/** Fixed AccessDenied text for sts:AssumeRole called by the root user [observed]. */
export const ROOT_CANNOT_ASSUME_ROLE = 'Roles may not be assumed by root accounts.';

/** [explicit-deny phrase, implicit-deny subject] per policy type. */
const PHRASES: Record<DenyingPolicyType, [string, string]> = {
  'identity-based': ['an identity-based policy', 'no identity-based policy'],
  'resource-based': ['a resource-based policy', 'no resource-based policy'],
  // TAD: "because no permissions boundary allows …" — no word "policy" after boundary.
  'permissions boundary': ['a permissions boundary', 'no permissions boundary'],
  // TAD prints "in a sessions policy" (sic) once; we use the grammatical form matching "no session policy allows".
  session: ['a session policy', 'no session policy'],
  'role trust': ['the role trust policy', 'no role trust policy'],
};

export function denialMessage(
  principalArn: string,
  action: string,
  resource: string,
  decision: Decision & { effect: 'Deny' },
  opts: { s3?: boolean } = {},
): string {
  // S3 wraps the resource in double quotes [observed].
  const base = `User: ${principalArn} is not authorized to perform: ${action} on resource: ${opts.s3 ? `"${resource}"` : resource}`;
  const [explicitPhrase, implicitSubject] = PHRASES[decision.policyType];
  if (decision.explicit) return `${base} with an explicit deny in ${explicitPhrase}`;
  // An AssumeRole refused by the trust policy carries no because-clause [observed 2024; TAD documents one — conflict, observed wins].
  if (decision.policyType === 'role trust') return base;
  return `${base} because ${implicitSubject} allows the ${action} action`;
}
