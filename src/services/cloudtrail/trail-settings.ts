/**
 * CreateTrail / UpdateTrail settings (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html): each member checked as AWS does,
 * with the features startrail does not have answered as AWS answers a missing resource — no KMS key exists here, so naming one fails (rather
 * than being accepted and silently ignored). A CloudWatch Logs log group must exist and its role let CloudTrail write (docs/trail-logs.md). Then the bucket: it must exist and its policy must let
 * cloudtrail.amazonaws.com write (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html), checked through the delivery target the bucket routes to;
 * and the SNS topic: it must exist and its policy must let cloudtrail.amazonaws.com SNS:Publish with
 * aws:SourceArn the trail (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-permissions-for-sns-notifications.html).
 */
import { policyAllowsCloudTrail } from '../../delivery/bucket-policy.ts';
import type { Destinations } from '../../delivery/destinations.ts';
import { DeliveryError, type DeliveryTarget } from '../../delivery/targets.ts';
import type { Store } from '../../store/types.ts';
import { serviceRoleAllows, type ServiceRoleVerdict } from '../../auth/service-role.ts';
import { isValidBucketName } from '../../objects/names.ts';
import type { TrailSettings } from '../../store/types.ts';
import type { UpdateTrailRequest } from './model.generated.ts';
import {
  cloudWatchLogsRoleDenied,
  insufficientS3BucketPolicy,
  insufficientSnsTopicPolicy,
  invalidCloudWatchLogsLogGroupArn,
  invalidCloudWatchLogsRoleArn,
  invalidKmsKeyId,
  invalidParameterCombination,
  invalidS3BucketName,
  invalidS3Prefix,
  invalidSnsTopicName,
  kmsKeyNotFound,
  cloudTrailAccessNotEnabled,
  notOrganizationManagementAccount,
  organizationNotInAllFeaturesMode,
  organizationsNotInUse,
  s3BucketDoesNotExist,
} from './errors.ts';

/** The settings CreateTrail and UpdateTrail share: UpdateTrail's members but its name, all optional. */
export type SettingsInput = Omit<UpdateTrailRequest, 'Name'>;

const SNS_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const SNS_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const KMS_ID =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias\/[A-Za-z0-9/_-]{1,250}|arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(?:key\/[A-Za-z0-9-]+|alias\/[A-Za-z0-9/_-]+))$/;
/** CloudTrail takes the group's ARN with the stream wildcard, `…:log-group:<name>:*`, as DescribeLogGroups' `arn` has it. */
const LOG_GROUP_ARN = /^arn:aws[a-z-]*:logs:([a-z0-9-]+):(\d{12}):log-group:([\w.\-/#]+):\*$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\-/]+$/;

/** An empty string clears an optional member (UpdateTrail); on CreateTrail it is the same as leaving it out. */
const given = (v: string | undefined) => v !== undefined && v !== '';

/** Checks the members given; returns the settings they change (cleared members as undefined). */
export function checkSettings(input: SettingsInput, current?: TrailSettings): Partial<TrailSettings> {
  const out: Partial<TrailSettings> = {};
  if (input.S3BucketName !== undefined) {
    if (!isValidBucketName(input.S3BucketName)) throw invalidS3BucketName(input.S3BucketName);
    out.s3BucketName = input.S3BucketName;
  }
  if (input.S3KeyPrefix !== undefined) {
    const p = input.S3KeyPrefix;
    if (p.length > 200 || /[\u0000-\u001f\u007f]/.test(p) || p.startsWith('/')) throw invalidS3Prefix(p);
    out.s3KeyPrefix = p === '' ? undefined : p;
  }
  if (given(input.SnsTopicName)) {
    if (!SNS_NAME.test(input.SnsTopicName!) && !SNS_ARN.test(input.SnsTopicName!)) throw invalidSnsTopicName(input.SnsTopicName!);
    // kept as the topic's ARN; checkTopic (below) checks it exists and lets CloudTrail publish
    out.snsTopicName = input.SnsTopicName;
  } else if (input.SnsTopicName === '') out.snsTopicName = undefined;
  if (given(input.KmsKeyId)) {
    if (!KMS_ID.test(input.KmsKeyId!)) throw invalidKmsKeyId(input.KmsKeyId!);
    throw kmsKeyNotFound(input.KmsKeyId!);
  } else if (input.KmsKeyId === '') out.kmsKeyId = undefined;
  checkCloudWatch(input, out);
  // whether the account may have one is checked by checkOrganization, which needs the store
  if (input.IsOrganizationTrail !== undefined) out.isOrganizationTrail = input.IsOrganizationTrail;
  if (input.IncludeGlobalServiceEvents !== undefined) out.includeGlobalServiceEvents = input.IncludeGlobalServiceEvents;
  if (input.IsMultiRegionTrail !== undefined) out.isMultiRegionTrail = input.IsMultiRegionTrail;
  if (input.EnableLogFileValidation !== undefined) out.logFileValidationEnabled = input.EnableLogFileValidation;
  const multi = out.isMultiRegionTrail ?? current?.isMultiRegionTrail ?? false;
  const global = out.includeGlobalServiceEvents ?? current?.includeGlobalServiceEvents ?? true;
  if (multi && !global) throw invalidParameterCombination('Multi-Region trail must include global service events.');
  return out;
}

function checkCloudWatch(input: SettingsInput, out: Partial<TrailSettings>): void {
  const group = input.CloudWatchLogsLogGroupArn;
  const role = input.CloudWatchLogsRoleArn;
  if (given(group) || given(role)) {
    if (!given(group)) throw invalidCloudWatchLogsLogGroupArn('You must specify a log group and a role ARN.');
    if (!given(role)) throw invalidCloudWatchLogsRoleArn('You must specify a log group and a role ARN.');
    if (!LOG_GROUP_ARN.test(group!)) throw invalidCloudWatchLogsLogGroupArn();
    if (!ROLE_ARN.test(role!)) throw invalidCloudWatchLogsRoleArn();
    out.cloudWatchLogsLogGroupArn = group;
    out.cloudWatchLogsRoleArn = role;
  } else if (group === '' || role === '') {
    out.cloudWatchLogsLogGroupArn = undefined;
    out.cloudWatchLogsRoleArn = undefined;
  }
}

/** The group and region a trail's `CloudWatchLogsLogGroupArn` names. */
export function logGroupOf(arn: string): { region: string; accountId: string; name: string } | undefined {
  const m = LOG_GROUP_ARN.exec(arn);
  return m ? { region: m[1] ?? '', accountId: m[2] ?? '', name: m[3] ?? '' } : undefined;
}

/** The stream CloudTrail writes a region's records to (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html). */
export const cloudTrailStream = (accountId: string, region: string) => `${accountId}_CloudTrail_${region}`;

/**
 * CreateTrail / UpdateTrail naming a log group: it must be in the trail's account and home region and exist, and
 * `cloudtrail.amazonaws.com` must be able to assume the role and, through it, create the trail's streams and put
 * log events into them (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html).
 */
export async function checkLogGroup(store: Store, t: { arn: string; homeRegion: string; accountId: string; groupArn: string; roleArn: string }): Promise<void> {
  const g = logGroupOf(t.groupArn);
  if (!g || g.accountId !== t.accountId) throw invalidCloudWatchLogsLogGroupArn();
  if (g.region !== t.homeRegion) throw invalidCloudWatchLogsLogGroupArn('You must specify a log group that is in the current region.');
  if (!(await store.logs.getGroup({ accountId: g.accountId, region: g.region }, g.name))) throw invalidCloudWatchLogsLogGroupArn();
  if ((await cloudWatchLogsAccess(store, t, g.region)) !== 'allowed') throw cloudWatchLogsRoleDenied();
}

/** Whether the trail's role lets CloudTrail write a region's stream of the group (CreateTrail, and each delivery). */
export function cloudWatchLogsAccess(
  store: Store,
  t: { arn: string; accountId: string; groupArn: string; roleArn: string; streamAccount?: string },
  recordRegion: string,
): Promise<ServiceRoleVerdict> {
  // an organization trail's streams are named `<o-id>_<account>` first (docs/accounts.md#trails)
  const stream = `${t.groupArn.replace(/:\*$/, '')}:log-stream:${cloudTrailStream(t.streamAccount ?? t.accountId, recordRegion)}`;
  return serviceRoleAllows(store, {
    roleArn: t.roleArn,
    servicePrincipal: 'cloudtrail.amazonaws.com',
    sessionName: 'CloudTrailLogsDelivery',
    sourceAccount: t.accountId,
    sourceArn: t.arn,
    actions: [
      { action: 'logs:CreateLogStream', resource: stream },
      { action: 'logs:PutLogEvents', resource: stream },
    ],
  });
}

/**
 * An organization trail is the management account's, of an organization with all features, that has
 * trusted access for CloudTrail enabled (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-an-organizational-trail-prepare.html,
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html#API_CreateTrail_Errors). Returns the organization's id.
 */
export async function checkOrganization(store: Store, accountId: string): Promise<string> {
  const found = await store.organizations.ofAccount(accountId);
  if (!found) throw organizationsNotInUse();
  if (found.org.managementAccountId !== accountId) throw notOrganizationManagementAccount();
  if (found.org.featureSet !== 'ALL') throw organizationNotInAllFeaturesMode();
  if (!(await store.organizations.listServiceAccess(found.org.id)).some((a) => a.servicePrincipal === 'cloudtrail.amazonaws.com'))
    throw cloudTrailAccessNotEnabled();
  return found.org.id;
}

export interface BucketCheck {
  bucket: string;
  prefix?: string;
  accountId: string;
  /** an organization trail's: its files go under AWSLogs/<organizationId>/<account>/ */
  organizationId?: string;
  trailArn: string;
  regions: string[];
  validation: boolean;
}

/** The bucket exists and (where the service has policies) lets CloudTrail write. */
export async function checkBucket(target: DeliveryTarget, c: BucketCheck): Promise<void> {
  let state: Awaited<ReturnType<DeliveryTarget['bucket']>>;
  try {
    state = await target.bucket(c.bucket);
  } catch (e) {
    if (e instanceof DeliveryError) throw s3BucketDoesNotExist(c.bucket);
    throw e;
  }
  if (!state.exists) throw s3BucketDoesNotExist(c.bucket);
  // An external service without policies (or a bucket without one there) is governed by the credentials startrail writes with.
  if (target.kind === 'external' && (!state.policySupported || state.policy === undefined)) return;
  if (
    !policyAllowsCloudTrail(state.policy, {
      bucket: c.bucket,
      ...(c.prefix ? { prefix: c.prefix } : {}),
      accountId: c.accountId,
      ...(c.organizationId ? { organizationId: c.organizationId } : {}),
      trailArn: c.trailArn,
      regions: c.regions,
      validation: c.validation,
    })
  ) {
    throw insufficientS3BucketPolicy(c.bucket);
  }
}

/** The ARN of the topic SnsTopicName names: an ARN as given, a name in the trail's home region and account. */
export function topicArnOf(nameOrArn: string, homeRegion: string, accountId: string): string {
  return nameOrArn.startsWith('arn:') ? nameOrArn : `arn:aws:sns:${homeRegion}:${accountId}:${nameOrArn}`;
}

/** The topic exists and lets `cloudtrail.amazonaws.com` publish for this trail; else InsufficientSnsTopicPolicyException, as AWS answers both. */
export async function checkTopic(destinations: Destinations, store: Store, topicArn: string, trailArn: string, accountId: string): Promise<void> {
  if ((await destinations.topicAllowsService(store, topicArn, 'cloudtrail.amazonaws.com', trailArn, accountId)) !== 'allowed')
    throw insufficientSnsTopicPolicy();
}
