/** CloudTrail's errors, with the code and HTTP status (400) of the CloudTrail model (errors/model-errors.ts). */
import { modelErrors } from '../../errors/model-errors.ts';
import { ERRORS } from './model.generated.ts';

const e = modelErrors(ERRORS);

// ---- LookupEvents

export const invalidLookupAttributes = (message: string) => e('InvalidLookupAttributesException', message);

export const invalidTimeRange = () =>
  e(
    'InvalidTimeRangeException',
    'Occurs if the timestamp values are not valid. Either the start time occurs after the end time, or the time range is outside the range of possible values.',
  );

export const invalidMaxResults = (value: number) => e('InvalidMaxResultsException', `MaxResults ${value} is not valid. MaxResults must be between 1 and 50.`);

export const invalidNextToken = () =>
  e('InvalidNextTokenException', 'A token that is not valid, or a token that was previously used in a request with different parameters.');

export const invalidEventCategory = (value: string) =>
  e('InvalidEventCategoryException', `Event category ${value} is not valid. The only valid event category is insight.`);

// ---- Trails. Texts marked [observed]
// were seen in public reports of AWS's answers; the others follow moto or are ours, in AWS's style.
/** [observed] "Unknown trail: <name or ARN> for the user: <account>" */
export const trailNotFound = (ref: string, account: string) => e('TrailNotFoundException', `Unknown trail: ${ref} for the user: ${account}`);
export const trailAlreadyExists = (name: string, account: string) => e('TrailAlreadyExistsException', `Trail ${name} already exists for customer: ${account}`);
/** [observed] "User: <account> already has 5 trails in <region>." */
export const maximumTrails = (account: string, region: string) =>
  e('MaximumNumberOfTrailsExceededException', `User: ${account} already has 5 trails in ${region}.`);
export const invalidTrailName = (message: string) => e('InvalidTrailNameException', message);
export const trailArnInvalid = (arn: string) =>
  e('CloudTrailARNInvalidException', `Invalid ARN: ${arn}. A trail ARN looks like arn:aws:cloudtrail:<region>:<account>:trail/<name>.`);
/** [observed] a trail ARN of another account, in a call that changes a trail */
export const trailArnAccountWrong = (account: string) =>
  e('CloudTrailARNInvalidException', `AccountID in ARN is wrong, you can only access resources with AccountID ${account}.`);
export const invalidHomeRegion = (arn: string, home: string) =>
  e('InvalidHomeRegionException', `The trail ${arn} was created in ${home}: this operation can only be called from its home region ${home}.`);
/** moto */
export const s3BucketDoesNotExist = (bucket: string) => e('S3BucketDoesNotExistException', `S3 bucket ${bucket} does not exist!`);
/** [observed] */
export const insufficientS3BucketPolicy = (bucket: string) =>
  e('InsufficientS3BucketPolicyException', `Incorrect S3 bucket policy is detected for bucket: ${bucket}`);
/** [observed] the topic is missing, or its policy does not let cloudtrail.amazonaws.com publish */
export const insufficientSnsTopicPolicy = () => e('InsufficientSnsTopicPolicyException', 'SNS Topic does not exist or the topic policy is incorrect!');
export const invalidS3BucketName = (bucket: string) => e('InvalidS3BucketNameException', `Bucket name is not valid: ${bucket}`);
export const invalidS3Prefix = (prefix: string) => e('InvalidS3PrefixException', `Prefix is not valid: ${prefix}`);
export const invalidSnsTopicName = (name: string) => e('InvalidSnsTopicNameException', `Topic name is not valid: ${name}`);
export const invalidKmsKeyId = (id: string) => e('InvalidKmsKeyIdException', `KMS key id is not valid: ${id}`);
/** startrail has no KMS: no key can be found */
export const kmsKeyNotFound = (id: string) => e('KmsKeyNotFoundException', `KMS key not found: ${id}`);
/**
 * Trails to CloudWatch Logs (docs/trail-logs.md): "CloudTrail cannot validate the specified log group ARN." and "Access
 * denied. Verify in IAM that the role has adequate permissions." are AWS's answers as captured from CreateTrail /
 * UpdateTrail; the others are startrail's wording.
 */
export const invalidCloudWatchLogsLogGroupArn = (message = 'CloudTrail cannot validate the specified log group ARN.') =>
  e('InvalidCloudWatchLogsLogGroupArnException', message);
export const invalidCloudWatchLogsRoleArn = (message = 'CloudTrail cannot validate the specified role ARN.') =>
  e('InvalidCloudWatchLogsRoleArnException', message);
export const cloudWatchLogsRoleDenied = () => invalidCloudWatchLogsRoleArn('Access denied. Verify in IAM that the role has adequate permissions.');
export const invalidParameterCombination = (message: string) => e('InvalidParameterCombinationException', message);
export const invalidParameter = (message: string) => e('InvalidParameterException', message);
/** IsOrganizationTrail (docs/accounts.md#trails): the account belongs to no organization */
export const organizationsNotInUse = () => e('OrganizationsNotInUseException', 'This account is not a member of an organization.');
/** [observed] a member account asking for an organization trail */
export const notOrganizationManagementAccount = () =>
  e(
    'NotOrganizationMasterAccountException',
    'You cannot configure or manage trails for an organization because this action requires being signed in with the management account.',
  );
export const organizationNotInAllFeaturesMode = () =>
  e('OrganizationNotInAllFeaturesModeException', 'This operation requires that all features are enabled in your organization.');
export const cloudTrailAccessNotEnabled = () =>
  e(
    'CloudTrailAccessNotEnabledException',
    'Trusted access for CloudTrail is not enabled in your organization. Enable it with Organizations EnableAWSServiceAccess for cloudtrail.amazonaws.com.',
  );
export const invalidEventSelectors = (message: string) => e('InvalidEventSelectorsException', message);
export const tagsLimitExceeded = () =>
  e('TagsLimitExceededException', 'The number of tags per trail has exceeded the permitted amount. Currently, the limit is 50.');
export const invalidTagParameter = (message: string) => e('InvalidTagParameterException', message);
export const resourceNotFound = (arn: string) => e('ResourceNotFoundException', `Resource ${arn} does not exist.`);
export const resourceTypeNotSupported = (arn: string) => e('ResourceTypeNotSupportedException', `Resource type of ${arn} is not supported.`);
export const eventDataStoreNotFound = (arn: string) => e('EventDataStoreNotFoundException', `Event data store ${arn} does not exist.`);
export const channelNotFound = (arn: string) => e('ChannelNotFoundException', `Channel ${arn} does not exist.`);
export const invalidToken = () => e('InvalidTokenException', 'The token is not valid.');

// ---- CloudTrail Lake (docs/lake.md). Wording in AWS's style; [observed] where seen in AWS's answers.
export const eventDataStoreArnInvalid = (ref: string) =>
  e('EventDataStoreARNInvalidException', `The specified event data store ARN is not valid or does not map to an event data store in your account: ${ref}`);
export const eventDataStoreAlreadyExists = (name: string) => e('EventDataStoreAlreadyExistsException', `An event data store named ${name} already exists.`);
export const eventDataStoreMaxLimit = () =>
  e('EventDataStoreMaxLimitExceededException', 'Your account has used the maximum number of event data stores (10 per Region).');
export const eventDataStoreTerminationProtected = () =>
  e('EventDataStoreTerminationProtectedException', 'The event data store cannot be deleted because termination protection is enabled for it.');
export const inactiveEventDataStore = (arn: string) => e('InactiveEventDataStoreException', `Event data store ${arn} is inactive.`);
export const invalidEventDataStoreStatus = (arn: string, status: string) =>
  e('InvalidEventDataStoreStatusException', `Event data store ${arn} is in status ${status}: it must be PENDING_DELETION to be restored.`);
export const invalidQueryStatement = (message: string) => e('InvalidQueryStatementException', message);
export const maxConcurrentQueries = () =>
  e(
    'MaxConcurrentQueriesException',
    'You are already running the maximum number of concurrent queries (10). Wait a minute for some queries to finish, and then run the query again.',
  );
export const queryIdNotFound = (id: string) => e('QueryIdNotFoundException', `Query ${id} was not found.`);
export const inactiveQuery = (id: string, status: string) => e('InactiveQueryException', `Query ${id} is ${status}: it cannot be cancelled.`);
export const invalidDateRange = () => e('InvalidDateRangeException', 'The start time must be before the end time.');
export const invalidQueryStatus = (status: string) => e('InvalidQueryStatusException', `Query status ${status} is not valid.`);
export const accountHasOngoingImport = () =>
  e('AccountHasOngoingImportException', 'An import is already in progress for this account. Wait for it to finish or stop it, then start another.');
export const importNotFound = (id: string) => e('ImportNotFoundException', `Import ${id} was not found.`);
export const invalidImportSource = (message: string) => e('InvalidImportSourceException', message);
