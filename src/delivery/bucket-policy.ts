/**
 * Does a bucket policy let CloudTrail deliver (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html)? Evaluated with the IAM engine as the service principal `cloudtrail.amazonaws.com` makes
 * the calls: s3:GetBucketAcl on the bucket, and s3:PutObject of a log file (and a digest, with
 * validation) under `[prefix/]AWSLogs/<acct>/` with `x-amz-acl: bucket-owner-full-control`,
 * `aws:SourceArn` = the trail and `aws:SourceAccount` = the account. An explicit Deny wins.
 * The bucket may belong to another account: the policy alone decides, as for any service principal
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-set-bucket-policy-for-multiple-accounts.html).
 * An organization trail writes under `AWSLogs/<o-id>/<account>/`; the trail's own (management)
 * account's path there is the one checked
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html#org-trail-bucket-policy).
 */
import { evaluate, parsePolicy, type PolicyDocument } from '../auth/policy/index.ts';

const CLOUDTRAIL_PRINCIPAL = 'cloudtrail.amazonaws.com';

export interface DeliveryPlace {
  bucket: string;
  prefix?: string;
  /** the trail's account (aws:SourceAccount, and the folder under AWSLogs/) */
  accountId: string;
  /** an organization trail's organization: files go under AWSLogs/<organizationId>/<account>/ */
  organizationId?: string;
  trailArn: string;
  /** regions whose files the trail writes (home region; a multi-region trail: also the caller's) */
  regions: string[];
  validation: boolean;
}

function parsed(text: string): PolicyDocument | undefined {
  try {
    return parsePolicy(text, 'resource');
  } catch {
    return undefined;
  }
}

export function policyAllowsCloudTrail(policyText: string | undefined, p: DeliveryPlace): boolean {
  const doc = policyText === undefined ? undefined : parsed(policyText);
  if (!doc) return false;
  const keys = { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': p.trailArn, 'aws:SourceAccount': p.accountId };
  const allowed = (action: string, resource: string) =>
    evaluate(
      {
        action,
        resource,
        principalArn: CLOUDTRAIL_PRINCIPAL,
        principalAccount: p.accountId,
        isRoot: false,
        servicePrincipal: CLOUDTRAIL_PRINCIPAL,
        keys,
      },
      { identity: [], resource: doc },
    ).effect === 'Allow';
  const base = `arn:aws:s3:::${p.bucket}/${p.prefix ? `${p.prefix}/` : ''}AWSLogs/${p.organizationId ? `${p.organizationId}/` : ''}${p.accountId}`;
  const folders = p.validation ? ['CloudTrail', 'CloudTrail-Digest'] : ['CloudTrail'];
  return (
    allowed('s3:GetBucketAcl', `arn:aws:s3:::${p.bucket}`) &&
    p.regions.every((r) => folders.every((f) => allowed('s3:PutObject', `${base}/${f}/${r}/2026/01/01/${p.accountId}_${f}_${r}_file.json.gz`)))
  );
}
