/** The IAM policy engine: parse/validate policy documents, evaluate a request, AWS's denial messages. Spec: iam-sts.md §1, §2, §4. */
export type {
  Decision,
  DenyingPolicyType,
  PolicyDocument,
  PolicyKind,
  PolicySet,
  PrincipalBlock,
  RequestContext,
  Statement,
} from './types.ts';
export { parsePolicy, PolicyDocumentError, type ParseOptions } from './document.ts';
export { evaluate } from './evaluate.ts';
export { denialMessage, ROOT_CANNOT_ASSUME_ROLE } from './messages.ts';
export { AWS_MANAGED_POLICIES, type AwsManagedPolicy } from './managed.ts';
