/** Types of the IAM policy engine: normalised policy documents and one request to authorize
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html). */

/** `{"AWS": [...], "Service": [...], "Federated": [...], "CanonicalUser": [...]}`, single values made arrays. */
export type PrincipalBlock = Record<string, string[]>;

/** One statement as parsePolicy returns it: every single value made an array, condition values made strings. */
export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  NotResource?: string[];
  Principal?: PrincipalBlock | '*';
  NotPrincipal?: PrincipalBlock | '*';
  /** operator → condition key → values (OR). Numbers and booleans in the JSON become their string forms. */
  Condition?: Record<string, Record<string, string[]>>;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: Statement[];
}

/** identity = user/group/role policies; trust = a role's assume-role policy; resource = S3 bucket policy; session = AssumeRole/GetFederationToken `Policy`/`PolicyArns`. */
export type PolicyKind = 'identity' | 'trust' | 'resource' | 'session';

export interface RequestContext {
  /** `service:Operation`, e.g. `codestar:DescribeProject`. */
  action: string;
  /** The authorized resource's ARN, or `*` for actions without a resource type
   * (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html). */
  resource: string;
  /** The caller as policies name it: user ARN, assumed-role SESSION ARN, federated-user ARN, or root ARN. */
  principalArn: string;
  /** Other ARNs naming the caller in a Principal element, which allow only within boundary/session limits (evaluation logic):
   * the ROLE ARN for a role session, the federating user's ARN for a federated user. */
  principalAliases?: string[];
  principalAccount: string;
  /**
   * The account that owns the resource (a role's, a bucket's). When it is not the principal's, the
   * cross-account rule applies: the resource-based policy must allow AND the principal's own account
   * must allow (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html).
   * undefined = the principal's own account.
   */
  resourceAccount?: string;
  isRoot: boolean;
  /** Set when a service calls on its own behalf (e.g. `cloudtrail.amazonaws.com` writing a bucket); only `Service` principals and `*` name it. */
  servicePrincipal?: string;
  /** An unsigned (anonymous) S3 request: only a resource policy naming everyone allows it. */
  anonymous?: boolean;
  /** Global and service condition keys (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html). Names are case-insensitive; undefined = key absent. */
  keys: Record<string, string | string[] | undefined>;
}

export interface PolicySet {
  /** For a role session: the role's; for a federated user: the federating user's. */
  identity: PolicyDocument[];
  /** Permissions boundary of the user or role, if any. */
  boundary?: PolicyDocument;
  /** undefined = no session policy was passed. */
  session?: PolicyDocument[];
  /** federated without a session policy → implicit deny (evaluation logic, session policies). */
  sessionType?: 'role' | 'federated' | 'none';
  /** Bucket policy, or a role's trust policy. */
  resource?: PolicyDocument;
  /** sts:AssumeRole evaluation: the trust policy must allow in every case (evaluation logic). */
  isTrustPolicyCheck?: boolean;
}

export type DenyingPolicyType = 'identity-based' | 'resource-based' | 'permissions boundary' | 'session' | 'role trust';

export type Decision = { effect: 'Allow' } | { effect: 'Deny'; explicit: boolean; policyType: DenyingPolicyType };
