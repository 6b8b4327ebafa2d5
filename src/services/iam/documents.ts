/**
 * Policy documents as IAM accepts and returns them (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html ; https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): parsed for their kind with
 * IAM's MalformedPolicyDocument messages, sizes counted without white space, trust-policy principals that
 * name a user or role of this account must exist, and documents returned URL-encoded as IAM does.
 */
import { parsePolicy, PolicyDocumentError, type PolicyDocument, type PolicyKind } from '../../auth/policy/index.ts';
import type { OperationContext } from '../types.ts';
import { invalidPrincipal, limitExceeded, malformedPolicy } from './errors.ts';

export const QUOTAS = {
  accessKeysPerUser: 2,
  policiesPerUser: 10,
  policiesPerRole: 10,
  policiesPerGroup: 10,
  groupsPerUser: 10,
  groupsPerAccount: 300,
  inlineUser: 2048,
  inlineGroup: 5120,
  inlineRole: 10240,
  managedPolicy: 6144,
  trustPolicy: 2048,
} as const;

/** Policy size as IAM's quotas count it: characters excluding white space. */
export const policySize = (text: string): number => text.replace(/\s+/g, '').length;

/** IAM returns policy documents URL-encoded; botocore (CLI) decodes them, the JS SDK leaves that to callers. */
export const encodeDocument = (text: string): string => encodeURIComponent(text);

export function parseDocument(text: string, kind: PolicyKind, managed = false): PolicyDocument {
  try {
    return parsePolicy(text, kind, { managed });
  } catch (e) {
    if (e instanceof PolicyDocumentError) throw malformedPolicy(e.message);
    throw e;
  }
}

const LOCAL_ENTITY = /^arn:aws:iam::(\d{12}):(user|role)(\/.*)$/;

/** A role's trust policy: trust-kind rules, the 2048 quota, and principals that must exist. */
export async function checkTrustPolicy(ctx: OperationContext, text: string): Promise<void> {
  const doc = parseDocument(text, 'trust');
  if (policySize(text) > QUOTAS.trustPolicy) throw limitExceeded('ACLSizePerRole', QUOTAS.trustPolicy);
  for (const s of doc.Statement) {
    const block = s.Principal;
    if (!block || block === '*') continue;
    for (const value of block.AWS ?? []) {
      const m = LOCAL_ENTITY.exec(value);
      if (!m || m[1] !== ctx.accountId) continue;
      const name = value.slice(value.lastIndexOf('/') + 1);
      const entity = m[2] === 'user' ? await ctx.store.identities.getUser(name) : await ctx.store.identities.getRole(name);
      // ARNs in policies are case-sensitive: a trust naming `user/Alice` would never match user `alice`.
      if (!entity || entity.arn !== value) throw invalidPrincipal('AWS', value);
    }
  }
}
