/**
 * Log group and stream ARNs and names (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html#amazoncloudwatchlogs-resources-for-iam-policies):
 * `arn:aws:logs:<region>:<account>:log-group:<name>`, a stream `…:log-group:<group>:log-stream:<name>`.
 * DescribeLogGroups answers `arn` with a trailing `:*` (the form IAM policies use for the group
 * and everything in it) and `logGroupArn` without
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_LogGroup.html).
 */
export const groupArn = (region: string, accountId: string, name: string) => `arn:aws:logs:${region}:${accountId}:log-group:${name}`;
export const streamArn = (region: string, accountId: string, group: string, stream: string) => `${groupArn(region, accountId, group)}:log-stream:${stream}`;

/** A log-group ARN (with or without `:*`): its account, Region and group name. */
export function parseGroupArn(arn: string): { region: string; accountId: string; name: string } | undefined {
  const m = /^arn:aws[\w-]*:logs:([a-z0-9-]+):(\d{12}):log-group:([.\-_/#A-Za-z0-9]+)(?::\*)?$/.exec(arn);
  return m ? { region: m[1] ?? '', accountId: m[2] ?? '', name: m[3] ?? '' } : undefined;
}

/** A `logGroupIdentifier`: a name or an ARN (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogStreams.html). */
export function groupNameOf(identifier: string): string {
  return identifier.startsWith('arn:') ? (parseGroupArn(identifier)?.name ?? identifier) : identifier;
}

/** Retention periods AWS allows (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html). */
export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
