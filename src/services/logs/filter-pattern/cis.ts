/**
 * The metric filter patterns of the Security Hub CloudWatch.1–14 controls (CIS AWS Foundations
 * Benchmark v1.2.0 3.x / v1.4.0 4.x), as AWS's Security Hub documentation gives them:
 * https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html
 * Used by tests (each parses, and matches the CloudTrail records it targets) and as presets.
 */
export interface CisMetricFilter {
  /** Security Hub control id */
  control: string;
  /** CIS AWS Foundations Benchmark v1.4.0 recommendation */
  cis: string;
  title: string;
  pattern: string;
}

export const CIS_METRIC_FILTERS: CisMetricFilter[] = [
  {
    control: 'CloudWatch.1',
    cis: '4.3',
    title: 'A log metric filter and alarm should exist for usage of the "root" user',
    pattern: '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}',
  },
  {
    control: 'CloudWatch.2',
    cis: '4.1',
    title: 'Ensure a log metric filter and alarm exist for unauthorized API calls',
    pattern: '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}',
  },
  {
    control: 'CloudWatch.3',
    cis: '4.2',
    title: 'Ensure a log metric filter and alarm exist for Management Console sign-in without MFA',
    pattern: '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
  },
  {
    control: 'CloudWatch.4',
    cis: '4.4',
    title: 'Ensure a log metric filter and alarm exist for IAM policy changes',
    pattern:
      '{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}',
  },
  {
    control: 'CloudWatch.5',
    cis: '4.5',
    title: 'Ensure a log metric filter and alarm exist for CloudTrail configuration changes',
    pattern: '{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}',
  },
  {
    control: 'CloudWatch.6',
    cis: '4.6',
    title: 'Ensure a log metric filter and alarm exist for AWS Management Console authentication failures',
    pattern: '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}',
  },
  {
    control: 'CloudWatch.7',
    cis: '4.7',
    title: 'Ensure a log metric filter and alarm exist for disabling or scheduled deletion of customer created CMKs',
    pattern: '{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}',
  },
  {
    control: 'CloudWatch.8',
    cis: '4.8',
    title: 'Ensure a log metric filter and alarm exist for S3 bucket policy changes',
    pattern:
      '{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || ($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))}',
  },
  {
    control: 'CloudWatch.9',
    cis: '4.9',
    title: 'Ensure a log metric filter and alarm exist for AWS Config configuration changes',
    pattern:
      '{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || ($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || ($.eventName=PutConfigurationRecorder))}',
  },
  {
    control: 'CloudWatch.10',
    cis: '4.10',
    title: 'Ensure a log metric filter and alarm exist for security group changes',
    pattern:
      '{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || ($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || ($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}',
  },
  {
    control: 'CloudWatch.11',
    cis: '4.11',
    title: 'Ensure a log metric filter and alarm exist for changes to Network Access Control Lists (NACL)',
    pattern:
      '{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}',
  },
  {
    control: 'CloudWatch.12',
    cis: '4.12',
    title: 'Ensure a log metric filter and alarm exist for changes to network gateways',
    pattern:
      '{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || ($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || ($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}',
  },
  {
    control: 'CloudWatch.13',
    cis: '4.13',
    title: 'Ensure a log metric filter and alarm exist for route table changes',
    pattern:
      '{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable)}',
  },
  {
    control: 'CloudWatch.14',
    cis: '4.14',
    title: 'Ensure a log metric filter and alarm exist for VPC changes',
    pattern:
      '{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || ($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || ($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || ($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || ($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}',
  },
];
