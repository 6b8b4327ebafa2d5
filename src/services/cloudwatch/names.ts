/**
 * CloudWatch ARNs and names: alarms are `arn:aws:cloudwatch:<region>:<account>:alarm:<name>`
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html#amazoncloudwatch-resources-for-iam-policies).
 */
export const alarmArn = (region: string, accountId: string, name: string) => `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`;

/** The (region, account, name) of an alarm ARN, if it is one. */
export function parseAlarmArn(arn: string): { region: string; accountId: string; name: string } | undefined {
  const m = /^arn:aws:cloudwatch:([^:]+):(\d{12}):alarm:(.+)$/.exec(arn);
  return m ? { region: m[1]!, accountId: m[2]!, name: m[3]! } : undefined;
}

/** Region names as alarm notifications write them (https://docs.aws.amazon.com/general/latest/gr/rande.html). */
export const REGION_NAMES: Record<string, string> = {
  'us-east-1': 'US East (N. Virginia)',
  'us-east-2': 'US East (Ohio)',
  'us-west-1': 'US West (N. California)',
  'us-west-2': 'US West (Oregon)',
  'af-south-1': 'Africa (Cape Town)',
  'ap-east-1': 'Asia Pacific (Hong Kong)',
  'ap-south-1': 'Asia Pacific (Mumbai)',
  'ap-northeast-1': 'Asia Pacific (Tokyo)',
  'ap-northeast-2': 'Asia Pacific (Seoul)',
  'ap-northeast-3': 'Asia Pacific (Osaka)',
  'ap-southeast-1': 'Asia Pacific (Singapore)',
  'ap-southeast-2': 'Asia Pacific (Sydney)',
  'ca-central-1': 'Canada (Central)',
  'eu-central-1': 'EU (Frankfurt)',
  'eu-west-1': 'EU (Ireland)',
  'eu-west-2': 'EU (London)',
  'eu-west-3': 'EU (Paris)',
  'eu-north-1': 'EU (Stockholm)',
  'eu-south-1': 'EU (Milan)',
  'me-south-1': 'Middle East (Bahrain)',
  'sa-east-1': 'South America (Sao Paulo)',
};
export const regionName = (region: string) => REGION_NAMES[region] ?? region;
