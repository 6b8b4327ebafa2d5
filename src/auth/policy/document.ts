/**
 * parsePolicy: reads a policy document as IAM would for its kind and returns it normalised (single values →
 * arrays), as the policy elements pages and IAM's MalformedPolicyDocument messages have them
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html). Checks run in IAM's stage
 * order and the first failure wins, as IAM reports a single message.
 *
 * Left to callers: the character set and size limits (they differ per kind and API: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), and
 * `Invalid principal in policy` for principals that are well formed but do not exist.
 * For kind 'resource' (S3 bucket policies) the IAM wording is used; S3's own texts differ and are the S3 service's to map.
 */
import { checkActionVendors, checkActionsPresent, checkKindRules, checkLegacy, checkPrincipals, checkResourceFormats, checkSids } from './checks.ts';
import { PolicyDocumentError, parseSyntax } from './syntax.ts';
import type { PolicyDocument, PolicyKind } from './types.ts';

export { PolicyDocumentError };

export interface ParseOptions {
  /**
   * CreatePolicy / CreatePolicyVersion: a managed policy must say Version 2012-10-17 ("Policy document must be
   * version 2012-10-17 or greater." [observed for CreatePolicy]). Inline, trust, session and bucket policies
   * still accept 2008-10-17 or no Version (the Version element page), where `${...}` is then literal text.
   */
  managed?: boolean;
}

export function parsePolicy(text: string, kind: PolicyKind, opts: ParseOptions = {}): PolicyDocument {
  const doc = parseSyntax(text);
  if (opts.managed && doc.Version !== '2012-10-17') throw new PolicyDocumentError('Policy document must be version 2012-10-17 or greater.');
  checkLegacy(doc);
  checkPrincipals(doc, kind);
  checkSids(doc, kind);
  checkActionsPresent(doc);
  checkResourceFormats(doc);
  checkActionVendors(doc);
  checkKindRules(doc, kind);
  // checkLegacy has made every Effect exactly 'Allow' or 'Deny'.
  return doc as PolicyDocument;
}
