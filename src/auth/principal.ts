/**
 * Who is calling, as CloudTrail and IAM distinguish callers (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html).
 */
import type { Session } from '../store/types.ts';

export interface SessionIssuer {
  type: 'Role' | 'IAMUser' | 'Root';
  principalId: string;
  arn: string;
  accountId: string;
  userName?: string;
}

export interface Principal {
  type: 'Root' | 'IAMUser' | 'AssumedRole' | 'FederatedUser' | 'Unknown';
  accountId: string;
  /** ARN as policies and denial messages name the caller (session ARN for roles). */
  arn: string;
  /** aws:userid — account id, AIDA…, AROA…:session, account:name */
  principalId: string;
  accessKeyId: string;
  /** IAM user name, for IAMUser (and the issuing user of GetSessionToken credentials) */
  userName?: string;
  /** Temporary credentials, when the call was signed with an ASIA key. */
  session?: Session;
  /** For temporary credentials: the role or user that issued them. */
  issuer?: SessionIssuer;
  /** Name shown as Event history's Username: user name, role session name, federated name, or "root". */
  displayName: string;
}

/**
 * An unsigned S3 request (https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html
 * "anonymous"; https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-understanding-s3-entries.html):
 * only a resource policy or ACL granting everyone lets it through; CloudTrail records it in the bucket
 * owner's account as `{"type": "AWSAccount", "principalId": "", "accountId": "anonymous"}`.
 */
export const ANONYMOUS: Principal = { type: 'Unknown', accountId: 'anonymous', arn: '*', principalId: '', accessKeyId: '', displayName: 'anonymous' };
export const isAnonymous = (p: Principal | undefined) => p?.type === 'Unknown' && p.accountId === 'anonymous';

export const rootArn = (account: string) => `arn:aws:iam::${account}:root`;
export const userArn = (account: string, path: string, name: string) => `arn:aws:iam::${account}:user${path}${name}`;
export const roleArn = (account: string, path: string, name: string) => `arn:aws:iam::${account}:role${path}${name}`;
export const assumedRoleArn = (account: string, role: string, session: string) => `arn:aws:sts::${account}:assumed-role/${role}/${session}`;
export const federatedUserArn = (account: string, name: string) => `arn:aws:sts::${account}:federated-user/${name}`;
