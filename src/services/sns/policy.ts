/**
 * Topic access policies (https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html,
 * https://docs.aws.amazon.com/sns/latest/dg/sns-using-identity-based-policies.html): a topic without
 * a `Policy` of its own has AWS's default policy, which lets principals of the owning account
 * (`AWS:SourceOwner`) manage, subscribe to and publish to it; services such as S3 and CloudTrail
 * publish only where the policy names their service principal
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-permissions-for-sns-notifications.html).
 * Evaluated by the IAM engine, as bucket policies are (src/delivery/bucket-policy.ts).
 */
import { evaluate, parsePolicy, type PolicyDocument } from '../../auth/policy/index.ts';
import type { Topic } from '../../store/types.ts';

const DEFAULT_ACTIONS = [
  'SNS:GetTopicAttributes',
  'SNS:SetTopicAttributes',
  'SNS:AddPermission',
  'SNS:RemovePermission',
  'SNS:DeleteTopic',
  'SNS:Subscribe',
  'SNS:ListSubscriptionsByTopic',
  'SNS:Publish',
];

/** The policy AWS gives a new topic (as GetTopicAttributes shows it). */
export function defaultTopicPolicy(arn: string, account: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: DEFAULT_ACTIONS,
        Resource: arn,
        Condition: { StringEquals: { 'AWS:SourceOwner': account } },
      },
    ],
  });
}

export const topicPolicy = (t: Topic) => t.attributes.Policy ?? defaultTopicPolicy(t.arn, t.accountId);

function parsed(text: string): PolicyDocument | undefined {
  try {
    return parsePolicy(text, 'resource');
  } catch {
    return undefined;
  }
}

/** Would the topic's policy let `servicePrincipal` publish for `sourceArn` / `sourceAccount`? An explicit Deny wins. */
export function policyAllowsService(t: Topic, servicePrincipal: string, sourceArn: string, sourceAccount: string): boolean {
  const doc = parsed(topicPolicy(t));
  if (!doc) return false;
  return (
    evaluate(
      {
        action: 'SNS:Publish',
        resource: t.arn,
        principalArn: servicePrincipal,
        principalAccount: sourceAccount,
        isRoot: false,
        servicePrincipal,
        keys: {
          'aws:SourceArn': sourceArn,
          'aws:SourceAccount': sourceAccount,
          // CloudWatch alarms publish for the account that owns them: the default topic policy's
          // `AWS:SourceOwner` statement lets an account's alarms notify its own topics with no policy
          // added, as on AWS (docs/cloudwatch.md#notifications); S3 and CloudTrail need an explicit grant
          ...(servicePrincipal === 'cloudwatch.amazonaws.com' ? { 'AWS:SourceOwner': sourceAccount } : {}),
        },
      },
      { identity: [], resource: doc },
    ).effect === 'Allow'
  );
}
