/**
 * The AWS managed policies startrail ships. Documents, PolicyIds and versions as the AWS managed-policy
 * reference publishes them (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html). All are Path "/", attachable, ARN `arn:aws:iam::aws:policy/<Name>`.
 * Dates: version dates from that reference; creation times from the managed-policy reference and recorded ListPolicies /
 * GetPolicy output. AWSCloudTrail_FullAccess's creation time is known to the minute only (":00" seconds), and
 * the AWSCloudTrail_ReadOnlyAccess description is [unverified] wording.
 */

export interface AwsManagedPolicy {
  name: string;
  arn: string;
  policyId: string;
  path: string;
  defaultVersionId: string;
  createDate: string;
  updateDate: string;
  description: string;
  /** The default version's document, exactly as AWS publishes it. */
  document: string;
}

type Entry = Omit<AwsManagedPolicy, 'arn' | 'path'>;

/*
 * ReadOnlyAccess is an EXCERPT: the real v188 document is 94 KB with three statements. We keep exactly the
 * The patterns of the two statements for the services startrail serves (codestar, cloudtrail, iam, s3, sts);
 * the third (s3express:CreateSession) and every other service are left out. Replace with the full document
 * (MP) if other services are ever added.
 */
const ENTRIES: Entry[] = [
  {
    name: 'AdministratorAccess',
    policyId: 'ANPAIWMBCKSKIEE64ZLYK',
    defaultVersionId: 'v1',
    createDate: '2015-02-06T18:39:46Z',
    updateDate: '2015-02-06T18:39:46Z',
    description: 'Provides full access to AWS services and resources.',
    document: `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}`,
  },
  {
    name: 'ReadOnlyAccess',
    policyId: 'ANPAILL3HVNFSB6DCOWYQ',
    defaultVersionId: 'v188',
    createDate: '2015-02-06T18:39:48Z',
    updateDate: '2026-07-21T18:42:30Z',
    description: 'Provides read-only access to AWS services and resources.',
    document: `{"Version": "2012-10-17", "Statement": [
  {"Sid": "ReadOnlyActionsGroup1", "Effect": "Allow", "Action": ["cloudtrail:Describe*", "cloudtrail:Get*", "cloudtrail:List*", "cloudtrail:LookupEvents", "codestar:Describe*", "codestar:Get*", "codestar:List*", "codestar:Verify*", "iam:Generate*", "iam:Get*", "iam:List*", "iam:Simulate*"], "Resource": "*"},
  {"Sid": "ReadOnlyActionsGroup2", "Effect": "Allow", "Action": ["s3:DescribeJob", "s3:Get*", "s3:List*", "sts:GetAccessKeyInfo", "sts:GetCallerIdentity", "sts:GetSessionToken"], "Resource": "*"}]}`,
  },
  {
    name: 'AWSCodeStarFullAccess',
    policyId: 'ANPAIXI233TFUGLZOJBEC',
    defaultVersionId: 'v3',
    createDate: '2017-04-19T16:23:19Z',
    updateDate: '2023-03-28T00:06:28Z',
    description: 'Provides full access to AWS CodeStar via the AWS Management Console.',
    document: `{"Version": "2012-10-17", "Statement": [
  {"Sid": "CodeStarEC2", "Effect": "Allow", "Action": ["codestar:*", "ec2:DescribeKeyPairs", "ec2:DescribeVpcs", "ec2:DescribeSubnets", "cloud9:DescribeEnvironment*", "cloud9:ValidateEnvironmentName"], "Resource": "*"},
  {"Sid": "CodeStarCF", "Effect": "Allow", "Action": ["cloudformation:DescribeStack*", "cloudformation:ListStacks*", "cloudformation:GetTemplateSummary"], "Resource": ["arn:aws:cloudformation:*:*:stack/awscodestar-*"]}]}`,
  },
  {
    name: 'AWSCloudTrail_FullAccess',
    policyId: 'ANPAZKAPJZG4CA4SIJQAM',
    defaultVersionId: 'v3',
    createDate: '2020-10-08T23:41:00Z',
    updateDate: '2021-02-22T19:01:00Z',
    description: 'Provides full access to AWS CloudTrail.',
    document: `{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["sns:AddPermission", "sns:CreateTopic", "sns:SetTopicAttributes", "sns:GetTopicAttributes"], "Resource": ["arn:aws:sns:*:*:aws-cloudtrail-logs*"]},
  {"Effect": "Allow", "Action": ["sns:ListTopics"], "Resource": "*"},
  {"Effect": "Allow", "Action": ["s3:CreateBucket", "s3:PutBucketPolicy", "s3:PutBucketPublicAccessBlock"], "Resource": ["arn:aws:s3:::aws-cloudtrail-logs*"]},
  {"Effect": "Allow", "Action": ["s3:ListAllMyBuckets", "s3:GetBucketLocation", "s3:GetBucketPolicy"], "Resource": "*"},
  {"Effect": "Allow", "Action": "cloudtrail:*", "Resource": "*"},
  {"Effect": "Allow", "Action": ["logs:CreateLogGroup"], "Resource": ["arn:aws:logs:*:*:log-group:aws-cloudtrail-logs*"]},
  {"Effect": "Allow", "Action": ["iam:ListRoles", "iam:GetRolePolicy", "iam:GetUser"], "Resource": "*"},
  {"Effect": "Allow", "Action": ["iam:PassRole"], "Resource": "*", "Condition": {"StringEquals": {"iam:PassedToService": "cloudtrail.amazonaws.com"}}},
  {"Effect": "Allow", "Action": ["kms:CreateKey", "kms:CreateAlias", "kms:ListKeys", "kms:ListAliases"], "Resource": "*"},
  {"Effect": "Allow", "Action": ["lambda:ListFunctions"], "Resource": "*"},
  {"Effect": "Allow", "Action": ["dynamodb:ListGlobalTables", "dynamodb:ListTables"], "Resource": "*"}]}`,
  },
  {
    name: 'AWSCloudTrail_ReadOnlyAccess',
    policyId: 'ANPAZKAPJZG4OGLRVUGKM',
    defaultVersionId: 'v1',
    createDate: '2022-06-14T17:19:05Z',
    updateDate: '2022-06-14T17:19:05Z',
    description: 'Provides read-only access to AWS CloudTrail.',
    document: `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["cloudtrail:Get*", "cloudtrail:Describe*", "cloudtrail:List*", "cloudtrail:LookupEvents"], "Resource": "*"}]}`,
  },
  {
    name: 'IAMFullAccess',
    policyId: 'ANPAI7XKCFMBPM3QQRRVQ',
    defaultVersionId: 'v2',
    createDate: '2015-02-06T18:40:38Z',
    updateDate: '2019-06-21T19:40:00Z',
    description: 'Provides full access to IAM via the AWS Management Console.',
    document: `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:*", "organizations:DescribeAccount", "organizations:DescribeOrganization", "organizations:DescribeOrganizationalUnit", "organizations:DescribePolicy", "organizations:ListChildren", "organizations:ListParents", "organizations:ListPoliciesForTarget", "organizations:ListRoots", "organizations:ListPolicies", "organizations:ListTargetsForPolicy"], "Resource": "*"}]}`,
  },
  {
    name: 'IAMReadOnlyAccess',
    policyId: 'ANPAJKSO7NDY4T57MWDSQ',
    defaultVersionId: 'v4',
    createDate: '2015-02-06T18:40:39Z',
    updateDate: '2018-01-25T19:11:27Z',
    description: 'Provides read only access to IAM via the AWS Management Console.',
    document: `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:GenerateCredentialReport", "iam:GenerateServiceLastAccessedDetails", "iam:Get*", "iam:List*", "iam:SimulateCustomPolicy", "iam:SimulatePrincipalPolicy"], "Resource": "*"}]}`,
  },
];

export const AWS_MANAGED_POLICIES: ReadonlyArray<AwsManagedPolicy> = ENTRIES.map((e) => ({
  ...e,
  arn: `arn:aws:iam::aws:policy/${e.name}`,
  path: '/',
}));
