/**
 * Trails as the wire shows them (CloudTrail model `Trail`, `CreateTrailResponse`, `TrailInfo`;
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html): unset string members are left out; booleans are always present.
 */
import type { Trail } from '../../store/types.ts';

/** The trail keeps the topic's ARN (docs/notifications.md); SnsTopicName is its name, as DescribeTrails shows it. */
const snsArn = (t: Trail) => t.snsTopicName;
const snsName = (t: Trail) => t.snsTopicName?.split(':').pop();

const opt = <K extends string>(k: K, v: string | undefined) => (v === undefined ? {} : ({ [k]: v } as Record<K, string>));

/** CreateTrail / UpdateTrail response. */
export function trailResponse(t: Trail) {
  return {
    Name: t.name,
    S3BucketName: t.s3BucketName,
    ...opt('S3KeyPrefix', t.s3KeyPrefix),
    ...opt('SnsTopicName', snsName(t)),
    ...opt('SnsTopicARN', snsArn(t)),
    IncludeGlobalServiceEvents: t.includeGlobalServiceEvents,
    IsMultiRegionTrail: t.isMultiRegionTrail,
    TrailARN: t.arn,
    LogFileValidationEnabled: t.logFileValidationEnabled,
    ...opt('CloudWatchLogsLogGroupArn', t.cloudWatchLogsLogGroupArn),
    ...opt('CloudWatchLogsRoleArn', t.cloudWatchLogsRoleArn),
    ...opt('KmsKeyId', t.kmsKeyId),
    IsOrganizationTrail: t.isOrganizationTrail,
  };
}

/** DescribeTrails / GetTrail item. */
export function trailShape(t: Trail) {
  return {
    Name: t.name,
    S3BucketName: t.s3BucketName,
    ...opt('S3KeyPrefix', t.s3KeyPrefix),
    ...opt('SnsTopicName', snsName(t)),
    ...opt('SnsTopicARN', snsArn(t)),
    IncludeGlobalServiceEvents: t.includeGlobalServiceEvents,
    IsMultiRegionTrail: t.isMultiRegionTrail,
    HomeRegion: t.homeRegion,
    TrailARN: t.arn,
    LogFileValidationEnabled: t.logFileValidationEnabled,
    ...opt('CloudWatchLogsLogGroupArn', t.cloudWatchLogsLogGroupArn),
    ...opt('CloudWatchLogsRoleArn', t.cloudWatchLogsRoleArn),
    ...opt('KmsKeyId', t.kmsKeyId),
    HasCustomEventSelectors: t.selectors !== null,
    HasInsightSelectors: false,
    IsOrganizationTrail: t.isOrganizationTrail,
  };
}

/** ListTrails item. */
export const trailInfo = (t: Trail) => ({ TrailARN: t.arn, Name: t.name, HomeRegion: t.homeRegion });
