/**
 * A service principal acting for a resource (CloudTrail delivering a trail's logs, S3 announcing a
 * bucket's events, SNS delivering a topic's messages): the request context its call is evaluated
 * with. It carries `aws:SourceAccount` and `aws:SourceArn` — the account and ARN of the resource the
 * service acts for, which resource policies test against the confused deputy
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceaccount) —
 * and `aws:ResourceAccount`, the owner of the resource acted on. Principals' own calls never carry
 * the source keys (auth/authorize.ts contextKeys).
 */
import { evaluate } from './evaluate.ts';
import type { PolicyDocument, RequestContext } from './types.ts';

export interface ServiceRequest {
  /** e.g. `cloudtrail.amazonaws.com` */
  servicePrincipal: string;
  action: string;
  resource: string;
  /** aws:SourceAccount: the account of the resource the service acts for (the trail's) */
  sourceAccount: string;
  /** aws:SourceArn: that resource (the trail's ARN) */
  sourceArn?: string;
  /** aws:ResourceAccount: the owner of `resource` (the bucket's); default the source account */
  resourceAccount?: string;
  /** further keys of the request (s3:x-amz-acl, …) */
  keys?: RequestContext['keys'];
}

export function serviceRequestContext(r: ServiceRequest): RequestContext {
  return {
    action: r.action,
    resource: r.resource,
    principalArn: r.servicePrincipal,
    principalAccount: r.sourceAccount,
    isRoot: false,
    servicePrincipal: r.servicePrincipal,
    keys: {
      'aws:SourceAccount': r.sourceAccount,
      ...(r.sourceArn !== undefined ? { 'aws:SourceArn': r.sourceArn } : {}),
      'aws:ResourceAccount': r.resourceAccount ?? r.sourceAccount,
      'aws:PrincipalServiceName': r.servicePrincipal,
      ...r.keys,
    },
  };
}

/** Does the resource policy let the service make this request? Only a policy naming the service allows; an explicit Deny wins. */
export function serviceAllowed(policy: PolicyDocument | undefined, r: ServiceRequest): boolean {
  if (!policy) return false;
  return evaluate(serviceRequestContext(r), { identity: [], resource: policy }).effect === 'Allow';
}
