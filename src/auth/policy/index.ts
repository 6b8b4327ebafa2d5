/** The IAM policy engine: parse/validate policy documents, evaluate a request, AWS's denial messages
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html ; https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html). */
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
export { evaluate, statementMatch } from './evaluate.ts';
export { actionMatches } from './match.ts';
export { denialMessage, ROOT_CANNOT_ASSUME_ROLE } from './messages.ts';
export { AWS_MANAGED_POLICIES, type AwsManagedPolicy } from './managed.ts';
export { serviceAllowed, serviceRequestContext, type ServiceRequest } from './service.ts';
